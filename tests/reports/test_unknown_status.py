"""A figure whose confidentiality status is unknown is never printed as a free figure."""

from __future__ import annotations

import re
from dataclasses import replace

import polars as pl

from migralink.reports import ProfileData, build_profile
from migralink.reports.batch import render_profile
from migralink.reports.data import _cells

ANSAN = "41270"
PERIOD = "2019"


def _status_lost(data: ProfileData, where: pl.Expr) -> ProfileData:
    """``data`` with the released ``conf_status`` of the rows ``where`` set to null."""
    frame = data.released.frame.with_columns(
        pl.when(where).then(None).otherwise(pl.col("conf_status")).alias("conf_status"))
    released = replace(data.released, frame=frame)
    # by_region and by_code are rebuilt from the new cells, not appended to the fixture's
    return replace(data, released=released, cells=_cells(released), by_region={}, by_code={})


def _suppressed(html: str) -> int:
    found = re.search(r"Cells suppressed for this area: (\d+)", html)
    assert found is not None
    return int(found.group(1))


def test_a_cell_without_status_is_not_printed(profile_data: ProfileData) -> None:
    mine = (pl.col("region") == ANSAN) & (pl.col("period") == PERIOD)
    before = render_profile(profile_data, "안산시", period=PERIOD, lang="en", format="html")
    lost = _status_lost(profile_data, mine)
    after = render_profile(lost, "안산시", period=PERIOD, lang="en", format="html")
    shown, hidden = (r.content.decode("utf-8") for r in (before, after))
    # MOIS 2019 foreign residents of 안산시 (상록구 + 단원구), printed while the status is F
    assert "92,787" in shown
    assert "92,787" not in hidden
    # every 2019 cell of the indicators the profile shows is now counted as suppressed
    shows = build_profile(lost, ANSAN, PERIOD, "en").indicators
    unknown = sum(1 for ind in shows for period, _, _ in lost.series(ind, ANSAN)
                  if period == PERIOD)
    assert unknown > 0
    assert _suppressed(hidden) == _suppressed(shown) + unknown


def test_counts_without_a_value_row_are_withheld(profile_data: ProfileData) -> None:
    # an indicators dataset stored before measures became columns has one row per
    # measure; the status is read from the ``value`` row, so counts without it have none
    released = profile_data.released
    keys = ["period", "region", "indicator", "breakdown_dim", "breakdown_code"]
    long = released.frame.rename({"value": "ratio"}).unpivot(
        index=[*keys, "obs_status", "conf_status"], on=["ratio", "numerator", "denominator"],
        variable_name="measure").with_columns(pl.col("measure").replace("ratio", "value"))
    share = (pl.col("indicator") == "foreign_share") & (pl.col("region") == ANSAN) & (
        pl.col("period") == PERIOD) & (pl.col("breakdown_code") == "_T")
    long = long.filter(~(share & (pl.col("measure") == "value")))
    cells = _cells(replace(released, frame=long))
    kept = profile_data.cell("foreign_share", ANSAN, PERIOD)
    assert kept is not None
    assert kept.numerator == 92787  # the counts the lost status applied to
    cell = cells[("foreign_share", ANSAN, PERIOD, "_T")]
    assert cell.conf_status != "F"
    assert (cell.value, cell.numerator, cell.denominator) == (None, None, None)

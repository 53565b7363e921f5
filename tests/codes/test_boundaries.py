"""Region successions and remapping, checked against the MOIS history file."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from migralink.codes.boundaries import (
    HAND_SUCCESSIONS,
    TOLERANCE_DAYS,
    region_successions,
    remap_table,
    remap_table_by_year,
)
from migralink.codes.regions import is_valid
from migralink.errors import CodeError

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
KIKCD_H = SHARED / "codes" / "mois-jscode-20240801" / "KIKcd_H.20240801.xlsx"
OFFICE = re.compile(r"출장|분소$|지소$")


def _day(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


@cache
def raw_units() -> dict[str, tuple[str, date, date | None]]:
    """Sido, sigungu and district rows of KIKcd_H: code → (name, created, abolished)."""
    sheet = CalamineWorkbook.from_path(str(KIKCD_H)).get_sheet_by_name("KIKcd_H")
    units = {}
    for row in sheet.to_python()[1:]:
        code10, sido, sigungu, _emd, start, end = (str(c) for c in row)
        if code10[5:] != "00000" or OFFICE.search(sido + sigungu) or start == end:
            continue
        code = code10[:2] if code10[2:5] == "000" else code10[:5]
        units[code] = (sigungu or sido, _day(start), _day(end) if end else None)
    return units


def kinds() -> dict[tuple[str, str, date], str]:
    table = region_successions()
    return {(f, t, d): k for f, t, d, k in table.select(
        "from_code", "to_code", "date", "kind").iter_rows()}


@pytest.mark.parametrize(
    ("source", "target", "day", "kind"),
    [
        ("42", "51", date(2023, 6, 11), "recode"),
        ("45", "52", date(2024, 1, 18), "recode"),
        ("47720", "27720", date(2023, 7, 1), "recode"),
        ("47", "27", date(2023, 7, 1), "create"),
        ("41195", "41190", date(2016, 7, 4), "merge"),
        ("41197", "41190", date(2016, 7, 4), "merge"),
        ("41199", "41190", date(2016, 7, 4), "merge"),
        ("41190", "41192", date(2024, 1, 1), "split"),
        ("41190", "41194", date(2024, 1, 1), "split"),
        ("41190", "41196", date(2024, 1, 1), "split"),
        ("44730", "36110", date(2012, 7, 1), "merge"),
        ("44150", "36110", date(2012, 7, 1), "create"),
        ("43710", "36110", date(2012, 7, 1), "create"),
        ("44", "36", date(2012, 7, 1), "create"),
        ("41730", "41670", date(2013, 9, 23), "recode"),
        ("44830", "44270", date(2012, 1, 1), "recode"),
        ("43710", "43110", date(2014, 7, 1), "merge"),
        ("28170", "28177", date(2018, 7, 1), "recode"),
        ("48160", "48120", date(2010, 7, 1), "merge"),
        ("48190", "48129", date(2010, 7, 1), "recode"),
    ],
)
def test_required_successions(source: str, target: str, day: date, kind: str) -> None:
    assert kinds()[(source, target, day)] == kind


def test_every_gangwon_and_jeonbuk_sigungu_is_recoded_to_the_same_suffix() -> None:
    found = kinds()
    for old, new, day in (("42", "51", date(2023, 6, 11)), ("45", "52", date(2024, 1, 18))):
        ended = [c for c, (_, _, end) in raw_units().items()
                 if c.startswith(old) and len(c) == 5 and end == day]
        assert len(ended) >= 14
        for code in ended:
            assert found[(code, new + code[2:], day)] == "recode"


def test_every_unit_ended_in_2009_2024_has_a_successor() -> None:
    sources = set(region_successions()["from_code"])
    ended = [c for c, (_, _, end) in raw_units().items()
             if end is not None and date(2009, 1, 1) <= end <= date(2024, 8, 1)]
    assert len(ended) > 40
    assert sorted(set(ended) - sources) == []


def test_succession_dates_match_the_raw_file() -> None:
    units = raw_units()
    for source, target, day, kind in region_successions().iter_rows():
        _, created, _ = units[target]
        _, _, ended = units[source]
        if kind == "create":
            assert ended is None or ended > day
        elif created == day:
            assert ended is None or abs((ended - day).days) <= TOLERANCE_DAYS
        else:  # the target already existed: the source ends that day (±tolerance)
            assert ended is not None
            assert abs((ended - day).days) <= TOLERANCE_DAYS
    for item in HAND_SUCCESSIONS:
        assert item.source


def row(table: pl.DataFrame, source: str) -> dict[str, tuple[float, bool, str]]:
    picked = table.filter(from_code=source)
    return {t: (w, e, b) for t, w, e, b in picked.select(
        "to_code", "weight", "exact", "weight_basis").iter_rows()}


EXACT = (1.0, True, "exact")


def test_chains_forward_and_backward() -> None:
    assert row(remap_table(2024, from_year=2019), "42110") == {"51110": EXACT}
    assert row(remap_table(2024, from_year=2019), "42") == {"51": EXACT}
    assert row(remap_table(2024, from_year=2019), "45110") == {"52110": EXACT}
    assert row(remap_table(2024, from_year=2019), "47720") == {"27720": EXACT}
    assert row(remap_table(2024, from_year=2017), "28170") == {"28177": EXACT}
    assert row(remap_table(2024, from_year=2011), "44830") == {"44270": EXACT}
    assert row(remap_table(2024, from_year=2019), "11110") == {"11110": EXACT}
    assert row(remap_table(2018, from_year=2024), "51110") == {"42110": EXACT}
    assert row(remap_table(2018, from_year=2024), "52") == {"45": EXACT}
    assert row(remap_table(2018, from_year=2024), "27720") == {"47720": EXACT}
    assert row(remap_table(2018, from_year=2023), "42110") == {"42110": EXACT}
    assert row(remap_table(2018, from_year=2024), "41192") == {"41190": EXACT}
    assert row(remap_table(2018, from_year=2015), "41195") == {"41190": EXACT}


def test_chains_keyed_by_code_alone() -> None:
    to_2024, to_2018 = remap_table(2024), remap_table(2018)
    assert row(to_2024, "42110") == {"51110": EXACT}
    assert row(to_2024, "47720") == {"27720": EXACT}
    assert row(to_2024, "28170") == {"28177": EXACT}
    assert row(to_2018, "51110") == {"42110": EXACT}
    assert row(to_2018, "27720") == {"47720": EXACT}
    assert row(to_2018, "42110") == {"42110": EXACT}
    assert row(to_2018, "11110") == {"11110": EXACT}
    assert to_2024.group_by("from_code").len()["len"].max() == 3  # 41195 → 2024 districts


def test_gunwi_moves_sido_so_sido_rows_are_estimates() -> None:
    moved = {"47": (1.0, False, "unadjusted"), "27": (0.0, False, "unadjusted")}
    assert row(remap_table(2024, from_year=2019), "47") == moved
    assert row(remap_table(2024), "47") == moved
    assert row(remap_table(2024, from_year=2019), "27") == {"27": EXACT}
    assert row(remap_table(2024), "27") == {"27": EXACT}
    gained = {"27": (1.0, False, "unadjusted"), "47": (0.0, False, "unadjusted")}
    assert row(remap_table(2018, from_year=2024), "27") == gained
    assert row(remap_table(2018), "27") == gained
    assert row(remap_table(2018, from_year=2024), "47") == {"47": EXACT}
    assert row(remap_table(2018, from_year=2017), "47") == {"47": EXACT}


def test_backward_across_a_merge_needs_weights() -> None:
    for table in (remap_table(2015, from_year=2020, finest=True), remap_table(2015, finest=True)):
        split = row(table, "41190")
        assert sorted(split) == ["41195", "41197", "41199"]
        assert all(not exact and basis == "equal" for _, exact, basis in split.values())
        assert [w for w, _, _ in split.values()] == pytest.approx([1 / 3] * 3)
    weights = {("41190", "41195"): 400.0, ("41190", "41197"): 250.0, ("41190", "41199"): 350.0}
    weighted = row(remap_table(2015, weights, from_year=2020, finest=True), "41190")
    assert weighted["41195"][0] == pytest.approx(0.4)
    assert weighted["41195"][1:] == (False, "population")
    assert sum(w for w, _, _ in weighted.values()) == pytest.approx(1.0)
    with pytest.raises(CodeError):
        remap_table(2015, {("41190", "41195"): 1.0}, from_year=2020, finest=True)
    assert row(remap_table(2015, from_year=2020), "41190") == {"41190": EXACT}
    cheongju = row(remap_table(2013, from_year=2015), "43110")
    assert cheongju == {"43110": (0.5, False, "equal"), "43710": (0.5, False, "equal")}
    assert row(remap_table(2015, from_year=2013), "43110") == {"43110": EXACT}
    assert row(remap_table(2013), "43110") == {"43110": (1.0, False, "unadjusted"),
                                               "43710": (0.0, False, "unadjusted")}


def test_sejong_backward_keeps_yeongi_and_flags_the_parts() -> None:
    sejong = row(remap_table(2011, from_year=2015), "36110")
    assert sejong == {"44730": (1.0, False, "unadjusted"), "44150": (0.0, False, "unadjusted"),
                      "43710": (0.0, False, "unadjusted")}
    assert row(remap_table(2015, from_year=2011), "44730") == {"36110": EXACT}


@pytest.mark.parametrize("target", [2009, 2012, 2016, 2023, 2024])
def test_every_unit_maps_whole_onto_valid_units(target: int) -> None:
    table = remap_table_by_year(target)
    totals = table.group_by("from_year", "from_code").agg(pl.col("weight").sum())
    assert totals["weight"].to_list() == pytest.approx([1.0] * totals.height)
    end = date(target, 12, 31)
    assert all(is_valid(code, end) for code in table["to_code"].unique())
    assert set(table.filter(pl.col("exact"))["weight"]) == {1.0}
    units = raw_units()
    for year in (2009, 2016, 2024):
        day = min(date(year, 12, 31), date(2024, 8, 1)) - timedelta(days=1)
        live = {c for c, (_, s, e) in units.items() if s <= day and (e is None or day < e)}
        assert live <= set(table.filter(from_year=year)["from_code"])
    keyed = remap_table(target)
    assert keyed.select("from_code", "to_code").is_duplicated().sum() == 0
    sums = keyed.group_by("from_code").agg(pl.col("weight").sum())["weight"]
    assert sums.to_list() == pytest.approx([1.0] * len(sums))
    assert set(keyed["from_code"]) == set(table["from_code"])
    assert all(is_valid(code, end) for code in keyed["to_code"].unique())


def test_target_before_2009_is_refused() -> None:
    with pytest.raises(CodeError):
        remap_table(2005)

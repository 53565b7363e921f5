"""Reading any series on any boundaries year conserves the nation and untouched units.

Across all the successions shipped (``region_successions.csv``): the national total of
every period is the same on every boundaries year, and every sigungu that no succession
touches (nor any unit inside it) keeps its published figure.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migralink.codes.boundaries import HISTORY_END, HISTORY_START, region_successions
from migralink.codes.hierarchy import ancestor_table
from migralink.evidence import Evidence

SERIES = {  # dataset → a dimension filter that leaves one series
    "population_sigungu": {},
    "mois_foreign_residents_sigungu": {"group": "_T"},
    "population_residents_sigungu": {},
}


@lru_cache(maxsize=1)
def _touched() -> frozenset[str]:
    """Every code in a succession, and every unit containing one."""
    succ = region_successions()
    codes = set(succ["from_code"].to_list()) | set(succ["to_code"].to_list())
    anc = ancestor_table()
    return frozenset(codes | set(anc.filter(anc["code"].is_in(list(codes)))["ancestor"]))


def test_the_successions_are_all_there() -> None:
    assert region_successions().height == 67


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dataset=st.sampled_from(sorted(SERIES)),
    year=st.integers(HISTORY_START.year, HISTORY_END.year),
    pick=st.integers(0, 100),
)
def test_any_series_on_any_boundaries_conserves_totals(
    full_db: Path, dataset: str, year: int, pick: int
) -> None:
    with Evidence(full_db, read_only=True) as ev:
        periods = next(d for d in ev.datasets() if d.id == dataset).periods
        period = periods[pick % len(periods)]
        filters = SERIES[dataset]
        kept = [d for d in filters]
        plain = ev.query(dataset, period=period, filters=filters, by=kept, names=False).frame
        moved = ev.query(dataset, period=period, filters=filters, by=kept, boundaries=year,
                         names=False).frame
        national = float(plain["value"].sum())
        assert abs(float(moved["value"].sum()) - national) < 1e-6 * national
        units = ev.query(dataset, period=period, filters=filters, by=["region", *kept],
                         names=False).frame
        units_moved = ev.query(dataset, period=period, filters=filters, by=["region", *kept],
                               boundaries=year, names=False).frame
    assert abs(float(units_moved["value"].sum()) - national) < 1e-6 * national
    before = {r: v for r, v in zip(units["region"], units["value"], strict=True)
              if r not in _touched()}
    after = dict(zip(units_moved["region"], units_moved["value"], strict=True))
    assert before
    assert {r: after.get(r) for r in before} == before

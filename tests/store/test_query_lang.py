"""Periods and names as people type them: every stored form selectable, any keyboard."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migralink.codes.regions import region_table, resolve_region
from migralink.errors import QueryError
from migralink.store.query_lang import parse_periods


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_a_day_selects_itself_however_it_is_written(day: date) -> None:
    # a table of one day (NPS members on 2026-06-22) was refused: "is not a period"
    want = (day.isoformat(),)
    assert parse_periods(day.isoformat()) == want
    assert parse_periods(f"{day.year}.{day.month}.{day.day}") == want
    assert parse_periods(f"{day.year}년 {day.month}월 {day.day}일") == want


@pytest.mark.parametrize(("typed", "stored"), [
    ("2015/2019", ("2015/2019",)),  # a span of years, as the indicators store it
    ("2019-H2", ("2019-H2",)), ("2019h1", ("2019-H1",)),
    ("2019-Q4", ("2019-Q4",)), ("2019-12", ("2019-12",)), ("2019/12", ("2019-12",)),
    ("2019..2021", ("2019", "2020", "2021")), ("2019년", ("2019",)),
    ("2019년도", ("2019",)), ("2019년도~2020년도", ("2019", "2020")),
])
def test_every_stored_form_of_a_period_can_be_asked(typed: str, stored: tuple[str, ...]
                                                    ) -> None:
    assert parse_periods(typed) == stored


@pytest.mark.parametrize("typed", ["2019-02-30", "2019-13-01", "2019-H3", "2019/12/32",
                                   "2019년도도"])
def test_a_day_or_half_that_does_not_exist_is_an_error(typed: str) -> None:
    with pytest.raises(QueryError, match="is not a"):
        parse_periods(typed)


def test_a_name_pasted_decomposed_is_the_same_region() -> None:
    # Hangul from macOS arrives as NFD: '안산시' looked right and matched nothing
    live = region_table().filter(region_table()["valid_to"].is_null())
    names = live.filter(live["level"] == "sido")["full_name_ko"].to_list()
    names += ["경기도 안산시", "서울특별시 종로구", "안산시 단원구", "제주시"]
    for name in names:
        decomposed = unicodedata.normalize("NFD", name)
        assert decomposed != name
        assert resolve_region(decomposed) == resolve_region(name), name

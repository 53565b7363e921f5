"""Published numbers: the vectorised check of a column agrees with the cell-by-cell one."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from migralink.errors import InputError
from migralink.sources.numbers import check_values, parse_value

_EXACT = 2**53


def _cell(text: str) -> tuple[float | None, bool]:
    try:
        return parse_value(text)[0], True
    except InputError:
        return None, False


@given(st.lists(st.integers(min_value=_EXACT - 1_000, max_value=_EXACT + 1_000)
                | st.integers(min_value=0, max_value=10**20), min_size=1, max_size=30),
       st.booleans(), st.integers(min_value=0, max_value=3))
def test_a_column_is_read_as_each_of_its_cells(numbers: list[int], grouped: bool,
                                               zeros: int) -> None:
    # 9007199254740993 was cast to a float (…992) and then passed as exact
    texts = [f"{n:,}" if grouped else "0" * zeros + str(n) for n in numbers]
    value, _, ok = check_values(pl.col("t"), "count")
    got = pl.DataFrame({"t": texts}).select(value.alias("v"), ok.alias("ok"))
    for text, n, v, fine in zip(texts, numbers, got["v"], got["ok"], strict=True):
        want, parsed = _cell(text)
        assert fine is parsed, text
        assert fine is (n <= _EXACT), text
        assert v == want


def test_a_count_above_two_to_the_53_is_refused() -> None:
    with pytest.raises(InputError, match="too large to be a count"):
        parse_value("9007199254740993")

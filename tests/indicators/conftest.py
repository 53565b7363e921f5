"""Indicators computed once, from an evidence base holding every published file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from migralink.evidence import Evidence
from migralink.indicators import compute_indicators


@pytest.fixture(scope="session")
def computed(full_db: Path) -> pl.DataFrame:
    """Every built-in indicator on the full evidence base."""
    with Evidence(full_db) as ev:
        return compute_indicators(ev)


def pick(frame: pl.DataFrame, indicator: str, region: str, period: str,
         **dims: str | None) -> dict[str, Any]:
    """The one row of an indicator for a region, period and breakdown."""
    rows = frame.filter(
        pl.col("indicator") == indicator, pl.col("region") == region, pl.col("period") == period,
        *[pl.col(d).is_null() if c is None else pl.col(d) == c for d, c in dims.items()],
    )
    assert rows.height == 1, rows
    row: dict[str, Any] = rows.row(0, named=True)
    return row

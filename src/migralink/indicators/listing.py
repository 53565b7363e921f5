"""Reading stored indicators back, as ``migralink indicators`` and the API show them."""

from __future__ import annotations

import polars as pl

from migralink.errors import QueryError
from migralink.evidence import Evidence

__all__ = ["list_indicators"]

DATASET = "indicators"


def list_indicators(
    ev: Evidence,
    *,
    indicator: str | None = None,
    region: str | None = None,
    periods: list[str] | None = None,
    by: str | None = None,
) -> pl.DataFrame:
    """Stored indicator values with their numerator and denominator, one row a cell.

    Without ``by`` only the totals are shown (no breakdown); with ``by`` (``group``,
    ``sex``…) the breakdowns over that dimension.

    Raises:
        QueryError: the indicators were not computed yet, or the indicator is unknown.
    """
    if DATASET not in {d.id for d in ev.datasets()}:
        raise QueryError(
            title="no indicators in the evidence base yet",
            hint="run 'migralink indicators compute' (make run does it)",
        )
    filters = {"breakdown_dim": by or "_T"}
    if indicator:
        filters["indicator"] = indicator
    frame = ev.query(
        DATASET, region=region, period=periods, filters=filters,
        by=["region", "indicator", "breakdown_code", "measure"],
    ).frame
    if frame.is_empty():
        return frame
    wide = frame.pivot(
        on="measure", index=["indicator", "period", "region", "breakdown_dim", "breakdown_code"],
        values="value",
    )
    for measure in ("value", "numerator", "denominator"):
        if measure not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(measure))
    return wide.select(
        "indicator", "period", "region", "breakdown_dim", "breakdown_code",
        "value", "numerator", "denominator",
    ).sort("indicator", "period", "region", "breakdown_code")

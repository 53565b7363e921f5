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
    keys = ["indicator", "period", "region", "breakdown_dim", "breakdown_code"]
    wide: pl.DataFrame | None = None
    for measure in ("value", "numerator", "denominator"):
        frame = ev.query(
            DATASET, region=region, period=periods, filters=filters,
            by=["region", "indicator", "breakdown_code"], measure=measure,
        ).frame.select(*keys, pl.col("value").alias(measure))
        wide = frame if wide is None else wide.join(frame, on=keys, how="left",
                                                    nulls_equal=True)
    assert wide is not None
    if wide.is_empty():
        return wide
    return wide.filter(pl.any_horizontal(
        pl.col(m).is_not_null() for m in ("value", "numerator", "denominator"))).select(
        "indicator", "period", "region", "breakdown_dim", "breakdown_code",
        "value", "numerator", "denominator",
    ).sort("indicator", "period", "region", "breakdown_code")

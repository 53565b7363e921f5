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
        try:
            frame = ev.query(
                DATASET, region=region, period=periods, filters=filters,
                by=["region", "indicator", "breakdown_code"], measure=measure,
            ).frame.select(*keys, pl.col("value").alias(measure))
        except QueryError as exc:
            raise _only_by(ev, indicator, region, periods, by) or exc from None
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


def _only_by(ev: Evidence, indicator: str | None, region: str | None,
             periods: list[str] | None, by: str | None) -> QueryError | None:
    """The error for an indicator asked by a breakdown it does not have: as a total when
    it is given only by breakdowns (composition_by_group has a row per group, none for
    all groups), or by a dimension it is not broken down by (composition_by_group by sex
    alone) — rather than the store's "nothing matches", which blames period and region."""
    if indicator is None:
        return None
    try:  # a breakdown is looked for everywhere; a missing total where it was asked for
        found = ev.query(DATASET, filters={"indicator": indicator},
                         region=None if by else region, period=None if by else periods,
                         by=["region", "breakdown_dim", "breakdown_code"])
    except QueryError:
        return None
    given = set(found.frame["breakdown_dim"].to_list())
    dims = sorted(given - {"_T"})
    if by is not None:
        if by in given:
            return None  # the breakdown exists: the period or region is what is missing
        return QueryError(
            title=f"indicator {indicator!r} has no breakdown by {by!r}: it is given "
            + (f"by {', '.join(dims)}" if dims else "as totals only"),
            hint=f"use --by {dims[0]}" if dims else "leave out --by",
        )
    if not dims or "_T" in given:
        return None
    return QueryError(
        title=f"indicator {indicator!r} has no total row: it is given by {', '.join(dims)}",
        hint=f"add --by {dims[0]} (by={dims[0]} in the API)",
    )

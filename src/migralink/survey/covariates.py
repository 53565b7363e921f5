"""Area covariates for small-area estimation, read from the evidence base's indicators.

The Fay–Herriot model needs, for every province or local government, indicators known
without sampling error — the evidence base computes them from official tables (the
foreign-resident share, its change, the composition by residence status…). This module
reads chosen indicators for one period and one regional level as a frame with one row
per region and one column per indicator, plus the dataset versions they came from (the
``derived_from`` of the small-area estimates stored afterwards).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from migralink.errors import QueryError
from migralink.evidence import Evidence
from migralink.model import DatasetRef

__all__ = ["INDICATORS_DATASET", "indicator_covariates"]

#: The dataset the indicators engine stores its results in.
INDICATORS_DATASET = "indicators"


def indicator_covariates(ev: Evidence, indicators: Sequence[str], *, period: str,
                         level: str = "sigungu") -> tuple[pl.DataFrame, tuple[DatasetRef, ...]]:
    """One row per region of ``level`` with the value of each indicator in ``period``.

    Args:
        ev: the evidence base (with computed indicators).
        indicators: indicator ids (``foreign_share``…), whole-population values (no
            breakdown).
        period: the period (``2023``).
        level: ``sido``, ``sigungu`` or ``gu``.

    Returns:
        The covariates (``region`` and one column per indicator; regions lacking any
        indicator are left out) and the indicator dataset version read.

    Raises:
        QueryError: an indicator has no value at that level and period.
    """
    frame: pl.DataFrame | None = None
    version = 0
    for ind in indicators:
        result = ev.query(INDICATORS_DATASET, period=period, level=level, by=["region"],
                          filters={"indicator": [ind], "breakdown_dim": ["_T"]},
                          names=False)
        version = result.version
        values = result.frame.select(pl.col("region").cast(pl.Utf8),
                                     pl.col("value").cast(pl.Float64).alias(ind)
                                     ).drop_nulls()
        if values.is_empty():
            raise QueryError(f"indicator {ind!r} has no {level} values for {period}",
                             "compute the indicators (migralink indicators compute) or "
                             "choose another period or level")
        frame = values if frame is None else frame.join(values, on="region", how="inner")
    if frame is None:
        raise QueryError("no indicators were asked for", "name at least one indicator")
    return frame.sort("region"), (DatasetRef(INDICATORS_DATASET, version),)

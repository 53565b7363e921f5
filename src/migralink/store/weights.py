"""Population weights for splitting a unit's numbers across the units that replaced it.

When data published on old boundaries is read on new ones and a unit was split (Bucheon
in 2024; or going back across a merge), its numbers are allocated to the parts in
proportion to their registered population, taken from the population datasets in the
store: for each part, its population in the period nearest to the change. The rows get
status ``E`` (estimated) and the remap table records the basis.
"""

from __future__ import annotations

import polars as pl

from migralink.store.catalogue_read import latest_version, schema_version
from migralink.store.gateway import Gateway
from migralink.store.sql import quote_ident

__all__ = ["WEIGHT_DATASETS", "apply_population_weights", "population_by_region"]

#: Datasets whose totals serve as allocation weights, most detailed first.
WEIGHT_DATASETS = ("population_sigungu", "population_residents_sigungu", "population_sido")


def population_by_region(gw: Gateway) -> pl.DataFrame:
    """``region, period, population`` for every unit in the population datasets."""
    frames = []
    if schema_version(gw) == 0:
        return pl.DataFrame(schema={"region": pl.Utf8, "period": pl.Utf8, "population": pl.Float64})
    for dataset in WEIGHT_DATASETS:
        last = latest_version(gw, dataset)
        table = last[1] if last else None
        if table is None:
            continue
        frames.append(
            gw.polars(
                f"SELECT region, period, sum(value) AS population FROM {quote_ident(table)} "
                "WHERE value IS NOT NULL GROUP BY region, period"
            )
        )
    if not frames:
        return pl.DataFrame(schema={"region": pl.Utf8, "period": pl.Utf8, "population": pl.Float64})
    return pl.concat(frames).unique(subset=["region", "period"], keep="first")


def apply_population_weights(remap: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """Replace equal shares by population shares where every part's population is known.

    ``remap`` comes from :func:`migralink.codes.boundaries.remap_table_by_year`; rows of
    one split share ``from_year`` and ``from_code``. Only ``weight_basis == "equal"``
    rows are re-weighted, by the latest population of each target unit; the others
    (exact, or a moved part left ``unadjusted``) keep their weights.
    """
    if population.is_empty():
        return remap
    latest = (
        population.sort("period")
        .group_by("region")
        .agg(pl.col("population").last())
        .rename({"region": "to_code"})
    )
    key = ["from_year", "from_code"]
    equal = remap.filter(pl.col("weight_basis") == "equal").join(latest, on="to_code", how="left")
    complete = equal.group_by(key).agg(
        pl.col("population").is_not_null().all().alias("ok"),
        pl.col("population").sum().alias("total"),
    )
    usable = pl.col("ok") & (pl.col("total") > 0)
    equal = equal.join(complete, on=key).with_columns(
        pl.when(usable).then(pl.col("population") / pl.col("total")).otherwise(pl.col("weight"))
        .alias("weight"),
        pl.when(usable).then(pl.lit("population")).otherwise(pl.lit("equal")).alias("weight_basis"),
    )
    rest = remap.filter(pl.col("weight_basis") != "equal")
    return pl.concat([rest, equal.select(remap.columns)], how="vertical")

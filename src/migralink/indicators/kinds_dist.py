"""The formula kinds on distributions: diversity, segregation, and ranks among peers.

Diversity summarises the codes of ``by`` (nationalities) in each region; segregation
compares a group's spread over the local governments of a province (or of the nation)
with the rest of the population's; a rank orders another indicator's values among
local governments, all of them and those of the same kind (city, county, district).
The index formulas are in :mod:`migralink.indicators.indices`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import polars as pl

from migralink.codes.hierarchy import NATIONAL
from migralink.indicators import indices
from migralink.indicators.geography import (
    ancestor_at,
    complete,
    peer_kind,
    worst_of,
    worst_status,
)
from migralink.indicators.kinds import categories
from migralink.indicators.reader import Reader
from migralink.indicators.spec import IndicatorSpec

__all__ = ["diversity", "rank", "segregation"]

_SCHEMA = {"value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64}


def diversity(
    spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Shannon (normalised), Simpson or top-k share over the codes of ``by``.

    The shares are of the sum of the codes read (the categories as published, ``기타``
    counted as one); the denominator is that sum, the numerator of a top-k share the
    count of the k largest categories. A residual code (SDMX ``_O`` other, ``_U``
    unknown, ``_X``…) is in the sum but never among the k largest: it lumps many small
    categories together, and 기타 would otherwise be Chungnam's fourth "nationality".
    """
    assert spec.by is not None
    assert spec.numerator is not None
    dims = list(spec.disaggregations)
    frame = reader.measure(spec.numerator, (spec.by, *dims), spec.levels)
    parts = categories(spec, reader, frame).filter(pl.col("value") > 0)
    keys = ["period", "region", "level", *dims]
    grouped = parts.group_by(keys).agg(
        pl.col("value").alias("counts"),
        pl.col("value").filter(~pl.col(spec.by).str.starts_with("_")).alias("ranked"),
        worst_status(),
    )
    values: list[float] = []
    numerators: list[float | None] = []
    denominators: list[float] = []
    k = spec.params.top
    for counts, ranked in zip(grouped["counts"].to_list(), grouped["ranked"].to_list(),
                              strict=True):
        total = float(sum(counts))
        denominators.append(total)
        if spec.kind == "diversity_shannon":
            values.append(indices.shannon(counts, normalised=spec.params.normalised))
            numerators.append(None)
        elif spec.kind == "diversity_simpson":
            values.append(indices.simpson(counts))
            numerators.append(None)
        else:
            top = float(sum(sorted(ranked, reverse=True)[:k]))
            values.append(top / total * spec.scale)
            numerators.append(top)
    return grouped.drop("counts", "ranked").with_columns(
        pl.Series("value", values, dtype=pl.Float64),
        pl.Series("numerator", numerators, dtype=pl.Float64),
        pl.Series("denominator", denominators, dtype=pl.Float64),
    )


_INDEX: dict[str, Callable[[list[float], list[float]], float]] = {
    "dissimilarity": indices.dissimilarity,
    "isolation": indices.isolation,
    "exposure": indices.exposure,
}


def _covers(region: str, members: list[str]) -> bool:
    """Whether local governments ``members`` make up the whole province or nation."""
    if region != NATIONAL:
        return complete(region, "sigungu", frozenset(members))
    by_sido: dict[str, set[str]] = defaultdict(set)
    for code in members:
        by_sido[ancestor_at(code, "sido") or ""].add(code)
    return complete(NATIONAL, "sido", frozenset(by_sido)) and all(
        complete(sido, "sigungu", frozenset(codes)) for sido, codes in by_sido.items()
    )


def segregation(
    spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Dissimilarity, isolation or exposure across the local governments of a region.

    Computed only where two or more local governments read make up the whole region
    and the group is neither absent nor the whole population.
    """
    assert spec.numerator is not None
    assert spec.denominator is not None
    dims = list(spec.disaggregations)
    group = reader.measure(spec.numerator, dims, ("sigungu",))
    total = reader.measure(spec.denominator, dims, ("sigungu",))
    keys = [c for c in group.columns if c in total.columns and c not in ("value", "status")]
    units = group.join(total.select([*keys, "value", "status"]), on=keys, suffix="_t").filter(
        (pl.col("value_t") > 0) & (pl.col("value") <= pl.col("value_t"))
    )
    frames = []
    for level in spec.levels:
        parents = {c: (ancestor_at(c, "sido") or "") if level == "sido" else NATIONAL
                   for c in units["region"].unique().to_list()}
        grouped = (
            units.with_columns(
                pl.col("region").replace_strict(parents, return_dtype=pl.Utf8).alias("parent"),
                worst_of("status", "status_t").alias("status"),
            )
            .group_by(["period", "parent", *dims])
            .agg(pl.col("region").alias("members"), pl.col("value").alias("x"),
                 pl.col("value_t").alias("t"), worst_status())
        )
        rows = []
        for row in grouped.iter_rows(named=True):
            x, t = row["x"], row["t"]
            if len(x) < 2 or not 0 < sum(x) < sum(t) or not _covers(row["parent"], row["members"]):
                continue  # one unit (세종) or a partial region: no index
            rows.append({
                "period": row["period"], "region": row["parent"], "level": level,
                **{d: row[d] for d in dims},
                "value": _INDEX[spec.kind](x, t), "numerator": float(sum(x)),
                "denominator": float(sum(t)), "status": row["status"],
            })
        schema = {"period": pl.Utf8, "region": pl.Utf8, "level": pl.Utf8,
                  **{d: pl.Utf8 for d in dims}, **_SCHEMA, "status": pl.Utf8}
        frames.append(pl.DataFrame(rows, schema=schema, orient="row"))
    return pl.concat(frames)


def rank(spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Rank (1 = highest) of another indicator among peers, ties sharing the best rank."""
    source = done[spec.params.of or ""]
    on = spec.params.rank_on
    rows = source.filter(pl.col("level").is_in(list(spec.levels)) & pl.col(on).is_not_null())
    dims = [c for c in rows.columns if c not in _FIXED]
    codes = rows["region"].unique().to_list()
    rows = rows.with_columns(
        pl.col("region").replace_strict({c: peer_kind(c) for c in codes}, default=None,
                                        return_dtype=pl.Utf8).alias("kind")
    )
    frames = []
    for peer in spec.params.peers:
        members = rows if peer == "all" else rows.filter(pl.col("kind") == peer)
        frames.append(
            members.with_columns(
                pl.col(on).rank(method="min", descending=True).over(["period", *dims])
                .cast(pl.Float64).alias("value"),
                pl.lit(peer).alias("peer_group"),
            )
        )
    return pl.concat(frames).select(
        "period", "region", "level", *dims, "peer_group", "value", "numerator", "denominator",
        "status",
    )


#: engine columns that are not breakdown dimensions
_FIXED = frozenset({"indicator", "period", "region", "level", "value", "unit", "numerator",
                    "denominator", "status", "sources"})

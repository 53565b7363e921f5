"""Computing declared indicators for every region, period and breakdown the data allow.

:func:`compute_indicators` reads each indicator's measures from the evidence base,
applies its kind's formula (:mod:`~migralink.indicators.kinds`,
:mod:`~migralink.indicators.kinds_dist`) and returns one long frame. Ranks are computed
after the indicators they rank. An indicator whose datasets are not in the evidence
base is left out (or, when asked for by id, refused).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl

from migralink.errors import QueryError
from migralink.evidence import Evidence
from migralink.indicators import kinds, kinds_dist
from migralink.indicators.catalogue import load_catalogue
from migralink.indicators.reader import Reader
from migralink.indicators.spec import Catalogue, IndicatorSpec

__all__ = ["BASE_COLUMNS", "TAIL_COLUMNS", "compute_indicators", "evidence_datasets"]

#: The columns every row has, before and after its breakdown columns.
BASE_COLUMNS: tuple[str, ...] = ("indicator", "period", "region", "level")
TAIL_COLUMNS: tuple[str, ...] = ("value", "unit", "numerator", "denominator", "status",
                                 "sources")

Kind = Callable[[IndicatorSpec, Reader, dict[str, pl.DataFrame]], pl.DataFrame]
_KINDS: dict[str, Kind] = {
    "ratio": kinds.ratio,
    "yoy_change": kinds.yoy_change,
    "cagr": kinds.cagr,
    "composition": kinds.composition,
    "sex_ratio": kinds.sex_ratio,
    "location_quotient": kinds.location_quotient,
    "share_of_national": kinds.share_of_national,
    "threshold_flag": kinds.threshold_flag,
    "diversity_shannon": kinds_dist.diversity,
    "diversity_simpson": kinds_dist.diversity,
    "top_share": kinds_dist.diversity,
    "dissimilarity": kinds_dist.segregation,
    "isolation": kinds_dist.segregation,
    "exposure": kinds_dist.segregation,
    "rank": kinds_dist.rank,
}


def evidence_datasets(ev: Evidence) -> dict[str, tuple[str, ...]]:
    """Dataset id → dimensions of the datasets in an evidence base."""
    return {d.id: d.dimensions[2:] for d in ev.datasets()}


def compute_indicators(
    ev: Evidence,
    catalogue: Catalogue | None = None,
    ids: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Every declared indicator, for every region, period and breakdown the data allow.

    Args:
        ev: the evidence base read.
        catalogue: the indicators (default: the built-in catalogue).
        ids: only these indicators (and what they rank); default all whose datasets
            are in the evidence base.

    Returns:
        One row per indicator value: ``indicator, period, region, level``, one column per
        breakdown dimension (``group``, ``sex``, ``nationality``, ``peer_group``… null
        where an indicator has no such breakdown; ``_T`` is the total), then ``value,
        unit, numerator, denominator, status`` and ``sources`` (the dataset versions
        read). Numerator and denominator are the counts a rate is made of (null where
        an index has none). A period ``2015/2019`` is the span of a compound growth rate.

    Raises:
        QueryError: an indicator asked for by id is unknown or its data are missing.
    """
    cat = catalogue or load_catalogue(datasets=evidence_datasets(ev))
    reader = Reader(ev)
    wanted = _chosen(cat, ids, reader)
    needed = list(wanted)
    for spec in wanted:  # a rank needs what it ranks, computed first
        if spec.kind == "rank" and spec.params.of not in {s.id for s in needed}:
            needed.insert(0, cat.get(spec.params.of or ""))
    ordered = [s for s in needed if s.kind != "rank"] + [s for s in needed if s.kind == "rank"]
    done: dict[str, pl.DataFrame] = {}
    sources: dict[str, str] = {}
    for spec in ordered:
        try:
            done[spec.id] = _KINDS[spec.kind](spec, reader, done)
        except QueryError as exc:  # say which declaration could not be computed
            raise QueryError(title=f"indicator {spec.id!r}: {exc.title}", hint=exc.hint,
                             details=exc.details) from exc
        if spec.kind == "rank":
            sources[spec.id] = sources[spec.params.of or ""]
        else:
            sources[spec.id] = "; ".join(f"{d} v{reader.versions[d]}" for d in spec.datasets)
    frames = [
        done[s.id].with_columns(
            pl.lit(s.id).alias("indicator"),
            pl.lit(s.unit).alias("unit"),
            pl.lit(sources[s.id]).alias("sources"),
        )
        for s in wanted
        if done[s.id].height
    ]
    return _assemble(frames)


def _chosen(cat: Catalogue, ids: Iterable[str] | None, reader: Reader) -> list[IndicatorSpec]:
    if ids is None:
        usable = []
        for spec in cat.indicators:
            base = cat.get(spec.params.of or "") if spec.kind == "rank" else spec
            if reader.available(base.datasets):
                usable.append(spec)
        return usable
    chosen = []
    for ident in ids:
        try:
            spec = cat.get(ident)
        except KeyError:
            raise QueryError(
                title=f"no indicator {ident!r} in the catalogue",
                hint=f"known indicators: {', '.join(cat.ids)}",
            ) from None
        base = cat.get(spec.params.of or "") if spec.kind == "rank" else spec
        if not reader.available(base.datasets):
            raise QueryError(
                title=f"indicator {ident!r} reads {', '.join(base.datasets)}, "
                "not all of which are in the evidence base",
                hint="ingest the tables it reads first (migralink ingest FILE…)",
            )
        chosen.append(spec)
    return chosen


def _assemble(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """One frame: fixed columns first, breakdown columns (sorted) between."""
    if not frames:
        schema = {c: pl.Utf8 for c in BASE_COLUMNS} | {
            "value": pl.Float64, "unit": pl.Utf8, "numerator": pl.Float64,
            "denominator": pl.Float64, "status": pl.Utf8, "sources": pl.Utf8,
        }
        return pl.DataFrame(schema=schema)
    frame = pl.concat(frames, how="diagonal_relaxed")
    dims = sorted(c for c in frame.columns if c not in {*BASE_COLUMNS, *TAIL_COLUMNS})
    frame = frame.select(*BASE_COLUMNS, *dims, *TAIL_COLUMNS).with_columns(
        pl.col("value", "numerator", "denominator").cast(pl.Float64)
    )
    return frame.sort([*BASE_COLUMNS[:3], *dims], nulls_last=True)

"""Answering a cube query: resolve names and codes, plan, build SQL, run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import polars as pl

from migralink.codes.hierarchy import NATIONAL, ancestor_table, descendants
from migralink.codes.lookup import resolve_code
from migralink.errors import CodeError, QueryError
from migralink.store.catalog import VersionRef, resolve_version
from migralink.store.gateway import Gateway
from migralink.store.query_sql import QueryPlan, build_query
from migralink.store.weights import apply_population_weights, population_by_region

__all__ = ["QueryResult", "QuerySpec", "run_query"]


@dataclass(frozen=True)
class QuerySpec:
    """A cube query, as ``migralink query`` and the API take it.

    Attributes:
        dataset: dataset id.
        version: a version number, or ``None`` for the latest.
        periods: periods to keep (a year also selects its months and quarters).
        region: a MOIS code, ``kostat:31``, or a Korean or English name.
        filters: ``(dimension, code)`` pairs; a label is accepted where it resolves.
        by: dimensions to keep (``region`` included); the others are summed over.
        boundaries: read regions on the boundaries valid at the end of this year.
    """

    dataset: str
    version: int | None = None
    periods: tuple[str, ...] = ()
    region: str | None = None
    filters: tuple[tuple[str, str], ...] = ()
    by: tuple[str, ...] = ()
    boundaries: int | None = None


@dataclass(frozen=True)
class QueryResult:
    """Rows of a query with the dataset version they were read from."""

    dataset: str
    version: int
    frame: pl.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, object]:
        """``{"dataset", "version", "rows": [{<dims>, "value", "status"}]}``."""
        rows = [
            {k: (int(v) if k == "value" and v is not None and float(v).is_integer() else v)
             for k, v in row.items()}
            for row in self.frame.iter_rows(named=True)
        ]
        return {"dataset": self.dataset, "version": self.version, "rows": rows}


def run_query(gw: Gateway, spec: QuerySpec) -> QueryResult:
    """Run ``spec`` against the store.

    Raises:
        QueryError: unknown dataset, dimension or code; CodeError for an unknown or
            ambiguous region.
    """
    ref = resolve_version(gw, spec.dataset, spec.version)
    for dim in spec.by:
        if dim not in ("region", "period", *ref.dimensions):
            raise QueryError(
                title=f"dataset {ref.dataset_id!r} has no dimension {dim!r}",
                hint=f"its dimensions are period, region, {', '.join(ref.dimensions)}",
            )
    filters = tuple((dim, _resolve_filter(gw, ref, dim, code)) for dim, code in spec.filters)
    region = _resolve_region(spec.region, ref, spec.boundaries) if spec.region else None
    notes: list[str] = []
    remap: tuple[str, str] | None = None
    if spec.boundaries is not None:
        remap = _register_remap(gw, spec.boundaries, ref)
        notes.append(f"regions read on the boundaries of 31 December {spec.boundaries}")
    plan = QueryPlan(
        table=ref.table_name,
        dimensions=ref.dimensions,
        periods=spec.periods,
        region=region,
        region_members=tuple(sorted(descendants(region))) if region else (),
        filters=filters,
        totals=tuple(ref.totals.items()),
        by=tuple(d for d in spec.by if d != "period"),
        remap_table=remap[0] if remap else None,
        ancestors_table=remap[1] if remap else None,
        totals_stored=ref.totals_stored,
    )
    sql, params = build_query(plan)
    try:
        frame = gw.polars(sql, params)
    finally:
        if remap:
            for name in remap:
                gw.unregister(name)
    return QueryResult(ref.dataset_id, ref.version, _counts_as_integers(frame), tuple(notes))


def _counts_as_integers(frame: pl.DataFrame) -> pl.DataFrame:
    """Counts read as whole numbers; estimates from split weights stay decimal."""
    values = frame["value"].drop_nulls()
    if values.len() and (values == values.round(0)).all():
        return frame.with_columns(pl.col("value").cast(pl.Int64))
    return frame


def _resolve_region(text: str, ref: VersionRef, boundaries: int | None) -> str:
    """The region asked for, on the boundaries the query reads (a name, a code, kostat:)."""
    if ref.region_system == "m49":
        return _resolve_m49(text)
    if text.strip().upper() in {"KR", "KOR", "00", "전국"}:
        return NATIONAL
    from migralink.codes.regions import is_valid, resolve_region

    if boundaries is None:
        return str(resolve_region(text))
    day = date(boundaries, 12, 31)
    code = str(resolve_region(text, day))
    if is_valid(code, day):
        return code
    # a code of another year (51 asked on 2018 boundaries): its unit on those boundaries
    remap = _remap_by_year(boundaries).filter(pl.col("from_code") == code)
    if remap.is_empty():
        return code
    return str(remap.sort(["from_year", "weight"], descending=True)["to_code"][0])


def _resolve_m49(text: str) -> str:
    """A UN M49 code from itself, an ISO 3166-1 code, or an English or Korean name."""
    cleaned = text.strip()
    if cleaned.isdigit():
        return cleaned.zfill(3)
    from migralink.codes.nationalities import nationality_table

    table = nationality_table()
    for column in ("iso3", "iso2", "name_en", "name_ko"):
        found = table.filter(pl.col(column).str.to_lowercase() == cleaned.lower())
        if found.height and found["numeric"][0]:
            return str(found["numeric"][0]).zfill(3)
    raise CodeError(
        title=f"{text!r} is not a country or area of the UN M49 list",
        hint="give the M49 number (410 for the Republic of Korea) or an ISO code (KOR)",
    )


def _resolve_filter(gw: Gateway, ref: VersionRef, dim: str, text: str) -> str:
    if dim not in ref.dimensions:
        raise QueryError(
            title=f"dataset {ref.dataset_id!r} has no dimension {dim!r} to filter on",
            hint=f"its dimensions are {', '.join(ref.dimensions) or 'period and region only'}",
        )
    codes = {
        r[0]: r[1]
        for r in gw.rows(
            "SELECT code, label FROM ml_code WHERE dataset_id = ? AND version = ? "
            "AND dimension = ?",
            [ref.dataset_id, ref.version, dim],
        )
    }
    if text in codes:
        return text
    by_label = [c for c, label in codes.items() if label == text]
    if len(by_label) == 1:
        return str(by_label[0])
    codelist = ref.codelists.get(dim)
    if codelist:
        try:
            code = resolve_code(codelist, text)
        except CodeError:
            code = None
        if code is not None and code in codes:
            return code
    shown = ", ".join(f"{c} ({label})" if label != c else c for c, label in sorted(codes.items()))
    raise QueryError(
        title=f"{text!r} is not a code of {dim} in {ref.dataset_id!r}",
        hint=f"its codes are: {shown[:600]}",
    )


def _register_remap(gw: Gateway, year: int, ref: VersionRef) -> tuple[str, str]:
    """Register the remap and ancestor tables for reading on ``year``'s boundaries."""
    if ref.region_system != "mois":
        raise QueryError(
            title="--boundaries applies to Korean regions only",
            hint=f"dataset {ref.dataset_id!r} is not coded by MOIS regions",
        )
    from migralink.codes.boundaries import HISTORY_END, HISTORY_START

    first, last = HISTORY_START.year, HISTORY_END.year
    if not first <= year <= last:
        raise QueryError(
            title=f"no boundaries for {year}",
            hint=f"the code history shipped with migralink covers {first} to {last}",
        )
    remap = apply_population_weights(_remap_by_year(year), population_by_region(gw))
    # a unit that receives an inexact share (대구 gaining 군위 in 2023) is itself inexact:
    # its own figure lacks the part, so finer rows must rebuild it where they can
    remap = remap.with_columns(pl.col("exact").all().over(["from_year", "to_code"]))
    gw.register("ml_remap", remap.select("from_year", "from_code", "to_code", "weight", "exact"))
    gw.register("ml_ancestors", ancestor_table())
    return "ml_remap", "ml_ancestors"


@lru_cache(maxsize=8)
def _remap_by_year(year: int) -> pl.DataFrame:
    from migralink.codes.boundaries import remap_table_by_year

    return remap_table_by_year(year)

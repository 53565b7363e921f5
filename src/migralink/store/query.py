"""Answering a cube query: resolve names and codes, plan, build SQL, run."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from migralink.codes.hierarchy import NATIONAL, descendants, is_national
from migralink.codes.lookup import resolve_code, same_unit_codes
from migralink.errors import CodeError, QueryError
from migralink.model import Measure
from migralink.store.catalogue_read import VersionRef, code_labels, rejected_rows, resolve_version
from migralink.store.country_parts import country_part_notes
from migralink.store.coverage import check_national_sum
from migralink.store.empty import nothing_matched
from migralink.store.gateway import Gateway
from migralink.store.levels import (
    ancestors_of,
    check_level,
    default_level,
    level_units,
    user_level,
)
from migralink.store.query_sql import (
    QueryPlan,
    build_query,
    distinct_regions_sql,
)
from migralink.store.redraw import left_out, register_remap, remap_by_year

__all__ = ["QueryResult", "QuerySpec", "run_query"]


@dataclass(frozen=True)
class QuerySpec:
    """A cube query, as ``migralink query`` and the API take it.

    Attributes:
        dataset: dataset id.
        version: a version number, or ``None`` for the latest.
        periods: periods to keep (a year also selects its months and quarters).
        region: a MOIS code, ``kostat:31``, or a Korean or English name; without
            ``boundaries`` every code the unit has had is read (강원도: 42 and 51).
        filters: ``(dimension, code)`` pairs; a label is accepted where it resolves;
            several codes of one dimension keep each.
        by: dimensions to keep (``region`` included); the others are summed over.
        boundaries: read regions on the boundaries valid at the end of this year.
        level: ``sido``, ``sigungu`` or ``district``: the level of the regions of a
            query by region (implies ``by`` region); by default ``sigungu`` where the
            data have it.
        measure: which measure of the dataset answers as ``value`` (default: its main
            one, ``value``).
    """

    dataset: str
    version: int | None = None
    periods: tuple[str, ...] = ()
    region: str | None = None
    filters: tuple[tuple[str, str], ...] = ()
    by: tuple[str, ...] = ()
    boundaries: int | None = None
    level: str | None = None
    measure: str | None = None


@dataclass(frozen=True)
class QueryResult:
    """Rows of a query with the dataset version they were read from."""

    dataset: str
    version: int
    frame: pl.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: rows of the version's source were rejected at ingest: a sum over them is short
    incomplete: bool = False

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
        QueryError: unknown dataset, dimension, code or period; a sum of a measure that
            does not add up; nothing in the data matches. CodeError for an unknown or
            ambiguous region.
    """
    ref = resolve_version(gw, spec.dataset, spec.version)
    by = spec.by + (("region",) if spec.level and "region" not in spec.by else ())
    for dim in by:
        if dim not in ("region", "period", *ref.dimensions):
            raise QueryError(
                title=f"dataset {ref.dataset_id!r} has no dimension {dim!r}",
                hint=f"its dimensions are period, region, {', '.join(ref.dimensions)}",
            )
    _check_periods(ref, spec.periods)
    filters = tuple(dict.fromkeys(
        (dim, _resolve_filter(gw, ref, dim, code)) for dim, code in spec.filters))
    measure = _measure(ref, spec.measure)
    _refuse_mixed_quantities(gw, ref, by, filters)
    additive = measure.additive
    if not additive:
        _refuse_sums(ref, by, filters, measure)
    regions = _regions_asked(gw, spec, ref, by)
    notes = country_part_notes(gw, ref, filters)
    remap: tuple[str, str] | None = None
    if spec.boundaries is not None:
        remap = register_remap(gw, spec.boundaries, ref)
        notes.append(f"regions read on the boundaries of 31 December {spec.boundaries}")
    # a measure that does not add up is never rolled up: its rows are read as stored
    levels = _register_levels(gw, ref, spec, by, remap is not None) if (
        additive or spec.level) else None
    if levels:
        notes.append(f"regions at {levels[0]} level (level: sido, sigungu or district)")
    frames = []
    try:
        for region in regions:
            plan = QueryPlan(
                table=ref.table_name,
                dimensions=ref.dimensions,
                periods=spec.periods,
                region=region,
                region_members=tuple(sorted(descendants(region))) if region else (),
                filters=filters,
                totals=tuple(ref.totals.items()),
                by=tuple(d for d in by if d != "period"),
                remap_table=remap[0] if remap else None,
                ancestors_table=remap[1] if remap else None,
                totals_stored=ref.totals_stored,
                level_table=levels[1] if levels else None,
                level_ancestors=levels[2] if levels else None,
                measure=measure.id,
            )
            sql, params = build_query(plan)
            frames.append(gw.polars(sql, params))
    finally:
        for name in (*(remap or ()), *(levels[1:] if levels else ())):
            gw.unregister(name)
    frame = pl.concat(frames).unique(maintain_order=True) if len(frames) > 1 else frames[0]
    if len(frames) > 1:
        frame = frame.sort([c for c in ("period", "region") if c in frame.columns])
    if not additive and frame.height and int(frame["n_rows"].max()) > 1:  # type: ignore[arg-type]
        raise _sum_error(ref, measure, "region", "--by region or --region CODE")
    frame = frame.drop("n_rows")
    if "region" in by and "level" not in frame.columns and ref.region_system == "mois":
        frame = frame.with_columns(
            pl.col("region").map_elements(user_level, return_dtype=pl.Utf8).alias("level"))
        frame = frame.select("period", "region", "level",
                             *(c for c in frame.columns if c not in ("period", "region", "level")))
    left_out(spec.boundaries, spec.periods, regions, by, frame, notes)
    if frame.is_empty():
        raise nothing_matched(gw, ref, spec, regions, run_query)
    return _answer(gw, ref, frame, notes)


def _answer(gw: Gateway, ref: VersionRef, frame: pl.DataFrame, notes: list[str]
            ) -> QueryResult:
    """The result, with a note where the version's source lost rows at ingest."""
    rejected = rejected_rows(gw, ref)
    if rejected:  # the file landed with --allow-rejects: a total here is short of them
        notes.append(f"{rejected} row(s) of this version's source were rejected at ingest "
                     "(ml_quarantine) and are not counted: totals that include them are "
                     "incomplete")
    return QueryResult(ref.dataset_id, ref.version, _counts_as_integers(frame), tuple(notes),
                       incomplete=bool(rejected))


def _check_periods(ref: VersionRef, periods: tuple[str, ...]) -> None:
    """Every period asked must be in the data (a year also matches its months)."""
    missing = [p for p in periods if not any(
        d == p or d.startswith(f"{p}-") for d in ref.periods)]
    if missing and ref.periods:
        held = ref.periods
        shown = ", ".join(held) if len(held) <= 12 else f"{held[0]} … {held[-1]} ({len(held)})"
        raise QueryError(
            title=f"{ref.dataset_id!r} has no period {', '.join(missing)}",
            hint=f"its periods are: {shown}",
        )


def _measure(ref: VersionRef, wanted: str | None) -> Measure:
    """The measure asked for (the main one by default)."""
    if wanted is None:
        return ref.measures[0]
    for m in ref.measures:
        if m.id == wanted:
            return m
    raise QueryError(
        title=f"{ref.dataset_id!r} has no measure {wanted!r}",
        hint=f"its measures are {', '.join(m.id for m in ref.measures)}",
    )


def _refuse_sums(ref: VersionRef, by: tuple[str, ...], filters: tuple[tuple[str, str], ...],
                 measure: Measure) -> None:
    """A measure that does not add up may not be summed over a dimension."""
    kept = {*by, *(d for d, _ in filters), *ref.totals}
    for dim in ref.dimensions:
        if dim not in kept:
            raise _sum_error(ref, measure, dim, f"--by {dim} or --filter {dim}=CODE")


def _refuse_mixed_quantities(gw: Gateway, ref: VersionRef, by: tuple[str, ...],
                             filters: tuple[tuple[str, str], ...]) -> None:
    """A dimension of different quantities (applied, granted) is never summed over."""
    kept = {*by, *(d for d, _ in filters)}
    for dim in ref.kept_apart:
        if dim not in kept:
            codes = ", ".join(sorted(code_labels(gw, ref.dataset_id, ref.version, dim)))
            raise QueryError(
                title=f"{ref.dataset_id!r}: the codes of {dim} ({codes}) are different "
                "quantities, which are not added up",
                hint=f"keep {dim} apart with --by {dim} or --filter {dim}=CODE "
                f"(by={dim} or filter={dim}:CODE in the API)",
            )


def _sum_error(ref: VersionRef, measure: Measure, dim: str, fix: str) -> QueryError:
    return QueryError(
        title=f"{ref.dataset_id!r} holds {measure.value_kind} values in {measure.id} "
        f"({measure.unit or 'no unit'}), which cannot be added up over {dim}",
        hint=f"keep {dim} apart with {fix}",
    )


def _regions_asked(gw: Gateway, spec: QuerySpec, ref: VersionRef, by: tuple[str, ...]
                   ) -> list[str | None]:
    """The region codes a query reads: every code of the unit through its history
    (``None``: the nation, where the table's regions add up to it)."""
    region = _resolve_region(spec.region, ref, spec.boundaries) if spec.region else None
    if region in (None, NATIONAL) and "region" not in by:  # the sum is the nation's
        check_national_sum(gw, ref, spec.periods)
    if region is None:
        return [None]
    if spec.boundaries is not None or ref.region_system != "mois":
        return [region]
    return list(same_unit_codes(region))


def _register_levels(
    gw: Gateway, ref: VersionRef, spec: QuerySpec, by: tuple[str, ...], remapped: bool
) -> tuple[str, str, str] | None:
    """Register the unit and ancestor tables of the level a query by region answers at."""
    if "region" not in by or ref.region_system != "mois":
        return None
    codes = set(_stored_regions(gw, ref.table_name))
    level = check_level(spec.level) if spec.level else default_level(codes)
    if remapped:  # the units the rows are read as
        codes |= set(remap_by_year(spec.boundaries or 0)["to_code"].to_list())
    if level is None:
        return None
    gw.register("ml_level_units", level_units(codes, level))
    gw.register("ml_level_ancestors", ancestors_of(codes))
    return level, "ml_level_units", "ml_level_ancestors"


def _stored_regions(gw: Gateway, table: str) -> list[str]:
    return [r[0] for r in gw.rows(distinct_regions_sql(table))]


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
    if is_national(text):
        return NATIONAL
    from migralink.codes.regions import is_valid, resolve_region

    if boundaries is None:
        return str(resolve_region(text))
    day = date(boundaries, 12, 31)
    code = str(resolve_region(text, day))
    if is_valid(code, day):
        return code
    # a code of another year (51 asked on 2018 boundaries): its unit on those boundaries
    remap = remap_by_year(boundaries).filter(pl.col("from_code") == code)
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


def _resolve_filter(gw: Gateway, ref: VersionRef, dim: str, text: str,
                    codes: dict[str, str] | None = None) -> str:
    """The code ``text`` names among ``codes`` (``{code: label}``; default: the
    version's stored codes)."""
    text = unicodedata.normalize("NFC", text)  # decomposed Hangul (NFD) matches no label
    if dim not in ref.dimensions:
        raise QueryError(
            title=f"dataset {ref.dataset_id!r} has no dimension {dim!r} to filter on",
            hint=f"its dimensions are {', '.join(ref.dimensions) or 'period and region only'}",
        )
    if codes is None:
        codes = code_labels(gw, ref.dataset_id, ref.version, dim)
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

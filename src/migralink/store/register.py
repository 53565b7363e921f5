"""Aggregating a person-level register into the cube, with every margin stored.

A register has one row per person: a MOIS sigungu code in ``region`` and one column per
dimension (nationality, residence status, sex, age group...). :func:`aggregate_register`
counts it at every level of disaggregation in one DuckDB statement,
``GROUP BY ROLLUP(sido, region), CUBE(<dimensions>)``: every combination of dimensions,
each for every sigungu, for every sido and for the nation. A dimension that is summed
over is written with the SDMX total code ``_T``; the region as its sido (the first two
digits of the sigungu code) and then as ``"00"``.

Unlike a published table, whose margins may be missing or inconsistent, such a cube
holds every margin and they add up exactly. The dataset is marked ``totals_stored`` and
each dimension's total code is ``_T``, so that a query reads the margin rows instead of
summing (see :mod:`migralink.store.query_sql`), and so that disclosure control can
suppress cells consistently across the whole hierarchy of the table.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from migralink.codes.hierarchy import NATIONAL
from migralink.codes.lookup import is_known_region
from migralink.errors import StoreError, ValidationError
from migralink.model import DatasetMeta, DimensionMeta
from migralink.store.catalogue import (
    NewVersion,
    SourceRecord,
    ensure_schema,
    find_source,
    write_version,
)
from migralink.store.gateway import Gateway
from migralink.store.ingest import IngestResult
from migralink.store.sql import quote_ident

__all__ = ["TOTAL", "aggregate_register", "cube_insert_sql", "fingerprint_sql"]

#: SDMX code of a dimension summed over.
TOTAL = "_T"
#: Columns of an observation table (or internal to the aggregation) that a register's
#: dimension cannot be called.
_RESERVED = frozenset(
    {"period", "region", "value", "status", "top", "src", "source_row", "_sido"}
)
# Version of the aggregation's definition: part of the "mapping" hash, so that a change
# to how the cube is computed makes a new version of an already aggregated register.
_AGGREGATION = "register-cube/1"
_SHOWN = 5  # offending codes shown in an error message


def aggregate_register(
    gw: Gateway,
    relation_sql: str,
    dims: Sequence[str | DimensionMeta],
    meta: DatasetMeta,
    *,
    period: str,
    source: str | None = None,
) -> IngestResult:
    """Count a register at every level of disaggregation, as a new version of a dataset.

    The new version carries forward the other periods of the previous one (versions are
    cumulative, as in :func:`~migralink.store.ingest.store_table`); the same register,
    dimensions and period again is a no-op. Everything is written in one transaction.

    Args:
        gw: the evidence base.
        relation_sql: the register, as SQL that can follow ``FROM``: a table or view
            name, ``read_parquet('…')``, or a query. It must have a ``region`` column
            of 5-digit MOIS sigungu codes and a column per dimension.
        dims: the dimensions to count by (names, or :class:`DimensionMeta` to give
            titles and code lists), in the order of the cube's columns.
        meta: the dataset's catalogue entry; its ``region_system`` must be ``mois``.
        period: the period the register describes (``"2024"``, ``"2024-06"``).
        source: what identifies the register's content (a file name and its sha256, a
            generator and its seed); its sha256 is the version's source. Without it,
            DuckDB computes a fingerprint of the rows, at the cost of one more scan.

    Returns:
        What was done; ``observations`` is the number of cells of the new version.

    Raises:
        StoreError: the dataset exists with other dimensions, or from a published
            table; a bad dimension name.
        ValidationError: the register is empty, or has a missing value, the code
            ``_T`` in a dimension, or a region that is not a MOIS sigungu code.
    """
    dimensions = _dimension_metas(dims)
    if meta.region_system != "mois":
        raise StoreError(
            title=f"dataset {meta.id!r} is coded by {meta.region_system} regions",
            hint="a register is aggregated over MOIS region codes (sigungu → sido → 00)",
        )
    ensure_schema(gw)
    ids = [d.id for d in dimensions]
    if source is None:  # the rows identify the register, wherever it is read from
        count, digest = gw.rows(fingerprint_sql(relation_sql, ids))[0]
        identity, label = f"register rows={count} fingerprint={digest}", relation_sql
    else:
        identity = label = source
    source_sha = hashlib.sha256(identity.encode()).hexdigest()
    spec = {"aggregation": _AGGREGATION, "dimensions": ids, "period": period}
    mapping_sha = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    known = find_source(gw, meta.id, source_sha, mapping_sha)
    if known is not None:
        return IngestResult(meta.id, known, False, 0, label, notes=("already ingested",))
    version, observations, persons = _write_version(
        gw, relation_sql, dimensions, meta, period, label, (source_sha, mapping_sha)
    )
    note = f"{persons} persons counted at every level of {', '.join(['region', *ids])}"
    return IngestResult(meta.id, version, True, observations, label, notes=(note,))


def cube_insert_sql(table: str, relation_sql: str, dims: Sequence[str]) -> str:
    """``INSERT`` of the whole cube of a register into an observation table.

    Parameter: the period. ``src`` is left NULL: every cell of a register version comes
    from the one source its ``ml_version``/``ml_source`` rows name, and a constant text
    column costs DuckDB about a quarter of a microsecond per cell (measured). A cell whose
    code cannot be stored gets a ``NULL`` code, which :func:`aggregate_register` then
    reports: a missing value, a dimension value equal to the total code ``_T``, a region
    that is not 5 digits. Checking the codes of the output cells rather than the persons
    keeps the check off the scan of the register.
    """
    inner = "".join(f", CAST({quote_ident(d)} AS VARCHAR) AS {quote_ident(d)}" for d in dims)
    codes = "".join(
        f", CASE WHEN grouping({q}) = 1 THEN '{TOTAL}' WHEN {q} <> '{TOTAL}' THEN {q} END AS {q}"
        for q in map(quote_ident, dims)
    )
    group = "ROLLUP(_sido, region)" + (
        f", CUBE({', '.join(map(quote_ident, dims))})" if dims else ""
    )
    return (
        f"INSERT INTO {quote_ident(table)} SELECT ?::VARCHAR AS period, "
        f"CASE WHEN grouping(_sido) = 1 THEN '{NATIONAL}' WHEN grouping(region) = 1 THEN _sido "
        "WHEN regexp_full_match(region, '[0-9]{5}') THEN region END AS region"
        f"{codes}, count(*) AS value, 'A' AS status, grouping(_sido) = 1 AS top, "
        "NULL AS src, NULL AS source_row "
        "FROM (SELECT left(CAST(region AS VARCHAR), 2) AS _sido, "
        f"CAST(region AS VARCHAR) AS region{inner} FROM {_relation(relation_sql)}) AS reg "
        f"GROUP BY {group}"
    )


def fingerprint_sql(relation_sql: str, dims: Sequence[str]) -> str:
    """Row count and an order-independent hash of the register's counted columns.

    The hashes of the rows are added (not xor-ed), so that two identical persons do not
    cancel out.
    """
    columns = ", ".join(
        f"CAST({quote_ident(c)} AS VARCHAR)" for c in ("region", *dims)
    )
    return (
        f"SELECT count(*), coalesce(sum(hash({columns})::HUGEINT), 0)::VARCHAR "
        f"FROM {_relation(relation_sql)}"
    )


def _relation(relation_sql: str) -> str:
    text = relation_sql.strip()
    if re.match(r"(?is)(select|with|from)\b", text):
        text = f"({text})"  # a query becomes a subquery
    return f"{text} AS register"


def _dimension_metas(dims: Sequence[str | DimensionMeta]) -> tuple[DimensionMeta, ...]:
    metas = tuple(
        replace(d, total=TOTAL) if isinstance(d, DimensionMeta) else DimensionMeta(d, total=TOTAL)
        for d in dims
    )
    ids = [d.id for d in metas]
    for dim in ids:
        try:
            quote_ident(dim)
        except ValueError as exc:
            raise StoreError(
                title=f"{dim!r} cannot name a dimension",
                hint="use letters, digits and underscores, not starting with a digit",
            ) from exc
    clash = sorted(_RESERVED.intersection(ids) | {d for d in ids if ids.count(d) > 1})
    if clash:
        raise StoreError(
            title=f"dimension names reserved or repeated: {', '.join(clash)}",
            hint="give each dimension its own name, other than the columns of the cube "
            f"({', '.join(sorted(_RESERVED - {'_sido'}))})",
        )
    return metas


def _write_version(
    gw: Gateway,
    relation_sql: str,
    dimensions: tuple[DimensionMeta, ...],
    meta: DatasetMeta,
    period: str,
    label: str,
    shas: tuple[str, str],
) -> tuple[int, int, int]:
    """Write the version; returns its number, its cell count and the persons counted.

    ``label`` names the register in ``ml_source.file_name``; ``shas`` are the source
    and "mapping" (aggregation spec) sha256. The catalogue writes it, protected.
    """
    ids = [d.id for d in dimensions]
    counted: list[int] = []  # the persons, known once the cube is filled

    def fill(gw: Gateway, name: str) -> tuple[Mapping[str, Mapping[str, str]], int]:
        gw.execute(cube_insert_sql(name, relation_sql, ids), [period])
        codes = _codes(gw, name, ids, relation_sql)
        persons = gw.scalar(
            f"SELECT value FROM {quote_ident(name)} WHERE period = ? AND region = ?"
            + "".join(f" AND {quote_ident(d)} = '{TOTAL}'" for d in ids),
            [period, NATIONAL],
        )
        if not persons:
            raise ValidationError(
                title="the register has no rows", hint=f"check the relation {relation_sql!r}"
            )
        counted.append(int(persons))
        return {d: {c: "Total" if c == TOTAL else c for c in codes[d]} for d in ids}, persons

    written = write_version(gw, NewVersion(
        meta=meta, dimensions=dimensions,
        source=SourceRecord(label, shas[0], shas[1],
                            notes=(f"aggregated from a register: {relation_sql}",)),
        fill=fill, periods=(period,), sensitivity="protected", origin="register",
        totals_stored=True,
    ))
    return written.version, written.observations, counted[0]


def _codes(gw: Gateway, table: str, ids: list[str], relation_sql: str) -> dict[str, list[str]]:
    """The codes of each column of the new cube; a ``NULL`` code means a bad register."""
    found: dict[str, list[str]] = {}
    for column in ("region", *ids):
        values = [r[0] for r in gw.rows(f"SELECT DISTINCT {quote_ident(column)} FROM "
                                        f"{quote_ident(table)}")]
        unknown = [c for c in values if c is not None and column == "region"
                   and not is_known_region(c)]
        if None in values or unknown:
            raise _bad_codes(gw, column, relation_sql, unknown)
        found[column] = sorted(values)
    return found


def _bad_codes(gw: Gateway, column: str, relation_sql: str, unknown: list[str]) -> ValidationError:
    """The error for a column with codes that cannot be stored, with examples."""
    q = f"CAST({quote_ident(column)} AS VARCHAR)"
    bad = (
        f"{q} IS NULL OR NOT regexp_full_match({q}, '[0-9]{{5}}')"
        if column == "region" else f"{q} IS NULL OR {q} = '{TOTAL}'"
    )
    examples = unknown[:_SHOWN] or [
        repr(r[0]) for r in gw.rows(
            f"SELECT DISTINCT {q} FROM {_relation(relation_sql)} WHERE {bad} LIMIT {_SHOWN}"
        )
    ]
    what = (
        "5-digit MOIS sigungu codes" if column == "region"
        else f"codes (not missing, and not {TOTAL}, which stands for the total)"
    )
    return ValidationError(
        title=f"the register's {column} has values that are not {what}: "
        f"{', '.join(map(str, examples))}",
        hint="nothing was stored; recode those persons (an unknown value may take the "
        "SDMX code _U) and aggregate again",
    )

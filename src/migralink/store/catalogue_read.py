"""Readers of the catalogue: datasets, versions, sensitivity, measures, origin, lineage.

They read an evidence base of any schema: a file not yet migrated (opened read-only by
a server) is read as migration 2 would write it (a register's cube is protected, every
other dataset public, one count measure ``value``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from migralink.errors import QueryError
from migralink.model import DatasetRef, Measure, Sensitivity
from migralink.store import catalogue_sql as csql
from migralink.store.gateway import Gateway

__all__ = [
    "DatasetInfo",
    "Lineage",
    "VersionRef",
    "code_labels",
    "dataset_hint",
    "inputs_of",
    "latest_version",
    "lineage",
    "list_datasets",
    "measures_of",
    "origin_of",
    "rejected_rows",
    "resolve_version",
    "root_registers",
    "schema_version",
    "sensitivities",
    "sensitivity_of",
]


@dataclass(frozen=True)
class Lineage:
    """Where a dataset version comes from.

    Attributes:
        dataset: the version asked about.
        inputs: every version it was computed from, recursively (empty for a table read
            from a file or a register).
        roots: the inputs that have no inputs themselves (itself when it has none).
        registers: the register cubes among itself and its inputs: the persons behind
            every figure of the dataset, to protect jointly.
    """

    dataset: DatasetRef
    inputs: tuple[DatasetRef, ...]
    roots: tuple[DatasetRef, ...]
    registers: tuple[DatasetRef, ...]


def _table_exists(gw: Gateway, name: str) -> bool:
    return bool(gw.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))


def schema_version(gw: Gateway) -> int:
    """The catalogue schema of the file: 0 for an empty file, 1 before migrations."""
    if _table_exists(gw, "ml_schema"):
        return int(gw.scalar("SELECT max(version) FROM ml_schema") or 0)
    return 1 if _table_exists(gw, "ml_dataset") else 0


def latest_version(gw: Gateway, dataset: str) -> tuple[int, str] | None:
    """The latest version of a dataset and its observation table, or ``None``."""
    if schema_version(gw) == 0:
        return None
    rows = gw.rows(
        "SELECT version, table_name FROM ml_version WHERE dataset_id = ? "
        "ORDER BY version DESC LIMIT 1", [dataset])
    return (int(rows[0][0]), str(rows[0][1])) if rows else None


def _version(gw: Gateway, dataset: str, version: int | None) -> int:
    if version is not None:
        return version
    last = latest_version(gw, dataset)
    if last is None:
        raise QueryError(
            title=f"no dataset {dataset!r} in the evidence base",
            hint="see 'migralink datasets' for the datasets it holds",
        )
    return last[0]


def origin_of(gw: Gateway, dataset: str) -> str:
    """``published``, ``register``, ``derived`` or ``sample``."""
    if schema_version(gw) < 2:
        stored = gw.scalar("SELECT totals_stored FROM ml_dataset WHERE id = ?", [dataset])
        return "register" if stored else ("derived" if dataset == "indicators" else "published")
    return str(gw.scalar("SELECT origin FROM ml_dataset WHERE id = ?", [dataset]) or "published")


def sensitivity_of(gw: Gateway, dataset: str, version: int | None = None) -> Sensitivity:
    """``protected`` or ``public`` for a version of a dataset (the latest by default).

    Raises:
        QueryError: no such dataset, or no such version of it.
    """
    number = _version(gw, dataset, version)
    if schema_version(gw) < 2:
        return "protected" if origin_of(gw, dataset) == "register" else "public"
    found = gw.rows(
        "SELECT sensitivity FROM ml_version WHERE dataset_id = ? AND version = ?",
        [dataset, number])
    if not found:  # never "public" by default: a version that is not there is no answer
        raise QueryError(title=f"dataset {dataset!r} has no version {number}",
                         hint="see 'migralink datasets' for its latest version")
    return "protected" if found[0][0] == "protected" else "public"


def sensitivities(gw: Gateway) -> dict[str, Sensitivity]:
    """:func:`sensitivity_of` of every dataset's latest version, in one statement.

    For listings (a server's catalogue): one query instead of two per dataset.
    """
    if schema_version(gw) == 0:
        return {}
    if schema_version(gw) < 2:
        rows = gw.rows("SELECT id, totals_stored FROM ml_dataset")
        return {str(r[0]): "protected" if r[1] else "public" for r in rows}
    rows = gw.rows(
        "SELECT dataset_id, arg_max(sensitivity, version) FROM ml_version GROUP BY 1")
    return {str(r[0]): "protected" if r[1] == "protected" else "public" for r in rows}


def measures_of(gw: Gateway, dataset: str, version: int | None = None) -> tuple[Measure, ...]:
    """The measures of a version, ``value`` first."""
    number = _version(gw, dataset, version)
    if schema_version(gw) >= 2:
        rows = gw.rows(
            "SELECT id, title_ko, title_en, unit, value_kind FROM ml_measure "
            "WHERE dataset_id = ? AND version = ? ORDER BY position", [dataset, number])
        if rows:
            return tuple(Measure(r[0], r[1], r[2], r[3], r[4]) for r in rows)
    unit = gw.scalar("SELECT unit FROM ml_dataset WHERE id = ?", [dataset]) or ""
    return (Measure(unit=unit, value_kind="number" if dataset == "indicators" else "count"),)


def inputs_of(gw: Gateway, dataset: str, version: int | None = None) -> tuple[DatasetRef, ...]:
    """The versions a version was directly computed from."""
    number = _version(gw, dataset, version)
    if schema_version(gw) < 2:
        return ()
    return tuple(DatasetRef(r[0], int(r[1])) for r in gw.rows(
        "SELECT input_id, input_version FROM ml_lineage WHERE dataset_id = ? AND version = ? "
        "ORDER BY 1, 2", [dataset, number]))


def lineage(gw: Gateway, dataset: str, version: int | None = None) -> Lineage:
    """All inputs of a version, recursively, with its roots and its register(s)."""
    me = DatasetRef(dataset, _version(gw, dataset, version))
    rows = gw.rows(csql.lineage_sql(), [me.id, me.version]) if schema_version(gw) >= 2 else []
    inputs = tuple(DatasetRef(r[0], int(r[1])) for r in rows)
    roots = tuple(DatasetRef(r[0], int(r[1])) for r in rows if not r[3]) or (me,)
    registers = tuple(DatasetRef(r[0], int(r[1])) for r in rows if r[2] == "register")
    if origin_of(gw, dataset) == "register":
        registers = (me, *registers)
    return Lineage(me, inputs, roots, registers)


def root_registers(gw: Gateway, dataset: str, version: int | None = None) -> tuple[str, ...]:
    """The register datasets (ids) whose persons are behind a version, itself included.

    Ids, not versions: a register's later versions carry its earlier periods forward,
    so every table computed from one register, whichever version, is protected jointly
    with the others (the disclosure gate keys its registry on these and the period).
    """
    return tuple(sorted({r.id for r in lineage(gw, dataset, version).registers}))


@dataclass(frozen=True)
class VersionRef:
    """One version of one dataset and where its observations are."""

    dataset_id: str
    version: int
    table_name: str
    dimensions: tuple[str, ...]
    codelists: dict[str, str | None]
    totals: dict[str, str]
    period_day: str
    region_system: str
    totals_stored: bool = False
    periods: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = (Measure(),)
    #: dimensions whose codes are different quantities: never summed over
    kept_apart: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatasetInfo:
    """What ``migralink datasets`` shows for one dataset (its latest version)."""

    id: str
    title_ko: str
    title_en: str
    publisher: str
    source_url: str
    licence: str
    unit: str
    version: int
    versions: int
    source_sha256: str
    sources: tuple[str, ...]
    periods: tuple[str, ...]
    dimensions: tuple[str, ...]
    observations: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


def list_datasets(gw: Gateway) -> list[DatasetInfo]:
    """Every dataset with its latest version, sources and dimensions."""
    if schema_version(gw) == 0:
        return []
    return [
        DatasetInfo(
            id=r[0], title_ko=r[1], title_en=r[2], publisher=r[3], source_url=r[4],
            licence=r[5], unit=r[6], version=int(r[7]), versions=int(r[8]), source_sha256=r[9],
            sources=tuple(r[10] or ()),
            periods=tuple(r[11] or ()),
            dimensions=("period", "region", *(r[12] or ())),
            observations=int(r[13]),
        )
        for r in gw.rows(csql.dataset_list_sql())
    ]


def dataset_hint(name: str, known: list[str]) -> str:
    """``did you mean …?`` (ids that start with, contain or resemble ``name``), then
    every known id: a list of 25 ids hides the one a user nearly typed."""
    typed = name.strip().casefold()
    near = [k for k in known if typed and (k.startswith(typed) or typed in k)]
    near += [k for k in difflib.get_close_matches(typed, known, n=3, cutoff=0.6)
             if k not in near]
    guess = f"did you mean {' or '.join(repr(k) for k in near[:3])}? " if near else ""
    return f"{guess}known datasets: {', '.join(sorted(known))}"


def resolve_version(gw: Gateway, dataset: str, version: int | None = None) -> VersionRef:
    """The version to read: the latest unless one is named.

    Raises:
        QueryError: unknown dataset or version, with the known ones in the hint.
    """
    if latest_version(gw, dataset) is None:
        known = [d.id for d in list_datasets(gw)]
        raise QueryError(
            title=f"no dataset {dataset!r} in the evidence base",
            hint=dataset_hint(dataset, known) if known
            else "known datasets: none yet (run migralink ingest)",
        )
    row = gw.rows(
        csql.version_sql(named=version is not None),
        [dataset, version] if version is not None else [dataset],
    )
    if not row:
        raise QueryError(
            title=f"dataset {dataset!r} has no version {version}",
            hint="see 'migralink datasets' for its latest version",
        )
    number, table, period_day, region_system, totals_stored, periods = row[0]
    dims = gw.rows(csql.dimensions_sql(), [dataset, number])
    return VersionRef(
        dataset, int(number), table, tuple(d[0] for d in dims), {d[0]: d[1] for d in dims},
        {d[0]: d[2] for d in dims if d[2]}, period_day, region_system, bool(totals_stored),
        tuple(periods or ()), measures_of(gw, dataset, int(number)),
        tuple(d[0] for d in dims if d[3] == "measure"),
    )


def rejected_rows(gw: Gateway, ref: VersionRef) -> int:
    """Rows of the version's source files that were rejected at ingest and are not in it."""
    # most datasets have no rejected row at all: the small table first, the scan of the
    # version's sources only where some source of the dataset lost rows (every query)
    if not gw.scalar(csql.quarantined_sql(), [ref.dataset_id]):
        return 0
    row = gw.rows(csql.rejected_rows_sql(ref.table_name), [ref.dataset_id])
    return int(row[0][0]) if row else 0


def code_labels(gw: Gateway, dataset: str, version: int, dimension: str) -> dict[str, str]:
    """``{code: label}`` of one dimension of a version."""
    return {r[0]: r[1] for r in gw.rows(csql.code_labels_sql(), [dataset, version, dimension])}

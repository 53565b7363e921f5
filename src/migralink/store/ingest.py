"""Landing a validated source table in the evidence base, atomically.

A dataset's versions are cumulative snapshots: a new file replaces the periods it
covers and carries the others forward from the previous version, so that three files of
one table (2013-15, 2016-18, 2019-21) build one series, and a revised file makes a new
version without losing the old one. The same file with the same mapping is a no-op.

Everything is written in one transaction. When rows were rejected, the default is to
refuse the whole file (the database is left exactly as it was) and to write the rejected
rows to a quarantine CSV next to the database; with ``allow_rejects`` the good rows land
and the rejected ones are kept in the ``ml_quarantine`` table.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from migralink.codes.hierarchy import NATIONAL, structural_parent
from migralink.errors import StoreError, ValidationError
from migralink.sources.model import Reject, SourceTable
from migralink.store.gateway import Gateway
from migralink.store.sql import SCHEMA, create_observation_table, obs_table_name, quote_ident

__all__ = ["IngestResult", "content_sha256", "ensure_schema", "store_table"]

_SHOWN_REJECTS = 10


@dataclass(frozen=True)
class IngestResult:
    """What one ingestion did."""

    dataset_id: str
    version: int
    changed: bool
    observations: int
    file: str
    rejects: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    quarantine_file: str | None = None


def ensure_schema(gw: Gateway) -> None:
    """Create the catalogue tables if the file is new."""
    for ddl in SCHEMA:
        gw.execute(ddl)


def store_table(
    gw: Gateway,
    table: SourceTable,
    *,
    allow_rejects: bool = False,
    quarantine_dir: Path | None = None,
) -> IngestResult:
    """Write ``table`` as a new version of its dataset, or do nothing if already there.

    Raises:
        ValidationError: rows were rejected and ``allow_rejects`` is false; the
            rejected rows are in the quarantine file named by the message.
    """
    ensure_schema(gw)
    ds = table.meta.id
    mapping_sha = hashlib.sha256(table.mapping_text.encode()).hexdigest()
    file_name = table.source_file.name
    known = gw.scalar(
        "SELECT version FROM ml_source WHERE dataset_id = ? AND source_sha256 = ? "
        "AND mapping_sha256 = ?",
        [ds, table.source_sha256, mapping_sha],
    )
    if known is not None:
        return IngestResult(ds, int(known), False, 0, file_name, notes=("already ingested",))
    content = content_sha256(table)
    same = gw.rows(
        "SELECT version, file_name FROM ml_source WHERE dataset_id = ? AND content_sha256 = ?",
        [ds, content],
    )
    if same:  # a re-encoded or re-saved copy: same observations, other bytes
        return IngestResult(
            ds, int(same[0][0]), False, 0, file_name,
            notes=(f"same observations as {same[0][1]} (version {same[0][0]}); nothing changed",),
        )
    if table.rejects and not allow_rejects:
        path = _write_quarantine(table, quarantine_dir)
        first = table.rejects[0]
        raise ValidationError(
            title=f"{len(table.rejects)} row(s) of the file cannot be used "
            f"(first: {first.reason})",
            hint=f"nothing was ingested; the rejected rows are in {path}. Correct the file or "
            "its mapping, or ingest with --allow-rejects to keep them in quarantine",
            location=first.location,
            details=[f"{r.location}: {r.reason}" for r in table.rejects[:_SHOWN_REJECTS]],
        )
    with gw.transaction():
        version = _write_version(gw, table, mapping_sha, content)
        if table.rejects:
            _quarantine_rows(gw, table)
    return IngestResult(
        ds,
        version,
        True,
        table.frame.height,
        file_name,
        rejects=len(table.rejects),
        notes=tuple(table.notes),
    )


def content_sha256(table: SourceTable) -> str:
    """Fingerprint of a table's observations, independent of the file's bytes."""
    columns = ["period", "region", *table.dimension_ids, "value", "status"]
    canonical = table.frame.select(columns).sort(columns, nulls_last=True).write_csv()
    return hashlib.sha256(canonical.encode()).hexdigest()


def _write_version(gw: Gateway, table: SourceTable, mapping_sha: str, content: str) -> int:
    meta = table.meta
    dims = table.dimension_ids
    previous = gw.rows(
        "SELECT version, table_name FROM ml_version WHERE dataset_id = ? "
        "ORDER BY version DESC LIMIT 1",
        [meta.id],
    )
    if previous:
        old_dims = [r[0] for r in gw.rows(
            "SELECT id FROM ml_dimension WHERE dataset_id = ? AND version = ? ORDER BY position",
            [meta.id, previous[0][0]],
        )]
        if old_dims != dims:
            raise StoreError(
                title=f"dataset {meta.id!r} has dimensions {old_dims}, this file gives {dims}",
                hint="a table with other dimensions is another dataset: give its mapping "
                "another [dataset] id",
            )
    version = previous[0][0] + 1 if previous else 1
    name = obs_table_name(meta.id, version)
    gw.execute(create_observation_table(name, dims))
    new_periods = sorted(table.frame["period"].unique().to_list())
    if previous:
        gw.execute(
            f"INSERT INTO {quote_ident(name)} SELECT * FROM {quote_ident(previous[0][1])} "
            "WHERE NOT list_contains(?, period)",
            [new_periods],
        )
    frame = _with_top(table.frame)
    if "src" not in frame.columns:  # a bundled sample keeps each row's original source
        frame = frame.with_columns(pl.lit(table.source_sha256).alias("src"))
    columns = ["period", "region", *dims, "value", "status", "top", "src", "source_row"]
    gw.register("incoming", frame.select(columns))
    try:
        gw.execute(f"INSERT INTO {quote_ident(name)} SELECT * FROM incoming")
    finally:
        gw.unregister("incoming")
    now = datetime.now(UTC).replace(tzinfo=None)
    observations = gw.scalar(f"SELECT count(*) FROM {quote_ident(name)}")
    periods = [r[0] for r in gw.rows(f"SELECT DISTINCT period FROM {quote_ident(name)} ORDER BY 1")]
    gw.execute("DELETE FROM ml_dataset WHERE id = ?", [meta.id])
    gw.execute(
        "INSERT INTO ml_dataset (id, title_ko, title_en, publisher, source_url, licence, unit, "
        "reference_date, region_system, notes, period_day) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [meta.id, meta.title_ko, meta.title_en, meta.publisher, meta.source_url, meta.licence,
         meta.unit, meta.reference_date, meta.region_system, meta.notes, meta.period_day],
    )
    gw.execute(
        "INSERT INTO ml_version VALUES (?, ?, ?, ?, ?, ?, ?)",
        [meta.id, version, now, table.source_sha256, observations, periods, name],
    )
    for position, dim in enumerate(table.dimensions):
        gw.execute(
            "INSERT INTO ml_dimension VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [meta.id, version, position, dim.id, dim.title_ko, dim.title_en, dim.codelist,
             dim.total],
        )
    _write_codes(gw, meta.id, version, previous[0][0] if previous else None, table)
    gw.execute(
        "INSERT INTO ml_source VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [meta.id, table.source_sha256, mapping_sha, table.source_file.name, new_periods,
         table.frame.height, now, version, table.notes, content],
    )
    return int(version)


def _write_codes(
    gw: Gateway, dataset: str, version: int, previous: int | None, table: SourceTable
) -> None:
    """Codes seen in this file, plus those carried forward from the previous version."""
    rows = [
        (dataset, version, dim, code, label)
        for dim, labels in table.labels.items()
        for code, label in labels.items()
    ]
    if rows:
        frame = pl.DataFrame(
            rows, schema=["dataset_id", "version", "dimension", "code", "label"], orient="row"
        ).with_columns(pl.col("version").cast(pl.Int32))
        gw.register("incoming_codes", frame)
        try:
            gw.execute("INSERT INTO ml_code SELECT * FROM incoming_codes")
        finally:
            gw.unregister("incoming_codes")
    if previous is not None:
        gw.execute(
            "INSERT INTO ml_code SELECT dataset_id, ?, dimension, code, label FROM ml_code o "
            "WHERE dataset_id = ? AND version = ? AND NOT EXISTS (SELECT 1 FROM ml_code n "
            "WHERE n.dataset_id = o.dataset_id AND n.version = ? AND n.dimension = o.dimension "
            "AND n.code = o.code)",
            [version, dataset, previous, version],
        )


def _with_top(frame: pl.DataFrame) -> pl.DataFrame:
    """Mark rows whose region has no ancestor present in the same period."""
    present: dict[str, set[str]] = {}
    for period, region in frame.select("period", "region").unique().iter_rows():
        present.setdefault(period, set()).add(region)
    tops = []
    for period, regions in present.items():
        for region in regions:
            parent, top = structural_parent(region), True
            while parent is not None:
                if parent in regions:
                    top = False
                    break
                parent = None if parent == NATIONAL else structural_parent(parent)
            tops.append((period, region, top))
    flags = pl.DataFrame(tops, schema=["period", "region", "top"], orient="row")
    return frame.join(flags, on=["period", "region"], how="left")


def _write_quarantine(table: SourceTable, directory: Path | None) -> Path:
    directory = directory or Path.cwd()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{table.meta.id}-{table.source_sha256[:12]}.quarantine.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        _write_rejects(csv.writer(handle), table.rejects)
    return path


def _write_rejects(writer: Any, rejects: list[Reject]) -> None:
    writer.writerow(["file", "sheet", "row", "column", "reason", "raw"])
    for r in rejects:
        loc = r.location
        writer.writerow(
            [loc.file, loc.sheet or "", loc.row or "", loc.column or "", r.reason, r.raw]
        )


def _quarantine_rows(gw: Gateway, table: SourceTable) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    for r in table.rejects:
        loc = r.location
        gw.execute(
            "INSERT INTO ml_quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [table.meta.id, table.source_sha256, loc.file, loc.sheet, loc.row, loc.column,
             r.reason, r.raw, now],
        )

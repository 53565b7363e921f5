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
from pathlib import Path
from typing import Any

from migralink.errors import ValidationError
from migralink.model import Reject, SourceTable
from migralink.store.catalogue import (
    NewVersion,
    Origin,
    SourceRecord,
    check_takeover,
    ensure_schema,
    find_content,
    find_source,
    record_quarantine,
    write_version,
)
from migralink.store.gateway import Gateway
from migralink.store.shrink import check_shrink

__all__ = ["IngestResult", "content_sha256", "ensure_schema", "store_table"]
# ensure_schema is re-exported for callers that create an empty evidence base

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


def store_table(
    gw: Gateway,
    table: SourceTable,
    *,
    allow_rejects: bool = False,
    quarantine_dir: Path | None = None,
    origin: Origin = "published",
    allow_shrink: bool = False,
) -> IngestResult:
    """Write ``table`` as a new version of its dataset, or do nothing if already there.

    Raises:
        ValidationError: rows were rejected and ``allow_rejects`` is false; the
            rejected rows are in the quarantine file named by the message. Or the table
            would remove cells of the latest version and ``allow_shrink`` is false.
    """
    ensure_schema(gw)
    ds = table.meta.id
    check_takeover(gw, ds, "public", origin)  # before any other check: a register's id
    mapping_sha = hashlib.sha256(table.mapping_text.encode()).hexdigest()
    file_name = table.source_file.name
    known = find_source(gw, ds, table.source_sha256, mapping_sha)
    if known is not None:
        return IngestResult(ds, known, False, 0, file_name, notes=("already ingested",))
    content = content_sha256(table)
    same = find_content(gw, ds, content)
    if same:  # a re-encoded or re-saved copy: same observations, other bytes
        return IngestResult(
            ds, same[0], False, 0, file_name,
            notes=(f"same observations as {same[1]} (version {same[0]}); nothing changed",),
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
    verdict = check_shrink(gw, table, allow=allow_shrink)  # see store/shrink.py
    if verdict.unchanged is not None:
        return IngestResult(ds, verdict.unchanged, False, 0, file_name, notes=(
            f"every cell is already in version {verdict.unchanged}; nothing changed",))
    table.notes.extend(verdict.notes)
    with gw.transaction():
        version = write_version(gw, _new_version(table, mapping_sha, content, origin)).version
        if table.rejects:
            record_quarantine(gw, ds, table.source_sha256, table.rejects)
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


def _new_version(
    table: SourceTable, mapping_sha: str, content: str, origin: Origin
) -> NewVersion:
    """A published table (or the bundled sample of one) as a catalogue write."""
    return NewVersion(
        meta=table.meta,
        dimensions=table.dimensions,
        source=SourceRecord(
            file_name=table.source_file.name, source_sha256=table.source_sha256,
            mapping_sha256=mapping_sha, content_sha256=content, rows_read=table.frame.height,
            notes=tuple(table.notes),
        ),
        frame=table.frame,
        labels=table.labels,
        origin=origin,
    )


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

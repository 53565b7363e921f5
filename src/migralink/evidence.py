"""The Python face of migralink: ``migralink.open(path)``.

>>> import migralink
>>> ev = migralink.open("migralink.duckdb")          # doctest: +SKIP
>>> ev.query("moj_stay_status", by=["residence_status"]).frame  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from migralink.errors import InputError, Location
from migralink.sources import choose_mappings, read_table
from migralink.store import (
    DatasetInfo,
    Gateway,
    IngestResult,
    QueryResult,
    QuerySpec,
    list_datasets,
    run_query,
    store_table,
)

__all__ = ["Evidence", "open_evidence"]


class Evidence:
    """An evidence base in one DuckDB file.

    Args:
        path: the DuckDB file (created when missing unless ``read_only``).
        read_only: open for reading only, so another process may ingest meanwhile.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.gateway = Gateway(path, read_only=read_only)

    def ingest(
        self,
        files: Iterable[str | Path],
        *,
        mapping: str | Path | None = None,
        allow_rejects: bool = False,
        allow_shrink: bool = False,
        quarantine_dir: str | Path | None = None,
        progress: Callable[[Path], None] | None = None,
    ) -> list[IngestResult]:
        """Ingest files, each atomically (one file's failure leaves the store as it was).

        Rejected rows are written to ``quarantine_dir`` (default: beside the database).
        A file that would remove cells or categories of a dataset's latest version is
        refused unless ``allow_shrink``.
        """
        results = []
        qdir = Path(quarantine_dir) if quarantine_dir else self.path.parent / "quarantine"
        for file in files:
            path = Path(file)
            if not path.is_file():
                raise InputError(
                    title="the file does not exist",
                    hint="check the path; nothing else was ingested from this file",
                    location=Location(file=str(path)),
                )
            specs = choose_mappings(path, Path(mapping) if mapping else None)
            with self.gateway.transaction():  # a file lands in all its datasets, or in none
                for spec in specs:
                    table = read_table(path, spec)
                    results.append(
                        store_table(
                            self.gateway, table, allow_rejects=allow_rejects, quarantine_dir=qdir,
                            allow_shrink=allow_shrink,
                        )
                    )
            if progress:
                progress(path)
        return results

    def datasets(self) -> list[DatasetInfo]:
        """The datasets in the store, each with its latest version."""
        return list_datasets(self.gateway)

    def query(
        self,
        dataset: str,
        *,
        version: int | None = None,
        period: str | Sequence[str] | None = None,
        region: str | None = None,
        filters: dict[str, str] | None = None,
        by: Sequence[str] = (),
        boundaries: int | None = None,
    ) -> QueryResult:
        """Query a dataset; ``.frame`` is Polars, ``.frame.to_arrow()`` Arrow."""
        periods = (period,) if isinstance(period, str) else tuple(period or ())
        spec = QuerySpec(
            dataset=dataset,
            version=version,
            periods=periods,
            region=region,
            filters=tuple((filters or {}).items()),
            by=tuple(by),
            boundaries=boundaries,
        )
        return run_query(self.gateway, spec)

    def close(self) -> None:
        """Close the database."""
        self.gateway.close()

    def __enter__(self) -> Evidence:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_evidence(path: str | Path, *, read_only: bool = False) -> Evidence:
    """Open (or create) an evidence base."""
    return Evidence(path, read_only=read_only)

"""The one place that owns a DuckDB connection.

Everything that talks to the evidence base goes through :class:`Gateway`: SQL is built
elsewhere by pure functions (see :mod:`migralink.store.sql`) and run here, so that an
engine error always comes back as a :class:`~migralink.errors.StoreError` carrying the
failing statement, and so that transactions are handled in one way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from migralink.errors import StoreError

__all__ = ["Gateway"]


class Gateway:
    """Owns one DuckDB connection to an evidence-base file.

    Args:
        path: the DuckDB file; ``":memory:"`` for a throw-away store.
        read_only: open without write access, so that a server can read while an
            ingestion writes through another process.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(
                title=f"cannot open the evidence base {self.path}: {exc}",
                hint="check the path; a read-only open needs an existing file built by "
                "'migralink ingest' or 'make run'",
            ) from exc
        self._in_transaction = False

    # -- running SQL -------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement that returns nothing of interest."""
        self._run(sql, params)

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a query and return its rows as tuples."""
        return self._run(sql, params).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run a query that returns one value (or ``None`` when it returns no row)."""
        rows = self._run(sql, params).fetchall()  # fetch all: DuckDB 2 refuses open results
        return rows[0][0] if rows else None

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return an Arrow table."""
        try:
            relation = self._con.sql(sql, params=list(params) if params else None)
            table: pa.Table = relation.to_arrow_table()
        except duckdb.Error as exc:  # errors can surface while fetching too
            raise self._wrap(exc, sql) from exc
        return table

    def polars(self, sql: str, params: Sequence[Any] | None = None) -> pl.DataFrame:
        """Run a query and return a Polars frame."""
        frame = pl.from_arrow(self.arrow(sql, params))
        assert isinstance(frame, pl.DataFrame)
        return frame

    def register(self, name: str, frame: pl.DataFrame | pa.Table) -> None:
        """Make an in-memory frame visible to SQL under ``name`` (for bulk inserts)."""
        table = frame.to_arrow() if isinstance(frame, pl.DataFrame) else frame
        self._con.register(name, table)

    def unregister(self, name: str) -> None:
        """Forget a frame registered with :meth:`register`."""
        self._con.unregister(name)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Gateway]:
        """All or nothing: commit on success, roll back on any exception."""
        if self._in_transaction:  # nested use joins the outer transaction
            yield self
            return
        self._run("BEGIN TRANSACTION", None)
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            self._con.execute("ROLLBACK")
            raise
        self._in_transaction = False
        self._run("COMMIT", None)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with contextlib.suppress(duckdb.Error):
            self._con.close()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------
    def _run(self, sql: str, params: Sequence[Any] | None) -> duckdb.DuckDBPyConnection:
        try:
            return self._con.execute(sql, params) if params else self._con.execute(sql)
        except duckdb.Error as exc:
            raise self._wrap(exc, sql) from exc

    def _wrap(self, exc: duckdb.Error, sql: str) -> StoreError:
        hint = "this is a bug in migralink if the SQL below was built by it; please report it"
        if isinstance(exc, duckdb.IOException):
            hint = (
                "another process holds the file: a running 'migralink serve' (ingest "
                "through POST /api/v1/ingest, or stop it) or another ingestion"
            )
        error = StoreError(
            title=f"the evidence base rejected a statement: {str(exc).splitlines()[0]}",
            hint=hint,
            details=[f"SQL: {' '.join(sql.split())}"],
        )
        error.sql = sql
        return error

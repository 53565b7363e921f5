"""Inputs and outputs of a linkage: CSV, Parquet, or a table of the evidence base."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from migralink.errors import InputError

__all__ = ["read_input", "write_frame", "write_output"]

EVIDENCE_PREFIX = "evidence:"


def read_input(source: str, *, database: Path | None = None) -> pl.DataFrame:
    """Read one linkage input.

    Args:
        source: a ``.csv`` or ``.parquet`` path, or ``evidence:<table>`` for a table of the
            evidence base (then ``database`` is the DuckDB file).
        database: the evidence base, for ``evidence:`` sources.

    Raises:
        InputError: the file is missing or unreadable, or the table does not exist.
    """
    if source.startswith(EVIDENCE_PREFIX):
        table = source[len(EVIDENCE_PREFIX):]
        if database is None:
            raise InputError(f"{source}: no evidence base given", hint="pass --db FILE")
        from migralink.store.gateway import Gateway
        from migralink.store.sql import quote_ident

        gw = Gateway(database, read_only=True)
        try:
            return gw.polars(f"SELECT * FROM {quote_ident(table)}")
        except Exception as exc:
            raise InputError(f"{source}: cannot read table {table!r} from {database}",
                             hint="list the tables with `migralink datasets`") from exc
        finally:
            gw.close()
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: file not found", hint="check the path")
    try:
        if path.suffix.lower() == ".parquet":
            return pl.read_parquet(path)
        if path.suffix.lower() in (".csv", ".txt"):
            return pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"{path}: cannot be read: {str(exc).splitlines()[0]}",
                         hint="give a UTF-8 CSV with a header row, or a Parquet file") from exc
    raise InputError(f"{path}: unknown file type {path.suffix!r}",
                     hint="use .csv or .parquet")


def write_frame(frame: pl.DataFrame, path: Path, *, like: Path | None = None) -> None:
    """Write a frame as Parquet or CSV, by the suffix of ``like`` (default: ``path``)."""
    if (like or path).suffix.lower() == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)


def write_output(frame: pl.DataFrame, path: Path) -> None:
    """Write links or clusters as CSV or Parquet (by suffix), atomically."""
    tmp = path.with_name(path.name + ".tmp")
    write_frame(frame, tmp, like=path)
    tmp.replace(path)

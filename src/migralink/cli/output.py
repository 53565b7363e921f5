"""What the command prints: consoles, formats, one-line errors, tables and files."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from migralink.errors import MigralinkError

__all__ = [
    "DEFAULT_DB", "DbOption", "DpEpsilonOption", "Format", "PolicyOption", "ThresholdOption",
    "emit_text", "err", "fmt", "guard", "out",
    "print_frame", "progress_bar", "show", "split_filter", "write",
]

out = Console()
err = Console(stderr=True)

DEFAULT_DB = Path(os.environ.get("MIGRALINK_DB", "migralink.duckdb"))
DbOption = Annotated[Path, typer.Option("--db", help="The evidence base (DuckDB file).")]
# the release gate's policy, chosen once per command that publishes protected data
PolicyOption = Annotated[
    Path | None, typer.Option(help="Disclosure policy (JSON) for protected data.")]
ThresholdOption = Annotated[
    int | None, typer.Option(help="Protected data: counts below this are suppressed.")]
DpEpsilonOption = Annotated[
    float | None, typer.Option(help="Protected data: a DP release with this epsilon.")]


class Format(StrEnum):
    """Output formats."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


T = TypeVar("T")


def guard(action: Callable[[], T], verbose: bool | None = None) -> T:
    """Run a library call; a MigralinkError becomes a one-line message and exit 1.

    ``verbose`` is the command's ``-v`` flag; ``None`` for a command without one, which
    then prints every detail line (so no hint points to an option that is not there).
    """
    try:
        return action()
    except MigralinkError as exc:
        line = str(exc)
        if exc.details and verbose is False:
            line += f" (first of {len(exc.details)}: {exc.details[0]}; -v shows all)"
        err.print("[bold red]error:[/] ", end="")
        err.print(line, highlight=False, soft_wrap=True, markup=False)
        if verbose is not False:
            for detail in exc.details:
                err.print(f"  {detail}", highlight=False, soft_wrap=True, markup=False)
        raise typer.Exit(1) from None


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
        transient=True, disable=not err.is_terminal,  # no bar in logs and pipes
    )


def split_filter(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise MigralinkError(
            title=f"--filter {text!r} is not DIM=CODE", hint="e.g. --filter residence_status=E-9"
        )
    dim, code = text.split("=", 1)
    return dim.strip(), code.strip()


_BY_SUFFIX = {".csv": Format.csv, ".json": Format.json, ".parquet": Format.parquet}


def file_format(format: Format, output: Path | None) -> Format:
    """The format a file is written in: the one asked, or the file name's with the default
    ``table`` (``-o out.csv`` wrote nothing, or JSON into a .csv); a mismatch is an error.

    Raises:
        MigralinkError: a name and a format that disagree, or a table asked into a file
            whose name says no format.
    """
    if output is None:
        return format
    named = _BY_SUFFIX.get(output.suffix.lower())
    if format is Format.table:
        if named is None:
            raise MigralinkError(
                title=f"{output.name}: a table cannot be written to a file",
                hint="name the file .csv, .json or .parquet, or add --format csv, json or "
                "parquet",
            )
        return named
    if named is not None and named is not format:
        raise MigralinkError(
            title=f"--format {format.value} does not match the file name {output.name}",
            hint=f"name the file .{format.value}, or give --format {named.value}",
        )
    return format


def show(frame: pl.DataFrame, format: Format, output: Path | None, title: str) -> None:
    format = file_format(format, output)
    if format is not Format.json:  # lists (framework tags) as "1;17" in tables and CSV
        lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
        frame = frame.with_columns(
            pl.col(c).cast(pl.List(pl.Utf8)).list.join(";") for c in lists
        )
    if format is Format.table and output is None:
        print_frame(frame, title)
    elif format is Format.json:
        emit_text(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str), output)
    else:
        write(frame, format, output)


def print_frame(frame: pl.DataFrame, title: str, limit: int = 200) -> None:
    table = Table(*frame.columns, title=title)
    for row in frame.head(limit).iter_rows():
        table.add_row(*(fmt(v) for v in row))
    out.print(table)
    if frame.height > limit:
        err.print(f"showing {limit} of {frame.height} rows; use --format csv for all")


def fmt(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return "" if value is None else str(value)


def emit_text(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


def write(frame: pl.DataFrame, format: Format, output: Path | None) -> None:
    if format is Format.parquet:
        if output is None:
            raise MigralinkError(title="Parquet needs a file", hint="add --output FILE.parquet")
        frame.write_parquet(output)
    elif format is Format.csv:
        emit_text(frame.write_csv().rstrip("\n"), output)
    else:
        emit_text(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str), output)



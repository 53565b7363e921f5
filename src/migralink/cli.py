"""The ``migralink`` command: a thin layer that parses, calls the library and prints.

Library errors become one-line messages here (and only here), with a non-zero exit.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from migralink.errors import MigralinkError
from migralink.evidence import Evidence

__all__ = ["app", "main"]

app = typer.Typer(
    name="migralink",
    help="An evidence base for migration policy: official statistics in one DuckDB cube.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
codes_app = typer.Typer(help="Code lists: regions, nationalities, residence statuses.")
fetch_app = typer.Typer(help="Download tables from publishers' APIs.")
sample_app = typer.Typer(help="The bundled sample of the official tables.")
indicators_app = typer.Typer(
    help="Indicators for every region and year: list them, compute them, read the catalogue.",
    invoke_without_command=True,
)
app.add_typer(indicators_app, name="indicators")
app.add_typer(codes_app, name="codes")
app.add_typer(fetch_app, name="fetch")
app.add_typer(sample_app, name="sample")

out = Console()
err = Console(stderr=True)

DEFAULT_DB = Path(os.environ.get("MIGRALINK_DB", "migralink.duckdb"))
DbOption = Annotated[Path, typer.Option("--db", help="The evidence base (DuckDB file).")]


class Format(StrEnum):
    """Output formats."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


T = TypeVar("T")


def _guard(action: Callable[[], T], verbose: bool = False) -> T:
    """Run a library call; a MigralinkError becomes a one-line message and exit 1."""
    try:
        return action()
    except MigralinkError as exc:
        line = str(exc)
        if exc.details and not verbose:
            line += f" (first of {len(exc.details)}: {exc.details[0]}; -v shows all)"
        err.print("[bold red]error:[/] ", end="")
        err.print(line, highlight=False, soft_wrap=True, markup=False)
        if verbose:
            for detail in exc.details:
                err.print(f"  {detail}", highlight=False, soft_wrap=True, markup=False)
        raise typer.Exit(1) from None


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Files exactly as published.")],
    db: DbOption = DEFAULT_DB,
    mapping: Annotated[
        Path | None, typer.Option(help="A mapping file (TOML) describing the table.")
    ] = None,
    allow_rejects: Annotated[
        bool, typer.Option(help="Land the good rows; keep rejected ones in quarantine.")
    ] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show every problem.")] = False,
) -> None:
    """Ingest files into the evidence base; each file lands whole or not at all."""

    def run() -> None:
        with Evidence(db) as ev, _progress() as progress:
            task = progress.add_task("ingesting", total=len(files))
            for file in files:
                progress.update(task, description=f"ingesting {file.name}")
                for r in ev.ingest([file], mapping=mapping, allow_rejects=allow_rejects):
                    if r.changed:
                        extra = f", {r.rejects} row(s) quarantined" if r.rejects else ""
                        line = (f"{r.file} → {r.dataset_id} version {r.version} "
                                f"({r.observations:,} observations{extra})")
                    else:
                        line = f"{r.file} → {r.dataset_id} unchanged (version {r.version})"
                    out.print(line, highlight=False, soft_wrap=True, markup=False)
                    for note in r.notes:
                        out.print(f"  note: {note}", highlight=False, soft_wrap=True, markup=False)
                progress.advance(task)

    _guard(run, verbose)


@app.command()
def datasets(db: DbOption = DEFAULT_DB, format: Format = Format.table) -> None:
    """List the datasets with their version, sources, periods and dimensions."""

    def run() -> None:
        with Evidence(db, read_only=db.exists()) as ev:
            infos = ev.datasets()
        rows = [i.as_dict() for i in infos]
        if format is Format.json:
            out.print_json(json.dumps(rows, ensure_ascii=False, default=str))
            return
        frame = pl.DataFrame(rows) if rows else pl.DataFrame()
        if format is Format.table:
            table = Table("id", "title", "publisher", "version", "periods", "dimensions")
            for i in infos:
                span = f"{i.periods[0]}…{i.periods[-1]}" if i.periods else ""
                table.add_row(i.id, f"{i.title_ko}\n{i.title_en}", i.publisher, str(i.version),
                              span, ", ".join(i.dimensions))
            out.print(table)
        else:
            _write(frame.with_columns(pl.col(pl.List(pl.Utf8)).list.join(";")), format, None)

    _guard(run)


@app.command()
def query(
    dataset: Annotated[str, typer.Argument(help="Dataset id (see 'migralink datasets').")],
    db: DbOption = DEFAULT_DB,
    period: Annotated[list[str] | None, typer.Option(help="Period(s): 2024, 2024-12.")] = None,
    region: Annotated[
        str | None, typer.Option(help="MOIS code (41), kostat:31, or a name (경기도).")
    ] = None,
    filter: Annotated[
        list[str] | None, typer.Option("--filter", help="DIM=CODE, e.g. residence_status=E-9.")
    ] = None,
    by: Annotated[str | None, typer.Option(help="Dimensions to keep, comma-separated.")] = None,
    boundaries: Annotated[
        int | None, typer.Option(help="Read regions on the boundaries of this year.")
    ] = None,
    version: Annotated[int | None, typer.Option(help="Dataset version (default: latest).")] = None,
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
) -> None:
    """Query a dataset; dimensions neither in --by nor filtered are summed over."""

    def run() -> None:
        filters = dict(_split_filter(f) for f in filter or [])
        from migralink.export import is_public, publish_result

        with Evidence(db, read_only=True) as ev:
            result = ev.query(
                dataset, version=version, period=period, region=region, filters=filters,
                by=[b.strip() for b in by.split(",") if b.strip()] if by else (),
                boundaries=boundaries,
            )
            if not is_public(ev, dataset):  # a register's table: disclosure control
                result = replace(result, frame=publish_result(ev, result))
        if format is Format.json:
            text = json.dumps(result.as_json(), ensure_ascii=False)
            _emit_text(text, output)
        elif format is Format.table:
            _print_frame(result.frame, f"{dataset} v{result.version}")
            for note in result.notes:
                err.print(f"note: {note}", highlight=False)
        else:
            _write(result.frame, format, output)

    _guard(run)


@app.command()
def export(
    dataset: Annotated[str, typer.Argument(help="Dataset id (see 'migralink datasets').")],
    output: Annotated[Path, typer.Option("-o", "--output", help="A .csv or .parquet file.")],
    db: DbOption = DEFAULT_DB,
    version: Annotated[int | None, typer.Option(help="Dataset version (default: latest).")] = None,
    policy: Annotated[
        Path | None, typer.Option(help="A disclosure policy (JSON) instead of the flags below.")
    ] = None,
    threshold: Annotated[int, typer.Option(help="Counts below this are suppressed.")] = 10,
    rounding_base: Annotated[
        int | None, typer.Option(help="Round to this base (controlled rounding).")
    ] = None,
    dp_epsilon: Annotated[
        float | None, typer.Option(help="Release counts with differential privacy (ε).")
    ] = None,
    protect_public: Annotated[
        bool, typer.Option(help="Protect even the ministries' published aggregates.")
    ] = False,
) -> None:
    """Export a dataset with disclosure control, and a report of what was suppressed."""
    from migralink.disclosure import DisclosurePolicy
    from migralink.export import export_dataset

    def run() -> None:
        chosen = (
            DisclosurePolicy.from_json(policy.read_text(encoding="utf-8"))
            if policy
            else DisclosurePolicy(threshold=threshold, rounding_base=rounding_base,
                                  dp_epsilon=dp_epsilon, protect_public=protect_public)
        )
        with Evidence(db, read_only=True) as ev:
            result = export_dataset(ev, dataset, output, policy=chosen, version=version)
        kind = "published aggregate: released as published" if result.public and not (
            chosen.protect_public) else f"{result.suppressed:,} cell(s) suppressed"
        out.print(f"wrote {result.path} ({result.rows:,} rows; {kind})", highlight=False)
        out.print(f"disclosure report: {result.report_path}", highlight=False)

    _guard(run)


@codes_app.command("regions")
def codes_regions(
    year: Annotated[
        int | None, typer.Option(help="Units valid on 31 December of this year.")
    ] = None,
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """MOIS regions with their validity (the code history), optionally for one year."""
    from migralink.codes import region_list

    _guard(lambda: _show(region_list(year), format, output, "regions"))


@codes_app.command("nationalities")
def codes_nationalities(
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Nationalities (ISO 3166-1 alpha-3 and the ministries' own categories)."""
    from migralink.codes import nationality_table

    _guard(lambda: _show(nationality_table(), format, output, "nationalities"))


@codes_app.command("statuses")
def codes_statuses(
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Residence statuses (체류자격) with their policy groups."""
    from migralink.codes import status_table

    _guard(lambda: _show(status_table(), format, output, "residence statuses"))


@fetch_app.command("kosis")
def fetch_kosis(
    org: Annotated[str, typer.Argument(help="KOSIS organisation id, e.g. 111 (MOJ).")],
    table: Annotated[str, typer.Argument(help="KOSIS table id, e.g. DT_1B040A11.")],
    period_type: Annotated[str, typer.Option(help="Y, H, Q or M.")] = "Y",
    start: Annotated[str | None, typer.Option(help="First period, e.g. 2018.")] = None,
    end: Annotated[str | None, typer.Option(help="Last period.")] = None,
    latest: Annotated[
        int | None, typer.Option(help="Instead of --start/--end: the latest N periods.")
    ] = None,
    items: Annotated[str, typer.Option(help="Item ids (itmId), e.g. T10 or ALL.")] = "ALL",
    objects: Annotated[
        list[str] | None,
        typer.Option("--object", help="Classification codes per level (objL1, objL2, …)."),
    ] = None,
    out_dir: Annotated[Path, typer.Option(help="Where to write the CSV and mapping.")] = Path("."),
    base_url: Annotated[str, typer.Option(help="KOSIS OpenAPI address.")] = (
        "https://kosis.kr/openapi/"
    ),
) -> None:
    """Download a KOSIS table (key from KOSIS_API_KEY) as CSV plus a mapping to ingest."""
    from migralink.sources.kosis import KosisClient, KosisRequest, fetch_to_files

    def run() -> None:
        request = KosisRequest(
            org_id=org, table_id=table, period_type=period_type,  # type: ignore[arg-type]
            start=start, end=end, latest=latest, items=items,
            objects=tuple(objects or ("ALL",)),
        )
        csv_path, mapping_path = fetch_to_files(KosisClient(base_url=base_url), request, out_dir)
        out.print(f"wrote {csv_path} and {mapping_path}")
        out.print(f"next: migralink ingest {csv_path} --mapping {mapping_path}")

    _guard(run)


@app.command()
def top(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(help="How many local governments.")] = 15,
) -> None:
    """Local governments with the most foreign residents: share, growth, largest group."""
    from migralink.indicators import headline

    def run() -> None:
        with Evidence(db, read_only=True) as ev:
            result = headline(ev, limit)
        Console(width=max(out.width, 120)).print(result.table())

    _guard(run)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the dashboard and the HTTP API (ingestion only with MIGRALINK_API_TOKEN set)."""
    from migralink.api import ApiConfig
    from migralink.api import serve as run_server

    def run() -> None:
        if not db.exists():
            raise MigralinkError(
                title=f"no evidence base at {db}", hint="build one first: make run, or "
                "migralink sample load --db PATH"
            )
        err.print(f"migralink: dashboard and API on http://{host}:{port}/ "
                  f"(API docs: http://{host}:{port}/docs; Ctrl+C stops)", highlight=False)
        run_server(ApiConfig.from_env(db), host=host, port=port)

    _guard(run)


@indicators_app.callback()
def indicators(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    id: Annotated[str | None, typer.Option("--id", help="Indicator id (see 'catalogue').")]
    = None,
    region: Annotated[str | None, typer.Option(help="MOIS code, kostat:31 or a name.")] = None,
    period: Annotated[list[str] | None, typer.Option(help="Period(s).")] = None,
    by: Annotated[
        str | None, typer.Option(help="Breakdown, e.g. group or sex (default: totals only).")
    ] = None,
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Computed indicators by region and period (run 'indicators compute' first)."""
    if ctx.invoked_subcommand is not None:
        return
    from migralink.indicators.listing import list_indicators

    def run() -> None:
        with Evidence(db, read_only=True) as ev:
            frame = list_indicators(ev, indicator=id, region=region, periods=period, by=by)
        _show(frame, format, output, f"indicators{' ' + id if id else ''}")

    _guard(run)


@indicators_app.command("catalogue")
def indicators_catalogue(
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """The indicator catalogue: names, definitions, units and framework tags."""
    from migralink.indicators import catalogue_frame

    def run() -> None:
        frame = catalogue_frame()
        if format is Format.table and output is None:
            frame = frame.select("id", "name_ko", "name_en", "unit", "gcm", "sdg")
        _show(frame, format, output, "indicator catalogue")

    _guard(run)


@indicators_app.command("compute")
def indicators_compute(db: DbOption = DEFAULT_DB) -> None:
    """Compute every indicator the data allow and store them as dataset 'indicators'."""
    from migralink.indicators import compute_indicators, store_indicators

    def run() -> None:
        with Evidence(db) as ev:
            result = store_indicators(ev, compute_indicators(ev))
        verb = f"version {result.version}" if result.changed else "unchanged"
        out.print(f"indicators {verb} ({result.observations:,} observations)", highlight=False)

    _guard(run)


@sample_app.command("load")
def sample_load(db: DbOption = DEFAULT_DB) -> None:
    """Build the evidence base from the bundled sample (what 'make run' does)."""
    from migralink.sample import load_sample

    def run() -> None:
        with Evidence(db) as ev, ev.gateway.transaction():
            loaded = load_sample(ev.gateway)
        err.print(f"loaded {len(loaded)} datasets from the bundled sample into {db}")

    _guard(run)


@sample_app.command("build")
def sample_build(
    shared: Annotated[Path, typer.Option(help="The shared/data folder of published files.")],
    out: Annotated[Path | None, typer.Option(help="Output folder (default: the package's).")]
    = None,
) -> None:
    """Rebuild the bundled sample from the published files with the ingest code."""
    from migralink.sample import SHARED_FILES, build_sample, sample_dir

    def run() -> None:
        with _progress() as progress:
            task = progress.add_task("building", total=len(SHARED_FILES))

            def step(name: str) -> None:
                progress.update(task, description=f"ingesting {name}")
                progress.advance(task)

            path = build_sample(shared, out or sample_dir(), step)
        out_console = Console()
        out_console.print(f"wrote {path}")

    _guard(run)


# -- helpers ---------------------------------------------------------------------------
def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
        transient=True, disable=not err.is_terminal,  # no bar in logs and pipes
    )


def _split_filter(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise MigralinkError(
            title=f"--filter {text!r} is not DIM=CODE", hint="e.g. --filter residence_status=E-9"
        )
    dim, code = text.split("=", 1)
    return dim.strip(), code.strip()


def _show(frame: pl.DataFrame, format: Format, output: Path | None, title: str) -> None:
    if format is not Format.json:  # lists (framework tags) as "1;17" in tables and CSV
        lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
        frame = frame.with_columns(
            pl.col(c).cast(pl.List(pl.Utf8)).list.join(";") for c in lists
        )
    if format is Format.table and output is None:
        _print_frame(frame, title)
    elif format is Format.json:
        _emit_text(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str), output)
    else:
        _write(frame, format, output)


def _print_frame(frame: pl.DataFrame, title: str, limit: int = 200) -> None:
    table = Table(*frame.columns, title=title)
    for row in frame.head(limit).iter_rows():
        table.add_row(*(_fmt(v) for v in row))
    out.print(table)
    if frame.height > limit:
        err.print(f"showing {limit} of {frame.height} rows; use --format csv for all")


def _fmt(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return "" if value is None else str(value)


def _emit_text(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


def _write(frame: pl.DataFrame, format: Format, output: Path | None) -> None:
    if format is Format.parquet:
        if output is None:
            raise MigralinkError(title="Parquet needs a file", hint="add --output FILE.parquet")
        frame.write_parquet(output)
    elif format is Format.csv:
        _emit_text(frame.write_csv().rstrip("\n"), output)
    else:
        _emit_text(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str), output)


def main() -> None:
    """Entry point of the ``migralink`` script."""
    app()

"""Commands on data: ingest, datasets, query, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from migralink.cli.apps import app
from migralink.cli.output import (
    DEFAULT_DB,
    DbOption,
    DpEpsilonOption,
    Format,
    PolicyOption,
    ThresholdOption,
    emit_text,
    err,
    file_format,
    guard,
    out,
    print_frame,
    progress_bar,
    write,
)
from migralink.evidence import Evidence


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
    allow_shrink: Annotated[
        bool, typer.Option(help="Accept a file that removes cells or categories held before.")
    ] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show every problem.")] = False,
) -> None:
    """Ingest files into the evidence base; each file lands whole or not at all."""

    def run() -> None:
        with Evidence(db) as ev, progress_bar() as progress:
            task = progress.add_task("ingesting", total=len(files))
            for file in files:
                progress.update(task, description=f"ingesting {file.name}")
                for r in ev.ingest([file], mapping=mapping, allow_rejects=allow_rejects,
                                   allow_shrink=allow_shrink):
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

    guard(run, verbose)


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
            write(frame.with_columns(pl.col(pl.List(pl.Utf8)).list.join(";")), format, None)

    guard(run)


@app.command()
def query(
    dataset: Annotated[str, typer.Argument(help="Dataset id (see 'migralink datasets').")],
    db: DbOption = DEFAULT_DB,
    period: Annotated[
        list[str] | None, typer.Option(help="Period(s): 2024, 2024년, 2024-12, 2019..2021.")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="MOIS code (41), kostat:31, or a name (경기도).")
    ] = None,
    filter: Annotated[
        list[str] | None,
        typer.Option("--filter", help="DIM=CODE (or DIM:CODE, DIM=A,B): residence_status=E-9."),
    ] = None,
    level: Annotated[
        str | None, typer.Option(help="Region level: sido, sigungu, district (implies by region)."),
    ] = None,
    by: Annotated[str | None, typer.Option(help="Dimensions to keep, comma-separated.")] = None,
    boundaries: Annotated[
        int | None, typer.Option(help="Read regions on the boundaries of this year.")
    ] = None,
    version: Annotated[int | None, typer.Option(help="Dataset version (default: latest).")] = None,
    measure: Annotated[
        str | None, typer.Option(help="A measure of a dataset with several (numerator).")
    ] = None,
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
    policy: PolicyOption = None,
    threshold: ThresholdOption = None,
    dp_epsilon: DpEpsilonOption = None,
) -> None:
    """Query a dataset; dimensions neither in --by nor filtered are summed over."""

    def run() -> None:
        from migralink.disclosure import publish_query
        from migralink.export import chosen_policy, is_public
        from migralink.store.query import QuerySpec
        from migralink.store.query_lang import (
            parse_by,
            parse_filters,
            parse_measure,
            parse_periods,
        )

        chosen = chosen_policy(policy, threshold, dp_epsilon)  # once, for this release
        written = file_format(format, output)  # before any work: -o out.csv wrote nothing
        with Evidence(db, read_only=True) as ev:
            if is_public(ev, dataset):
                result = ev.query(
                    dataset, version=version, period=period, region=region, filters=filter,
                    by=by or (), boundaries=boundaries, level=level, measure=measure,
                    names=False,
                )
            else:  # protected: the release gate answers, the stored table is not asked
                spec = QuerySpec(dataset, version, parse_periods(period),
                                 None if region is None else str(region),
                                 parse_filters(filter), parse_by(by or ()), boundaries, level,
                                 parse_measure(measure))
                result = publish_query(ev.gateway, spec, policy=chosen)
                err.print(f"disclosure policy: {chosen.to_json()}", highlight=False)
        if written is Format.json:
            text = json.dumps(result.as_json(), ensure_ascii=False)
            emit_text(text, output)
        elif written is Format.table:
            print_frame(result.frame, f"{dataset} v{result.version}")
        else:
            write(result.frame, written, output)
        for note in result.notes:  # on stderr in every format: the data stay clean
            err.print(f"note: {note}", highlight=False)

    guard(run)


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
    format: Annotated[str | None, typer.Option(
        "--format", help="sdmx, datapackage (-o is a folder), parquet or csv.")] = None,
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
        if format is not None:  # the formats of migralink.exports (issue 13)
            from migralink.cli.report import export_formatted

            return export_formatted(db, dataset, format, output, chosen, version)
        with Evidence(db, read_only=True) as ev:
            result = export_dataset(ev, dataset, output, policy=chosen, version=version)
        kind = "published aggregate: released as published" if result.public and not (
            chosen.protect_public) else f"{result.suppressed:,} cell(s) suppressed"
        out.print(f"wrote {result.path} ({result.rows:,} rows; {kind})", highlight=False)
        out.print(f"disclosure report: {result.report_path}", highlight=False)

    guard(run)



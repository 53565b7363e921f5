"""``migralink report``: evidence profiles of regions as PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from migralink.cli.apps import app
from migralink.cli.output import DEFAULT_DB, DbOption, err, guard, out, progress_bar
from migralink.errors import ConfigError, MigralinkError
from migralink.evidence import Evidence


@app.command()
def report(
    region: Annotated[
        str | None, typer.Argument(help="A province or local government: 경기도, 안산시, 41270.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    period: Annotated[str | None, typer.Option(help="Reference year (default: latest).")] = None,
    lang: Annotated[str, typer.Option(help="ko or en.")] = "ko",
    format: Annotated[str, typer.Option("--format", help="pdf or html.")] = "pdf",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="The file (a folder with --all).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every region of --level.")] = False,
    level: Annotated[str, typer.Option(help="With --all: sido or sigungu.")] = "sigungu",
) -> None:
    """An evidence profile: key figures, rank, trends, composition, sources, disclosure."""
    from migralink.reports import load_profile_data, profile_regions, render_profile
    from migralink.reports.batch import check_options, profile_period, write_profiles

    def run() -> None:
        if all_ == (region is not None):
            raise ConfigError(title="give either a REGION or --all",
                              hint="e.g. 'migralink report 안산시' or "
                              "'migralink report --all --level sido -o profiles/'")
        check_options(lang, format)  # before the (slower) read
        _check_suffix(output, format, single=region is not None)
        year = profile_period(period)  # 2019년 as 2019, for --all's count as for one
        if all_ and level not in ("sido", "sigungu"):
            raise ConfigError(title=f"no profiles by {level!r}", hint="use --level sido or sigungu")
        with Evidence(db, read_only=True) as ev:
            data = load_profile_data(ev.gateway)
        if region is not None:
            done = render_profile(data, region, period=year, lang=lang, format=format)
            path = output or Path(done.filename)
            from migralink.exports.files import atomic_write

            atomic_write(path, done.content)
            out.print(f"wrote {path} ({len(done.content) / 1024:,.0f} KB)", highlight=False)
            return
        if output is None:
            raise ConfigError(title="--all needs a folder", hint="add -o FOLDER")
        regions = profile_regions(data, level)
        total = sum(1 for r in regions if year is None or year in data.periods[r])
        with progress_bar() as progress:
            task = progress.add_task("rendering", total=total)

            def step(name: str) -> None:
                progress.update(task, description=f"rendered {name}")
                progress.advance(task)

            written = write_profiles(data, level, output, period=year, langs=(lang,),
                                     format=format, step=step)
        err.print(f"wrote {len(written)} profiles to {output}", highlight=False)
        if total < len(regions):
            err.print(f"left out {len(regions) - total} region(s) without figures for "
                      f"{year}", highlight=False)

    guard(run)


def _check_suffix(output: Path | None, format: str, *, single: bool) -> None:
    """A profile's file name must say its format: ``-o x.pdf`` with ``--format html``
    wrote HTML into a file named .pdf (and the other way round)."""
    if not single or output is None:
        return
    suffix = output.suffix.lower()
    wanted = {"pdf": (".pdf",), "html": (".html", ".htm")}.get(format, ())
    if suffix in (".pdf", ".html", ".htm") and suffix not in wanted:
        raise ConfigError(title=f"--format {format} does not match the file name "
                          f"{output.name}",
                          hint=f"name the file {wanted[0] if wanted else ''} or give "
                          f"--format {'pdf' if suffix == '.pdf' else 'html'}")


def export_formatted(db: Path, dataset: str, format: str, output: Path, policy: object,
                     version: int | None) -> None:
    """``migralink export DATASET --format F``: write and say what was written."""
    from migralink.disclosure import DisclosurePolicy
    from migralink.exports import export_as

    chosen = policy if isinstance(policy, DisclosurePolicy) else DisclosurePolicy()
    suffix = output.suffix.lower()
    if format in ("csv", "parquet") and suffix in (".csv", ".parquet") and suffix != f".{format}":
        raise MigralinkError(  # CSV text was written into x.parquet
            title=f"--format {format} does not match the file name {output.name}",
            hint=f"name the file .{format}, or give --format {suffix[1:]}",
        )
    with Evidence(db, read_only=True) as ev:
        result = export_as(ev.gateway, dataset, format, output, policy=chosen, version=version)
    kind = ("published aggregate: released as published" if result.public
            and not chosen.protect_public else f"{result.suppressed:,} cell(s) suppressed")
    out.print(f"wrote {result.files[0]} ({result.rows:,} rows; {kind})", highlight=False)
    for extra in result.files[1:]:
        out.print(f"  and {extra}", highlight=False)

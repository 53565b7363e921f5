"""Record-linkage commands: ``migralink link`` and ``migralink dedupe``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from migralink.cli.apps import app
from migralink.cli.output import err, guard, out, progress_bar

__all__ = ["dedupe", "link"]

SpecOption = Annotated[Path, typer.Option("--spec", help="The linkage spec (JSON).")]
OutOption = Annotated[Path, typer.Option("-o", "--output", help="Links file (.csv/.parquet).")]
DbOpt = Annotated[Path | None, typer.Option(
    "--db", help="The evidence base, for inputs written evidence:TABLE.")]


def _run(sources: list[str], spec_path: Path, output: Path, db: Path | None,
         link_type: str) -> None:
    from dataclasses import replace

    from migralink.linkage import LinkageSpec, link_files
    from migralink.linkage.outputs import check_outputs, output_paths

    # the spec is an input too: with a spec named links.report.json, "-o links.csv"
    # would write the report over it
    check_outputs(output_paths(output), [str(spec_path)], None)
    spec = LinkageSpec.load(spec_path)
    if spec.link_type != link_type and not (link_type == "link_only"
                                            and spec.link_type == "link_and_dedupe"):
        spec = replace(spec, link_type=link_type)  # type: ignore[arg-type]
    steps = ["prior", "u", *[f"em{i}" for i in range(len(spec.training_rules))], "score",
             "cluster"]
    with progress_bar() as bar:
        task = bar.add_task("linkage", total=len(steps))

        def step(name: str) -> None:
            bar.update(task, advance=1, description=name)

        result = link_files(sources, spec, output, database=db, step=step)
    for line in result.quality.lines():
        out.print(line)
    err.print(f"links: {result.links}  clusters: {result.clusters}  report: {result.report}  "
              f"clerical sample: {result.clerical}")


@app.command("link")
def link(
    left: Annotated[str, typer.Argument(help="CSV, Parquet or evidence:TABLE.")],
    right: Annotated[str, typer.Argument(help="CSV, Parquet or evidence:TABLE.")],
    spec: SpecOption,
    output: OutOption,
    db: DbOpt = None,
) -> None:
    """Link two registers with a Splink model (EM training, scoring, clustering, report)."""
    guard(lambda: _run([left, right], spec, output, db, "link_only"))


@app.command("dedupe")
def dedupe(
    source: Annotated[str, typer.Argument(help="CSV, Parquet or evidence:TABLE.")],
    spec: SpecOption,
    output: OutOption,
    db: DbOpt = None,
) -> None:
    """Find the records of one register that describe the same person."""
    guard(lambda: _run([source], spec, output, db, "dedupe_only"))

"""Commands that publish and look up: codes, fetch, indicators, top, serve, sample."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from migralink.cli.apps import app, codes_app, fetch_app, indicators_app, sample_app
from migralink.cli.output import (
    DEFAULT_DB,
    DbOption,
    DpEpsilonOption,
    Format,
    PolicyOption,
    ThresholdOption,
    err,
    guard,
    out,
    progress_bar,
    show,
)
from migralink.errors import ConfigError, MigralinkError
from migralink.evidence import Evidence


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

    guard(lambda: show(region_list(year), format, output, "regions"))


@codes_app.command("nationalities")
def codes_nationalities(
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Nationalities (ISO 3166-1 alpha-3 and the ministries' own categories)."""
    from migralink.codes import nationality_table

    guard(lambda: show(nationality_table(), format, output, "nationalities"))


@codes_app.command("statuses")
def codes_statuses(
    format: Format = Format.table,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Residence statuses (체류자격) with their policy groups."""
    from migralink.codes import status_table

    guard(lambda: show(status_table(), format, output, "residence statuses"))


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

    guard(run)


@app.command()
def top(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1, help="How many local governments.")] = 15,
) -> None:
    """Local governments with the most foreign residents: share, growth, largest group."""
    from migralink.indicators import headline

    def run() -> None:
        with Evidence(db, read_only=True) as ev:
            result = headline(ev, limit)
        Console(width=max(out.width, 120)).print(result.table())

    guard(run)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    policy: PolicyOption = None,
    threshold: ThresholdOption = None,
    dp_epsilon: DpEpsilonOption = None,
) -> None:
    """Serve the dashboard and the HTTP API (ingestion only with MIGRALINK_API_TOKEN set)."""
    from dataclasses import replace as with_policy

    from migralink.api import ApiConfig
    from migralink.api import serve as run_server
    from migralink.export import chosen_policy

    def run() -> None:
        if not db.exists():
            raise MigralinkError(
                title=f"no evidence base at {db}", hint="build one first: make run, or "
                "migralink sample load --db PATH"
            )
        err.print(f"migralink: dashboard and API on http://{host}:{port}/ "
                  f"(API docs: http://{host}:{port}/docs; Ctrl+C stops)", highlight=False)
        config = ApiConfig.from_env(db)
        if policy is not None or threshold is not None or dp_epsilon is not None:
            chosen = chosen_policy(policy, threshold, dp_epsilon)  # once, for the server
            config = with_policy(config, disclosure_policy=chosen.to_json())
        err.print(f"disclosure policy: {config.policy().to_json()}", highlight=False)
        run_server(config, host=host, port=port)

    guard(run)


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
        if id is not None and not id.strip():  # `--id ""` (an unset variable) listed all
            raise ConfigError(title="--id is empty",
                              hint="give an indicator id (migralink indicators catalogue) or "
                              "leave --id out for every indicator")
        with Evidence(db, read_only=True) as ev:
            frame = list_indicators(ev, indicator=id, region=region, periods=period, by=by)
        show(frame, format, output, f"indicators{' ' + id if id else ''}")

    guard(run)


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
        show(frame, format, output, "indicator catalogue")

    guard(run)


@indicators_app.command("compute")
def indicators_compute(db: DbOption = DEFAULT_DB) -> None:
    """Compute every indicator the data allow and store them as dataset 'indicators'."""
    from migralink.indicators import compute_indicators, store_indicators

    def run() -> None:
        with Evidence(db) as ev:
            result = store_indicators(ev, compute_indicators(ev))
        verb = f"version {result.version}" if result.changed else "unchanged"
        out.print(f"indicators {verb} ({result.observations:,} observations)", highlight=False)

    guard(run)


@sample_app.command("load")
def sample_load(db: DbOption = DEFAULT_DB) -> None:
    """Build the evidence base from the bundled sample (what 'make run' does)."""
    from migralink.sample import load_sample

    def run() -> None:
        with Evidence(db) as ev, ev.gateway.transaction():
            loaded = load_sample(ev.gateway)
        err.print(f"loaded {len(loaded)} datasets from the bundled sample into {db}")

    guard(run)


@sample_app.command("build")
def sample_build(
    shared: Annotated[Path, typer.Option(help="The shared/data folder of published files.")],
    out: Annotated[Path | None, typer.Option(help="Output folder (default: the package's).")]
    = None,
) -> None:
    """Rebuild the bundled sample from the published files with the ingest code."""
    from migralink.sample import SHARED_FILES, build_sample, sample_dir

    def run() -> None:
        with progress_bar() as progress:
            task = progress.add_task("building", total=len(SHARED_FILES))

            def step(name: str) -> None:
                progress.update(task, description=f"ingesting {name}")
                progress.advance(task)

            path = build_sample(shared, out or sample_dir(), step)
        out_console = Console()
        out_console.print(f"wrote {path}")

    guard(run)



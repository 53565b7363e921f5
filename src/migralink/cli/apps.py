"""The command tree: the main app and its groups (commands register on them)."""

from __future__ import annotations

import typer

__all__ = ["app", "codes_app", "fetch_app", "indicators_app", "sample_app"]

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


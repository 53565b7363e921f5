"""Commands on public discourse: ``check`` (numeric claims) and ``media …`` (hostility)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from migralink.cli.apps import app
from migralink.cli.output import DEFAULT_DB, DbOption, guard, out

__all__ = ["media_app"]

media_app = typer.Typer(help="Hostile content about migrants: classify texts, monitor, train.")
app.add_typer(media_app, name="media")


class CheckFormat(StrEnum):
    """Output of ``migralink check``."""

    text = "text"
    json = "json"


@app.command()
def check(
    text: Annotated[str, typer.Argument(help="Text with numeric claims about migrants.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[CheckFormat, typer.Option(help="text or json.")] = CheckFormat.text,
) -> None:
    """Rule on numeric claims about migrants with the official figures of the evidence base."""

    def run() -> None:
        from migralink.media import Checker

        checker = Checker.open(db)
        try:
            rulings = checker.check_text(text)
        finally:
            checker.evidence.close()
        if format is CheckFormat.json:
            out.print_json(json.dumps([r.as_dict() for r in rulings], ensure_ascii=False))
            return
        if not rulings:
            out.print("no numeric claim about migrants found", markup=False)
            return
        from migralink.media.checker import VERDICT_LABELS

        for ruling in rulings:
            out.print(f"«{ruling.claim.sentence}»", markup=False, highlight=False)
            out.print(f"  verdict: {VERDICT_LABELS[ruling.verdict]}", markup=False,
                      highlight=False)
            out.print(f"  {ruling.explanation}", markup=False, highlight=False, soft_wrap=True)
            for c in ruling.citations:
                out.print(f"  source: {c.dataset} v{c.version} {c.period} = {c.value:,.0f} "
                          f"({c.publisher}; {', '.join(c.source_files)})", markup=False,
                          highlight=False, soft_wrap=True)

    guard(run)

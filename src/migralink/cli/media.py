"""Commands on public discourse: ``check`` (numeric claims) and ``media …`` (hostility)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from migralink.cli.apps import app
from migralink.cli.output import DEFAULT_DB, DbOption, err, guard, out

if TYPE_CHECKING:
    import polars as pl

    from migralink.media.monitor import FileFormat

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


class TextFormat(StrEnum):
    """Formats of text files to classify."""

    csv = "csv"
    jsonl = "jsonl"


def _skipped(frame: pl.DataFrame) -> str:
    """How many texts were not scored, and why ("" when every text was)."""
    from migralink.media.pieces import EMPTY, NO_HANGUL

    reasons = {EMPTY: "empty", NO_HANGUL: "no Hangul (the model reads Korean only)"}
    parts = [f"{n:,} {reasons[status]}" for status in (EMPTY, NO_HANGUL)
             if (n := int((frame["status"] == status).sum()))]
    return ", ".join(parts)


@media_app.command("classify")
def media_classify(
    file: Annotated[Path, typer.Argument(help="CSV or JSONL with a 'text' column.")],
    format: Annotated[TextFormat | None, typer.Option(
        "--format", help="csv or jsonl (default: from the file name).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Write here (default: stdout).")] = None,
) -> None:
    """Add hostile (0/1), score, target and spans to every row; input columns are kept."""

    def run() -> None:
        from migralink.media.monitor import classify_frame, read_texts, write_frame

        kind: FileFormat = format.value if format else (
            "jsonl" if file.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv")
        frame = classify_frame(read_texts(file, kind))
        text = write_frame(frame, output, kind)
        if text is not None:
            typer.echo(text, nl=False)
        else:
            hostile = int(frame["hostile"].sum())
            out.print(f"{frame.height:,} texts classified, {hostile:,} hostile → {output}",
                      markup=False, highlight=False)
        skipped = _skipped(frame)
        if skipped:
            err.print(f"not scored (status column): {skipped}", markup=False,
                      highlight=False)

    guard(run)


@media_app.command("monitor")
def media_monitor(
    file: Annotated[Path, typer.Argument(help="CSV or JSONL with text, date (and source).")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[TextFormat | None, typer.Option(
        "--format", help="csv or jsonl (default: from the file name).")] = None,
) -> None:
    """Store counts and shares of hostile texts by month, source and target group."""

    def run() -> None:
        from migralink.media.model import load_model
        from migralink.media.monitor import (
            MONITOR_DATASET,
            classify_frame,
            monthly_counts,
            months_of,
            read_texts,
            store_counts,
        )

        kind: FileFormat | None = format.value if format else None
        texts = read_texts(file, kind)
        months_of(texts, file, kind)  # every date checked before the slow part
        model = load_model()
        frame = classify_frame(texts, model)
        counts = monthly_counts(frame, file, kind)
        version = store_counts(db, counts, file, model)
        out.print(f"{int(counts['texts'].sum()):,} texts, {int(counts['hostile'].sum()):,} "
                  f"hostile → {MONITOR_DATASET} version {version}", markup=False,
                  highlight=False)
        skipped = _skipped(frame)
        if skipped:
            err.print(f"not counted: {skipped}", markup=False, highlight=False)

    guard(run)


@media_app.command("train")
def media_train(
    media: Annotated[Path, typer.Option(help="The corpora: ../shared/data/media.")] = Path(
        "../shared/data/media"),
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Folder for the model (default: the package's own).")] = None,
) -> None:
    """Rebuild the hostility classifier from the corpora (deterministic; minutes)."""

    def run() -> None:
        from migralink.media.model import model_dir
        from migralink.media.train import train

        meta = train(media, output or model_dir())
        out.print_json(json.dumps(meta.get("evaluation", {}), ensure_ascii=False))

    guard(run)

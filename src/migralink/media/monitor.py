"""Classifying files of texts, and storing monthly counts of hostile content.

``migralink media classify FILE`` reads a CSV or JSONL file with a ``text`` column
(optionally ``date`` and ``source``), keeps every input column and adds ``hostile``,
``score``, ``target``, ``spans`` and ``status`` (``scored``; ``empty`` or ``no_hangul``
for a text the model cannot score, whose ``hostile`` and ``score`` stay empty:
:mod:`migralink.media.pieces`). ``migralink media monitor FILE`` stores the counts of
scored texts and of hostile texts by month, source and target group as the dataset
``media_hostility`` through the catalogue (one write, with provenance; texts that were not
scored are left out of the counts and reported); shares are read from those counts, and
everything published goes through the release gate. Every date is checked before any
text is classified: the file lands whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import polars as pl

from migralink.errors import InputError, Location
from migralink.media.model import HostilityModel, load_model
from migralink.media.pieces import SCORED

__all__ = [
    "MONITOR_DATASET",
    "classify_frame",
    "monthly_counts",
    "months_of",
    "read_texts",
    "store_counts",
    "write_frame",
]

MONITOR_DATASET = "media_hostility"
FileFormat = Literal["csv", "jsonl"]
#: Texts scored per batch: Kiwi and the sparse products work best on a few hundred at once.
_BATCH = 512
#: A calendar date, optionally followed by a time of day (2024-03-01, 2024/03/01 10:00,
#: 2024-03-01T10:00:00+09:00).
_DATE = re.compile(r"^(\d{4})([-./])(\d{2})\2(\d{2})"
                   r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
#: No online text is older than this; a year before it is a typing or export error.
_FIRST_YEAR = 1990


def _format_of(path: Path, fmt: FileFormat | None) -> FileFormat:
    if fmt is not None:
        return fmt
    return "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"


def read_texts(path: Path, fmt: FileFormat | None = None) -> pl.DataFrame:
    """The rows of a CSV or JSONL file, every column as text; ``text`` must be there.

    Raises:
        InputError: the file is missing, not UTF-8, a JSON line is broken, or there is no
            ``text`` column (naming file, row and column).
    """
    if not path.is_file():
        raise InputError(title="the file does not exist", hint="check the path",
                         location=Location(file=str(path)))
    kind = _format_of(path, fmt)
    try:
        if kind == "csv":
            frame = pl.read_csv(path, infer_schema=False)
        else:
            frame = pl.DataFrame(list(_json_lines(path)), infer_schema_length=None)
            frame = frame.with_columns(pl.all().cast(pl.String))
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        raise InputError(title=f"the file cannot be read as {kind}: {str(exc).splitlines()[0]}",
                         hint="give UTF-8 CSV with a header row, or one JSON object a line",
                         location=Location(file=str(path))) from None
    if frame.height == 0:
        raise InputError(title="the file holds no rows of text",
                         hint="give a header row and one row per text", location=Location(
                             file=str(path)))
    if "text" not in frame.columns:
        raise InputError(title="there is no 'text' column",
                         hint=f"the columns are {', '.join(frame.columns) or 'none'}; name the "
                         "column of texts 'text'", location=Location(file=str(path),
                                                                     column="text"))
    return frame


def _json_lines(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(title=f"line {number} is not JSON ({exc.msg})",
                                 hint="write one JSON object a line",
                                 location=Location(file=str(path), row=number)) from None
            if not isinstance(item, dict):
                raise InputError(title=f"line {number} is not a JSON object",
                                 hint='write one object a line, e.g. {"text": "…"}',
                                 location=Location(file=str(path), row=number))
            yield item


def classify_frame(frame: pl.DataFrame, model: HostilityModel | None = None) -> pl.DataFrame:
    """``frame`` with ``hostile``, ``score``, ``target``, ``spans`` and ``status`` added
    (``hostile`` and ``score`` empty where the text was not scored)."""
    model = model or load_model()
    texts: list[str | None] = frame["text"].to_list()
    decisions = []
    for start in range(0, len(texts), _BATCH):
        decisions += model.classify(texts[start:start + _BATCH])
    return frame.with_columns(
        pl.Series("hostile", [d.hostile for d in decisions], dtype=pl.Int8),
        pl.Series("score", [None if d.score is None else round(d.score, 4)
                            for d in decisions], dtype=pl.Float64),
        pl.Series("target", [d.target for d in decisions], dtype=pl.String),
        pl.Series("spans", [list(d.spans) for d in decisions], dtype=pl.List(pl.String)),
        pl.Series("status", [d.status for d in decisions], dtype=pl.String),
    )


def write_frame(frame: pl.DataFrame, out: Path | None, fmt: FileFormat) -> str | None:
    """Write classified rows to ``out`` atomically (or return them as text)."""
    if fmt == "csv":
        text = frame.with_columns(pl.col("spans").list.join(" | ")).write_csv()
    else:
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n"
                       for row in frame.iter_rows(named=True))
    if out is None:
        return text
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return None


def months_of(frame: pl.DataFrame, path: Path, fmt: FileFormat | None = None) -> list[str]:
    """The month (YYYY-MM) of every row's ``date``.

    Raises:
        InputError: no ``date`` column, or a date that is not a real calendar date from
            1990 to today (naming the first such row and how many there are).
    """
    if "date" not in frame.columns:
        raise InputError(title="there is no 'date' column to count by month",
                         hint="add a date (YYYY-MM-DD) to every row",
                         location=Location(file=str(path), column="date"))
    latest = datetime.now(UTC).date() + timedelta(days=1)  # a day of time zones
    months: list[str] = []
    bad: list[int] = []
    for i, value in enumerate(frame["date"].to_list()):
        found = _DATE.match((value or "").strip())
        try:
            day = date(*(int(found.group(k)) for k in (1, 3, 4))) if found else None
        except ValueError:  # 2024-02-30
            day = None
        if day is None or day.year < _FIRST_YEAR or day > latest:
            bad.append(i)
        else:
            months.append(f"{day.year:04d}-{day.month:02d}")
    if bad:
        more = f" (and {len(bad) - 1} more rows)" if len(bad) > 1 else ""
        value = frame["date"][bad[0]]
        shown = repr(value) if value and value.strip() else "an empty date"
        raise InputError(title=f"{shown} is not a real date{more}",
                         hint=f"write every date as YYYY-MM-DD, from {_FIRST_YEAR} to today; "
                         "nothing was stored", location=Location(file=str(path),
                                                                 row=_row(path, fmt, bad[0]),
                                                                 column="date"))
    return months


def _row(path: Path, fmt: FileFormat | None, index: int) -> int:
    """The line of row ``index`` in its file: after the header line of a CSV file; the
    ``index``-th non-blank line of a JSONL file (blank lines are skipped when read)."""
    if _format_of(path, fmt) == "csv":
        return index + 2
    with path.open(encoding="utf-8") as f:
        lines = [n for n, line in enumerate(f, start=1) if line.strip()]
    return lines[index] if index < len(lines) else index + 1


def monthly_counts(classified: pl.DataFrame, path: Path,
                   fmt: FileFormat | None = None) -> pl.DataFrame:
    """Scored texts and hostile texts by month, source and target group (one column
    each); texts that were not scored (``status``: empty, no Hangul) are not counted.

    Raises:
        InputError: no ``date`` column, a date that is not a real date (with its row),
            or no text that could be scored.
    """
    months = months_of(classified, path, fmt)
    source = (classified["source"].fill_null("unknown") if "source" in classified.columns
              else pl.Series("source", ["all"] * classified.height))
    base = pl.DataFrame({
        "period": months, "source": source.to_list(),
        "target": classified["target"].fill_null("none").to_list(),
        "hostile": classified["hostile"].cast(pl.Int64).to_list(),
        "status": classified["status"].to_list(),
    }).filter(pl.col("status") == SCORED)
    if base.height == 0:
        raise InputError(title="no text in the file could be scored (every one is empty or "
                         "has no Hangul)", hint="give Korean texts in the 'text' column",
                         location=Location(file=str(path), column="text"))
    grouped = base.group_by("period", "source", "target").agg(
        pl.len().cast(pl.Int64).alias("texts"), pl.col("hostile").sum().alias("hostile"))
    return grouped.sort("period", "source", "target")


def store_counts(db: Path, counts: pl.DataFrame, path: Path, model: HostilityModel) -> int:
    """Store ``counts`` as a new version of ``media_hostility``; returns the version."""
    from migralink.evidence import Evidence
    from migralink.model import DatasetMeta, DimensionMeta, Measure
    from migralink.store.catalogue import NewVersion, SourceRecord, write_version

    meta = DatasetMeta(
        id=MONITOR_DATASET, title_ko="이주민·외국인 대상 혐오 표현 모니터 (월별, 출처별, 대상별)",
        title_en="Hostile content about migrants and foreigners, by month, source and target",
        publisher="migralink media monitor", source_url="", licence="as the monitored texts",
        unit="texts", reference_date="calendar month of the text's date",
        notes="counts from the shipped classifier (see docs/media.md for its error rates); "
        "share = hostile / texts", period_day="",
        # two counts, both additive over source and target: value = texts, and hostile
        measures=(Measure("value", "글 수", "texts", unit="texts", value_kind="count"),
                  Measure("hostile", "혐오 글 수", "hostile texts", unit="texts",
                          value_kind="count")),
    )
    dims = (DimensionMeta("source", "출처", "source"),
            DimensionMeta("target", "대상 집단", "target group"))
    frame = counts.with_columns(pl.lit("00").alias("region"), pl.lit("A").alias("status"))
    frame = frame.select("period", "region", "source", "target",
                         pl.col("texts").cast(pl.Float64).alias("value"),
                         pl.col("hostile").cast(pl.Float64), "status")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    model_sha = hashlib.sha256(json.dumps(model.meta, sort_keys=True).encode()).hexdigest()
    with Evidence(db) as ev:
        written = write_version(ev.gateway, NewVersion(
            meta=meta, dimensions=dims, frame=frame, origin="derived",
            source=SourceRecord(path.name, digest, model_sha, rows_read=int(
                counts["texts"].sum())),
        ))
    return written.version

"""Classifying files of texts, and storing monthly counts of hostile content.

``migralink media classify FILE`` reads a CSV or JSONL file with a ``text`` column
(optionally ``date`` and ``source``), keeps every input column and adds ``hostile``,
``score``, ``target`` and ``spans``. ``migralink media monitor FILE`` stores the counts of
texts and of hostile texts by month, source and target group as the dataset
``media_hostility`` through the catalogue (one write, with provenance); shares are read
from those counts, and everything published goes through the release gate.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import polars as pl

from migralink.errors import InputError, Location
from migralink.media.model import HostilityModel, load_model

__all__ = ["MONITOR_DATASET", "classify_frame", "monthly_counts", "read_texts", "store_counts",
           "write_frame"]

MONITOR_DATASET = "media_hostility"
FileFormat = Literal["csv", "jsonl"]
#: Texts scored per batch: Kiwi and the sparse products work best on a few hundred at once.
_BATCH = 512
_MONTH = re.compile(r"^(\d{4})[-./](\d{1,2})")


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
    except (pl.exceptions.ComputeError, UnicodeDecodeError) as exc:
        raise InputError(title=f"the file cannot be read as {kind}: {str(exc).splitlines()[0]}",
                         hint="give UTF-8 CSV with a header row, or one JSON object a line",
                         location=Location(file=str(path))) from None
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
    """``frame`` with ``hostile``, ``score``, ``target`` and ``spans`` added."""
    model = model or load_model()
    texts = [t or "" for t in frame["text"].to_list()]
    decisions = []
    for start in range(0, len(texts), _BATCH):
        decisions += model.classify(texts[start:start + _BATCH])
    return frame.with_columns(
        pl.Series("hostile", [d.hostile for d in decisions], dtype=pl.Int8),
        pl.Series("score", [round(d.score, 4) for d in decisions], dtype=pl.Float64),
        pl.Series("target", [d.target for d in decisions], dtype=pl.String),
        pl.Series("spans", [list(d.spans) for d in decisions], dtype=pl.List(pl.String)),
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


def monthly_counts(classified: pl.DataFrame, path: Path) -> pl.DataFrame:
    """Texts and hostile texts by month, source and target group (one column each).

    Raises:
        InputError: no ``date`` column, or a date that names no month (with its row).
    """
    if "date" not in classified.columns:
        raise InputError(title="there is no 'date' column to count by month",
                         hint="add a date (YYYY-MM-DD) to every row",
                         location=Location(file=str(path), column="date"))
    months = []
    for i, value in enumerate(classified["date"].to_list()):
        found = _MONTH.match(value or "")
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise InputError(title=f"{value!r} is not a date", hint="write dates as YYYY-MM-DD",
                             location=Location(file=str(path), row=i + 2, column="date"))
        months.append(f"{found.group(1)}-{int(found.group(2)):02d}")
    source = (classified["source"].fill_null("unknown") if "source" in classified.columns
              else pl.Series("source", ["all"] * classified.height))
    base = pl.DataFrame({
        "period": months, "source": source.to_list(),
        "target": classified["target"].fill_null("none").to_list(),
        "hostile": classified["hostile"].cast(pl.Int64).to_list(),
    })
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

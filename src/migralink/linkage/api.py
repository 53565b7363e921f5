"""The Python API of a whole linkage run: read, prepare, fit, score, cluster, report, write."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migralink.linkage.engine import LinkResult, Step, prepare, run
from migralink.linkage.io import read_input, write_output
from migralink.linkage.quality import QualityReport, clerical_sample, quality_report
from migralink.linkage.spec import LinkageSpec

__all__ = ["LinkOutputs", "link_files"]


@dataclass(frozen=True)
class LinkOutputs:
    """Files written by :func:`link_files` and the run's report."""

    links: Path
    clusters: Path
    report: Path
    clerical: Path
    quality: QualityReport
    result: LinkResult


def link_files(sources: Sequence[str], spec: LinkageSpec, out: Path, *,
               database: Path | None = None, db_api: Any = None,
               step: Step | None = None) -> LinkOutputs:
    """Link (two or more sources) or deduplicate (one source) and write the outputs.

    ``out`` is the links file (``.csv`` or ``.parquet``); beside it are written
    ``<stem>.clusters<suffix>``, ``<stem>.report.json`` (quality report, spec, model) and
    ``<stem>.clerical.csv`` (the clerical-review sample).
    """
    names = [Path(s).stem if not s.startswith("evidence:") else s.split(":", 1)[1]
             for s in sources]
    if len(set(names)) != len(names):
        names = [f"{n}_{i}" for i, n in enumerate(names)]
    frames = [prepare(read_input(s, database=database), spec, source=s) for s in sources]
    result = run(frames, spec, names=names, db_api=db_api, step=step)
    quality = quality_report(result, spec)
    out.parent.mkdir(parents=True, exist_ok=True)
    clusters = out.with_name(f"{out.stem}.clusters{out.suffix}")
    report = out.with_name(f"{out.stem}.report.json")
    clerical = out.with_name(f"{out.stem}.clerical.csv")
    write_output(result.links, out)
    write_output(result.clusters, clusters)
    clerical_sample(result, dict(zip(names, frames, strict=True)), spec, clerical)
    payload = {"quality": quality.to_dict(), "spec": json.loads(spec.to_json()),
               "model": result.model}
    tmp = report.with_name(report.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), "utf-8")
    tmp.replace(report)
    return LinkOutputs(out, clusters, report, clerical, quality, result)

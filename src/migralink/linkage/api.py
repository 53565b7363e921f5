"""The Python API of a whole linkage run: read, prepare, fit, score, cluster, report, write."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migralink.linkage.engine import LinkResult, Step, prepare, run
from migralink.linkage.io import EVIDENCE_PREFIX, read_input, write_frame
from migralink.linkage.outputs import check_outputs, output_paths, write_all
from migralink.linkage.quality import QualityReport, clerical_frame, quality_report
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
    ``<stem>.clerical.csv`` (the clerical-review sample): all four or none
    (:func:`.outputs.write_all`).

    Raises:
        MigralinkError: an output would replace an input or is a folder, an input is
            invalid (:mod:`.validate`), the model cannot be trained, or an output cannot be
            written (then no output was changed).
    """
    paths = output_paths(out)
    check_outputs(paths, sources, database)  # before the work: fail fast, never overwrite
    names = [Path(s).stem if not s.startswith(EVIDENCE_PREFIX) else s.split(":", 1)[1]
             for s in sources]
    if len(set(names)) != len(names):
        names = [f"{n}_{i}" for i, n in enumerate(names)]
    frames = [prepare(read_input(s, database=database), spec, source=s) for s in sources]
    result = run(frames, spec, names=names, db_api=db_api, step=step)
    quality = quality_report(result, spec)
    clerical = clerical_frame(result, dict(zip(names, frames, strict=True)), spec)
    payload = {"quality": quality.to_dict(), "spec": json.loads(spec.to_json()),
               "model": result.model}
    report = json.dumps(payload, indent=2, ensure_ascii=False, default=str)

    def write_report(tmp: Path) -> None:
        tmp.write_text(report, "utf-8")

    write_all({
        paths.links: lambda tmp: write_frame(result.links, tmp, like=paths.links),
        paths.clusters: lambda tmp: write_frame(result.clusters, tmp, like=paths.clusters),
        paths.report: write_report,
        paths.clerical: lambda tmp: clerical.write_csv(tmp),
    })
    return LinkOutputs(paths.links, paths.clusters, paths.report, paths.clerical, quality,
                       result)

"""The output files of a linkage run, written all together or not at all.

A run writes four files (links, clusters, report, clerical sample). Each is first written to
a temporary file beside its target; only when all are written are they moved in place, the
previous outputs kept aside until the last move succeeded. On any failure the temporaries
are removed, the previous outputs put back, and one :class:`~migralink.errors.MigralinkError`
says which file could not be written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from migralink.errors import MigralinkError
from migralink.linkage.io import EVIDENCE_PREFIX

__all__ = ["OutputPaths", "check_outputs", "output_paths", "write_all"]

Writer = Callable[[Path], None]


@dataclass(frozen=True)
class OutputPaths:
    """The four files of a run, named after the links file."""

    links: Path
    clusters: Path
    report: Path
    clerical: Path

    def all(self) -> list[Path]:
        """The four paths, links first."""
        return [self.links, self.clusters, self.report, self.clerical]


def output_paths(out: Path) -> OutputPaths:
    """``out`` and, beside it, ``<stem>.clusters<suffix>``, ``.report.json``, ``.clerical.csv``."""
    return OutputPaths(out, out.with_name(f"{out.stem}.clusters{out.suffix}"),
                       out.with_name(f"{out.stem}.report.json"),
                       out.with_name(f"{out.stem}.clerical.csv"))


def _same(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)  # also hard links and case-insensitive file systems
    return a.resolve() == b.resolve()


def check_outputs(paths: OutputPaths, sources: Sequence[str], database: Path | None) -> None:
    """Refuse outputs that would replace an input (or the evidence base) or a folder.

    Raises:
        MigralinkError: naming the output and the input it would overwrite.
    """
    if paths.links.suffix.lower() not in (".csv", ".parquet"):
        raise MigralinkError(f"links file {paths.links}: unknown type {paths.links.suffix!r}",
                             hint="name the -o file .csv or .parquet")
    inputs = [Path(s) for s in sources if not s.startswith(EVIDENCE_PREFIX)]
    if database is not None:
        inputs.append(database)
    for target in paths.all():
        for source in inputs:
            if _same(target, source):
                raise MigralinkError(f"output {target} is the input {source}: writing it would "
                                     "replace the input", hint="choose another -o path")
        if target.is_dir():
            raise MigralinkError(f"output {target} is a folder, not a file",
                                 hint="remove or rename that folder, or choose another -o path")


def _remove(paths: Sequence[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def write_all(writers: Mapping[Path, Writer]) -> None:
    """Write every file with its writer (called with a temporary path), then move all in place.

    Raises:
        MigralinkError: a file could not be written or moved; no target was changed.
    """
    tag = f".{os.getpid()}.tmp"
    temps = {target: target.with_name(target.name + tag) for target in writers}
    backups = {target: target.with_name(target.name + tag + ".old") for target in writers}
    moved: list[Path] = []
    kept: list[Path] = []
    current = next(iter(writers))
    try:
        for target, write in writers.items():
            current = target
            target.parent.mkdir(parents=True, exist_ok=True)
            write(temps[target])
        for target in writers:
            current = target
            if target.is_dir():
                raise IsADirectoryError(21, "Is a directory")
            if target.exists():
                target.replace(backups[target])
                kept.append(target)
            temps[target].replace(target)
            moved.append(target)
    except (OSError, pl.exceptions.PolarsError) as exc:
        _remove(moved)
        for target in kept:
            backups[target].replace(target)
        _remove(list(temps.values()))
        reason = getattr(exc, "strerror", None) or (str(exc).splitlines() or ["error"])[0]
        raise MigralinkError(f"cannot write {current}: {reason}; no output was changed",
                             hint="check that the folder is writable and the name is not a "
                                  "folder, then run again") from exc
    _remove([backups[t] for t in kept])

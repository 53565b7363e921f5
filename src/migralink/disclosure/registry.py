"""The release registry: every release of a stored dataset, kept once it is drawn.

A release (the protected cells of one period of one dataset version under one policy) is
computed once, written here, and served from here for every later request, by every
process: a DP release is drawn once and never again (averaging repeated draws would
remove the noise), and a suppression pattern never changes once published (two patterns
of one table, combined, reveal what each hides).

Releases are grouped by their *root*: the register (the persons) they are computed from.
Every release of a root is protected jointly with the ones already published from it
(:mod:`migralink.disclosure.linked`), under one policy, and its DP releases draw on one
privacy-loss budget, whose ledger is kept here too.

The registry is a folder beside the evidence base (``<db>.releases/``), written by
whichever process releases first: an API server holds the database read-only but may
still record a release. Writes are atomic (a file is renamed into place) and serialised
by a lock file, so two servers never draw the same release twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from migralink.errors import DisclosureError

__all__ = ["ReleaseStore", "StoredRelease", "release_key"]

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def release_key(dataset: str, version: int, period: str, policy_json: str) -> str:
    """The file stem of one release: readable, and unique per policy."""
    digest = hashlib.sha256(policy_json.encode()).hexdigest()[:12]
    return _SAFE.sub("_", f"{dataset}-v{version}-{period}-{digest}")


@dataclass(frozen=True)
class StoredRelease:
    """One recorded release.

    Attributes:
        meta: ``dataset``, ``version``, ``period``, ``root``, ``policy`` (JSON),
            ``report`` (a :class:`DisclosureReport` as a dict), ``epsilon`` spent.
        cells: the released cells: the table's dimension columns, ``value`` (null when
            suppressed), ``obs_status``, ``conf_status``, and ``lo``/``hi``: what anyone
            knows of each cell (the published value, or the bounds its status and
            presence give a suppressed cell).
    """

    meta: dict[str, Any]
    cells: pl.DataFrame = field(repr=False)


class ReleaseStore:
    """The releases of one evidence base.

    Args:
        folder: where releases are written; ``None`` keeps them in memory for the life
            of this object (a throw-away ``:memory:`` store).
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, StoredRelease] = {}
        self._ledger: dict[str, list[dict[str, Any]]] = {}
        key = str(folder) if folder else f"memory-{id(self)}"
        with _LOCKS_GUARD:
            self._thread_lock = _LOCKS.setdefault(key, threading.Lock())

    @classmethod
    def beside(cls, db_path: str | Path) -> ReleaseStore:
        """The registry of the evidence base at ``db_path`` (``<db>.releases``)."""
        text = str(db_path)
        if text in ("", ":memory:"):
            return cls(None)
        path = Path(text)
        return cls(path.with_name(path.name + ".releases"))

    @contextlib.contextmanager
    def locked(self) -> Iterator[ReleaseStore]:
        """Hold the registry for one release: other threads and processes wait."""
        with self._thread_lock:
            if self.folder is None:
                yield self
                return
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                handle = (self.folder / ".lock").open("a")
            except OSError as exc:
                raise DisclosureError(
                    title=f"the release registry {self.folder.name} cannot be written "
                    f"({exc.strerror})",
                    hint="protected data are released once and recorded beside the "
                    "evidence base: make its folder writable",
                ) from exc
            with handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield self
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    # -- releases ----------------------------------------------------------------------
    def get(self, key: str) -> StoredRelease | None:
        """The release recorded under ``key``, if any."""
        if self.folder is None:
            return self._memory.get(key)
        meta_path = self.folder / f"{key}.json"
        if not meta_path.is_file():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return StoredRelease(meta, pl.read_parquet(self.folder / f"{key}.parquet"))

    def put(self, key: str, release: StoredRelease) -> StoredRelease:
        """Record ``release`` under ``key`` unless one is there already (it wins)."""
        found = self.get(key)
        if found is not None:
            return found
        if self.folder is None:
            self._memory[key] = release
            return release
        _atomic_write(self.folder / f"{key}.parquet", lambda p: release.cells.write_parquet(p))
        text = json.dumps(release.meta, ensure_ascii=False, sort_keys=True, default=str)
        _atomic_write(self.folder / f"{key}.json", lambda p: p.write_text(text, "utf-8"))
        return release

    def all(self) -> list[StoredRelease]:
        """Every recorded release, in the order of their keys."""
        if self.folder is None:
            return [self._memory[k] for k in sorted(self._memory)]
        if not self.folder.is_dir():
            return []
        out = []
        for meta_path in sorted(self.folder.glob("*.json")):
            if meta_path.name == "ledger.json":
                continue
            found = self.get(meta_path.stem)
            if found is not None:
                out.append(found)
        return out

    def of_root(self, root: str) -> list[StoredRelease]:
        """The releases computed from one register."""
        return [r for r in self.all() if r.meta.get("root") == root]

    # -- the privacy-loss ledger ---------------------------------------------------------
    def ledger(self, root: str) -> list[dict[str, Any]]:
        """Every DP release drawn from ``root``: ``{"release", "epsilon"}``."""
        return list(self._read_ledger().get(root, []))

    def spend(self, root: str, release: str, epsilon: float) -> None:
        """Record that ``release`` spent ``epsilon`` of ``root``'s budget."""
        ledger = self._read_ledger()
        ledger.setdefault(root, []).append({"release": release, "epsilon": epsilon})
        if self.folder is None:
            self._ledger = ledger
            return
        text = json.dumps(ledger, sort_keys=True, indent=1)
        _atomic_write(self.folder / "ledger.json", lambda p: p.write_text(text, "utf-8"))

    def _read_ledger(self) -> dict[str, list[dict[str, Any]]]:
        if self.folder is None:
            return {k: list(v) for k, v in self._ledger.items()}
        path = self.folder / "ledger.json"
        if not path.is_file():
            return {}
        data: dict[str, list[dict[str, Any]]] = json.loads(path.read_text(encoding="utf-8"))
        return data


def _atomic_write(path: Path, write: Any) -> None:
    """Write through a temporary file renamed into place: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)

"""The server's access to the evidence base: shared read-only, released when idle.

DuckDB lets a file be opened by one writer or by many readers, never both, and a
read-only connection does not see what a writer commits after it was opened. Opening a
database costs tens of milliseconds (the catalogue is read), but a second connection to
a database already open in the process costs a fraction of one. Hence:

* :class:`StoreAccess` keeps one read-only :class:`~migralink.store.Gateway` open as the
  *root* of the database instance; each request opens its own short-lived connection
  beside it (DuckDB connections are not to be shared between threads).
* While the root is open no one can write the file, so everything read through it is a
  fixed :class:`Snapshot`: its catalogue fingerprint names the state for ETags, and the
  results of catalogue statements are memoised (:class:`SnapshotGateway`).
* After ``release_after`` idle seconds the root is closed, so ``migralink ingest`` in
  another process can take the write lock; the next request opens a new snapshot and
  sees the new versions. A request that arrives while a writer holds the file gets
  :class:`~migralink.api.errors.StoreBusyError` (503, ``Retry-After``).
* :meth:`StoreAccess.writing` is the in-process writer (``POST /api/v1/ingest``): it
  waits for the requests in flight, closes the root, lets the caller open a short-lived
  writable connection, and the next request reopens.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from migralink.api.errors import StoreBusyError
from migralink.errors import StoreError
from migralink.store import DatasetInfo, Gateway, list_datasets
from migralink.store.catalogue_rows import catalogue_state, totals_flags

__all__ = ["LruCache", "Reading", "Snapshot", "SnapshotGateway", "StoreAccess"]

_MEMO_LIMIT = 4_096  # distinct catalogue statements: a few per dataset, far below this


class LruCache:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        """The value under ``key``, or ``None``."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        """Keep ``value``, dropping the least recently used item beyond ``size``."""
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class Snapshot:
    """One state of the evidence base, fixed while the server holds the file open.

    Attributes:
        generation: increases each time the database is reopened.
        fingerprint: sha256 of the catalogue (datasets and versions): equal
            fingerprints mean equal answers.
        datasets: the datasets, by id, each with its latest version.
        totals_stored: by dataset id, whether it stores every margin (a register cube).
        memo: results of catalogue statements, keyed by SQL and parameters.
        results: derived values (query results, protected cubes), keyed by the caller.
    """

    generation: int
    fingerprint: str
    datasets: dict[str, DatasetInfo]
    totals_stored: dict[str, bool] = field(default_factory=dict)
    memo: dict[tuple[str, tuple[Any, ...]], list[tuple[Any, ...]]] = field(default_factory=dict)
    # Query results and protected cubes: a few hundred answers of a few thousand rows
    # each is a few MB; a whole-table answer is rarer and bigger.
    results: LruCache = field(default_factory=lambda: LruCache(128))
    _locks: dict[Any, threading.Lock] = field(default_factory=dict)

    def derived(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per key and snapshot (concurrent callers wait for it)."""
        found = self.results.get(key)
        if found is not None:
            return found
        lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self.results.get(key)
            if found is None:
                found = compute()
                self.results.put(key, found)
        return found


class SnapshotGateway(Gateway):
    """A request's read-only connection; catalogue reads come from the snapshot's memo.

    Memoising is sound because nothing can write the file while the snapshot is open.
    Statements are not memoised while an in-memory frame is registered (a query on
    other boundaries joins such frames), nor are Arrow results (observations).
    """

    def __init__(self, path: Path, snapshot: Snapshot) -> None:
        super().__init__(path, read_only=True)
        self.snapshot = snapshot
        self._registered = 0

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of a statement, from the memo when it was run before in this snapshot."""
        key = (sql, _frozen(params)) if not self._registered else None
        if key is not None and key in self.snapshot.memo:
            return list(self.snapshot.memo[key])  # a copy: callers may change their list
        rows = super().rows(sql, params)
        if key is not None and len(self.snapshot.memo) < _MEMO_LIMIT:
            self.snapshot.memo[key] = list(rows)
        return rows

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """One value, through :meth:`rows` (and so its memo)."""
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def register(self, name: str, frame: pl.DataFrame | pa.Table) -> None:
        """Register a frame; memoising pauses until it is unregistered."""
        self._registered += 1
        super().register(name, frame)

    def unregister(self, name: str) -> None:
        """Forget a frame."""
        super().unregister(name)
        self._registered -= 1


class Reading:
    """One request's view of the current snapshot.

    Its connection is opened on first use only: an answer already derived in the
    snapshot (a query result) needs none.
    """

    def __init__(self, path: Path, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._path = path
        self._gateway: SnapshotGateway | None = None

    @property
    def gateway(self) -> SnapshotGateway:
        """The request's read-only connection."""
        if self._gateway is None:
            self._gateway = SnapshotGateway(self._path, self.snapshot)
        return self._gateway

    def close(self) -> None:
        """Close the connection if it was opened."""
        if self._gateway is not None:
            self._gateway.close()


def _frozen(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


class StoreAccess:
    """Read-only access to one evidence base, shared by the server's threads.

    Args:
        path: the DuckDB file.
        release_after: idle seconds before the file is let go (``None``: never).
    """

    def __init__(self, path: Path, release_after: float | None) -> None:
        self.path = path
        self.release_after = release_after
        self._cond = threading.Condition()
        self._root: Gateway | None = None
        self._snapshot: Snapshot | None = None
        self._active = 0
        self._writing = False
        self._last_used = time.monotonic()
        self._generations = itertools.count(1)
        self._stop = threading.Event()
        self._reaper: threading.Thread | None = None

    @property
    def current(self) -> Snapshot | None:
        """The open snapshot, or ``None`` when the file is not held (no blocking)."""
        return self._snapshot

    @contextlib.contextmanager
    def reading(self) -> Iterator[Reading]:
        """The current snapshot, held for the length of one request.

        Raises:
            StoreBusyError: another process holds the file for writing.
        """
        with self._cond:
            while self._writing:
                self._cond.wait()
            snapshot = self._snapshot or self._open()
            self._active += 1
        view = Reading(self.path, snapshot)
        try:
            yield view
        finally:
            view.close()
            self._done()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Exclusive use of the file: the caller opens (and closes) a writable connection.

        New requests wait; the requests in flight finish first.
        """
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._writing = True
            while self._active:
                self._cond.wait()
            self._close_root()
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    def close(self) -> None:
        """Let go of the file and stop the idle timer (server shutdown)."""
        self._stop.set()
        with self._cond:
            self._close_root()

    # -- internals ---------------------------------------------------------------------
    def _done(self) -> None:
        with self._cond:
            self._active -= 1
            self._last_used = time.monotonic()
            if not self._active:
                self._cond.notify_all()

    def _open(self) -> Snapshot:
        """Open the root and read the catalogue (under the condition's lock)."""
        try:
            root = Gateway(self.path, read_only=True)
        except StoreError as exc:
            if isinstance(exc.__cause__, duckdb.IOException) and "lock" in str(exc.__cause__):
                raise StoreBusyError(
                    title="the evidence base is being written by another process",
                    hint="an ingestion is running; retry in a moment",
                ) from exc
            raise
        try:
            datasets = {d.id: d for d in list_datasets(root)}
            state = catalogue_state(root) if datasets else []
            totals = totals_flags(root) if datasets else {}
        except BaseException:
            root.close()
            raise
        digest = hashlib.sha256(repr((str(self.path), state)).encode()).hexdigest()
        self._root = root
        self._snapshot = Snapshot(next(self._generations), digest, datasets,
                                  {k: bool(v) for k, v in totals.items()})
        self._start_reaper()
        return self._snapshot

    def _close_root(self) -> None:
        self._snapshot = None
        if self._root is not None:
            self._root.close()
            self._root = None

    def _start_reaper(self) -> None:
        if self.release_after is None or self._reaper is not None:
            return
        self._reaper = threading.Thread(target=self._reap, name="migralink-release",
                                        daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        assert self.release_after is not None
        # Wake a few times per period so the file is let go soon after it falls idle.
        while not self._stop.wait(self.release_after / 4):
            with self._cond:
                idle = time.monotonic() - self._last_used
                if self._root is not None and not self._active and idle >= self.release_after:
                    self._close_root()

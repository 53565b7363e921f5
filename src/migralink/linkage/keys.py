"""Phonetic name keys of a whole column: once per distinct (name, nationality), in parallel.

Transliteration is pure Python (~0.5 ms a Latin name), so at a million records it dominates
the preparation: names repeat, so keys are computed once per distinct pair, and large inputs
are split across worker processes. The workers are fresh interpreters
(``python -m migralink.linkage.keys``, pickled chunks through pipes): forking a process
that has run DuckDB or Polars threads crashed a worker (segfault in libc), and
``multiprocessing``'s ``spawn`` re-runs the caller's script unless it has an
``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from migralink.errors import MigralinkError
from migralink.linkage.comparisons import KEY_FIELDS
from migralink.linkage.names import name_keys

__all__ = ["PARALLEL_MIN", "key_columns_of"]

# below this many distinct names, starting worker processes costs more than it saves
PARALLEL_MIN = 20_000

Pair = tuple[str | None, str | None]


def _keys_of(chunk: Sequence[Pair]) -> list[tuple[str | None, ...]]:
    out = []
    for name, nat in chunk:
        keys = name_keys(name, nat)
        out.append(tuple(getattr(keys, attr) or None for attr in KEY_FIELDS.values()))
    return out


def _in_worker(chunk: Sequence[Pair]) -> list[tuple[str | None, ...]]:
    """Keys of ``chunk`` computed by a fresh interpreter."""
    done = subprocess.run([sys.executable, "-m", "migralink.linkage.keys"],
                          input=pickle.dumps(list(chunk)), capture_output=True, check=False)
    if done.returncode != 0:
        raise MigralinkError(f"a name-key worker failed: {done.stderr.decode()[-500:]}",
                             hint="run with workers=1 to see the error in this process")
    rows: list[tuple[str | None, ...]] = pickle.loads(done.stdout)  # our own child's output
    return rows


def _workers(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    return max(1, min(os.cpu_count() or 1, 8))


def key_columns_of(names: pl.Series, nationalities: pl.Series | None, column: str, *,
                   workers: int | None = None, parallel_min: int = PARALLEL_MIN
                   ) -> pl.DataFrame:
    """The key columns (``<column>__key``, ``__skey``, … of :data:`.comparisons.KEY_FIELDS`)
    of every name, in the order of ``names``.

    Args:
        names: the full names (any script; nulls give null keys).
        nationalities: the nationality of each name (chooses the transliteration), or None.
        column: the name column (prefix of the key columns).
        workers: processes for large inputs (default: the machine's cores, at most 8).
        parallel_min: distinct names from which the work is split across processes.
    """
    nats = nationalities if nationalities is not None else pl.Series([None] * len(names),
                                                                      dtype=pl.String)
    frame = pl.DataFrame({"__name": names.cast(pl.String), "__nat": nats.cast(pl.String)})
    distinct = frame.unique(maintain_order=True)
    pairs: list[Pair] = list(zip(distinct["__name"].to_list(), distinct["__nat"].to_list(),
                                 strict=True))
    n_workers = _workers(workers)
    if n_workers == 1 or len(pairs) < parallel_min:
        rows = _keys_of(pairs)
    else:
        size = -(-len(pairs) // n_workers)
        chunks = [pairs[i:i + size] for i in range(0, len(pairs), size)]
        with ThreadPoolExecutor(n_workers) as pool:  # threads only wait on the workers
            rows = [r for part in pool.map(_in_worker, chunks) for r in part]
    suffixes = list(KEY_FIELDS)
    keyed = distinct.with_columns(
        pl.Series(f"{column}__{s}", [r[i] for r in rows], dtype=pl.String)
        for i, s in enumerate(suffixes))
    joined = frame.join(keyed, on=["__name", "__nat"], how="left", nulls_equal=True,
                        maintain_order="left")
    return joined.drop("__name", "__nat")


if __name__ == "__main__":  # a worker: pickled pairs on stdin, pickled keys on stdout
    sys.stdout.buffer.write(pickle.dumps(_keys_of(pickle.loads(sys.stdin.buffer.read()))))

"""Benchmark: the full audit (attacker's knowledge) against the old heuristic, by size.

Usage::

    python bench/disclosure.py [--sizes 10k,100k,1M] [--seed 42]
        [--merged] [--limit SECONDS] [--max-gib GIB]

For each size a seeded synthetic register (:mod:`migralink.store.synthetic`) is
aggregated into a cube with every margin (:func:`migralink.store.register.
aggregate_register`) whose cell count is near the size asked for:

* ``10k``: region × nationality, 200,000 persons;
* ``100k``: region × nationality × residence status, 400,000 persons;
* ``1M``: region × nationality × residence status × age group, 1,000,000 persons.

The cube is protected twice, with the same policy otherwise:

* **heuristic**: primary suppression and the singleton heuristic alone (the audit
  switched off with ``audit_limit=0``: what ran above 5,000 cells before);
* **audit**: the full audit with the attacker's true knowledge (present rows ≥ 1; A
  ≤ T − 1 and D ≥ T, or one status C with ``--merged``), bound propagation then LPs.

Printed per run: seconds (wall clock and CPU), cells suppressed (share), information
loss (the share of all counted persons — the sum over every cell — that sits in
suppressed cells), cells the audit could not protect, peak memory and the audit's note.
Target: the 100k table audited in at most 60 s on 2 cores.

With ``--limit`` each run is made in a child process, stopped after that many seconds
(or when its resident memory passes ``--max-gib``) and printed as stopped: a 1M audit
can take long on a shared machine, and the bench must still print what it measured.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time
from pathlib import Path
from typing import Any

import polars as pl

PERIOD = "2024"
SIZES: dict[str, tuple[tuple[str, ...], int]] = {
    "10k": (("nationality",), 200_000),
    "100k": (("nationality", "residence_status"), 400_000),
    "1M": (("nationality", "residence_status", "age_group"), 1_000_000),
}


def build_cube(dims: tuple[str, ...], rows: int, seed: int) -> pl.DataFrame:
    """The register's cube: region (sigungu, sido, 00) × the dimensions, every margin."""
    from migralink.store import Gateway
    from migralink.store.register import aggregate_register
    from migralink.store.sql import obs_table_name
    from migralink.store.synthetic import (
        REGISTER_DIMENSIONS,
        REGISTER_META,
        register_description,
        synthetic_register,
    )

    metas = [d for d in REGISTER_DIMENSIONS if d.id in dims]
    with Gateway(":memory:") as gw:
        gw.register("register_rows", synthetic_register(rows, seed))
        result = aggregate_register(gw, "register_rows", metas, REGISTER_META, period=PERIOD,
                                    source=register_description(rows, seed))
        table = obs_table_name(REGISTER_META.id, result.version)
        return gw.polars(f'SELECT region, {", ".join(dims)}, value FROM "{table}"')


def measure(size: str, seed: int, distinguish: bool, audit: bool) -> dict[str, Any]:
    """Build one cube and protect it once: the figures the bench prints."""
    from migralink.disclosure import DisclosurePolicy, TableSpec, flat, protect
    from migralink.disclosure.spec import region_hierarchy

    dims, rows = SIZES[size]
    start = time.perf_counter()
    cube = build_cube(dims, rows, seed)
    built = time.perf_counter() - start
    spec = TableSpec((
        region_hierarchy(cube.get_column("region").unique().to_list()),
        *(flat(d, cube.get_column(d).unique().to_list()) for d in dims),
    ))
    policy = DisclosurePolicy(distinguish_statuses=distinguish,
                              audit_limit=None if audit else 0)
    start, cpu = time.perf_counter(), time.process_time()
    protected = protect(cube, spec, policy)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    report = protected.report
    hidden = float(protected.frame.join(cube.rename({"value": "true"}), on=["region", *dims])
                   .filter(pl.col("conf_status") != "F")["true"].sum())
    return {"cells": cube.height, "built": built, "wall": seconds, "cpu": cpu,
            "suppressed": report.suppressed, "loss": hidden / float(cube["value"].sum()),
            "unprotected": report.unprotected, "kind": report.audit, "note": report.audit_note,
            "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}


def _child(queue: Any, size: str, seed: int, distinguish: bool, audit: bool) -> None:
    queue.put(measure(size, seed, distinguish, audit))


def _rss_gib(pid: int) -> float:
    """Resident memory of a process (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def measure_limited(size: str, seed: int, distinguish: bool, audit: bool, limit: float,
                    max_gib: float) -> dict[str, Any] | str:
    """:func:`measure` in a child process; a sentence if it was stopped."""
    context = mp.get_context("spawn")  # polars' thread pool does not survive a fork
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue, size, seed, distinguish, audit))
    start = time.perf_counter()
    child.start()
    peak = 0.0
    while child.is_alive() and queue.empty():
        peak = max(peak, _rss_gib(child.pid or 0))
        elapsed = time.perf_counter() - start
        if elapsed > limit or peak > max_gib:
            child.terminate()
            child.join()
            why = (f"time limit {limit:.0f} s" if elapsed > limit
                   else f"memory limit {max_gib:.1f} GiB")
            return (f"stopped at the {why}: {elapsed:.0f} s wall (building the cube and"
                    f" protecting it), peak resident memory {peak:.1f} GiB")
        time.sleep(0.5)
    if queue.empty():
        child.join()
        return f"the child process failed (exit code {child.exitcode})"
    out: dict[str, Any] = queue.get()
    child.join()
    return out


def run(size: str, seed: int, distinguish: bool, limit: float | None = None,
        max_gib: float = 8.0) -> None:
    """Protect one size with the heuristic and with the audit, print both."""
    dims, rows = SIZES[size]
    print(f"\n{size}: region × {' × '.join(dims)}, {rows:,} persons (seed {seed})", flush=True)
    for name, audit in (("heuristic", False), ("audit", True)):
        got = (measure(size, seed, distinguish, audit) if limit is None
               else measure_limited(size, seed, distinguish, audit, limit, max_gib))
        if isinstance(got, str):
            print(f"  {name:<10} {got}", flush=True)
            continue
        print(f"  {name:<10} {got['wall']:8.2f} s wall {got['cpu']:8.2f} s CPU  "
              f"{got['cells']:,} cells, suppressed {got['suppressed']:>9,} "
              f"({got['suppressed'] / got['cells']:6.1%})  information loss "
              f"{got['loss']:6.2%}  unprotected {got['unprotected']:,}  "
              f"peak {got['peak_gib']:.1f} GiB  [{got['kind']}: {got['note']}]", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--merged", action="store_true",
                        help="one status C for every suppressed cell")
    parser.add_argument("--limit", type=float, default=None,
                        help="stop a run after this many seconds (each run in a child)")
    parser.add_argument("--max-gib", type=float, default=8.0,
                        help="with --limit: stop a run whose resident memory passes this")
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        run(size.strip(), args.seed, not args.merged, args.limit, args.max_gib)
    print("\nseconds of protect() (prepare, suppression, audit, output), wall clock and CPU of"
          " the process that ran it (HiGHS may use a second thread); information loss ="
          " persons counted in suppressed cells / persons counted in all cells")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

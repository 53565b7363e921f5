"""Benchmark: a person-level register aggregated into the cube at every level.

Usage::

    python bench/cube.py [--rows 3000000] [--seed 42] [--repeat 3]

A seeded synthetic register (:mod:`migralink.store.synthetic`) is written to Parquet,
then counted at every level of disaggregation — ``ROLLUP(sido, region)`` crossed with
``CUBE(nationality, residence_status, sex, age_group)``, 48 grouping sets — three ways,
each from the same Parquet file:

* **migralink**: :func:`migralink.store.register.aggregate_register` into a fresh
  evidence base (observation table, catalogue, checks, one transaction);
* **DuckDB**: the same cube as one hand-written ``CREATE TABLE … AS SELECT … GROUP BY
  ROLLUP(…), CUBE(…)`` on a fresh DuckDB file (only region, dimensions and count);
* **pandas**: ``read_parquet``, one ``groupby`` per grouping set, ``concat``.

Each runs in its own process (so that its peak memory, ``ru_maxrss``, is its own) and
``--repeat`` times; the best wall time counts. The three must produce the same number
of cells with the same sum, or the run fails. The target is migralink under 1.3× DuckDB.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DIMS = ("nationality", "residence_status", "sex", "age_group")
METHODS = ("migralink", "duckdb", "pandas")
TARGET = 1.3  # the target: migralink at most 1.3x the time of plain DuckDB
PERIOD = "2024"
SETS = 3 * 2 ** len(DIMS)  # (sigungu, sido, nation) x every subset of the dimensions


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run_migralink(parquet: Path, db: Path, rows: int, seed: int) -> tuple[int, int]:
    from migralink.store import Gateway
    from migralink.store.register import aggregate_register
    from migralink.store.synthetic import (
        REGISTER_DIMENSIONS,
        REGISTER_META,
        register_description,
    )

    with Gateway(db) as gw:
        result = aggregate_register(
            gw, f"read_parquet('{parquet}')", REGISTER_DIMENSIONS, REGISTER_META,
            period=PERIOD, source=register_description(rows, seed),
        )
        total = gw.scalar(f'SELECT sum(value) FROM "obs_{REGISTER_META.id}_v{result.version}"')
    return result.observations, int(total)


def duckdb_sql(parquet: Path) -> str:
    """The cube as a DuckDB user would write it by hand."""
    dims = ", ".join(DIMS)
    totals = ", ".join(f"coalesce({d}, '_T') AS {d}" for d in DIMS)
    return (
        "CREATE TABLE cube AS SELECT CASE WHEN grouping(sido) = 1 THEN '00' "
        "WHEN grouping(region) = 1 THEN sido ELSE region END AS region, "
        f"{totals}, count(*) AS value "
        f"FROM (SELECT left(region, 2) AS sido, * FROM read_parquet('{parquet}')) "
        f"GROUP BY ROLLUP(sido, region), CUBE({dims})"
    )


def _run_duckdb(parquet: Path, db: Path) -> tuple[int, int]:
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute(duckdb_sql(parquet))
        row = con.execute("SELECT count(*), sum(value) FROM cube").fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0]), int(row[1])


def _run_pandas(parquet: Path) -> tuple[int, int]:
    import pandas as pd

    frame = pd.read_parquet(parquet, columns=["region", *DIMS])
    frame["sido"] = frame["region"].str.slice(0, 2)
    parts = []
    for region_keys in (["sido", "region"], ["sido"], []):
        for k in range(len(DIMS) + 1):
            for dims in itertools.combinations(DIMS, k):
                keys = [*region_keys, *dims]
                if keys:
                    cells = frame.groupby(keys, observed=True, sort=False).size()
                    part = cells.reset_index(name="value")
                else:
                    part = pd.DataFrame({"value": [len(frame)]})
                if region_keys == ["sido"]:
                    part = part.rename(columns={"sido": "region"})
                elif not region_keys:
                    part["region"] = "00"
                for d in DIMS:
                    if d not in dims:
                        part[d] = "_T"
                parts.append(part[["region", *DIMS, "value"]])
    cube = pd.concat(parts, ignore_index=True)
    return len(cube), int(cube["value"].sum())


def worker(method: str, parquet: Path, workdir: Path, rows: int, seed: int, repeat: int) -> None:
    """Run one method ``repeat`` times and print its figures as one JSON line."""
    # Import outside the timed runs: a module loads once per process, not per cube.
    modules = {"migralink": ["migralink.store.register", "migralink.store.synthetic"],
               "duckdb": ["duckdb"], "pandas": ["pandas"]}[method]
    for module in modules:
        importlib.import_module(module)
    times, cpus, outputs = [], [], []
    for attempt in range(repeat):
        db = workdir / f"{method}-{attempt}.duckdb"
        start, cpu = time.perf_counter(), _cpu()
        if method == "migralink":
            outputs.append(_run_migralink(parquet, db, rows, seed))
        elif method == "duckdb":
            outputs.append(_run_duckdb(parquet, db))
        else:
            outputs.append(_run_pandas(parquet))
        times.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
        for path in (db, db.with_name(db.name + ".wal")):
            path.unlink(missing_ok=True)  # keep the disk footprint of one run
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    cells, total = outputs[0]
    print(json.dumps({"times": times, "cpu": cpus, "peak_kb": peak_kb, "cells": cells,
                      "total": total}))


def _measure(method: str, parquet: Path, workdir: Path, args: argparse.Namespace) -> Any:
    command = [sys.executable, __file__, "--worker", method, "--parquet", str(parquet),
               "--workdir", str(workdir), "--rows", str(args.rows), "--seed", str(args.seed),
               "--repeat", str(args.repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{method} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Generate the register, measure the three methods, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--parquet", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.parquet, args.workdir, args.rows, args.seed, args.repeat)
        return 0
    from migralink.store.synthetic import write_register

    with tempfile.TemporaryDirectory(prefix="migralink-bench-") as tmp:
        workdir = Path(tmp)
        parquet = workdir / "register.parquet"
        start = time.perf_counter()
        write_register(parquet, args.rows, args.seed)
        generated = time.perf_counter() - start
        print(f"register: {args.rows:,} persons (seed {args.seed}), generated and written "
              f"to Parquet in {generated:.2f} s; best of {args.repeat} runs each")
        figures = {m: _measure(m, parquet, workdir, args) for m in METHODS}
    _report(figures, args.rows)
    return 0


def _report(figures: dict[str, Any], rows: int) -> None:
    cells = {(f["cells"], f["total"]) for f in figures.values()}
    if len(cells) != 1:
        sys.exit(f"the methods disagree on the cube (cells, sum): {figures}")
    n_cells, total = cells.pop()
    if total != SETS * rows:
        sys.exit(f"the cells add up to {total}, not {SETS} x {rows} persons")
    print(f"cube: {n_cells:,} cells in {SETS} grouping sets, the same from the three methods "
          "(each person counted once per set)")
    best = {m: min(f["times"]) for m, f in figures.items()}
    print(f"{'method':<10} {'best s':>8} {'rows/s':>12} {'CPU s':>7} {'peak MB':>8} "
          f"{'x DuckDB':>9}")
    for method, f in figures.items():
        print(f"{method:<10} {best[method]:>8.2f} {rows / best[method]:>12,.0f} "
              f"{min(f['cpu']):>7.2f} {f['peak_kb'] / 1024:>8.0f} "
              f"{best[method] / best['duckdb']:>8.2f}x")
    ratio = best["migralink"] / best["duckdb"]
    verdict = "met" if ratio < TARGET else "NOT met"
    print(f"ratio migralink/DuckDB = {ratio:.2f}x, pandas/DuckDB = "
          f"{best['pandas'] / best['duckdb']:.2f}x; target < {TARGET}x DuckDB: {verdict}")


if __name__ == "__main__":
    sys.exit(main())

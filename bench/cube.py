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
* **DuckDB, same layout**: the same statement writing the columns of migralink's
  observation tables too (period, status, top, src, source_row), which separates what
  migralink adds (checks, catalogue, transaction) from what storing those columns costs;
* **pandas**: ``read_parquet``, one ``groupby`` per grouping set, ``concat``.

Each run is a process of its own (so that its peak memory, ``ru_maxrss``, is its own),
``--repeat`` rounds of one run per method; the best wall time counts, and the least CPU
time (user + system, all threads) is shown too, being steadier on a shared machine. All
must produce the same cells with the same sum, or the run fails. The target is migralink
under 1.3× DuckDB.
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
METHODS = ("migralink", "duckdb", "duckdb_layout", "pandas")
TARGET = 1.3  # the target: migralink at most 1.3x the time of plain DuckDB
PERIOD = "2024"
SETS = 3 * 2 ** len(DIMS)  # (sigungu, sido, nation) x every subset of the dimensions


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run_migralink(parquet: Path, db: Path, rows: int, seed: int) -> tuple[int, int]:
    from migralink.store import Gateway
    from migralink.store.register import aggregate_register
    from migralink.store.sql import obs_table_name
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
        table = obs_table_name(REGISTER_META.id, result.version)
        total = gw.scalar(f'SELECT sum(value) FROM "{table}"')
    return result.observations, int(total)


def duckdb_sql(parquet: Path, *, layout: bool = False) -> str:
    """The cube as a DuckDB user would write it by hand (``layout``: migralink's columns)."""
    dims = ", ".join(DIMS)
    totals = ", ".join(f"coalesce({d}, '_T') AS {d}" for d in DIMS)
    region = (
        "CASE WHEN grouping(sido) = 1 THEN '00' WHEN grouping(region) = 1 THEN sido "
        "ELSE region END AS region"
    )
    if layout:
        columns = (
            f"'{PERIOD}' AS period, {region}, {totals}, count(*)::DOUBLE AS value, "
            f"'A' AS status, grouping(sido) = 1 AS top, '{'0' * 64}' AS src, "
            "NULL::BIGINT AS source_row"
        )
    else:
        columns = f"{region}, {totals}, count(*) AS value"
    return (
        f"CREATE TABLE cube AS SELECT {columns} "
        f"FROM (SELECT left(region, 2) AS sido, * FROM read_parquet('{parquet}')) "
        f"GROUP BY ROLLUP(sido, region), CUBE({dims})"
    )


def _run_duckdb(parquet: Path, db: Path, *, layout: bool = False) -> tuple[int, int]:
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute(duckdb_sql(parquet, layout=layout))
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


def worker(method: str, parquet: Path, db: Path, rows: int, seed: int) -> None:
    """Run one method once and print its figures as one JSON line."""
    # Import outside the timed run: a module loads once per process, not per cube.
    modules = {"migralink": ["migralink.store.register", "migralink.store.synthetic"],
               "duckdb": ["duckdb"], "duckdb_layout": ["duckdb"], "pandas": ["pandas"]}[method]
    for module in modules:
        importlib.import_module(module)
    start, cpu = time.perf_counter(), _cpu()
    if method == "migralink":
        cells, total = _run_migralink(parquet, db, rows, seed)
    elif method.startswith("duckdb"):
        cells, total = _run_duckdb(parquet, db, layout=method == "duckdb_layout")
    else:
        cells, total = _run_pandas(parquet)
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"time": elapsed, "cpu": cpu, "peak_kb": peak_kb, "cells": cells,
                      "total": total}))


def _measure(method: str, parquet: Path, workdir: Path, args: argparse.Namespace) -> Any:
    """One run of ``method`` in a fresh process, on a fresh database file."""
    db = workdir / f"{method}.duckdb"
    command = [sys.executable, __file__, "--worker", method, "--parquet", str(parquet),
               "--db", str(db), "--rows", str(args.rows), "--seed", str(args.seed)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    if done.returncode != 0:
        sys.exit(f"{method} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Generate the register, measure each method, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--parquet", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.parquet, args.db, args.rows, args.seed)
        return 0
    from migralink.store.synthetic import write_register

    runs: dict[str, list[Any]] = {m: [] for m in METHODS}
    with tempfile.TemporaryDirectory(prefix="migralink-bench-") as tmp:
        workdir = Path(tmp)
        parquet = workdir / "register.parquet"
        start = time.perf_counter()
        write_register(parquet, args.rows, args.seed)
        generated = time.perf_counter() - start
        print(f"register: {args.rows:,} persons (seed {args.seed}), generated and written "
              f"to Parquet in {generated:.2f} s; best of {args.repeat} runs each")
        # Rounds of one run per method, so that a burst of load elsewhere on the machine
        # falls on every method rather than on all the runs of one.
        for _ in range(args.repeat):
            for method in METHODS:
                runs[method].append(_measure(method, parquet, workdir, args))
    _report(runs, args.rows)
    return 0


def _report(runs: dict[str, list[Any]], rows: int) -> None:
    cells = {(r["cells"], r["total"]) for method_runs in runs.values() for r in method_runs}
    if len(cells) != 1:
        sys.exit(f"the methods disagree on the cube (cells, sum): {sorted(cells)}")
    n_cells, total = cells.pop()
    if total != SETS * rows:
        sys.exit(f"the cells add up to {total}, not {SETS} x {rows} persons")
    print(f"cube: {n_cells:,} cells in {SETS} grouping sets, the same from every method "
          "(each person counted once per set)")
    wall = {m: min(r["time"] for r in rs) for m, rs in runs.items()}
    cpu = {m: min(r["cpu"] for r in rs) for m, rs in runs.items()}
    peak = {m: max(r["peak_kb"] for r in rs) / 1024 for m, rs in runs.items()}
    print(f"{'method':<14} {'best s':>7} {'rows/s':>10} {'CPU s':>7} {'peak MB':>8} "
          f"{'x DuckDB':>9} {'x DuckDB CPU':>13}")
    for m in runs:
        print(f"{m:<14} {wall[m]:>7.2f} {rows / wall[m]:>10,.0f} {cpu[m]:>7.2f} {peak[m]:>8.0f} "
              f"{wall[m] / wall['duckdb']:>8.2f}x {cpu[m] / cpu['duckdb']:>12.2f}x")
    ratios = (wall["migralink"] / wall["duckdb"], cpu["migralink"] / cpu["duckdb"])
    verdicts = ["met" if r < TARGET else "NOT met" for r in ratios]
    print(f"migralink/DuckDB = {ratios[0]:.2f}x wall, {ratios[1]:.2f}x CPU; target < {TARGET}x: "
          f"{verdicts[0]} (wall), {verdicts[1]} (CPU)")
    print(f"migralink/DuckDB same layout = {wall['migralink'] / wall['duckdb_layout']:.2f}x "
          f"wall, {cpu['migralink'] / cpu['duckdb_layout']:.2f}x CPU; pandas/DuckDB = "
          f"{wall['pandas'] / wall['duckdb']:.2f}x wall, {cpu['pandas'] / cpu['duckdb']:.2f}x CPU")


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the full audit (attacker's knowledge) against the old heuristic, by size.

Usage::

    python bench/disclosure.py [--sizes 10k,100k,1M] [--seed 42]
        [--distinguish | --merged]

For each size a seeded synthetic register (:mod:`migralink.store.synthetic`) is
aggregated into a cube with every margin (:func:`migralink.store.register.
aggregate_register`) whose cell count is near the size asked for:

* ``10k``: region × nationality, 200,000 persons;
* ``100k``: region × nationality × residence status, 400,000 persons;
* ``1M``: region × nationality × residence status × age group, 1,000,000 persons.

The cube is protected twice in the same process, with the same policy otherwise:

* **heuristic**: primary suppression and the singleton heuristic alone (the audit
  switched off with ``audit_limit=0``: what ran above 5,000 cells before);
* **audit**: the full audit with the attacker's true knowledge (present rows ≥ 1; A
  ≤ T − 1 and D ≥ T, or one status C with ``--merged``), bound propagation then LPs.

Printed per run: seconds (wall clock and CPU), cells suppressed (share), information
loss (the share of all counted persons — the sum over every cell — that sits in suppressed cells),
cells the audit could not protect, and the audit's note. Target: the 100k table
audited in at most 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import time

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


def run(size: str, seed: int, distinguish: bool) -> None:
    """Build one cube, protect it with the heuristic and with the audit, print both."""
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
    mass = float(cube["value"].sum())
    print(f"\n{size}: region × {' × '.join(dims)}, {rows:,} persons (seed {seed}): "
          f"{cube.height:,} cells, built in {built:.1f} s")
    base = DisclosurePolicy(distinguish_statuses=distinguish)
    for name, policy in (("heuristic", DisclosurePolicy(distinguish_statuses=distinguish,
                                                        audit_limit=0)),
                         ("audit", base)):
        start, cpu = time.perf_counter(), time.process_time()
        protected = protect(cube, spec, policy)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        report = protected.report
        suppressed_mass = float(
            protected.frame.join(cube.rename({"value": "true"}), on=["region", *dims])
            .filter(pl.col("conf_status") != "F")["true"].sum())
        print(f"  {name:<10} {seconds:8.2f} s wall {cpu:8.2f} s CPU  "
              f"suppressed {report.suppressed:>9,} "
              f"({report.suppressed / report.cells:6.1%})  information loss "
              f"{suppressed_mass / mass:6.2%}  unprotected {report.unprotected:,}  "
              f"[{report.audit}: {report.audit_note}]")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--merged", action="store_true",
                        help="one status C for every suppressed cell")
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        run(size.strip(), args.seed, distinguish=not args.merged)
    print("\nseconds of protect() (prepare, suppression, audit, output), wall clock and CPU of"
          " this process (HiGHS may use a second thread); information loss = persons counted"
          " in suppressed cells / persons counted in all cells")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

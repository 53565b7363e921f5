"""Benchmark: disclosure control of the synthetic register's cube.

Usage::

    python bench/disclosure.py [--rows 3000000] [--seed 42] [--epsilon 1.0] [--base 5]

A seeded synthetic register (:mod:`migralink.store.synthetic`) is aggregated into the
cube (:func:`migralink.store.register.aggregate_register`: every margin, sido and
national regions included) by region × nationality × residence_status × sex, then
protected three times with :func:`migralink.disclosure.protect`:

* **suppression**: primary and secondary suppression with the default policy;
* **rounding**: the same, on finest cells rounded to ``--base`` with margins rebuilt;
* **DP**: a differentially private release (OpenDP, ``--epsilon``) of the full grid of
  finest cells, then suppression of the small noisy counts.

For each it prints the time of each step, the share of the time spent in suppression
(primary + secondary + audit) and the cells suppressed by rule.
"""

from __future__ import annotations

import argparse
import time

import polars as pl

DIMS = ("nationality", "residence_status", "sex")
STEPS = ("prepare", "dp", "rounding", "primary", "secondary", "audit", "output")
SUPPRESSION = ("primary", "secondary", "audit")
PERIOD = "2024"


def build_cube(rows: int, seed: int) -> pl.DataFrame:
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

    dims = [d for d in REGISTER_DIMENSIONS if d.id in DIMS]
    with Gateway(":memory:") as gw:
        gw.register("register_rows", synthetic_register(rows, seed))
        result = aggregate_register(gw, "register_rows", dims, REGISTER_META, period=PERIOD,
                                    source=register_description(rows, seed))
        table = obs_table_name(REGISTER_META.id, result.version)
        return gw.polars(f'SELECT region, {", ".join(DIMS)}, value FROM "{table}"')


def run(rows: int, seed: int, epsilon: float, base: int) -> None:
    """Build the cube, protect it three ways and print the figures."""
    from migralink.disclosure import DisclosurePolicy, TableSpec, flat, protect
    from migralink.disclosure.spec import region_hierarchy

    start = time.perf_counter()
    cube = build_cube(rows, seed)
    built = time.perf_counter() - start
    spec = TableSpec((
        region_hierarchy(cube.get_column("region").unique().to_list()),
        *(flat(d, cube.get_column(d).unique().to_list()) for d in DIMS),
    ))
    print(f"register: {rows:,} persons (seed {seed}); cube of {cube.height:,} cells "
          f"(region × {' × '.join(DIMS)}, every margin) built in {built:.2f} s")
    policies = {
        "suppression": DisclosurePolicy(),
        f"rounding (base {base})": DisclosurePolicy(rounding_base=base),
        f"DP (epsilon {epsilon:g})": DisclosurePolicy(dp_epsilon=epsilon),
    }
    print(f"{'run':<22} {'cells':>9} " + " ".join(f"{s:>9}" for s in STEPS)
          + f" {'total':>7} {'supp.%':>7} {'primary':>8} {'second.':>8} {'audit':>8}")
    for name, policy in policies.items():
        start = time.perf_counter()
        protected = protect(cube, spec, policy)
        total = time.perf_counter() - start
        report = protected.report
        share = sum(report.seconds(s) for s in SUPPRESSION) / total
        print(f"{name:<22} {report.cells:>9,} "
              + " ".join(f"{report.seconds(s):>9.2f}" for s in STEPS)
              + f" {total:>7.2f} {share:>7.1%} {report.primary:>8,} {report.secondary:>8,}"
              f" {report.audit:>8}")
        finest = protected.frame.filter(
            pl.all_horizontal(pl.col(d) != "_T" for d in DIMS)
            & (pl.col("region").str.len_chars() == 5)  # sigungu codes have five digits
        )
        published = finest.filter(pl.col("conf_status") == "F").height
        grand = protected.frame.filter(
            pl.all_horizontal(pl.col(d) == "_T" for d in DIMS) & (pl.col("region") == "00")
        ).get_column("value")[0]
        print(f"{'':<22} finest cells published: {published:,} of {finest.height:,}; "
              f"suppressed {report.suppressed / report.cells:.1%} of all cells; "
              f"national total {grand:,} (true {rows:,})")
    print("steps in seconds; supp.% = (primary + secondary + audit) / total; the LP audit "
          "is skipped above audit_limit cells (report.audit)")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epsilon", type=float, default=1.0)
    parser.add_argument("--base", type=int, default=5)
    args = parser.parse_args(argv)
    run(args.rows, args.seed, args.epsilon, args.base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

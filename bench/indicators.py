"""Benchmark: every indicator for every local government and year in the data.

Usage::

    python bench/indicators.py [--shared ../shared/data | --db FILE] [--repeat 3]

Builds an evidence base (from the bundled sample by default, or from the published
files with ``--shared``; ``--db`` uses an existing one, copied so it is not changed),
then times, each ``--repeat`` times (the best counts):

* computing the whole built-in catalogue (:func:`migralink.indicators.compute_indicators`);
* each indicator alone (its reads included, so the parts add up to more than the whole);
* storing the result as the dataset ``indicators``, and storing it again (a no-op);
* the headline table.

It prints the figures; there is no pass/fail. :func:`bench_indicators` returns them, so
that other benchmarks (disclosure control of the stored indicators) can build on it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from migralink.evidence import Evidence
from migralink.indicators import compute_indicators, headline, load_catalogue, store_indicators
from migralink.indicators.engine import evidence_datasets


def _best(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best wall time of ``repeat`` runs, and what the last run returned."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def build_evidence(folder: Path, shared: Path | None, db: Path | None) -> Path:
    """An evidence base to benchmark on, in ``folder``."""
    path = folder / "bench.duckdb"
    if db is not None:
        shutil.copy(db, path)
        return path
    if shared is not None:
        from migralink.sample import SHARED_FILES

        with Evidence(path) as ev:
            ev.ingest(shared / name for name in SHARED_FILES)
        return path
    from migralink.sample import load_sample

    with Evidence(path) as ev:
        load_sample(ev.gateway)
    return path


def bench_indicators(db: Path, repeat: int = 3) -> dict[str, Any]:
    """Time the indicators on an evidence base (written to: the store is timed too)."""
    figures: dict[str, Any] = {}
    with Evidence(db) as ev:
        catalogue = load_catalogue(datasets=evidence_datasets(ev))
        seconds, frame = _best(lambda: compute_indicators(ev, catalogue), repeat)
        figures["compute_all_s"] = seconds
        figures["rows"] = frame.height
        figures["indicators"] = frame["indicator"].n_unique()
        figures["local_governments"] = frame.filter(frame["level"] == "sigungu")[
            "region"].n_unique()
        figures["periods"] = frame["period"].n_unique()
        counts = dict(frame.group_by("indicator").len().iter_rows())
        alone: dict[str, tuple[float, int]] = {}
        for ident in catalogue.ids:
            if ident in counts:
                start = time.perf_counter()
                compute_indicators(ev, catalogue, ids=[ident])
                alone[ident] = (time.perf_counter() - start, counts[ident])
        figures["per_indicator"] = alone
        start = time.perf_counter()
        stored = store_indicators(ev, frame, catalogue)
        figures["store_s"] = time.perf_counter() - start
        figures["stored_observations"] = stored.observations
        figures["store_again_s"], again = _best(
            lambda: store_indicators(ev, frame, catalogue), repeat)
        figures["store_again_changed"] = again.changed
        figures["headline_s"], _ = _best(lambda: headline(ev, 15, catalogue), repeat)
    return figures


def print_figures(figures: dict[str, Any]) -> None:
    """The figures as a plain-text report."""
    print(f"{figures['indicators']} indicators, {figures['rows']:,} rows "
          f"({figures['local_governments']} local governments, {figures['periods']} periods)")
    print(f"compute all           {figures['compute_all_s']:8.2f} s")
    print(f"store                 {figures['store_s']:8.2f} s "
          f"({figures['stored_observations']:,} observations)")
    print(f"store again (no-op)   {figures['store_again_s']:8.2f} s "
          f"(changed: {figures['store_again_changed']})")
    print(f"headline              {figures['headline_s']:8.2f} s")
    print("\nper indicator (alone, reads included)      seconds       rows")
    for ident, (seconds, rows) in sorted(figures["per_indicator"].items(),
                                         key=lambda item: -item[1][0]):
        print(f"  {ident:<40} {seconds:8.2f} {rows:10,}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--shared", type=Path, help="the shared/data folder of published files")
    source.add_argument("--db", type=Path, help="an existing evidence base (copied)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--register-size", choices=("10k", "100k", "1M", "none"), default="10k",
                        help="cells of the register cube protected after (bench/disclosure.py's "
                             "sizes; none: skip)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        db = build_evidence(Path(tmp), args.shared, args.db)
        print(f"evidence base ready in {time.perf_counter() - start:.1f} s ({db.name})")
        print_figures(bench_indicators(db, args.repeat))
    if args.register_size != "none":
        # the second half: disclosure control on the synthetic register's cube
        # (region x nationality x status x sex), the same run as bench/disclosure.py
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from disclosure import run as protect_register

        print(f"\n== disclosure on the {args.register_size}-cell synthetic register cube ==")
        protect_register(args.register_size, seed=42, distinguish=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

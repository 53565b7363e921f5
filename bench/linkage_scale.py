"""Linkage at scale: N × N synthetic records on DuckDB with :func:`scale_spec`.

Usage::

    python bench/linkage_scale.py --scale 100000,300000 [--threads 2] [--memory-limit 14GB]

For each size: the time of each step (preparing the name keys, prior, u, each EM session,
scoring, writing the links), candidate pairs and comparisons per second, peak memory
(``ru_maxrss`` of this process and of its key workers), precision and recall against the
known truth, blocking recall, and the fitted against the generating m and u. With two sizes
or more, the growth exponents of pairs, time and memory between the last two and the figures
they extrapolate to at 1 M × 1 M. Generating the synthetic registers is timed apart (it is
not part of linking).
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from migralink.linkage import make_registers, prepare, run
from migralink.linkage.evaluate import pair_set, score_pairs
from migralink.linkage.recovery import recovery
from migralink.linkage.scale import duckdb_api, scale_spec
from migralink.linkage.spec import LinkageSpec

TARGET = 1_000_000


@dataclass(frozen=True)
class ScaleRun:
    records: int
    pairs: int
    seconds: float
    peak_gib: float
    steps: dict[str, float]
    cpu: float


def _peak_gib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + workers) / 1024**2  # KiB on Linux; both can peak at the same time


def _cpu_seconds() -> float:
    """CPU time of this process (all its DuckDB threads) and of its finished key workers:
    unlike wall time, it does not depend on what else runs on the machine."""
    own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                    resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _blocking(fa: pl.DataFrame, fb: pl.DataFrame, truth: pl.DataFrame, spec: LinkageSpec
              ) -> tuple[int, int]:
    """(distinct candidate pairs, true pairs among them), counted in DuckDB."""
    con = duckdb.connect()
    try:
        for name, frame in (("l_in", fa), ("r_in", fb), ("truth", truth)):
            con.register(name, frame.to_arrow())
        union = " UNION ".join(
            f"SELECT l.rec_id AS a, r.rec_id AS b FROM l_in AS l JOIN r_in AS r ON {rule}"
            for rule in spec.blocking_rules)
        con.execute(f"CREATE TEMP TABLE cand AS {union}")
        row = con.execute("SELECT (SELECT count(*) FROM cand), (SELECT count(*) FROM cand "
                          "JOIN truth ON cand.a = truth.rec_id AND cand.b = truth.rec_id_right)"
                          ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])
    finally:
        con.close()


def scale_once(n: int, *, threads: int | None, memory_limit: str | None) -> ScaleRun:
    t = time.perf_counter()
    reg = make_registers(n, seed=3, employment_share=1.0)
    a, b = reg.registers["immigration"], reg.registers["employment"]
    print(f"scale {a.height:,} × {b.height:,} (synthetic registers drawn in "
          f"{time.perf_counter() - t:.0f} s, not counted)", flush=True)
    # EM on about 100,000 left records whatever the size: enough pairs for m, bounded cost
    spec = scale_spec(training_share=min(1.0, 100_000 / n))
    start, cpu = time.perf_counter(), _cpu_seconds()
    # (step, when it started): each step ends where the next starts
    marks: list[tuple[str, float]] = [("prepare (name keys)", start)]
    fa, fb = prepare(a.drop("person_id"), spec), prepare(b.drop("person_id"), spec)
    with tempfile.TemporaryDirectory(prefix="migralink-scale-") as tmp:
        api = duckdb_api(threads=threads, memory_limit=memory_limit,
                         temp_directory=Path(tmp) / "duckdb")
        res = run([fa, fb], spec, names=["a", "b"], db_api=api, cluster=False,
                  step=lambda s: marks.append((s, time.perf_counter())))
        marks.append(("writing links", time.perf_counter()))
        res.links.write_parquet(Path(tmp) / "links.parquet")
    end = time.perf_counter()
    total, peak, cpu = end - start, _peak_gib(), _cpu_seconds() - cpu
    took = {label: nxt - when for (label, when), (_, nxt)
            in zip(marks, [*marks[1:], ("end", end)], strict=True)}
    step_lines = [f"{label} {seconds:.1f} s" for label, seconds in took.items()]
    truth_frame = a.join(b, on="person_id").select("rec_id", "rec_id_right")
    pairs, blocked_true = _blocking(fa, fb, truth_frame, spec)
    truth = set(truth_frame.iter_rows())
    score = score_pairs(pair_set(res.links, ordered=True), truth)
    print(f"  linked in {total:.0f} s wall, {cpu:.0f} s CPU ({'; '.join(step_lines)})")
    scoring = took.get("scoring candidate pairs", 0.0)
    u_pairs = spec.u_max_pairs / max(took.get("u by random sampling", 0.0), 1e-9)
    print(f"  {pairs:,} candidate pairs scored at {pairs / max(scoring, 1e-9):,.0f} comparisons/s"
          f" (u: {spec.u_max_pairs:,.0f} random pairs at {u_pairs:,.0f}/s), blocking recall "
          f"{blocked_true / len(truth):.4f} of {len(truth):,} true pairs")
    print(f"  {res.links.height:,} links: P {score.precision:.4f}  R {score.recall:.4f}  "
          f"F1 {score.f1:.4f}; peak memory {peak:.2f} GiB (this process + key workers)")
    for r in recovery(reg, res.model):
        print(f"  {r.line()}")
    # EM sessions are named by their rule, which names the training share: keyed apart
    steps = {label.split(" AND l.rec_id__bucket")[0]: t for label, t in took.items()}
    return ScaleRun(a.height, pairs, total, peak, steps, cpu)


def extrapolate(runs: list[ScaleRun], target: int = TARGET) -> None:
    """Figures at ``target`` from the last two sizes: pairs and memory by their growth
    exponent, time step by step (scoring at the larger size's comparisons/s; the others by
    their own exponent, between 0 and 2: u sampling and EM on a bounded share stay flat,
    preparing follows the distinct names)."""
    x, y = runs[-2], runs[-1]
    span, ahead = math.log(y.records / x.records), math.log(target / y.records)

    def grow(lo: float, hi: float, cap: tuple[float, float] = (0.0, 2.0)) -> tuple[float, float]:
        k = min(max(math.log(max(hi, 1e-3) / max(lo, 1e-3)) / span, cap[0]), cap[1])
        return k, hi * math.exp(k * ahead)

    kp, pairs = grow(x.pairs, y.pairs)
    km, mem = grow(x.peak_gib, y.peak_gib)
    steps = {label: grow(x.steps.get(label, t), t) for label, t in y.steps.items()}
    if "scoring candidate pairs" in steps:  # at the rate measured on the larger size
        steps["scoring candidate pairs"] = (kp, y.steps["scoring candidate pairs"] * pairs
                                            / y.pairs)
    secs = sum(t for _, t in steps.values())
    detail = "; ".join(f"{label} ~{t:.0f} s (n^{k:.2f})" for label, (k, t) in steps.items())
    # CPU time in the same proportion as the wall time: on an idle machine the run takes
    # between CPU / cores (all parallel) and CPU (all serial)
    cpu = secs * y.cpu / y.seconds
    print(f"extrapolated to {target:,} × {target:,} from {x.records:,} and {y.records:,}: "
          f"pairs ~{pairs / 1e6:.0f} M (n^{kp:.2f}), time ~{secs / 60:.1f} min at this load "
          f"({detail}), CPU ~{cpu / 60:.1f} min (idle {os.cpu_count()}-core wall between "
          f"{cpu / 60 / (os.cpu_count() or 1):.1f} and {cpu / 60:.1f} min), peak "
          f"~{mem:.1f} GiB (n^{km:.2f}); targets ≤ 10 min, ≤ 16 GiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="100000",
                        help="persons, comma-separated for several sizes")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads")
    parser.add_argument("--memory-limit", default="14GB", help="DuckDB memory limit")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    runs = [scale_once(int(s), threads=args.threads, memory_limit=args.memory_limit)
            for s in str(args.scale).split(",")]
    if len(runs) >= 2:
        extrapolate(runs)


if __name__ == "__main__":
    main()

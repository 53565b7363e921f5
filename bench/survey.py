"""Survey estimation benchmark: migralink vs R ``survey`` vs ``svy``, in the same run.

One synthetic survey of 1 000 000 rows: 50 strata × 40 PSUs, 17 domains, 80 bootstrap
replicate weights. Each row of the table times one task in all three engines:

* design build — from a data frame to a design ready to estimate (Taylor);
* mean — one weighted mean with its linearisation SE;
* median — with its Woodruff interval (R: ``svyquantile``; svy: ``median``);
* Taylor svyby — the mean of ``y`` in each of the 17 domains, linearisation SEs;
* replicate svyby — the same with the 80 replicates (R ``svrepdesign`` given the same
  weights, ``combined.weights = TRUE``; svy ``BootstrapWgts``).

The three engines are given the same data (R reads it from a CSV written here; reading
is not timed) and each answer is checked against migralink's before its time counts.
Timings are the best of ``--repeat`` runs (wall clock). The target is ≥ 50× R on every
row and no slower than svy. The machine may be shared: compare the ratios, not the
seconds.

Run: ``.venv/bin/python bench/survey.py [--rows 1000000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from migralink.survey import DesignSpec, ReplicateSpec, Survey

STRATA, PSUS, DOMAINS, REPLICATES = 50, 40, 17, 80

R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
dat <- read.csv("data.csv")
tm <- function(expr, k) { best <- Inf; for (i in seq_len(k)) {
  t0 <- proc.time()[["elapsed"]]; val <- eval.parent(substitute(expr))
  best <- min(best, proc.time()[["elapsed"]] - t0) }; list(best, val) }
k <- as.integer(commandArgs(TRUE)[1])
b <- tm(svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = dat), k)
d <- b[[2]]
m <- tm(svymean(~y, d), k)
q <- tm(svyquantile(~y, d, 0.5, ci = TRUE), k)
by <- tm(svyby(~y, ~dom, d, svymean), k)
fac <- read.csv("factors.csv")
reps <- as.matrix(fac[match(dat$psu, fac$psu), -1]) * dat$w
rd <- svrepdesign(data = dat, repweights = reps, weights = ~w, type = "bootstrap",
                  combined.weights = TRUE, scale = SCALE, rscales = 1)
rby <- tm(svyby(~y, ~dom, rd, svymean), k)
out <- data.frame(task = c("design build", "mean", "median", "Taylor svyby",
                           "replicate svyby"),
                  seconds = c(b[[1]], m[[1]], q[[1]], by[[1]], rby[[1]]),
                  check = c(degf(d), SE(m[[2]]), coef(q[[2]]), SE(by[[2]])[1],
                            SE(rby[[2]])[1]))
write.csv(out, "r_times.csv", row.names = FALSE)
"""


def synthetic(rows: int, seed: int = 20240501) -> pl.DataFrame:
    """A stratified two-stage-like sample: 50 strata × 40 PSUs, 17 domains."""
    rng = np.random.default_rng(seed)
    psu = rng.integers(0, STRATA * PSUS, rows)
    stratum = psu // PSUS
    effect = rng.normal(0, 1, STRATA * PSUS)
    dom = rng.integers(0, DOMAINS, rows)
    return pl.DataFrame({
        "stratum": stratum, "psu": psu, "dom": dom,
        "w": rng.uniform(50, 150, rows),
        "y": 50 + effect[psu] + 0.3 * dom + rng.normal(0, 5, rows),
    })


def best(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall-clock time of ``repeat`` runs, and the last result."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = action()
        times.append(time.perf_counter() - start)
    return min(times), value


def run_migralink(frame: pl.DataFrame, repeat: int) -> tuple[dict[str, float],
                                                              dict[str, float], Any]:
    spec = DesignSpec(weights="w", strata="stratum", clusters=("psu",))
    t_build, s = best(lambda: Survey.build(frame, spec), repeat)
    rep_spec = DesignSpec(weights="w", strata="stratum", clusters=("psu",),
                          replicate=ReplicateSpec("bootstrap", replicates=REPLICATES, seed=1))
    r = Survey.build(frame, rep_spec)
    t_mean, mean = best(lambda: s.mean("y"), repeat)
    t_median, median = best(lambda: s.quantile("y", (0.5,)), repeat)
    t_by, by = best(lambda: s.mean("y", by="dom"), repeat)
    t_rby, rby = best(lambda: r.mean("y", by="dom"), repeat)
    times = {"design build": t_build, "mean": t_mean, "median": t_median,
             "Taylor svyby": t_by, "replicate svyby": t_rby}
    checks = {"design build": float(s.degf), "mean": mean["se"][0],
              "median": median["estimate"][0], "Taylor svyby": by["se"][0],
              "replicate svyby": rby["se"][0]}
    return times, checks, r


def with_replicates(frame: pl.DataFrame, rep: Survey) -> tuple[pl.DataFrame, float]:
    reps = rep.design.replicates
    assert reps is not None
    analysis = reps.analysis(rep.design.weights)
    cols = {f"rep{i + 1:03d}": analysis[:, i] for i in range(analysis.shape[1])}
    return frame.with_columns(**cols), reps.scale


def run_svy(frame: pl.DataFrame, scale: float, repeat: int) -> tuple[dict[str, float],
                                                                     dict[str, float]]:
    import svy

    design = svy.Design(stratum="stratum", psu="psu", wgt="w")
    t_build, s = best(lambda: svy.Sample(frame, design), repeat)
    rdesign = svy.Design(stratum="stratum", psu="psu", wgt="w", rep_wgts=svy.BootstrapWgts(
        prefix="rep", n_reps=REPLICATES, scale=scale))
    rs = svy.Sample(frame, rdesign)
    t_mean, mean = best(lambda: s.estimation.mean("y"), repeat)
    t_median, median = best(lambda: s.estimation.median("y"), repeat)
    t_by, by = best(lambda: s.estimation.mean("y", by="dom"), repeat)
    t_rby, rby = best(lambda: rs.estimation.mean("y", by="dom", method="replication"),
                      repeat)
    times = {"design build": t_build, "mean": t_mean, "median": t_median,
             "Taylor svyby": t_by, "replicate svyby": t_rby}
    checks = {"mean": float(mean.to_polars()["se"][0]),
              "median": float(median.to_polars()["est"][0]),
              "Taylor svyby": float(by.to_polars().sort("dom")["se"][0]),
              "replicate svyby": float(rby.to_polars().sort("dom")["se"][0])}
    return times, checks


def run_r(frame: pl.DataFrame, rep: Survey, scale: float, repeat: int) -> pl.DataFrame:
    rscript = shutil.which("Rscript")
    if rscript is None:
        raise SystemExit("Rscript is needed for the R baseline (make installs it)")
    reps = rep.design.replicates
    assert reps is not None
    first = rep.design.stages[0]
    # the PSU-level bootstrap factors: R multiplies them out to the same analysis weights
    psu_id = np.zeros(first.cluster_stratum.size, dtype=np.int64)
    psu_id[first.clusters] = frame["psu"].to_numpy()
    factors = pl.DataFrame({"psu": psu_id, **{f"f{i + 1:03d}": reps.factors[:, i]
                                               for i in range(reps.count)}})
    with tempfile.TemporaryDirectory() as tmp:
        frame.write_csv(Path(tmp) / "data.csv")
        factors.write_csv(Path(tmp) / "factors.csv")
        (Path(tmp) / "bench.R").write_text(R_SCRIPT.replace("SCALE", repr(scale)))
        subprocess.run([rscript, "--vanilla", "bench.R", str(repeat)], cwd=tmp, check=True)
        return pl.read_csv(Path(tmp) / "r_times.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--r-repeat", type=int, default=1)
    args = parser.parse_args()
    frame = synthetic(args.rows)
    mine, mine_check, rep = run_migralink(frame, args.repeat)
    full, scale = with_replicates(frame, rep)
    svy_times, svy_check = run_svy(full, scale, args.repeat)
    r = run_r(frame, rep, scale, args.r_repeat)
    r_times = dict(zip(r["task"], r["seconds"], strict=True))
    r_check = dict(zip(r["task"], r["check"], strict=True))
    print(f"{args.rows:,} rows, {STRATA} strata × {PSUS} PSUs, {DOMAINS} domains, "
          f"{REPLICATES} replicates (best of {args.repeat}; R best of {args.r_repeat})")
    print(f"{'task':<17}{'migralink s':>12}{'svy s':>10}{'R s':>10}{'× R':>9}{'× svy':>8}"
          f"  agrees with R / svy")
    for task, t in mine.items():
        agree_r = np.isclose(mine_check[task], r_check[task], rtol=1e-6)
        agree_svy = (np.isclose(mine_check[task], svy_check[task], rtol=1e-6)
                     if task in svy_check else None)
        print(f"{task:<17}{t:>12.4f}{svy_times[task]:>10.4f}{r_times[task]:>10.3f}"
              f"{r_times[task] / t:>9.0f}{svy_times[task] / t:>8.1f}  "
              f"{'yes' if agree_r else 'NO'} / "
              f"{'-' if agree_svy is None else ('yes' if agree_svy else 'NO')}")


if __name__ == "__main__":
    main()

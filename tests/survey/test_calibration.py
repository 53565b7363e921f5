"""Calibration against R: post-stratification, raking, GREG linear and logit with bounds,
on a linearisation design and re-applied to JK1 replicate weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from migralink.errors import ConfigError
from migralink.survey import DesignSpec, Greg, PostStratify, Rake, ReplicateSpec, Survey
from tests.survey.designs import DATASETS, dataset
from tests.survey.oracle import run_r

TYPES = PostStratify(("stype",), ((("E",), 4421.0), (("H",), 755.0), (("M",), 1018.0)))
SCHWIDE = PostStratify(("sch.wide",), ((("No",), 1072.0), (("Yes",), 5122.0)))
TOTALS = (("(Intercept)", 6194.0), ("stypeH", 755.0), ("stypeM", 1018.0),
          ("api99", 3914069.0))
CALIBRATIONS: dict[str, PostStratify | Rake | Greg] = {
    "post": TYPES,
    "rake": Rake((TYPES, SCHWIDE)),
    "greg": Greg("stype + api99", TOTALS),
    "logit": Greg("stype + api99", TOTALS, calfun="logit", bounds=(0.5, 2.5)),
    "linear_bounded": Greg("stype + api99", TOTALS, bounds=(0.3, 2.2)),
    # bounds that bind (unbounded GREG's g-weights run 0.42-1.83): attainable on the
    # full sample, not on every JK1 replicate, so compared on the Taylor design only
    "logit_binding": Greg("stype + api99", TOTALS, calfun="logit", bounds=(0.7, 1.6)),
    "linear_binding": Greg("stype + api99", TOTALS, bounds=(0.6, 1.6)),
}
BINDING = ("logit_binding", "linear_binding")
# bounded calibrations (logit, bounded linear) use MASS::ginv in R (r-cran-mass, which
# the Makefile installs); they are also checked on their defining properties below
R_CALLS = {
    "post": "postStratify(d, ~stype, types)",
    "rake": "rake(d, list(~stype, ~sch.wide), list(types, schwide))",
    "greg": "calibrate(d, ~stype + api99, tot)",
    "logit": "calibrate(d, ~stype + api99, tot, bounds = c(0.5, 2.5), calfun = 'logit')",
    "linear_bounded": "calibrate(d, ~stype + api99, tot, bounds = c(0.3, 2.2), "
                      "calfun = 'linear')",
    "logit_binding": "calibrate(d, ~stype + api99, tot, bounds = c(0.7, 1.6), "
                     "calfun = 'logit')",
    "linear_binding": "calibrate(d, ~stype + api99, tot, bounds = c(0.6, 1.6), "
                      "calfun = 'linear')",
}


@pytest.fixture(scope="module")
def r_calibrated(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    calls = ",\n".join(f"  {k} = function(d) {v}" for k, v in R_CALLS.items())
    return run_r(f"""
apiclus1 <- read.csv("{DATASETS / 'apiclus1.csv'}")
types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
tot <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
base <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
designs <- list(taylor = base, jk1 = as.svrepdesign(base, type = "JK1"))
cals <- list(
{calls})
rows <- list()
for (dn in names(designs)) for (cn in names(cals)) {{
  if (dn == "jk1" && endsWith(cn, "_binding")) next
  d <- cals[[cn]](designs[[dn]])
  m <- svymean(~api00, d); t <- svytotal(~enroll, d)
  rows[[length(rows) + 1]] <- data.frame(design = dn, cal = cn,
    mean = as.numeric(coef(m)), mean_se = as.numeric(SE(m)),
    total = as.numeric(coef(t)), total_se = as.numeric(SE(t)))
}}
write.csv(do.call(rbind, rows), "out.csv", row.names = FALSE)
""", tmp_path_factory.mktemp("cal"))


@pytest.mark.parametrize(("design", "cal"), [
    (d, c) for c in R_CALLS for d in ("taylor", "jk1") if d == "taylor" or c not in BINDING])
def test_calibration_matches_r(design: str, cal: str, r_calibrated: pl.DataFrame) -> None:
    rep = ReplicateSpec("JK1") if design == "jk1" else None
    spec = DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",), replicate=rep,
                      calibration=(CALIBRATIONS[cal],))
    s = Survey.build(dataset("apiclus1"), spec)
    want = r_calibrated.filter((pl.col("design") == design) & (pl.col("cal") == cal)).row(
        0, named=True)
    mean = s.mean("api00").row(0, named=True)
    total = s.total("enroll").row(0, named=True)
    np.testing.assert_allclose(mean["estimate"], want["mean"], rtol=1e-9)
    np.testing.assert_allclose(total["estimate"], want["total"], rtol=1e-9)
    np.testing.assert_allclose(mean["se"], want["mean_se"], rtol=1e-7)
    np.testing.assert_allclose(total["se"], want["total_se"], rtol=1e-7)


@pytest.mark.parametrize("cal", ["logit", "linear_bounded"])
@pytest.mark.parametrize("rep", [None, ReplicateSpec("JK1")])
def test_bounded_calibration_hits_totals_within_bounds(cal: str,
                                                       rep: ReplicateSpec | None) -> None:
    spec = DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",), replicate=rep,
                      calibration=(CALIBRATIONS[cal],))
    s = Survey.build(dataset("apiclus1"), spec)
    totals = s.total(["stype", "api99"])
    got = dict(zip(totals["term"], totals["estimate"], strict=True))
    assert got["stypeH"] == pytest.approx(755, rel=1e-6)
    assert got["api99"] == pytest.approx(3914069, rel=1e-6)
    greg = CALIBRATIONS[cal]
    assert isinstance(greg, Greg)
    low, high = greg.bounds
    g = s.design.weights / dataset("apiclus1")["pw"].to_numpy()
    assert g.min() >= low - 1e-9
    assert g.max() <= high + 1e-9
    assert g.max() - g.min() > 0.05  # the bounds bind or the weights really moved
    if rep is not None:
        # every replicate is calibrated to the same totals
        reps = s.design.replicates
        assert reps is not None
        api99 = dataset("apiclus1")["api99"].to_numpy()
        np.testing.assert_allclose(api99 @ reps.factors, 3914069, rtol=1e-6)


def test_unattainable_bounds_are_an_error() -> None:
    spec = DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",),
                      calibration=(Greg("stype + api99", TOTALS, calfun="logit",
                                        bounds=(0.99, 1.01)),))
    with pytest.raises(ConfigError, match="did not converge"):
        Survey.build(dataset("apiclus1"), spec)


def test_population_cell_missing_is_an_error(tmp_path: Path) -> None:
    post = PostStratify(("stype",), ((("E",), 4421.0), (("H",), 755.0)))
    spec = DesignSpec(clusters=("dnum",), weights="pw", calibration=(post,))
    with pytest.raises(ConfigError, match="absent from the population"):
        Survey.build(dataset("apiclus1"), spec)


@pytest.mark.parametrize("cal", BINDING)
def test_binding_bounds_bind(cal: str) -> None:
    # the R comparison of these calibrations tests the bounds only if they bind
    greg = CALIBRATIONS[cal]
    assert isinstance(greg, Greg)
    s = Survey.build(dataset("apiclus1"), DesignSpec(
        clusters=("dnum",), weights="pw", fpc=("fpc",), calibration=(greg,)))
    g = s.design.weights / dataset("apiclus1")["pw"].to_numpy()
    low, high = greg.bounds
    assert g.min() == pytest.approx(low, abs=1e-3)
    assert g.max() == pytest.approx(high, abs=1e-3)

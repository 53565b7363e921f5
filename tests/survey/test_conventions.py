"""Each convention where survey software differs, tested by name against R."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from migralink.errors import ConfigError
from migralink.survey import DesignSpec, Greg, PostStratify, Rake, ReplicateSpec, Survey
from tests.survey.designs import (
    DATASETS,
    REPWEIGHTS,
    SPECS,
    dataset,
    replicate_meta,
    survey,
    with_given,
)
from tests.survey.oracle import run_r
from tests.survey.test_parity import REF


def _ref(case: str, term: str) -> dict[str, str]:
    return next(r for r in REF[case] if r["term"] == term)


def test_bootstrap_scale_uses_rs_harmonic_mean_of_psus() -> None:
    # as.svrepdesign(type = "bootstrap"): scale = n̄/((n̄−1)(R−1)), n̄ harmonic mean of n_h
    spec = DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",),
                      replicate=ReplicateSpec("bootstrap", replicates=50, seed=1))
    reps = Survey.build(dataset("apiclus1"), spec).design.replicates
    assert reps is not None
    assert reps.scale == pytest.approx(float(replicate_meta()["clus1_boot"]["scale"]),
                                       rel=1e-12)
    strat = Survey.build(dataset("nhanes"), DesignSpec(
        clusters=("SDMVPSU",), strata="SDMVSTRA", weights="WTMEC2YR", nest=True,
        replicate=ReplicateSpec("bootstrap", replicates=40, seed=2))).design.replicates
    assert strat is not None
    nh = dataset("nhanes").group_by("SDMVSTRA").agg(pl.col("SDMVPSU").n_unique())["SDMVPSU"]
    nbar = 1 / float(np.mean(1 / nh.to_numpy()))
    assert strat.scale == pytest.approx(nbar / ((nbar - 1) * 39), rel=1e-12)
    # given bootstrap weights without a scale take svrepdesign's 1/(R−1) instead
    # (ten of R's own bootstrap replicates: distinct columns of combined weights)
    given = Survey.build(with_given("clus1_boot", "apiclus1"), DesignSpec(
        weights="pw", replicate=ReplicateSpec("bootstrap", columns=tuple(
            f"rep{i:03d}" for i in range(1, 11))))).design.replicates
    assert given is not None
    assert given.scale == pytest.approx(1 / 9)


def test_generated_bootstrap_is_close_to_rs_and_reproducible() -> None:
    spec = DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",),
                      replicate=ReplicateSpec("bootstrap", replicates=2000, seed=7))
    a = Survey.build(dataset("apiclus1"), spec).mean("api00")["se"][0]
    b = Survey.build(dataset("apiclus1"), spec).mean("api00")["se"][0]
    assert a == b
    # the bootstrap SE estimates the with-replacement SE (R: 23.779 without fpc)
    assert a == pytest.approx(23.779, rel=0.1)


def test_mse_centres_replicates_on_the_full_sample_estimate() -> None:
    plain = survey("clus1_jk1").mean("sch.wide")
    mse = survey("clus1_jk1_mse").mean("sch.wide")
    for table, case in ((plain, "clus1_jk1"), (mse, "clus1_jk1_mse")):
        got = table.filter(pl.col("term") == "sch.wideYes")["se"][0]
        want = float(_ref(f"{case}:mean_schwide", "sch.wideYes")["se"])
        assert got == pytest.approx(want, rel=1e-9)
    assert mse["se"][0] >= plain["se"][0]


@pytest.mark.parametrize("name", ["clus1_jk1", "strat_jkn", "nhanes_jkn", "nhanes2_brr",
                                  "nhanes2_fay", "scd_brr", "scd_fay", "gss2018_brr"])
def test_generated_replicates_are_rs(name: str) -> None:
    s = survey(name)
    reps = s.design.replicates
    assert reps is not None
    mine = reps.analysis(s.design.weights)
    r = pl.read_csv(REPWEIGHTS / f"{name}.csv").select(pl.col("^rep.*$")).to_numpy()
    assert mine.shape == r.shape
    if "jk" in name:
        # jackknife replicates are the same set; R orders PSUs by appearance
        mine = mine[:, np.lexsort(mine[::-1])]
        r = r[:, np.lexsort(r[::-1])]
    np.testing.assert_allclose(mine, r, rtol=1e-12)


def _lonely_data() -> pl.DataFrame:
    # apistrat with one school moved to a stratum of its own
    return dataset("apistrat").with_row_index("i").with_columns(
        pl.when(pl.col("i") == 0).then(pl.lit("X")).otherwise(pl.col("stype")).alias("s2"))


def test_lonely_psu_rules_match_r(tmp_path: Path) -> None:
    frame = _lonely_data()
    frame.write_csv(tmp_path / "lonely.csv")
    r = run_r("""
dat <- read.csv("lonely.csv")
rows <- list()
for (rule in c("adjust", "remove", "certainty", "average")) {
  options(survey.lonely.psu = rule)
  d <- svydesign(id = ~1, strata = ~s2, weights = ~pw, data = dat)
  m <- svymean(~api00, d); t <- svytotal(~enroll, d)
  rows[[rule]] <- data.frame(rule = rule, mean_se = as.numeric(SE(m)),
                            total_se = as.numeric(SE(t)))
}
write.csv(do.call(rbind, rows), "out.csv", row.names = FALSE)
""", tmp_path)
    for row in r.iter_rows(named=True):
        s = Survey.build(frame, DesignSpec(strata="s2", weights="pw", lonely_psu=row["rule"]))
        assert s.mean("api00")["se"][0] == pytest.approx(row["mean_se"], rel=1e-9)
        assert s.total("enroll")["se"][0] == pytest.approx(row["total_se"], rel=1e-9)
    with pytest.raises(ConfigError, match="only one PSU"):
        Survey.build(frame, DesignSpec(strata="s2", weights="pw")).mean("api00")


def test_na_rm_keeps_dropped_rows_as_psus_of_the_design() -> None:
    # README note 1: R's 0.0797334, not 0.0797567 (rows dropped before the design)
    s = survey("ess_anweight")
    assert s.mean("imwbcnt", na_rm=True)["se"][0] == pytest.approx(0.0797334173163292,
                                                                   rel=1e-9)
    answered = dataset("ess").filter(pl.col("imwbcnt").is_not_null())
    dropped = Survey.build(answered, SPECS["ess_anweight"][1]).mean("imwbcnt")["se"][0]
    assert dropped == pytest.approx(0.0797567, rel=1e-5)


def test_missing_values_without_na_rm_are_an_error() -> None:
    with pytest.raises(Exception, match=r"missing values.*na_rm"):
        survey("ess_anweight").mean("imwbcnt")


def test_multistage_without_fpc_uses_the_first_stage_only() -> None:
    # README note 3: the second stage adds variance only when population sizes are given
    one = Survey.build(dataset("apiclus2"), DesignSpec(clusters=("dnum",), weights="pw"))
    two = survey("clus2_nofpc")
    assert one.mean("api00")["se"][0] == pytest.approx(two.mean("api00")["se"][0], rel=1e-12)


def test_design_spec_round_trips_through_json() -> None:
    spec = DesignSpec(
        weights="pw", strata="stype", clusters=("dnum", "snum"), fpc=("fpc1", "fpc2"),
        nest=True, lonely_psu="adjust",
        replicate=ReplicateSpec("Fay", fay_rho=0.3, mse=True, columns=("a", "b"),
                                scale=0.5, rscales=(1.0, 1.0)),
        calibration=(PostStratify(("stype",), ((("E",), 1.0),)),
                     Rake((PostStratify(("a", "b"), ((("1", "F"), 2.0),)),)),
                     Greg("stype + api99", (("(Intercept)", 3.0),)),
                     Greg("x", (("x", 1.0),), calfun="logit", bounds=(0.5, 2.5))))
    assert DesignSpec.from_json(spec.to_json()) == spec
    assert math.isinf(DesignSpec.from_json(spec.to_json()).calibration[2].bounds[1])  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "message"), [
    ("[1]", "JSON object"), ("{", "not JSON"), ('{"weight": "pw"}', "unknown design keys"),
    ('{"replicate": {"type": "Fay"}}', "fay_rho"),
    ('{"calibration": [{"kind": "greg", "formula": "x", "population": [], '
     '"calfun": "logit"}]}', "finite bounds"),
])
def test_bad_design_specs_say_what_to_do(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        DesignSpec.from_json(text)


def test_missing_design_column_names_the_column() -> None:
    with pytest.raises(Exception, match="'stratum_x'"):
        Survey.build(dataset("apistrat"), DesignSpec(strata="stratum_x"))
    assert (DATASETS / "apistrat.csv").exists()


def test_replicate_quantiles_are_woodruff_with_replicate_variance(tmp_path: Path) -> None:
    r = run_r(f"""
apiclus1 <- read.csv("{DATASETS / 'apiclus1.csv'}")
d <- as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1),
                    type = "JK1")
q <- svyquantile(~api00, d, c(0.25, 0.5, 0.75), ci = TRUE)
ci <- confint(q)
write.csv(data.frame(est = coef(q), se = SE(q), low = ci[, 1], high = ci[, 2]), "out.csv",
          row.names = FALSE)
""", tmp_path)
    mine = survey("clus1_jk1").quantile("api00", (0.25, 0.5, 0.75))
    np.testing.assert_allclose(mine["estimate"], r["est"], rtol=1e-12)
    np.testing.assert_allclose(mine["se"], r["se"], rtol=1e-9)
    np.testing.assert_allclose(mine["ci_low"], r["low"], rtol=1e-12)
    np.testing.assert_allclose(mine["ci_high"], r["high"], rtol=1e-12)


@pytest.mark.parametrize("replicate", [False, True])
def test_domain_proportions_and_quantiles_use_the_domain_df(replicate: bool,
                                                            tmp_path: Path) -> None:
    # svyby gives svyciprop and svyquantile the domain's subset, and so its own degf
    r = run_r(f"""
apiclus1 <- read.csv("{DATASETS / 'apiclus1.csv'}")
apiclus1$ell0 <- as.numeric(apiclus1$ell == 0)
d <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
if ({'TRUE' if replicate else 'FALSE'}) d <- as.svrepdesign(d, type = "JK1")
p <- svyby(~ell0, ~awards, d, svyciprop, vartype = c("se", "ci"))
q <- svyby(~api00, ~awards, d, svyquantile, quantiles = 0.5, ci = TRUE)
write.csv(data.frame(p = coef(p), p_se = SE(p), p_low = p$ci_l, p_high = p$ci_u,
                     q = coef(q), q_se = SE(q)), "out.csv",
          row.names = FALSE)
""", tmp_path)
    s = survey("clus1_jk1" if replicate else "clus1_fpc")
    prop = s.proportion("ell0", by="awards")
    quant = s.quantile("api00", (0.5,), by="awards")
    np.testing.assert_allclose(prop["estimate"], r["p"], rtol=1e-9)
    np.testing.assert_allclose(prop["se"], r["p_se"], rtol=1e-7)
    np.testing.assert_allclose(prop["ci_low"], r["p_low"], rtol=1e-6)
    np.testing.assert_allclose(prop["ci_high"], r["p_high"], rtol=1e-6)
    np.testing.assert_allclose(quant["estimate"], r["q"], rtol=1e-12)
    np.testing.assert_allclose(quant["se"], r["q_se"], rtol=1e-9)

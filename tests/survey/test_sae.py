"""Fay–Herriot small-area estimation on a seeded synthetic population of local governments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy import optimize

from migralink.errors import ConfigError
from migralink.evidence import Evidence
from migralink.indicators import compute_indicators
from migralink.indicators.store import store_indicators
from migralink.sample import load_sample
from migralink.store.catalogue import inputs_of
from migralink.survey import DesignSpec, Survey
from migralink.survey.covariates import indicator_covariates
from migralink.survey.sae import fay_herriot, fit_fay_herriot
from migralink.survey.store import store_estimates

AREAS = 150  # local governments
TRUE_A = 0.6
BETA = np.array([5.0, 2.0, -1.0])


def _population(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Covariates (foreign-resident share, urban) and sampling variances of the areas."""
    share = rng.lognormal(mean=0.0, sigma=0.5, size=AREAS)
    urban = (rng.random(AREAS) < 0.4).astype(float)
    x = np.column_stack([np.ones(AREAS), share, urban])
    sample_size = np.clip(rng.lognormal(mean=3.5, sigma=1.0, size=AREAS), 4, 600).round()
    d = 6.0 / sample_size  # unit variance 6 over the area's respondents
    return x, d


def test_reml_maximises_the_restricted_likelihood() -> None:
    rng = np.random.default_rng(11)
    x, d = _population(rng)
    y = x @ BETA + rng.normal(0, np.sqrt(TRUE_A), AREAS) + rng.normal(0, np.sqrt(d))
    fit = fit_fay_herriot(y, x, d)

    def neg_reml(a: float) -> float:
        v = a + d
        xv = x / v[:, None]
        xtvx = x.T @ xv
        beta = np.linalg.solve(xtvx, xv.T @ y)
        r = y - x @ beta
        return float(0.5 * (np.sum(np.log(v)) + np.linalg.slogdet(xtvx)[1] + np.sum(r**2 / v)))

    best = optimize.minimize_scalar(neg_reml, bounds=(0, 10), method="bounded",
                                    options={"xatol": 1e-10})
    assert fit.a == pytest.approx(best.x, rel=1e-5)


def test_coverage_and_mse_over_repetitions() -> None:
    rng = np.random.default_rng(2024)
    x, d = _population(rng)
    reps = 300
    covered = np.zeros(AREAS)
    sq_eblup = np.zeros(AREAS)
    sq_direct = np.zeros(AREAS)
    for _ in range(reps):
        theta = x @ BETA + rng.normal(0, np.sqrt(TRUE_A), AREAS)
        y = theta + rng.normal(0, np.sqrt(d))
        fit = fit_fay_herriot(y, x, d)
        half = 1.959963984540054 * np.sqrt(fit.mse)
        covered += np.abs(fit.eblup - theta) <= half
        sq_eblup += (fit.eblup - theta) ** 2
        sq_direct += (y - theta) ** 2
    coverage = covered.sum() / (reps * AREAS)
    assert 0.93 <= coverage <= 0.97, f"coverage of nominal 95 % intervals: {coverage:.3f}"
    small = d >= np.quantile(d, 0.75)  # the quarter of areas with the fewest respondents
    assert sq_eblup[small].sum() < 0.6 * sq_direct[small].sum()
    # the Prasad–Rao MSE tracks the empirical MSE on average
    fit_mse = fit_fay_herriot(y, x, d).mse
    assert float(np.mean(fit_mse)) == pytest.approx(float(np.mean(sq_eblup / reps)), rel=0.25)


def test_survey_to_local_governments_pipeline() -> None:
    rng = np.random.default_rng(5)
    areas = [f"LG{i:03d}" for i in range(60)]
    share = rng.lognormal(0, 0.5, 60)
    theta = 4 + 1.5 * share + rng.normal(0, 0.5, 60)
    sizes = rng.integers(3, 60, 60)
    sizes[:10] = 0  # ten local governments have no respondent at all
    area = np.repeat(np.arange(60), sizes)
    micro = pl.DataFrame({
        "region": [areas[i] for i in area],
        "psu": np.arange(area.size),
        "w": rng.uniform(50, 150, area.size),
        "acceptance": theta[area] + rng.normal(0, 2, area.size),
    })
    s = Survey.build(micro, DesignSpec(weights="w", clusters=("psu",)))
    direct = s.mean("acceptance", by="region")
    covariates = pl.DataFrame({"region": areas, "foreign_share": share})
    out = fay_herriot(direct, covariates, x=["foreign_share"])
    assert out.height == 60
    assert out.filter(pl.col("method") == "synthetic").height == 10
    eblup = out.filter(pl.col("method") == "eblup")
    # shrinkage lowers the MSE below the direct variance in every sampled area
    assert (eblup["mse"] < eblup["direct_se"] ** 2).all()
    assert {"estimate", "mse", "cv", "ci_low", "ci_high"} <= set(out.columns)
    assert (out["cv"] > 0).all()


def test_bad_inputs() -> None:
    with pytest.raises(ConfigError, match="positive"):
        fit_fay_herriot(np.ones(10), np.ones((10, 1)), np.zeros(10))
    direct = pl.DataFrame({"region": ["a"], "estimate": [1.0], "se": [0.1]})
    with pytest.raises(Exception, match="without covariates"):
        fay_herriot(direct, pl.DataFrame({"region": ["b"], "x": [1.0]}), x=["x"])


def test_local_governments_with_evidence_base_covariates(tmp_path: Path) -> None:
    ev = Evidence(tmp_path / "e.duckdb")
    try:
        load_sample(ev.gateway)
        store_indicators(ev, compute_indicators(ev, ids=["foreign_share"]))
        cov, refs = indicator_covariates(ev, ["foreign_share"], period="2019")
        assert cov.height > 200  # the local governments (시군구) of 2019
        rng = np.random.default_rng(3)
        share = cov["foreign_share"].to_numpy()
        theta = 5 + 0.2 * share + rng.normal(0, 0.3, cov.height)
        sizes = rng.integers(0, 40, cov.height)
        area = np.repeat(np.arange(cov.height), sizes)
        micro = pl.DataFrame({"region": cov["region"].to_numpy()[area], "w": 1.0,
                              "acceptance": theta[area] + rng.normal(0, 2, area.size)})
        s = Survey.build(micro, DesignSpec(weights="w"))
        direct = s.mean("acceptance", by="region").filter(pl.col("se") > 0)
        sae = fay_herriot(direct, cov, x=["foreign_share"])
        written = store_estimates(ev.gateway, sae.with_columns(
            pl.lit("fay_herriot").alias("statistic")), dataset="survey_acceptance_sae",
            title_ko="수용성 소지역 추정", title_en="acceptance, small areas", period="2019",
            source_name="synthetic", source_sha256="1" * 64, design_json="fh",
            region="region", derived_from=refs)
        stored = ev.gateway.polars(f'SELECT * FROM "{written.table_name}"')
        inputs = inputs_of(ev.gateway, "survey_acceptance_sae", written.version)
    finally:
        ev.close()
    assert written.observations == cov.height
    assert {"mse", "cv", "se", "ci_low", "ci_high"} <= set(stored.columns)
    assert set(stored["region"]) == set(cov["region"])
    assert [r.id for r in inputs] == ["indicators"]

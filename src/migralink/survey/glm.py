"""Design-based GLMs (R ``svyglm``): gaussian and quasibinomial.

Coefficients are weighted (pseudo-)maximum-likelihood estimates found by the same
iteratively reweighted least squares as R's ``glm.fit`` (same start, same convergence
rule), with the weights rescaled to mean 1 as ``svyglm`` does — so the coefficients
agree with R's to the last digits, not just to the tolerance of the iterations. The
variance is the sandwich: the design variance of the estimating functions times the
inverse information (linearisation), or the spread of the coefficients refitted with
each replicate's weights (replicate designs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from scipy.linalg import solve_triangular

from migralink.errors import ConfigError
from migralink.survey.design import Design, FloatArray
from migralink.survey.formula import model_matrix
from migralink.survey.replicates import rep_vcov
from migralink.survey.taylor import taylor_vcov

__all__ = ["Family", "GlmFit", "irls", "svyglm"]

Family = Literal["gaussian", "quasibinomial"]
_EPSILON = 1e-8  # glm.control()$epsilon
_MAXIT = 25  # glm.control()$maxit


@dataclass(frozen=True, eq=False)
class GlmFit:
    """A fitted design-based GLM.

    Attributes:
        terms: R's coefficient names.
        coef: coefficients.
        vcov: their design-based variance matrix.
        df_residual: residual degrees of freedom (design df + 1 − number of terms).
    """

    terms: tuple[str, ...]
    coef: FloatArray
    vcov: FloatArray
    df_residual: int


@dataclass(frozen=True, eq=False)
class _Irls:
    coef: FloatArray
    work_weights: FloatArray  # w² of the last iteration
    work_resid: FloatArray  # (y − μ)/μ'(η) at the final fit
    xtwx_inv: FloatArray


def _binomial_dev(y: FloatArray, mu: FloatArray, wt: FloatArray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y > 0, y * np.log(y / mu), 0.0)
        b = np.where(y < 1, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
    return float(np.sum(2 * wt * (a + b)))


def _wls(x: FloatArray, z: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weighted least squares by Householder QR (as R's ``lm.wfit``); returns coef, (X'WX)⁻¹."""
    q, r = np.linalg.qr(x * w[:, None])
    diag = np.abs(np.diag(r))
    if diag.size and diag.min() <= 1e-7 * diag.max():
        raise ConfigError("the model matrix is not of full rank",
                          "drop a term that is a combination of others (or an empty level)")
    coef = np.asarray(solve_triangular(r, q.T @ (z * w)), dtype=float)
    rinv = solve_triangular(r, np.eye(r.shape[0]))
    return coef, np.asarray(rinv @ rinv.T, dtype=float)


def irls(x: FloatArray, y: FloatArray, weights: FloatArray, family: Family,
         start: FloatArray | None = None) -> _Irls:
    """R's ``glm.fit`` for the gaussian (identity) and quasibinomial (logit) families."""
    if family == "gaussian":
        w = np.sqrt(weights)
        coef, inv = _wls(x, y, w)
        return _Irls(coef, weights, y - x @ coef, inv)
    if np.any((y < 0) | (y > 1)):
        raise ConfigError("a quasibinomial response must lie between 0 and 1",
                          "code the outcome as 0/1 (or a share)")
    if start is None:
        mu = (weights * y + 0.5) / (weights + 1)
        eta = np.log(mu / (1 - mu))
    else:
        eta = x @ start
        mu = 1 / (1 + np.exp(-eta))
    devold = _binomial_dev(y, mu, weights)
    coef = np.zeros(x.shape[1]) if start is None else start
    for _ in range(_MAXIT):
        mu_eta = np.maximum(mu * (1 - mu), np.finfo(float).eps)
        z = eta + (y - mu) / mu_eta
        w = np.sqrt(weights * mu_eta**2 / (mu * (1 - mu)))
        coef, inv = _wls(x, z, w)
        eta = x @ coef
        mu = 1 / (1 + np.exp(-eta))
        dev = _binomial_dev(y, mu, weights)
        if abs(dev - devold) / (abs(dev) + 0.1) < _EPSILON:
            break
        devold = dev
    else:
        raise ConfigError("the quasibinomial model did not converge in 25 iterations",
                          "check for separation (a term that predicts the outcome exactly)")
    mu_eta = np.maximum(mu * (1 - mu), np.finfo(float).eps)
    return _Irls(coef, w**2, (y - mu) / mu_eta, inv)


def svyglm(design: Design, frame: pl.DataFrame, formula: str,
           family: Family = "gaussian") -> GlmFit:
    """Fit ``formula`` on the design (rows with a missing value are left out).

    Args:
        design: the survey design.
        frame: its data.
        formula: ``"y ~ x1 + factor(x2)"`` (see :mod:`.formula`).
        family: ``gaussian`` or ``quasibinomial``.

    Returns:
        The coefficients with their design-based variance.
    """
    if family not in ("gaussian", "quasibinomial"):
        raise ConfigError(f"unknown family {family!r}", "use gaussian or quasibinomial")
    y, matrix = model_matrix(formula, frame)
    assert y is not None
    used = matrix.complete & (design.weights > 0)
    x = matrix.x[used]
    yy = y[used]
    pw = design.weights / design.weights.mean()
    fit = irls(x, yy, pw[used], family)
    p = x.shape[1]
    if design.replicates is None:
        infl = np.zeros((design.n, p))
        infl[used] = (x * (fit.work_resid * fit.work_weights)[:, None]) @ fit.xtwx_inv
        vcov = taylor_vcov(design, infl)
        df = design.taylor_degf(used) + 1 - p
    else:
        analysis = design.replicates.analysis(design.weights)[used]
        betas = np.empty((analysis.shape[1], p))
        for r in range(analysis.shape[1]):
            wr = analysis[:, r]
            betas[r] = irls(x, yy, wr / wr.sum(), family, start=fit.coef).coef
        vcov = rep_vcov(design.replicates, betas, fit.coef)
        df = design.degf + 1 - p
    return GlmFit(matrix.names, fit.coef, vcov, df)

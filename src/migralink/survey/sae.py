"""Small-area estimation: the Fay–Herriot area-level model (REML, Prasad–Rao MSE).

A national survey is too small to estimate every province or local government directly:
its direct estimate ``y_i`` of area *i* has a large sampling variance ``D_i``. The
Fay–Herriot model borrows strength from area covariates ``x_i`` (indicators of the
evidence base: foreign-resident share, age structure…)::

    y_i = x_iᵀβ + u_i + e_i,    u_i ~ N(0, A),   e_i ~ N(0, D_i)  (D_i known)

The EBLUP ``γ_i y_i + (1 − γ_i) x_iᵀβ̂`` with ``γ_i = Â/(Â + D_i)`` leans on the direct
estimate where it is precise and on the regression where it is not. ``A`` is estimated
by REML (Fisher scoring, truncated at 0); the MSE is Prasad–Rao's second-order
approximation ``g1 + g2 + 2·g3`` (Datta–Lahiri for REML), published beside each estimate
with its CV. Areas with covariates but no survey respondents get the synthetic estimate
``x_iᵀβ̂`` with MSE ``Â + x_iᵀ Cov(β̂) x_i``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from migralink.errors import ConfigError, InputError, Location
from migralink.survey.checks import csv_line, numeric_column
from migralink.survey.design import FloatArray

__all__ = ["FayHerriot", "check_covariates", "check_direct", "fay_herriot", "fit_fay_herriot"]


@dataclass(frozen=True, eq=False)
class FayHerriot:
    """A fitted Fay–Herriot model.

    Attributes:
        beta: regression coefficients.
        beta_cov: their covariance ``(XᵀV⁻¹X)⁻¹``.
        a: REML estimate of the area-effect variance (0 when truncated).
        eblup: the EBLUP of each sampled area.
        mse: its Prasad–Rao MSE.
        gamma: shrinkage factor ``A/(A + D_i)``.
        iterations: Fisher-scoring iterations used.
    """

    beta: FloatArray
    beta_cov: FloatArray
    a: float
    eblup: FloatArray
    mse: FloatArray
    gamma: FloatArray
    iterations: int


def _reml(y: FloatArray, x: FloatArray, d: FloatArray, tol: float = 1e-10,
          maxit: int = 100) -> tuple[float, int]:
    resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    a = max(float(np.var(resid)) - float(np.mean(d)), 0.01 * float(np.median(d)))
    for it in range(1, maxit + 1):
        vinv = 1.0 / (a + d)
        xv = x * vinv[:, None]
        core = np.linalg.inv(x.T @ xv)
        # P = V⁻¹ − V⁻¹X (XᵀV⁻¹X)⁻¹ XᵀV⁻¹
        p = np.diag(vinv) - xv @ core @ xv.T
        py = p @ y
        score = -0.5 * np.trace(p) + 0.5 * float(py @ py)
        info = 0.5 * float(np.sum(p * p))
        step = score / info
        new = max(a + step, 0.0)
        if abs(new - a) <= tol * max(1.0, a):
            return new, it
        a = new
    raise ConfigError("the Fay–Herriot REML iterations did not converge",
                      "check the sampling variances (they must be positive and plausible)")


def fit_fay_herriot(y: FloatArray, x: FloatArray, d: FloatArray) -> FayHerriot:
    """Fit to direct estimates ``y``, covariates ``x`` (with intercept), variances ``d``."""
    if y.size <= x.shape[1]:
        raise ConfigError(f"{y.size} areas cannot fit {x.shape[1]} coefficients",
                          "use fewer covariates or more areas")
    if np.any(~np.isfinite(d)) or np.any(d <= 0):
        raise ConfigError("sampling variances must be positive",
                          "an area whose direct SE is 0 cannot be modelled; leave it out")
    a, it = _reml(y, x, d)
    vinv = 1.0 / (a + d)
    xv = x * vinv[:, None]
    cov: FloatArray = np.asarray(np.linalg.inv(x.T @ xv), dtype=float)
    beta = cov @ (xv.T @ y)
    gamma = a / (a + d)
    eblup = gamma * y + (1 - gamma) * (x @ beta)
    var_a = 2.0 / float(np.sum(vinv**2))
    g1 = gamma * d
    g2 = (1 - gamma) ** 2 * np.einsum("ij,jk,ik->i", x, cov, x)
    g3 = d**2 / (a + d) ** 3 * var_a
    return FayHerriot(beta, cov, a, eblup, g1 + g2 + 2 * g3, gamma, it)


def _areas(frame: pl.DataFrame, area: str, what: str) -> pl.Series:
    areas = frame.get_column(area).cast(pl.Utf8)
    if areas.null_count():
        raise InputError(f"{what}: an area is blank", "give every row its area",
                         Location(row=csv_line(areas.is_null().to_numpy()), column=area))
    dup = areas.is_duplicated().to_numpy()
    if dup.any():
        first = int(np.flatnonzero(dup)[0])
        again = int(np.flatnonzero(areas.to_numpy() == areas[first])[1]) + 2
        raise InputError(f"{what} repeat area {areas[first]!r} (first on row {first + 2})",
                         "give one row per area", Location(row=again, column=area))
    return areas


def _complete(frame: pl.DataFrame, column: str, what: str) -> FloatArray:
    values = numeric_column(frame, column, what, finite=True)
    if np.isnan(values).any():
        raise InputError(f"{what} column {column!r} has a missing value",
                         "every area needs a value (impute it or drop the area)",
                         Location(row=csv_line(np.isnan(values)), column=column))
    return values


def _require(frame: pl.DataFrame, cols: Sequence[str], what: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise InputError(f"{what} lack columns {missing}", f"give {', '.join(cols)}")


def check_covariates(covariates: pl.DataFrame, *, area: str,
                     x: Sequence[str]) -> pl.DataFrame:
    """The covariates as (area, x…): one row per area, every value a finite number."""
    _require(covariates, [area, *x], "covariates")
    areas = _areas(covariates, area, "covariates")
    return pl.DataFrame([areas, *[pl.Series(c, _complete(covariates, c, "covariate"))
                                  for c in x]])


def check_direct(direct: pl.DataFrame, *, area: str, estimate: str = "estimate",
                 se: str = "se") -> pl.DataFrame:
    """The direct estimates as (area, direct, direct_se): one row per area, SE ≥ 0."""
    _require(direct, [area, estimate, se], "direct estimates")
    areas = _areas(direct, area, "direct estimates")
    est = _complete(direct, estimate, "direct estimate")
    err = _complete(direct, se, "direct SE")
    if np.any(err <= 0):
        raise InputError(f"direct SE {err[err <= 0][0]:g} is not positive",
                         "a standard error must be > 0; leave out an area without one",
                         Location(row=csv_line(err <= 0), column=se))
    return pl.DataFrame([areas, pl.Series("direct", est), pl.Series("direct_se", err)])


def fay_herriot(direct: pl.DataFrame, covariates: pl.DataFrame, *, area: str = "region",
                x: Sequence[str], estimate: str = "estimate", se: str = "se",
                level: float = 0.95) -> pl.DataFrame:
    """Small-area estimates for every area of ``covariates``.

    Args:
        direct: direct survey estimates, one row per sampled area (``area``,
            ``estimate``, ``se``), e.g. ``Survey.mean(..., by="region")``.
        covariates: one row per area to estimate, with the covariate columns ``x``.
        area: the area column of both frames.
        x: covariate columns (an intercept is added).
        estimate, se: the direct estimate and SE columns of ``direct``.
        level: confidence level of the intervals.

    Returns:
        One row per area: ``area``, ``method`` (``eblup`` / ``synthetic``), ``estimate``,
        ``mse``, ``se`` (= √MSE), ``cv`` (per cent), ``ci_low``/``ci_high``, ``gamma``,
        ``direct``, ``direct_se``.
    """
    cov = check_covariates(covariates, area=area, x=x)
    dir_ = check_direct(direct, area=area, estimate=estimate, se=se)
    unknown = set(dir_.get_column(area)) - set(cov.get_column(area))
    if unknown:
        raise InputError(f"direct estimates for areas without covariates: {sorted(unknown)[:5]}",
                         "add their covariates or leave them out")
    joined = cov.join(dir_, on=area, how="left")
    xm = np.column_stack([np.ones(joined.height), joined.select(x).to_numpy()])
    sampled = joined.get_column("direct").is_not_null().to_numpy()
    y = joined.get_column("direct").to_numpy()[sampled].astype(float)
    d = joined.get_column("direct_se").to_numpy()[sampled].astype(float) ** 2
    fit = fit_fay_herriot(y, xm[sampled], d)
    est = xm @ fit.beta
    mse = fit.a + np.einsum("ij,jk,ik->i", xm, fit.beta_cov, xm)
    gamma = np.zeros(joined.height)
    est[sampled], mse[sampled], gamma[sampled] = fit.eblup, fit.mse, fit.gamma
    root = np.sqrt(mse)
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = 100 * root / np.abs(est)
    return joined.select(area, "direct", "direct_se").with_columns(
        pl.Series("method", np.where(sampled, "eblup", "synthetic")),
        pl.Series("estimate", est), pl.Series("mse", mse), pl.Series("se", root),
        pl.Series("cv", cv), pl.Series("ci_low", est - z * root),
        pl.Series("ci_high", est + z * root), pl.Series("gamma", gamma),
    ).select(area, "method", "estimate", "mse", "se", "cv", "ci_low", "ci_high", "gamma",
             "direct", "direct_se")

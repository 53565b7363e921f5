"""Rao–Scott tests of association in a two-way table (R ``svychisq``).

Pearson's X² is computed on the weighted table rescaled to the sample size; the design
effect matrix Δ of the cell proportions (projected on the interaction contrasts) then
corrects it: ``F`` divides X² by tr Δ and refers it to F(d₀, d₀·ν) with
``d₀ = (tr Δ)²/tr Δ²`` (the second-order correction; ν = design degrees of freedom);
``Chisq`` refers X²/mean(diag Δ) to χ² with (r−1)(c−1) degrees of freedom.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from scipy import stats

from migralink.errors import ConfigError, InputError
from migralink.survey.design import Design, FloatArray
from migralink.survey.estimators import ratio_family
from migralink.survey.formula import factor_levels

__all__ = ["ChisqTest", "svychisq"]


@dataclass(frozen=True)
class ChisqTest:
    """A Rao–Scott test: the statistic, its degrees of freedom and p-value."""

    statistic_name: str
    statistic: float
    ndf: float
    ddf: float | None
    p_value: float


def _dummies(levels: int) -> FloatArray:
    """Treatment-coded columns (without intercept) for a factor with ``levels`` levels."""
    return np.eye(levels)[:, 1:]


def _contrasts(nr: int, nc: int) -> FloatArray:
    rows = np.repeat(np.arange(nr)[None, :], nc, axis=0).ravel()  # rows vary fastest
    cols = np.repeat(np.arange(nc), nr)
    r_d, c_d = _dummies(nr)[rows], _dummies(nc)[cols]
    x1 = np.hstack([np.ones((nr * nc, 1)), r_d, c_d])
    inter = np.hstack([r_d[:, [i]] * c_d[:, [j]] for j in range(nc - 1) for i in range(nr - 1)])
    coef, *_ = np.linalg.lstsq(x1, inter, rcond=None)
    return np.asarray(inter - x1 @ coef)


def svychisq(design: Design, frame: pl.DataFrame, row: str, col: str,
             statistic: Literal["F", "Chisq"] = "F") -> ChisqTest:
    """Test the association of ``row`` and ``col`` (rows with a missing value left out)."""
    if statistic not in ("F", "Chisq"):
        raise ConfigError(f"unknown statistic {statistic!r}", "use F or Chisq")
    for name in (row, col):
        if name not in frame.columns:
            raise InputError(f"column {name!r} is not in the data", "check the table variables")
    rs, cs = frame.get_column(row), frame.get_column(col)
    rlev, clev = factor_levels(rs), factor_levels(cs)
    nr, nc = len(rlev), len(clev)
    if nr < 2 or nc < 2:
        raise ConfigError("a test of association needs at least two levels on each side",
                          f"{row!r} has {nr}, {col!r} has {nc}")
    ri = np.full(frame.height, -1)
    ci = np.full(frame.height, -1)
    for i, lev in enumerate(rlev):
        ri[(rs == lev).fill_null(False).to_numpy()] = i
    for j, lev in enumerate(clev):
        ci[(cs == lev).fill_null(False).to_numpy()] = j
    ok = (ri >= 0) & (ci >= 0)
    cell = np.where(ok, ri + nr * ci, -1)
    mm = np.full((frame.height, nr * nc), np.nan)
    mm[ok] = np.eye(nr * nc)[cell[ok]]
    mean2, v, _ = ratio_family(design, mm, np.ones_like(mm), na_rm=True, domains=None,
                               what=f"{row} × {col}")
    n = float(ok.sum())
    cmat = _contrasts(nr, nc)
    idmat = np.diag(np.where(mean2 == 0, 0.0, 1.0 / np.where(mean2 == 0, 1.0, mean2)))
    denom = cmat.T @ (idmat / n) @ cmat
    numr = cmat.T @ idmat @ v @ idmat @ cmat
    delta = np.linalg.solve(denom, numr)
    tr = float(np.trace(delta))
    d0 = tr**2 / float(np.trace(delta @ delta))
    table = np.bincount(cell[ok], weights=design.weights[ok], minlength=nr * nc)
    table = table * n / table.sum()
    obs = table.reshape(nc, nr).T
    expected = np.outer(obs.sum(axis=1), obs.sum(axis=0)) / n
    x2 = float(np.sum((obs - expected) ** 2 / expected))
    if design.replicates is None:
        first = design.stages[0]
        nu = float(np.unique(first.clusters).size - np.unique(first.strata).size)
    else:
        nu = float(design.degf)
    if statistic == "F":
        f = x2 / tr
        return ChisqTest("F", f, d0, d0 * nu, float(stats.f.sf(f, d0, d0 * nu)))
    df = delta.shape[1]
    return ChisqTest("X-squared", x2, float(df), None,
                     float(stats.chi2.sf(x2 / float(np.mean(np.diag(delta))), df)))

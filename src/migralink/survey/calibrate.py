"""Calibration: post-stratification, raking and GREG (linear, logit, raking), as R does.

Each calibration adjusts the sampling weights to known population totals. On a
linearisation design it also records a *residualising step*: the variance of a
calibrated estimator is the variance of the residuals of its influence values from the
calibration model (R ``svyrecvar``'s ``postStrata``). On a replicate design every
replicate is calibrated again with its own weights, so the replicate spread carries the
calibration (R ``postStratify``/``rake``/``calibrate`` on ``svyrep.design``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from migralink.errors import ConfigError, InputError
from migralink.survey.design import Design, FloatArray, IntArray, Replicates, codes_of
from migralink.survey.formula import model_matrix
from migralink.survey.spec import Calibration, Greg, PostStratify, Rake

__all__ = ["calibrate"]


@dataclass(frozen=True, eq=False)
class _PostStep:
    cells: IntArray
    new: FloatArray
    old: FloatArray

    def residual(self, z: FloatArray) -> FloatArray:
        psw = np.where((self.new == 0) & (self.old == 0), 1.0, self.new)
        ncell = int(self.cells.max()) + 1
        den = np.bincount(self.cells, weights=self.old, minlength=ncell)
        out = np.empty_like(z)
        for j in range(z.shape[1]):
            means = np.bincount(self.cells, weights=z[:, j] * self.old / psw,
                                minlength=ncell) / den
            out[:, j] = z[:, j] - means[self.cells] * psw
        return out


@dataclass(frozen=True, eq=False)
class _RakeStep:
    margins: tuple[tuple[IntArray, FloatArray], ...]

    def residual(self, z: FloatArray) -> FloatArray:
        z = z.copy()
        for _ in range(10):  # R sweeps the margins a fixed 10 times
            for cells, psw in self.margins:
                ncell = int(cells.max()) + 1
                count = np.bincount(cells, minlength=ncell)
                for j in range(z.shape[1]):
                    ave = np.bincount(cells, weights=z[:, j] / psw, minlength=ncell) / count
                    z[:, j] -= psw * ave[cells]
        return z


@dataclass(frozen=True, eq=False)
class _GregStep:
    basis: FloatArray  # orthonormal basis of the columns of mm·√w₀
    w: FloatArray

    def residual(self, z: FloatArray) -> FloatArray:
        scaled = z / self.w[:, None]
        return (scaled - self.basis @ (self.basis.T @ scaled)) * self.w[:, None]


def _cells(frame: pl.DataFrame, post: PostStratify) -> tuple[IntArray, FloatArray, int]:
    """Cell of each row, and the population count of each cell."""
    for v in post.variables:
        if v not in frame.columns:
            raise InputError(f"post-stratification names column {v!r}, which the data lack",
                             "check the calibration variables")
        if frame.get_column(v).null_count():
            raise InputError(f"post-stratification column {v!r} has missing values",
                             "every row needs a post-stratum")
    keys = frame.select(pl.concat_str([pl.col(v).cast(pl.Utf8) for v in post.variables],
                                      separator="\x1f").alias("k")).get_column("k")
    pop = {"\x1f".join(codes): n for codes, n in post.population}
    codes, ncell = codes_of(keys)
    labels = keys.unique().sort().to_list()
    missing = [lab for lab in labels if lab not in pop or pop[lab] == 0]
    if missing:
        raise ConfigError(f"sample cells absent from the population: {missing[:5]}",
                          "give a population count for every cell in the sample")
    absent = set(pop) - set(labels)
    if absent and not post.partial and any(pop[a] for a in absent):
        raise ConfigError(f"population cells absent from the sample: {sorted(absent)[:5]}",
                          "collapse cells, or set partial to ignore them")
    return codes, np.array([pop[lab] for lab in labels], dtype=float), ncell


def _post_weights(weights: FloatArray, cells: IntArray, target: FloatArray,
                  ncell: int) -> FloatArray:
    have = np.bincount(cells, weights=weights, minlength=ncell)
    return np.asarray(weights * (target / have)[cells])


def _rep_matrix(design: Design) -> FloatArray:
    assert design.replicates is not None
    return design.replicates.analysis(design.weights)


def _with_reps(design: Design, weights: FloatArray, analysis: FloatArray,
               recompute_degf: bool) -> Design:
    from migralink.survey.replicates import degf_of_replicates

    old = design.replicates
    assert old is not None
    reps = Replicates(old.type, analysis, None, old.scale, old.rscales, old.mse, old.rho)
    out = replace(design, weights=weights, replicates=reps)
    return replace(out, degf=degf_of_replicates(out)) if recompute_degf else out


def _poststratify(design: Design, frame: pl.DataFrame, post: PostStratify) -> Design:
    cells, target, ncell = _cells(frame, post)
    new = _post_weights(design.weights, cells, target, ncell)
    if design.replicates is not None:
        reps = _rep_matrix(design)
        have = np.stack([np.bincount(cells, weights=reps[:, r], minlength=ncell)
                         for r in range(reps.shape[1])], axis=1)
        adjusted = reps * (target[:, None] / have)[cells]
        return _with_reps(design, new, adjusted, True)
    step = _PostStep(cells, new, design.weights)
    return replace(design, weights=new, calibrations=(*design.calibrations, step))


def _rake(design: Design, frame: pl.DataFrame, rake: Rake) -> Design:
    margins = [_cells(frame, m) for m in rake.margins]
    total = design.weights.sum()
    eps = rake.epsilon * total if rake.epsilon < 1 else rake.epsilon
    allcells = codes_of(pl.concat_str([pl.col(v).cast(pl.Utf8) for m in rake.margins
                                       for v in m.variables], separator="\x1f")
                        .alias("k").pipe(lambda e: frame.select(e)).get_column("k"))[0]
    w = design.weights
    reps = _rep_matrix(design) if design.replicates is not None else None
    old_table = np.bincount(allcells, weights=w)
    steps: list[tuple[IntArray, FloatArray]] = []
    converged = False
    for _ in range(rake.maxit):
        steps = []
        for cells, target, ncell in margins:
            w = _post_weights(w, cells, target, ncell)
            steps.append((cells, w))
            if reps is not None:
                have = np.stack([np.bincount(cells, weights=reps[:, r], minlength=ncell)
                                 for r in range(reps.shape[1])], axis=1)
                reps = reps * (target[:, None] / have)[cells]
        table = np.bincount(allcells, weights=w)
        if np.max(np.abs(old_table - table)) < eps:
            converged = True
            break
        old_table = table
    if not converged:
        raise ConfigError(f"raking did not converge in {rake.maxit} sweeps",
                          "raise maxit, loosen epsilon, or collapse sparse cells")
    if reps is not None:
        return _with_reps(design, w, reps, True)
    return replace(design, weights=w,
                   calibrations=(*design.calibrations, _RakeStep(tuple(steps))))


def _calfun(greg: Greg) -> tuple[Callable[[FloatArray], FloatArray],
                                  Callable[[FloatArray], FloatArray]]:
    low, up = greg.bounds
    if greg.calfun == "linear":
        return (lambda u: np.minimum(np.maximum(u + 1, low), up) - 1,
                lambda u: ((u < up - 1) & (u > low - 1)).astype(float))
    if greg.calfun == "raking":
        return (lambda u: np.minimum(np.maximum(np.exp(u), low), up) - 1,
                lambda u: np.where((u < up - 1) & (u > low - 1), np.exp(u), 0.0))
    a = (up - low) / ((up - 1) * (1 - low))

    def fm1(u: FloatArray) -> FloatArray:
        e = np.exp(a * u)
        return np.asarray((low * (up - 1) + up * (1 - low) * e) / (up - 1 + (1 - low) * e) - 1)

    def df(u: FloatArray) -> FloatArray:
        e = np.exp(a * u)
        d = up - 1 + (1 - low) * e
        return np.asarray(up * (1 - low) * e * a / d
                          - (low * (up - 1) + up * (1 - low) * e) * ((1 - low) * e * a) / d**2)

    return fm1, df


def _grake(mm: FloatArray, ww: FloatArray, pop: FloatArray, greg: Greg) -> FloatArray:
    """The g-weights of a (bounded) calibration by Newton steps (R ``grake``)."""
    fm1, df = _calfun(greg)
    total = (mm * ww[:, None]).sum(axis=0)
    scales = pop / total
    scale = float(np.mean(scales)) if scales.min() > 20 else None
    if scale is not None:  # R rescales weights far below the population first
        ww, total = ww * scale, total * scale
    eta = np.zeros(mm.shape[1])
    xeta = mm @ eta
    it = 1
    with np.errstate(over="ignore", invalid="ignore"):
        while it <= greg.maxit:
            tmat = (mm * (ww * df(xeta))[:, None]).T @ mm
            misfit = pop - total - (mm * (ww * fm1(xeta))[:, None]).sum(axis=0)
            deta = np.linalg.pinv(tmat, rcond=256 * np.finfo(float).eps) @ misfit
            eta = eta + deta
            xeta = mm @ eta
            g, deriv = 1 + fm1(xeta), df(xeta)
            # halve the step while it overshoots into non-finite weights (as R)
            while it < greg.maxit and not (np.all(np.isfinite(g)) and np.all(np.isfinite(deriv))):
                it += 1
                deta = deta / 2
                eta = eta - deta
                xeta = mm @ eta
                g, deriv = 1 + fm1(xeta), df(xeta)
            misfit = pop - total - (mm * (ww * fm1(xeta))[:, None]).sum(axis=0)
            if np.all(np.abs(misfit) / (1 + np.abs(pop)) < greg.epsilon):
                return g * scale if scale is not None else g
            it += 1
    raise ConfigError(f"{greg.calfun} calibration did not converge in {greg.maxit} steps",
                      "widen the bounds, or check that the totals are attainable")


def _greg_g(mm: FloatArray, ww: FloatArray, pop: FloatArray, greg: Greg) -> FloatArray:
    if greg.calfun == "linear" and not any(math.isfinite(b) for b in greg.bounds):
        whalf = np.sqrt(ww)
        tmat = (mm * whalf[:, None]).T @ (mm * whalf[:, None])
        total = (mm * ww[:, None]).sum(axis=0)
        return np.asarray(1 + mm @ np.linalg.solve(tmat, pop - total))
    return _grake(mm, ww, pop, greg)


def _greg(design: Design, frame: pl.DataFrame, greg: Greg) -> Design:
    _, matrix = model_matrix("~" + greg.formula, frame, with_response=False)
    if not matrix.complete.all():
        raise InputError(f"calibration variables of {greg.formula!r} have missing values",
                         "every row needs the calibration variables")
    totals = dict(greg.population)
    unknown = [c for c in matrix.names if c not in totals]
    if unknown:
        raise ConfigError(f"no population total for calibration columns {unknown}",
                          f"give totals for: {', '.join(matrix.names)}")
    pop = np.array([totals[c] for c in matrix.names])
    mm = matrix.x
    g = _greg_g(mm, design.weights, pop, greg)
    new = design.weights * g
    if design.replicates is not None:
        reps = _rep_matrix(design)
        adjusted = np.column_stack([reps[:, r] * _greg_g(mm, reps[:, r], pop, greg)
                                    for r in range(reps.shape[1])])
        return _with_reps(design, new, adjusted, greg.calfun == "linear")
    whalf = np.sqrt(design.weights)
    basis, _ = np.linalg.qr(mm * whalf[:, None])
    step = _GregStep(basis, g * whalf)
    return replace(design, weights=new, calibrations=(*design.calibrations, step))


def calibrate(design: Design, frame: pl.DataFrame, cal: Calibration) -> Design:
    """Apply one calibration to a design (and to its replicates)."""
    if isinstance(cal, PostStratify):
        return _poststratify(design, frame, cal)
    if isinstance(cal, Rake):
        return _rake(design, frame, cal)
    return _greg(design, frame, cal)

"""Linearisation (Taylor) variance of weighted influence values, as R ``svyrecvar``.

The variance of an estimator is the design variance of the total of its influence
values ``z`` (already multiplied by the weights). At each stage, cluster totals of ``z``
are centred within their stratum and their squares summed with the scale
``f·n/(n−1)`` — ``f = (N−n)/N`` with an fpc, 1 without (with replacement). A later stage
adds its own term, multiplied by the sampling fraction ``n/N`` of the stage above, only
when population sizes are given (without them the first stage carries the whole
variance, as R does). Calibrations first replace ``z`` by its residual from the
calibration model (:func:`residualise`).

Lonely PSUs (a stratum with one sampled PSU) follow R's ``survey.lonely.psu``: ``fail``
raises, ``remove``/``certainty`` contribute nothing, ``adjust`` centres the PSU on the
overall mean of zero, ``average`` replaces the stratum by the average of the others.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from migralink.errors import ConfigError
from migralink.survey.design import Design, FloatArray, IntArray, Stage

__all__ = ["cluster_totals", "domain_totals", "residualise", "strata_present", "taylor_vcov"]

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


def cluster_totals(values: FloatArray, clusters: IntArray, nclusters: int) -> FloatArray:
    """Column totals of ``values`` (rows × p) per cluster: (clusters × p)."""
    out = np.empty((nclusters, values.shape[1]))
    for j in range(values.shape[1]):
        out[:, j] = np.bincount(clusters, weights=values[:, j], minlength=nclusters)
    return out


def _stratum_scale(stage: Stage, lonely: str, mult: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per-stratum variance scale, and whether each stratum is centred."""
    nh = stage.npsu
    if stage.popsize is None:
        f = np.ones_like(nh)
    else:
        with np.errstate(invalid="ignore"):
            f = np.where(np.isinf(stage.popsize), 1.0, (stage.popsize - nh) / stage.popsize)
    scale = np.where(nh > 1, f * nh / np.maximum(nh - 1, 1), f)
    # a self-representing stratum (every PSU sampled) has no sampling variance
    scale = np.where(f < 1e-7, 0.0, scale) * mult
    # a certainty stratum (f = 0) is not lonely: it has no variance at all (as R)
    lone = (nh == 1) & (f >= 1e-7)
    centred = np.ones_like(nh)
    if lone.any():
        if lonely == "fail":
            h = int(np.flatnonzero(lone)[0])
            raise ConfigError(f"{stage.stratum_name(h)} has only one PSU",
                              'set "lonely_psu" to "adjust", "average", "remove" or '
                              '"certainty", or collapse strata')
        if lonely == "adjust":
            centred = np.where(lone, 0.0, 1.0)
        elif lonely == "average":
            scale = np.where(lone, np.nan, scale)
    return scale, centred


def strata_present(design: Design, keep: FloatArray, dom: IntArray | None, ndom: int,
                   p: int) -> BoolArray | None:
    """For ``average``: which first-stage strata hold rows of each (domain, variable).

    R's ``svyby`` (and ``na.rm``) estimate on a subset of the design, and ``average``
    counts only the strata of that subset: a domain's lonely strata borrow from the
    domain's other strata. Columns are domain-major, as the estimators order them.
    """
    if design.spec.lonely_psu != "average":
        return None
    first = design.stages[0]
    nstr = first.npsu.size
    codes = np.zeros(design.n, dtype=np.int64) if dom is None else dom
    inside = keep > 0
    counts = np.bincount(first.strata[inside] * ndom + codes[inside],
                         minlength=nstr * ndom).reshape(nstr, ndom)
    return np.repeat(counts > 0, p, axis=1)


def _average(scale: FloatArray, dev: FloatArray, cstr: IntArray,
             present: BoolArray) -> FloatArray:
    """``average`` within each column's own strata: ``dev`` scaled by √(nstrat/nok)."""
    ok = ~np.isnan(scale)
    nstrat = present.sum(axis=0)
    nok = (present & ok[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(nok > 0, nstrat / nok, np.nan)  # R: no stratum to borrow: NaN
    return np.asarray(dev * np.sqrt(np.where(ok, scale, 0.0))[cstr][:, None]
                      * np.sqrt(factor)[None, :])


def _stage_vcov(tot: FloatArray, stage: Stage, lonely: str, mult: FloatArray,
                group: IntArray, present: BoolArray | None = None) -> FloatArray:
    """One stage's variance from cluster totals (clusters × p)."""
    scale, centred = _stratum_scale(stage, lonely, mult)
    cstr = stage.cluster_stratum
    nstr = stage.npsu.size
    means = np.empty((nstr, tot.shape[1]))
    for j in range(tot.shape[1]):
        means[:, j] = np.bincount(cstr, weights=tot[:, j], minlength=nstr) / stage.npsu
    dev = tot - (means * centred[:, None])[cstr]
    if present is not None and np.isnan(scale).any():
        weighted = _average(scale, dev, cstr, present)
        return np.asarray(weighted.T @ weighted)
    if np.isnan(scale).any():
        # "average": each group's missing strata take the mean of its other strata
        ok = ~np.isnan(scale)
        ngroup = int(group.max()) + 1
        total = np.bincount(group, minlength=ngroup).astype(float)
        good = np.bincount(group, weights=ok.astype(float), minlength=ngroup)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(good > 0, total / good, 0.0)
        scale = np.where(ok, scale, 0.0) * factor[group]
    weighted = dev * np.sqrt(scale)[cstr][:, None]
    return np.asarray(weighted.T @ weighted)


def residualise(design: Design, z: FloatArray) -> FloatArray:
    """Replace influence values by their residuals from each calibration's model."""
    for step in design.calibrations:
        z = step.residual(z)
    return z


def taylor_vcov(design: Design, z: FloatArray, totals: FloatArray | None = None,
                present: BoolArray | None = None) -> FloatArray:
    """The linearisation variance–covariance matrix of the totals of ``z``.

    Args:
        design: the design (its stages and calibrations).
        z: weighted influence values, rows × p.
        totals: first-stage cluster totals of ``z`` if the caller has them (saves a pass
            over the rows when there is a single stage and no calibration).
        present: first-stage strata × columns holding rows of each column's domain
            (:func:`strata_present`), for ``average`` by domain.

    Returns:
        The p × p variance matrix.
    """
    lonely = design.spec.lonely_psu
    if design.calibrations:
        z = residualise(design, z)
        totals = None
    first = design.stages[0]
    if totals is None:
        totals = cluster_totals(z, first.clusters, first.cluster_stratum.size)
    ones = np.ones(first.npsu.size)
    v = _stage_vcov(totals, first, lonely, ones, np.zeros(first.npsu.size, dtype=np.int64),
                    present)
    mult = ones
    previous = first
    for stage in design.stages[1:]:
        if previous.popsize is None:
            break
        # sampling fraction of the stage above, carried down to this stage's strata
        frac = mult * previous.npsu / previous.popsize
        parent = np.zeros(stage.npsu.size, dtype=np.int64)
        parent[stage.strata] = previous.clusters
        mult = frac[previous.cluster_stratum[parent]]
        tot = cluster_totals(z, stage.clusters, stage.cluster_stratum.size)
        v = v + _stage_vcov(tot, stage, lonely, mult, parent)
        previous = stage
    return v


def domain_totals(values: FloatArray, domains: IntArray, ndomains: int,
                  clusters: IntArray, nclusters: int) -> FloatArray:
    """Cluster × domain totals of one column in a single pass (for svyby)."""
    key = clusters * ndomains + domains
    flat = np.bincount(key, weights=values, minlength=nclusters * ndomains)
    return np.asarray(flat.reshape(nclusters, ndomains), dtype=float)

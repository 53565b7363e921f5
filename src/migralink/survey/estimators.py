"""Means, totals and ratios, overall and by domain (R ``svymean``, ``svytotal``, ``svyby``).

Every estimate here is a ratio of weighted totals ``θ = Σ w·y / Σ w·x`` (a mean has
``x = 1``, a total no denominator). Its linearisation variance is the design variance of
the influence values ``w·(y − θx)/Σ w·x``; its replicate variance the spread of ``θ``
recomputed with each replicate's weights. Domains (``by``) are estimated all at once:
a row outside a domain contributes zero, and the domain keeps every PSU of the design,
which is how R's ``svyby`` treats a subset. Missing values with ``na_rm`` are dropped the
same way (listwise across the variables of one call), so that they count as PSUs of the
design but not as observations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

from migralink.errors import ConfigError, InputError
from migralink.survey.design import Design, FloatArray, IntArray, codes_of
from migralink.survey.formula import factor_levels
from migralink.survey.replicates import rep_totals, rep_vcov
from migralink.survey.taylor import domain_totals, strata_present, taylor_vcov

__all__ = ["Domains", "Linear", "check_answered", "domains_of", "ratio_family",
           "variable_columns"]

Deff = bool | Literal["replace"]


@dataclass(frozen=True, eq=False)
class Domains:
    """Domain codes of the rows and their labels (one tuple of codes per domain)."""

    codes: IntArray
    labels: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]

    @property
    def count(self) -> int:
        """Number of domains."""
        return len(self.labels)


@dataclass(frozen=True, eq=False)
class Linear:
    """Estimates with their variance matrix (terms × domains, domain-major)."""

    terms: tuple[str, ...]
    domains: Domains | None
    estimate: FloatArray
    vcov: FloatArray
    deff: FloatArray | None = None


def _one_domain(col: pl.Series) -> Domains:
    """Domains of one column: dense codes in sorted order, no join (the common case)."""
    if col.dtype.is_integer() and not col.null_count():
        codes, k = codes_of(col)
        where = np.zeros(k, dtype=np.int64)
        where[codes] = np.arange(codes.size)  # a row of each domain
        levels = col.gather(where).to_list()
        return Domains(codes, tuple((_text(v),) for v in levels), (col.name,))
    codes = (col.rank("dense") - 1).fill_null(-1).cast(pl.Int64).to_numpy()
    levels = col.drop_nulls().unique().sort().to_list()
    return Domains(codes, tuple((_text(v),) for v in levels), (col.name,))


def domains_of(frame: pl.DataFrame, by: list[str]) -> Domains:
    """The domains of ``by`` (all combinations present, sorted as R's ``svyby``)."""
    for col in by:
        if col not in frame.columns:
            raise InputError(f"domain column {col!r} is not in the data",
                             f"use one of: {', '.join(frame.columns[:20])}")
    if len(by) == 1:
        return _one_domain(frame.get_column(by[0]))
    keyed = frame.select([pl.col(c) for c in by]).with_row_index("_row")
    # R orders svyby's groups by the interaction factor: the last variable varies slowest
    order = list(reversed(by))
    # as R's svyby, a row with a missing domain value belongs to no domain
    uniq = keyed.select(by).drop_nulls().unique().sort(order)
    uniq = uniq.with_row_index("_dom")
    codes = keyed.join(uniq, on=by, how="left").sort("_row").get_column("_dom")
    labels = tuple(tuple(_text(v) for v in row) for row in uniq.select(by).iter_rows())
    return Domains(codes.fill_null(-1).cast(pl.Int64).to_numpy(), labels, tuple(by))


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def variable_columns(frame: pl.DataFrame, variables: list[str]) -> tuple[FloatArray, list[str]]:
    """Numeric columns as they are; text, boolean and categorical ones as level indicators."""
    cols: list[FloatArray] = []
    names: list[str] = []
    for var in variables:
        if var not in frame.columns:
            raise InputError(f"variable {var!r} is not in the data",
                             f"use one of: {', '.join(frame.columns[:20])}")
        s = frame.get_column(var)
        if s.dtype in (pl.Utf8, pl.Boolean, pl.Categorical):
            missing = s.is_null().to_numpy()
            for level in factor_levels(s):
                ind = (s == level).fill_null(False).to_numpy().astype(float)
                ind[missing] = np.nan
                cols.append(ind)
                names.append(f"{var}{_text(level)}")
        else:
            try:
                cols.append(s.cast(pl.Float64).to_numpy().astype(float))
            except pl.exceptions.InvalidOperationError as exc:
                raise InputError(f"variable {var!r} is not numeric",
                                 "estimate numbers or categories") from exc
            names.append(var)
    return np.column_stack(cols), names


def _keep(values: list[FloatArray], na_rm: bool, what: str) -> FloatArray:
    missing = np.zeros(values[0].shape[0], dtype=bool)
    for block in values:  # column by column: any(axis=1) is slow on narrow arrays
        for j in range(block.shape[1]):
            missing |= np.isnan(block[:, j])
    if missing.any() and not na_rm:
        raise InputError(f"{what} has {int(missing.sum())} missing values",
                         "pass na_rm (CLI --na-rm) to estimate over the answered rows")
    return np.asarray(~missing, dtype=float)


def _label(domains: Domains, d: int) -> str:
    return ", ".join(f"{n} = {v}" for n, v in zip(domains.names, domains.labels[d],
                                                   strict=True))


def _check_average(design: Design, vcov: FloatArray, domains: Domains | None, p: int,
                   what: str, where: str | None = None) -> None:
    """``average`` in a domain whose every stratum is lonely has nothing to average.

    ``where`` names the domain when the caller estimates one domain at a time (a
    proportion or a quantile per domain passes its rows as the whole sample).
    """
    bad = np.flatnonzero(np.isnan(np.diag(vcov)))
    if design.spec.lonely_psu != "average" or not bad.size:
        return
    if where is None:
        where = ("the sample" if domains is None
                 else f"domain {_label(domains, int(bad[0]) // p)}")
    raise ConfigError(f"{where} has rows of {what} only in strata with one PSU: "
                      'lonely_psu "average" has no other stratum to average',
                      'use "adjust", "remove" or "certainty", or collapse strata')


def check_answered(design: Design, answered: np.ndarray, domains: Domains | None,
                   what: str) -> None:
    """Refuse a domain (or a whole sample) with no answered row of positive weight.

    Such a domain has no data: its total is not 0 and its mean is not merely unreliable —
    it cannot be estimated at all, so it is an error rather than a graded figure.
    """
    used = np.asarray(answered, dtype=bool) & (design.weights != 0)
    if domains is None:
        if not used.any():
            raise InputError(f"{what} has no answered rows with a non-zero weight",
                             "there is nothing to estimate; check the column and the weights")
        return
    inside = domains.codes >= 0
    counts = np.bincount(domains.codes[inside], weights=used[inside].astype(float),
                         minlength=domains.count)
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        label = _label(domains, int(empty[0]))
        more = f" (and {empty.size - 1} more)" if empty.size > 1 else ""
        raise InputError(f"domain {label}{more} has no answered rows for {what}: "
                         "it cannot be estimated",
                         "leave that domain out of the data or the --by columns; a domain "
                         "without data is not a zero estimate")


def _domain_matrix(values: FloatArray, keep: FloatArray, dom: IntArray | None,
                   ndom: int) -> FloatArray:
    """Columns ``value·1{domain}`` for every (domain, variable), domain-major."""
    v = np.where(keep[:, None] > 0, values, 0.0)
    if dom is None:
        return v
    out = np.zeros((v.shape[0], ndom * v.shape[1]))
    for d in range(ndom):
        inside = (dom == d)[:, None]
        out[:, d * v.shape[1]:(d + 1) * v.shape[1]] = np.where(inside, v, 0.0)
    return out


def _fast_taylor(design: Design) -> bool:
    return len(design.stages) == 1 and not design.calibrations and design.replicates is None


def _weighted_resid(w: FloatArray, num: FloatArray, den: FloatArray | None, est: float,
                    tx: float) -> FloatArray:
    """``w·(num − est·den)/tx`` (``w·num`` for totals) with one new array, not four."""
    if den is None:
        return w * num
    out = np.multiply(den, -est)
    out += num
    out /= tx
    out *= w
    return out


def _taylor(design: Design, num: FloatArray, den: FloatArray | None, keep: FloatArray,
            dom: IntArray | None, ndom: int) -> tuple[FloatArray, FloatArray]:
    p = num.shape[1]
    if keep.all():
        w = design.weights
        numc, denc = num, den
    else:
        w = design.weights * keep
        numc = np.where(keep[:, None] > 0, num, 0.0)
        denc = None if den is None else np.where(keep[:, None] > 0, den, 0.0)
    codes = np.zeros(1, dtype=np.int64) if dom is None else dom

    def totals(values: FloatArray) -> FloatArray:
        if dom is None:  # one domain: a dot product is much faster than a bincount
            return np.asarray(w @ values, dtype=float)[None, :]
        return np.stack([np.bincount(codes, weights=w * values[:, j], minlength=ndom)
                         for j in range(p)], axis=1)  # ndom × p

    ty = totals(numc)
    if denc is None:
        est = ty
        resid = numc
        tx0 = np.ones(p)
    else:
        tx = totals(denc)
        # a zero denominator gives a NaN estimate, refused with its domain by the caller
        with np.errstate(divide="ignore", invalid="ignore"):
            est = ty / tx
            if dom is None:
                tx0 = tx[0]
                if not _fast_taylor(design):  # the fast path below forms it by column
                    resid = (numc - est[0] * denc) / tx0
            else:
                resid = (numc - est[codes] * denc) / tx[codes]
    first = design.stages[0]
    present = strata_present(design, keep, dom, ndom, p)
    if _fast_taylor(design):
        nclus = first.cluster_stratum.size
        if dom is None:
            ctot = np.stack([np.bincount(first.clusters, weights=_weighted_resid(
                w, numc[:, j], None if denc is None else denc[:, j], est[0, j], tx0[j]),
                minlength=nclus) for j in range(p)], axis=1).astype(float)
        else:
            ctot = np.concatenate(
                [domain_totals(w * resid[:, j], codes, ndom, first.clusters, nclus)
                 for j in range(p)], axis=1)  # clusters × (p·ndom), variable-major
        perm = np.arange(p * ndom).reshape(p, ndom).T.ravel()
        vcov = taylor_vcov(design, np.zeros((0, p * ndom)), ctot[:, perm], present)
    else:
        z = _domain_matrix(w[:, None] * resid, keep, dom, ndom)
        vcov = taylor_vcov(design, z, present=present)
    return np.asarray(est, dtype=float).ravel(), vcov


def _unit_domain_totals(design: Design, values: FloatArray, keep: FloatArray,
                        dom: IntArray | None, ndom: int) -> FloatArray:
    """Replicate-unit × (domain, variable) weighted totals, domain-major, one pass each."""
    reps = design.replicates
    assert reps is not None
    assert reps.index is not None
    nunits = reps.factors.shape[0]
    codes = np.zeros(design.n, dtype=np.int64) if dom is None else dom
    w = design.weights * keep
    v = np.where(keep[:, None] > 0, values, 0.0)
    blocks = [domain_totals(w * v[:, j], codes, ndom, reps.index, nunits)
              for j in range(v.shape[1])]  # each units × ndom
    stacked = np.stack(blocks, axis=2)  # units × ndom × p
    return np.asarray(stacked.reshape(nunits, ndom * v.shape[1]))


def _replicate(design: Design, num: FloatArray, den: FloatArray | None, keep: FloatArray,
               dom: IntArray | None, ndom: int) -> tuple[FloatArray, FloatArray]:
    reps = design.replicates
    assert reps is not None
    if reps.index is not None:
        # compressed replicates: totals of replicate r are factorsᵀ · unit totals
        unum = _unit_domain_totals(design, num, keep, dom, ndom)
        est = unum.sum(axis=0)
        thetas = reps.factors.T @ unum
        if den is not None:
            uden = _unit_domain_totals(design, den, keep, dom, ndom)
            with np.errstate(divide="ignore", invalid="ignore"):
                est = est / uden.sum(axis=0)
                thetas = thetas / (reps.factors.T @ uden)
        return est, rep_vcov(reps, thetas, est)
    ynum = _domain_matrix(num, keep, dom, ndom)
    w = design.weights
    full_num = w @ ynum
    if den is None:
        est = full_num
        thetas = rep_totals(design, ynum)
    else:
        xden = _domain_matrix(den, keep, dom, ndom)
        with np.errstate(divide="ignore", invalid="ignore"):
            est = full_num / (w @ xden)
            thetas = rep_totals(design, ynum) / rep_totals(design, xden)
    return est, rep_vcov(reps, thetas, est)


def _svyvar_diag(design: Design, values: FloatArray, keep: FloatArray) -> FloatArray:
    w = design.weights * keep
    kept = keep > 0
    n = np.count_nonzero(w) if design.replicates is None else np.count_nonzero(kept)
    x = np.where(kept[:, None], values, 0.0)
    mean = (w @ x) / w.sum()
    return np.asarray((w @ (x - mean) ** 2) / w.sum() * n / (n - 1))


def _deff(design: Design, values: FloatArray, keep: FloatArray, vcov: FloatArray,
          kind: str, deff: Deff) -> FloatArray:
    w = design.weights * keep
    nobs = float(np.count_nonzero(w) if design.replicates is None
                 else np.count_nonzero(keep))
    psum = float(w.sum())
    vsrs = _svyvar_diag(design, values, keep)
    if kind == "total":
        vsrs = vsrs * psum**2
    vsrs = vsrs / nobs
    if deff != "replace":
        if psum < nobs:
            raise ConfigError("weights sum to less than the sample size",
                              "use deff 'replace' for weights scaled to the sample size")
        vsrs = vsrs * (psum - nobs) / psum
    return np.asarray(np.diag(vcov) / vsrs)


def ratio_family(design: Design, num: FloatArray, den: FloatArray | None, *,
                 na_rm: bool, domains: Domains | None, what: str,
                 deff: Deff = False, kind: str = "mean", where: str | None = None
                 ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    """Estimates and variance of ``Σwy/Σwx`` per column and domain.

    Args:
        design: the design.
        num: numerator values, rows × p.
        den: denominator values, rows × p (None for totals).
        na_rm: drop rows with a missing value in any column (listwise).
        domains: estimate within each domain (domain-major output).
        what: the variables, for error messages.
        deff: also compute design effects (not for domains).
        kind: ``mean`` or ``total`` (for the design effect).
        where: the domain these rows are, for error messages (None: ``domains`` tells).

    Returns:
        ``(estimate, vcov, deff)``.
    """
    keep = _keep([num] if den is None else [num, den], na_rm, what)
    dom = None if domains is None else domains.codes
    if dom is not None and np.any(dom < 0):
        keep = np.where(dom < 0, 0.0, keep)
        dom = np.where(dom < 0, 0, dom)
    ndom = 1 if domains is None else domains.count
    check_answered(design, keep > 0, domains, what)
    if design.replicates is None:
        est, vcov = _taylor(design, num, den, keep, dom, ndom)
        _check_average(design, vcov, domains, num.shape[1], what, where)
    else:
        est, vcov = _replicate(design, num, den, keep, dom, ndom)
    effects = _deff(design, num, keep, vcov, kind, deff) if deff and domains is None else None
    return est, vcov, effects

"""Proportions with R's confidence intervals (``svyciprop``) and quantiles (``svyquantile``).

Proportion intervals (``method``): ``logit`` — R's default: a quasibinomial
intercept-only model, Wald interval on the logit scale with the design's degrees of
freedom, back-transformed; ``xlogit`` — the same by the delta method on the mean;
``mean`` — a Wald interval on the proportion; ``asin`` — on the arcsine square root
scale; ``beta`` — Korn–Graubard with an effective sample size. The standard error is
always the mean's.

Quantiles follow survey 4.x defaults: ``qrule = "math"`` (the smallest value whose
weighted distribution function reaches *p*) and Woodruff's interval (the interval of the
proportion below the quantile, mapped back through the distribution function); the
standard error is the interval's width over 2·t.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats

from migralink.errors import ConfigError
from migralink.survey.design import Design, FloatArray
from migralink.survey.estimators import ratio_family
from migralink.survey.glm import irls
from migralink.survey.replicates import domain_degf, rep_vcov
from migralink.survey.taylor import strata_present, taylor_vcov

__all__ = ["CI_METHODS", "Interval", "ciprop", "qrule_math", "quantile"]

CiMethod = Literal["logit", "xlogit", "mean", "asin", "beta"]
CI_METHODS: tuple[str, ...] = ("logit", "xlogit", "mean", "asin", "beta")


@dataclass(frozen=True)
class Interval:
    """An estimate with its standard error, interval and degrees of freedom."""

    estimate: float
    se: float
    low: float
    high: float
    df: float


def _tcrit(df: float, level: float) -> float:
    alpha = (1 - level) / 2
    return float(stats.norm.ppf(1 - alpha) if not np.isfinite(df) else stats.t.ppf(1 - alpha, df))


def _mean_se(design: Design, y: FloatArray, keep: FloatArray | None, what: str = "proportion",
             where: str | None = None) -> tuple[float, float]:
    everyone = keep is None or bool(keep.all())  # None: every row, without a pass to check
    values = (y if everyone or keep is None else np.where(keep > 0, y, np.nan))[:, None]
    est, vcov, _ = ratio_family(design, values, np.ones_like(values), na_rm=not everyone,
                                domains=None, what=what, where=where)
    return float(est[0]), float(np.sqrt(vcov[0, 0]))


def _logit_coef_se(design: Design, y: FloatArray, keep: FloatArray) -> tuple[float, float]:
    used = (keep > 0) & (design.weights > 0)
    pw = design.weights / design.weights.mean()
    x = np.ones((int(used.sum()), 1))
    fit = irls(x, y[used], pw[used], "quasibinomial")
    if design.replicates is None:
        infl = np.zeros((design.n, 1))
        infl[used] = (x * (fit.work_resid * fit.work_weights)[:, None]) @ fit.xtwx_inv
        var = taylor_vcov(design, infl, present=strata_present(design, keep, None, 1, 1))[0, 0]
    else:
        analysis = design.replicates.analysis(design.weights)[used]
        betas = np.array([[irls(x, y[used], analysis[:, r] / analysis[:, r].sum(),
                                "quasibinomial", start=fit.coef).coef[0]]
                          for r in range(analysis.shape[1])])
        var = rep_vcov(design.replicates, betas, fit.coef)[0, 0]
    return float(fit.coef[0]), float(np.sqrt(var))


def _expit(v: float) -> float:
    return float(1 / (1 + np.exp(-v)))


def ciprop(design: Design, y: FloatArray, *, method: CiMethod = "logit", level: float = 0.95,
           na_rm: bool = False, df: float | None = None, what: str = "proportion",
           where: str | None = None) -> Interval:
    """A proportion (mean of a 0/1 variable) with R's interval ``method``.

    Args:
        design: the design.
        y: the 0/1 values (NaN = missing).
        method: one of :data:`CI_METHODS`.
        level: confidence level.
        na_rm: leave out missing values (otherwise they are an error).
        df: degrees of freedom (None: the design's).
        what: the variable, for error messages.
        where: the domain ``y`` holds (its other rows missing), for error messages.
    """
    if method not in CI_METHODS:
        raise ConfigError(f"unknown interval method {method!r}",
                          f"use one of {', '.join(CI_METHODS)}")
    missing = np.isnan(y)
    if missing.any() and not na_rm:
        raise ConfigError(f"the proportion's variable has {int(missing.sum())} missing values",
                          "pass na_rm to use the answered rows")
    keep = (~missing).astype(float)
    yy = np.where(missing, 0.0, y)
    if np.any((yy < 0) | (yy > 1)):
        raise ConfigError("a proportion needs values between 0 and 1",
                          "code the condition as 0/1 (or true/false)")
    dfree = float(design.degf if df is None else df)
    p, se = _mean_se(design, yy, keep, what, where)
    t = _tcrit(dfree, level)
    if method == "logit":
        coef, cse = _logit_coef_se(design, yy, keep)
        return Interval(_expit(coef), se, _expit(coef - t * cse), _expit(coef + t * cse), dfree)
    if method == "xlogit":
        lse = se / (p * (1 - p))
        lp = np.log(p / (1 - p))
        return Interval(p, se, _expit(lp - t * lse), _expit(lp + t * lse), dfree)
    if method == "mean":
        return Interval(p, se, p - t * se, p + t * se, dfree)
    if method == "asin":
        a, ase = np.arcsin(np.sqrt(p)), se / (2 * np.sqrt(p * (1 - p)))
        return Interval(p, se, float(np.sin(a - t * ase) ** 2), float(np.sin(a + t * ase) ** 2),
                        dfree)
    n = float(np.count_nonzero(design.weights * keep))
    alpha = 1 - level
    neff = p * (1 - p) / se**2 * (stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, dfree))**2
    low = float(stats.beta.ppf(alpha / 2, neff * p, neff * (1 - p) + 1))
    high = float(stats.beta.ppf(1 - alpha / 2, neff * p + 1, neff * (1 - p)))
    return Interval(p, se, low, high, dfree)


_SORT_ALL = 200_000  # below this many rows a full sort is as fast as bucketing
_BUCKETS = 4096


def _bucket_sums(bucket: np.ndarray[Any, np.dtype[np.int16]], w: FloatArray,
                 scratch: FloatArray) -> np.ndarray[Any, np.dtype[np.longdouble]]:
    """The weight of each bucket, summed in long double as precisely as R's sums.

    A long double sum of the rows below a bucket would cost one pass over all rows per
    quantile; instead each weight is split into a coarse part (a multiple of ``grid``
    with few enough bits that a float sum of all of them is exact) and the small rest,
    both summed per bucket by ``bincount``. ``scratch`` (the size of ``w``) is reused.
    """
    top = max(abs(float(w.max())), abs(float(w.min())))
    bits = 52 - int(np.ceil(np.log2(w.size + 1)))  # n coarse parts of `bits` bits: exact
    grid = 2.0 ** (int(np.frexp(top)[1]) - bits)
    shift = 1.5 * 2.0**52 * grid  # adding and removing it rounds w to a multiple of grid
    index = bucket.astype(np.intp)  # bincount would convert it on each call
    coarse = np.add(w, shift, out=scratch)
    coarse -= shift
    parts = np.bincount(index, weights=coarse, minlength=_BUCKETS).astype(np.longdouble)
    rest = np.subtract(w, coarse, out=scratch)  # exact: w and coarse are that close
    return parts + np.bincount(index, weights=rest, minlength=_BUCKETS)


class _Cdf:
    """A weighted distribution function for R's ``qrule_math``, several quantiles at once.

    Small samples are sorted whole. Large ones are cut into value buckets (edges from a
    systematic subsample); a quantile then sorts only the bucket where the cumulative
    weight crosses p and its two neighbours, after the (extended-precision, per bucket)
    sum of the weights below them — the same value R finds by sorting everything. Buckets have
    equal widths (one multiplication per value, where a search would cost a binary
    search); a crossing bucket holding most of the sample just means a larger sort.
    """

    def __init__(self, x: FloatArray, w: FloatArray) -> None:
        pos = w != 0
        if not pos.all():
            x, w = x[pos], w[pos]
        self.x: FloatArray = x
        self.w: FloatArray = w
        self.bucket: np.ndarray[tuple[int], np.dtype[np.int16]] | None = None
        if self.x.size > _SORT_ALL:
            low, high = float(self.x.min()), float(self.x.max())
            if high > low:
                scale = (_BUCKETS - 1) / (high - low)
                # int16 buckets: comparisons over a million of them take a millisecond
                scratch = np.subtract(self.x, low)
                scratch *= scale
                self.bucket = scratch.astype(np.int16)
                per_bucket = _bucket_sums(self.bucket, self.w, scratch)
                # weights are positive here, so a bucket has weight iff it has values
                self.nonempty = np.flatnonzero(per_bucket > 0)
                # below[b]: the weight of buckets before b, rounded only at the end
                self.below = np.concatenate([np.zeros(1, np.longdouble),
                                             np.cumsum(per_bucket)])
                self.mass = self.below[1:].astype(float)
                self.total = float(self.below[-1])
                return
        # R accumulates in extended precision (long double) and rounds each partial sum
        self.total = float(np.sum(self.w, dtype=np.longdouble))

    def _window(self, target: float) -> tuple[FloatArray, FloatArray, bool, bool]:
        """Sorted values and cumulative weights around ``target``; at the start, end."""
        if self.bucket is None:
            order = np.argsort(self.x, kind="stable")
            cum = np.cumsum(self.w[order].astype(np.longdouble)).astype(float)
            return self.x[order], cum, True, True
        last = self.mass.size - 1
        b = min(int(np.searchsorted(self.mass, target, side="left")), last)
        # widen to the nearest non-empty bucket on each side, so that the crossing and
        # the value after it are inside even where the bucket sums round differently
        k = int(np.searchsorted(self.nonempty, b))
        lo = int(self.nonempty[k - 1]) if k > 0 else 0
        after = k + 1 if k < self.nonempty.size and self.nonempty[k] == b else k
        hi = int(self.nonempty[after]) if after < self.nonempty.size else last
        inside = (self.bucket >= lo) & (self.bucket <= hi)
        below = self.below[lo]
        xs, ws = self.x[inside], self.w[inside]
        order = np.argsort(xs, kind="stable")
        cum = (below + np.cumsum(ws[order].astype(np.longdouble))).astype(float)
        return xs[order], cum, lo == 0, hi == last

    def quantile(self, p: float) -> float:
        """R's ``qrule_math``: the smallest value whose distribution function reaches p."""
        target = p * self.total
        xs, cum, at_start, at_end = self._window(target)
        i = int(np.searchsorted(cum, target, side="right")) - 1
        if i < 0:
            if not at_start:  # cannot happen: the window starts a bucket below the crossing
                raise AssertionError("quantile window missed its crossing point")
            i = 0
        if i + 1 >= xs.size and not at_end:
            raise AssertionError("quantile window missed its crossing point")
        if p - cum[i] / self.total == 0:
            return float(xs[i])
        return float(xs[min(i + 1, xs.size - 1)])


def qrule_math(x: FloatArray, w: FloatArray, p: float) -> float:
    """R's ``qrule_math``: the p-quantile of the weighted distribution (no interpolation)."""
    return _Cdf(x, w).quantile(p)


def quantile(design: Design, x: FloatArray, p: float, *, level: float = 0.95,
             na_rm: bool = False, keep: FloatArray | None = None, what: str = "quantile",
             where: str | None = None) -> Interval:
    """The p-quantile with Woodruff's interval (R ``svyquantile``, survey ≥ 4.1 defaults).

    Args:
        design: the design.
        x: the values (NaN = missing).
        p: the probability (0 < p < 1).
        level: confidence level.
        na_rm: leave out missing values.
        keep: 0/1 domain indicator (rows outside count as PSUs, not observations).
        what: the variable, for error messages.
        where: the domain ``keep`` marks, for error messages.
    """
    if not 0 < p < 1:
        raise ConfigError(f"quantile {p} is outside (0, 1)", "ask for e.g. 0.5 (the median)")
    missing = np.isnan(x)
    if missing.any() and not na_rm:
        raise ConfigError(f"the variable has {int(missing.sum())} missing values",
                          "pass na_rm to use the answered rows")
    everyone = keep is None and not missing.any()
    inside: FloatArray | None = None
    if everyone:  # the whole sample: no copies
        xx, w = x, design.weights
    else:
        inside = (~missing).astype(float) * (1.0 if keep is None else keep)
        xx = np.where(missing, 0.0, x)
        w = design.weights * inside
    cdf = _Cdf(xx, w)
    qhat = cdf.quantile(p)
    # a domain has its own degrees of freedom, as R's svyby gives svyquantile a subset
    df = float(design.degf if keep is None else domain_degf(design, keep > 0))
    below = (xx <= qhat).astype(float)
    pm, se = _mean_se(design, below if inside is None else np.where(inside > 0, below, 0.0),
                      inside, what, where)
    t = _tcrit(df, level)
    lo_p, hi_p = pm - t * se, pm + t * se
    low = cdf.quantile(lo_p) if lo_p >= 0 else float("nan")
    high = cdf.quantile(hi_p) if hi_p <= 1 else float("nan")
    return Interval(qhat, (high - low) / (2 * t), low, high, df)

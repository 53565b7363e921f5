"""Replicate weights: generated (JK1, JKn, BRR, Fay, bootstrap) or given, and their variance.

Conventions are R ``survey``'s (``as.svrepdesign``/``svrepdesign``), so that the same
design gives the same standard errors:

* JK1: one replicate per PSU, others × n/(n−1); ``scale = f·(n−1)/n`` with
  ``f = (N−n)/N`` under an fpc, else 1.
* JKn: one replicate per PSU within its stratum; ``rscales_h = f_h·(n_h−1)/n_h``,
  ``scale = 1``.
* BRR / Fay: half-samples from R's Hadamard matrices (Sylvester for 4 and 16 rows, Paley
  otherwise, doubled as R does); factors 2−ρ and ρ; ``scale = 1/(R·(1−ρ)²)``.
* bootstrap: Rao–Wu resampling of n_h PSUs with replacement per stratum;
  ``scale = n̄/((n̄−1)(R−1))`` with n̄ the harmonic mean of the n_h. Random numbers differ
  from R's, so parity is tested on R's own replicates given as columns.
* variance ``scale · Σ rscales_r (θ_r − θ̄)²``, with θ̄ the mean of the replicates or the
  full-sample estimate when ``mse`` is set.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from migralink.errors import ConfigError
from migralink.survey.design import Design, FloatArray, IntArray, Replicates
from migralink.survey.spec import ReplicateSpec

__all__ = ["degf_of_replicates", "domain_degf", "hadamard", "make_replicates", "rep_totals",
           "rep_vcov"]


def _is_prime(p: int) -> bool:
    return p > 1 and all(p % d for d in range(2, math.isqrt(p) + 1))


def _sylvester(order: int) -> IntArray:
    h = np.ones((1, 1), dtype=np.int64)
    while h.shape[0] < order:
        h = np.block([[h, h], [h, 1 - h]])
    return h


def _paley_prime(p: int) -> IntArray:
    # quadratic residues (and 0) of (i + j) mod p mark 0, the rest 1; bordered by ones
    residues = {0, 1} | {(i * i) % p for i in range(2, (p - 1) // 2 + 1)}
    grid = np.add.outer(np.arange(p), np.arange(p)) % p
    core = np.where(np.isin(grid, list(residues)), 0, 1)
    top = np.ones((1, p), dtype=np.int64)
    return np.hstack([np.ones((p + 1, 1), dtype=np.int64), np.vstack([top, core])])


def _paley(n: int, nmax: int) -> IntArray | None:
    nceil = n + 4 - n % 4
    if n % 4 + 4 == n % 8:
        nn = nceil
        while nn % 8 == 0:
            nn //= 2
        if (nn - 1) % 4 == 3 and _is_prime(nn - 1):
            m = _paley_prime(nn - 1)
            while nn < nceil:
                m = np.block([[m, m], [m, 1 - m]])
                nn *= 2
            return m
    p = n
    while not (p % 4 == 3 and _is_prime(p)):
        p += 1
    if p + 1 > nceil + 4 and nceil + 4 < nmax:
        return _paley(nceil + 3, 2 * (nceil + 3))
    return None if p > nmax else _paley_prime(p)


def hadamard(n: int) -> IntArray:
    """A 0/1 Hadamard matrix with at least n+1 rows, chosen as R's ``hadamard(n)``.

    R ships precooked matrices of orders 28 and 36; for 24–27 and 32–35 strata this
    function uses a Paley or Sylvester matrix instead, which is an equally valid (fully
    balanced) BRR design whose replicates differ from R's.
    """
    m = n - n % 4
    if m < 4:
        return _sylvester(4)
    if m < 16 <= m + 4:
        return _sylvester(16)
    sizes = [s * 2 ** max(0, math.ceil(math.log2((n + 1) / s))) for s in (4, 16, 28, 36)]
    best = int(np.argmin([s - n for s in sizes]))
    found = _paley(n, sizes[best]) if sizes[best] - n > 4 else None
    if found is not None:
        return found
    order = 4
    while order < n + 1:
        order *= 2
    return _sylvester(order)


def _psu_strata(design: Design) -> tuple[IntArray, IntArray, int]:
    first = design.stages[0]
    return first.clusters, first.cluster_stratum, first.cluster_stratum.size


def _jk1(design: Design) -> Replicates:
    if design.has_strata:
        raise ConfigError("JK1 replicates are for unstratified designs",
                          "use type JKn for a stratified design")
    index, _, n = _psu_strata(design)
    factors = np.full((n, n), n / (n - 1))
    np.fill_diagonal(factors, 0.0)
    first = design.stages[0]
    f = 1.0 if first.popsize is None else (first.popsize[0] - n) / first.popsize[0]
    return Replicates("JK1", factors, index, f * (n - 1) / n, np.ones(n), False)


def _jkn(design: Design) -> Replicates:
    if not design.has_strata:
        raise ConfigError("JKn replicates need strata", "use type JK1 or bootstrap")
    index, cstr, n = _psu_strata(design)
    first = design.stages[0]
    nh = first.npsu
    lonely = design.spec.lonely_psu
    cols: list[FloatArray] = []
    rscales: list[float] = []
    nstrat = nh.size
    for h in range(nstrat):
        members = np.flatnonzero(cstr == h)
        f = 1.0 if first.popsize is None else (first.popsize[h] - nh[h]) / first.popsize[h]
        if members.size == 1 and f != 0:
            if lonely == "fail":
                raise ConfigError(f"{first.stratum_name(h)} has only one PSU",
                                  'set "lonely_psu" or collapse strata')
            if lonely == "adjust":
                col = np.where(cstr == h, 0.0, nstrat / (nstrat - 1))
                cols.append(col)
                rscales.append((nstrat - 1) / nstrat)
            continue
        for unit in members:
            col = np.ones(n)
            col[members] = nh[h] / (nh[h] - 1)
            col[unit] = 0.0
            cols.append(col)
            rscales.append(f * (nh[h] - 1) / nh[h])
    if not cols:
        raise ConfigError("every stratum was sampled exhaustively",
                          "there is no sampling variance to estimate")
    scale = n / len(cols) if lonely == "average" and len(cols) < n else 1.0
    return Replicates("JKn", np.column_stack(cols), index, scale, np.array(rscales), False)


def _brr(design: Design, rho: float) -> Replicates:
    index, cstr, n = _psu_strata(design)
    sizes = np.bincount(cstr)
    if np.any(sizes != 2):
        raise ConfigError("BRR and Fay replicates need exactly 2 PSUs in every stratum",
                          "collapse or split strata to pairs, or use JKn or bootstrap")
    h = hadamard(sizes.size)
    # within a stratum, PSUs in order of first appearance (as R): the first is
    # up-weighted where the Hadamard row has a 1, the second where it has a 0
    first_row = np.full(n, index.size)
    np.minimum.at(first_row, index, np.arange(index.size))
    order = np.lexsort((first_row, cstr))
    second = np.zeros(n, dtype=bool)
    second[order[1::2]] = True
    choice = h[1 + cstr] == 1  # units × R
    half = np.where(second[:, None] ^ choice, 2.0 - rho, rho)
    count = h.shape[1]
    kind = "Fay" if rho else "BRR"
    return Replicates(kind, half, index, 1.0 / (count * (1.0 - rho) ** 2), np.ones(count),
                      False, rho)


def _bootstrap(design: Design, spec: ReplicateSpec) -> Replicates:
    index, cstr, n = _psu_strata(design)
    rng = np.random.default_rng(spec.seed)
    first = design.stages[0]
    factors = np.zeros((n, spec.replicates))
    for h in range(first.npsu.size):
        members = np.flatnonzero(cstr == h)
        k = members.size
        for r in range(spec.replicates):
            if first.popsize is None:
                drawn = rng.integers(0, k, size=k)
            else:
                # sample n_h of the N_h population copies without replacement (R's scheme)
                pool = np.resize(np.arange(k), int(first.popsize[h]))
                drawn = rng.choice(pool, size=k, replace=False)
            factors[members, r] = np.bincount(drawn, minlength=k)
    nbar = float(1.0 / np.mean(1.0 / first.npsu))
    scale = nbar / ((nbar - 1) * (spec.replicates - 1))
    return Replicates("bootstrap", factors, index, scale, np.ones(spec.replicates), False)


_DEFAULT_SCALE = {
    "BRR": lambda r, rho: 1.0 / r,
    "Fay": lambda r, rho: 1.0 / (r * (1.0 - rho) ** 2),
    "JK1": lambda r, rho: (r - 1.0) / r,
    "bootstrap": lambda r, rho: 1.0 / (r - 1.0),
}


def _check_given(cols: FloatArray, weights: FloatArray, spec: ReplicateSpec) -> None:
    """Refuse replicate columns that repeat one another or are not of the declared kind."""
    seen: dict[bytes, str] = {}
    for j, name in enumerate(spec.columns):
        key = np.ascontiguousarray(cols[:, j]).tobytes()
        if key in seen:
            raise ConfigError(f"replicate columns {seen[key]!r} and {name!r} are identical",
                              "each replicate must be a different half-sample or resample; "
                              "check the replicate columns")
        seen[key] = name
    # R svrepdesign's test (it warns; a wrong kind gives wrong variances, so we refuse)
    rep_mean = float(cols.mean())
    ratio = float(weights.mean()) / rep_mean if rep_mean else np.inf
    if spec.combined and rep_mean < 5 and ratio > 5:
        raise ConfigError(f"the replicate columns (mean {rep_mean:.3g}) do not look like "
                          f"combined weights (mean sampling weight {weights.mean():.3g})",
                          'set "combined": false if they are factors of the sampling weight')
    if not spec.combined and rep_mean > 5 and ratio < 5:
        raise ConfigError(f"the replicate columns (mean {rep_mean:.3g}) look like combined "
                          f"weights, not factors (mean sampling weight {weights.mean():.3g})",
                          'set "combined": true if they are full analysis weights')


def _given(design: Design, frame: pl.DataFrame, spec: ReplicateSpec) -> Replicates:
    from migralink.survey.design import _numeric

    cols = np.column_stack([_numeric(frame, c, "replicate weight") for c in spec.columns])
    _check_given(cols, design.weights, spec)
    if not spec.combined:
        cols = cols * design.weights[:, None]
    count = cols.shape[1]
    if spec.scale is not None:
        scale = spec.scale
    elif spec.type in _DEFAULT_SCALE:
        scale = _DEFAULT_SCALE[spec.type](count, spec.fay_rho)
    else:
        raise ConfigError(f"given {spec.type} replicates need a scale and rscales",
                          "set scale (and rscales for JKn) in the replicate spec")
    rscales = np.ones(count) if spec.rscales is None else np.array(spec.rscales, dtype=float)
    return Replicates(spec.type, cols, None, scale, rscales, spec.mse, spec.fay_rho)


def make_replicates(design: Design, frame: pl.DataFrame, spec: ReplicateSpec) -> Replicates:
    """Replicate weights for a design: the given columns, or generated by ``spec.type``."""
    if spec.columns:
        return _given(design, frame, spec)
    builders = {"JK1": lambda: _jk1(design), "JKn": lambda: _jkn(design),
                "BRR": lambda: _brr(design, 0.0), "Fay": lambda: _brr(design, spec.fay_rho),
                "bootstrap": lambda: _bootstrap(design, spec)}
    if spec.type not in builders:
        raise ConfigError(f"replicates of type {spec.type!r} cannot be generated",
                          "give them as columns")
    reps = builders[spec.type]()
    return Replicates(reps.type, reps.factors, reps.index, reps.scale, reps.rscales,
                      spec.mse, reps.rho)


def _rank(matrix: FloatArray) -> int:
    # R: qr(weights, tol = 1e-5)$rank; the Gram matrix is R × R however many rows there are
    gram = matrix.T @ matrix
    eig = np.clip(np.linalg.eigvalsh(gram), 0.0, None)
    sing = np.sqrt(eig)
    return int(np.sum(sing > 1e-5 * sing.max())) if sing.size else 0


def degf_of_replicates(design: Design) -> int:
    """R's ``degf`` of a replicate design: rank of the analysis weights − 1."""
    reps = design.replicates
    assert reps is not None
    if reps.index is None:
        return _rank(reps.factors) - 1
    used = np.zeros(reps.factors.shape[0], dtype=bool)
    used[reps.index[design.weights != 0]] = True
    return _rank(reps.factors[used]) - 1


def domain_degf(design: Design, inside: np.ndarray[tuple[int], np.dtype[np.bool_]]) -> int:
    """R's ``degf`` of the design restricted to a domain (as ``svyby`` subsets it)."""
    if design.replicates is None:
        return design.taylor_degf(inside)
    reps = design.replicates
    rows = inside & (design.weights != 0)
    if reps.index is None:
        return _rank(reps.factors[rows]) - 1
    used = np.zeros(reps.factors.shape[0], dtype=bool)
    used[reps.index[rows]] = True
    return _rank(reps.factors[used]) - 1


def rep_totals(design: Design, values: FloatArray) -> FloatArray:
    """Replicate totals (R × p) of ``values`` (rows × p, unweighted)."""
    reps = design.replicates
    assert reps is not None
    if reps.index is None:
        return np.asarray(reps.factors.T @ values)
    from migralink.survey.taylor import cluster_totals

    units = cluster_totals(design.weights[:, None] * values, reps.index, reps.factors.shape[0])
    return np.asarray(reps.factors.T @ units)


def rep_vcov(reps: Replicates, thetas: FloatArray, full: FloatArray) -> FloatArray:
    """R ``svrVar``: the variance matrix from replicate estimates (R × p)."""
    ok = ~np.isnan(thetas).any(axis=1)
    thetas, rscales = thetas[ok], reps.rscales[ok]
    if not ok.any():
        raise ConfigError("every replicate gave a missing estimate",
                          "the domain is too small for replicate variance")
    centre = full if reps.mse else thetas[rscales > 0].mean(axis=0)
    dev = (thetas - centre) * np.sqrt(rscales)[:, None]
    return np.asarray(dev.T @ dev) * reps.scale

"""The attacker's true knowledge, and the audit that holds against it.

What anyone knows of a released table:

* every published cell's value, and that the table adds up along every dimension;
* a row that is returned is a cell that exists: its count is at least 1 (empty
  combinations have no row), unless zeros are rows too (``suppress_zeros``);
* a cell with ``conf_status`` ``A`` (primary) holds a count below the threshold,
  ``≤ T − 1``; one with ``D`` (secondary) was published-able, hence ``≥ T``;
* counts are whole numbers.

:func:`audit_pattern` checks a suppression pattern against that knowledge, for every
table however large: first integer bound propagation over every relation (cheap,
vectorised, and sound: a cell it pins down is pinned down), then linear programs
(HiGHS) only to show that the cells propagation leaves wide really are wide — a few
LPs with mixed objectives per connected group of suppressed cells move most cells at
once, and a cell is settled as soon as two feasible tables differ enough in it. Cells
that fail get a complement next to them and the audit runs again; a cell that cannot be
protected makes the release fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy.optimize import linprog
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from migralink.disclosure.cube import BoolArray, Cube, IntArray
from migralink.disclosure.policy import DisclosurePolicy
from migralink.disclosure.secondary import candidates_near, complement
from migralink.errors import DisclosureError

__all__ = ["AuditResult", "audit_pattern", "cell_bounds", "knowledge_bounds", "propagate"]

FloatArray = npt.NDArray[np.float64]
_ITERATIONS = 200  # propagation rounds at most; bounds stay sound if it stops early
_RANDOM_LPS = 2  # mixed-objective LPs per group before cells are solved one by one
_BATCHES = 6  # rounds of "all pending cells up, then down" before one cell at a time
_EPS = 1e-6


def cell_bounds(policy: DisclosurePolicy, primary: BoolArray, pattern: BoolArray,
                work: IntArray) -> tuple[FloatArray, FloatArray]:
    """What anyone knows of each cell: ``[value, value]`` if published, else by status."""
    lo = work.astype(np.float64)
    hi = work.astype(np.float64)
    secondary = pattern & ~primary
    t = policy.threshold
    if policy.rounding_base is not None:
        # A rounded margin is a sum of rounded cells: it may stray from its count by
        # more than one base, so a status bounds a rounded cell only by >= 0.
        lo[pattern], hi[pattern] = 0.0, np.inf
    elif not policy.distinguish_statuses:  # one status: only "at least one"
        lo[pattern], hi[pattern] = (0.0 if policy.suppress_zeros else 1.0), np.inf
    else:
        lo[primary], hi[primary] = (0.0 if policy.suppress_zeros else 1.0), float(t - 1)
        lo[secondary], hi[secondary] = float(t), np.inf
    return lo, hi


def knowledge_bounds(policy: DisclosurePolicy) -> list[pl.Expr]:
    """``lo``/``hi`` columns of a released frame, as :func:`cell_bounds` gives them."""
    t = float(policy.threshold)
    if policy.dp_epsilon is not None:
        return [pl.col("value").cast(pl.Float64).alias("lo"),
                pl.col("value").cast(pl.Float64).alias("hi")]
    floor = 0.0 if policy.suppress_zeros else 1.0
    primary, secondary = pl.col("conf_status") == "A", pl.col("conf_status") == "D"
    if not policy.distinguish_statuses:
        hidden = pl.col("conf_status") != "F"
        return [pl.when(hidden).then(floor).otherwise(pl.col("value").cast(pl.Float64))
                .alias("lo"),
                pl.when(hidden).then(float("inf")).otherwise(pl.col("value").cast(pl.Float64))
                .alias("hi")]
    return [
        pl.when(primary).then(floor).when(secondary).then(t)
        .otherwise(pl.col("value").cast(pl.Float64)).alias("lo"),
        pl.when(primary).then(t - 1).when(secondary).then(float("inf"))
        .otherwise(pl.col("value").cast(pl.Float64)).alias("hi"),
    ]


def propagate(cube: Cube, lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Integer bound propagation over every relation, until nothing changes.

    Each relation says ``parent = Σ children``: every cell is then bounded by the
    bounds of the others in the relation, rounded inwards to whole numbers. The
    result contains every table consistent with the bounds and the relations.

    Raises:
        DisclosureError: the bounds contradict the relations.
    """
    rel, rows, is_parent, n = cube.relations
    sign = np.where(is_parent, -1.0, 1.0)
    lo, hi = lo.copy(), hi.copy()
    free = np.flatnonzero(lo < hi)
    active = np.isin(rel, np.unique(rel[np.isin(rows, free)]))
    rel, rows, sign = rel[active], rows[active], sign[active]
    for _ in range(_ITERATIONS):
        t_lo = np.where(sign > 0, lo[rows], -hi[rows])
        t_hi = np.where(sign > 0, hi[rows], -lo[rows])
        lo_inf, hi_inf = np.isinf(t_lo), np.isinf(t_hi)
        s_lo = np.bincount(rel, np.where(lo_inf, 0.0, t_lo), n)
        s_hi = np.bincount(rel, np.where(hi_inf, 0.0, t_hi), n)
        n_lo = np.bincount(rel, lo_inf, n)
        n_hi = np.bincount(rel, hi_inf, n)
        # the sum of the others' terms, without this member's own
        o_lo = np.where(n_lo[rel] - lo_inf > 0, -np.inf, s_lo[rel] - np.where(lo_inf, 0, t_lo))
        o_hi = np.where(n_hi[rel] - hi_inf > 0, np.inf, s_hi[rel] - np.where(hi_inf, 0, t_hi))
        # s·x = −(others): x ∈ [−o_hi, −o_lo] for a child, [o_lo, o_hi] for a parent
        new_lo = np.where(sign > 0, -o_hi, o_lo)
        new_hi = np.where(sign > 0, -o_lo, o_hi)
        best_lo = np.full(len(lo), -np.inf)
        best_hi = np.full(len(hi), np.inf)
        np.maximum.at(best_lo, rows, np.ceil(new_lo - _EPS))
        np.minimum.at(best_hi, rows, np.floor(new_hi + _EPS))
        up = best_lo > lo + _EPS
        down = best_hi < hi - _EPS
        if not (up.any() or down.any()):
            break
        lo = np.maximum(lo, best_lo)
        hi = np.minimum(hi, best_hi)
        if (lo > hi + _EPS).any():
            raise DisclosureError(title="the published cells and statuses admit no table",
                                  hint="this is a bug in disclosure control: please report it")
    return lo, hi


@dataclass(frozen=True)
class AuditResult:
    """The outcome of :func:`audit_pattern`."""

    pattern: BoolArray
    unprotected: int
    rounds: int
    lps: int
    note: str
    narrow: tuple[int, ...] = ()


def audit_pattern(
    cube: Cube, pattern: BoolArray, primary: BoolArray, work: IntArray,
    policy: DisclosurePolicy, need: Callable[[IntArray], FloatArray],
    allowed: BoolArray | None = None, extra: tuple[FloatArray, FloatArray] | None = None,
) -> AuditResult:
    """Add complements until no suppressed cell is pinned below its required width.

    Args:
        cube: the table.
        pattern: suppressed so far (primary and heuristic complements).
        primary: the primary cells.
        work: the values the attacker's relations hold (published) and the true ones.
        policy: gives the bounds a status implies.
        need: the width each suppressed row requires.
        allowed: cells that may become complements (default: every cell).
        extra: further bounds known from other releases (``lo``, ``hi`` per cell).
    """
    allowed = np.ones(len(pattern), np.bool_) if allowed is None else allowed
    pattern = pattern.copy()
    rounds = lps = 0
    hopeless: set[int] = set()
    while True:
        rounds += 1
        pattern, _ = complement(cube, pattern, work, allowed)
        lo, hi = cell_bounds(policy, primary, pattern, work)
        if extra is not None:
            lo, hi = np.maximum(lo, extra[0]), np.minimum(hi, extra[1])
        lo, hi = propagate(cube, lo, hi)
        rows = np.flatnonzero(pattern)
        required = need(rows)
        stuck = np.isin(rows, np.array(sorted(hopeless), np.int64))
        narrow = (hi[rows] - lo[rows]) < required - _EPS
        if not (narrow & ~stuck).any():
            wide, used = _inner(cube, pattern, work, lo, hi, rows, required)
            lps += used
            narrow = ~wide
        failing = rows[narrow & ~stuck]
        if not len(failing):
            left = int(narrow.sum())
            note = (f"{rounds} round{'s' if rounds > 1 else ''} of bound propagation, "
                    f"{lps} LPs; {int((pattern & ~primary).sum())} complements")
            if left:
                note += f"; {left} suppressed cells cannot be protected"
            return AuditResult(pattern, left, rounds, lps, note,
                               tuple(int(r) for r in rows[narrow]))
        added = 0
        for r in failing[np.argsort(cube.keys[failing], kind="stable")]:
            choice = _pick(cube, pattern, work, int(r), float(need(np.array([r]))[0]),
                           allowed)
            if choice < 0:
                hopeless.add(int(r))
                continue
            if not pattern[choice]:
                pattern[choice] = True
                added += 1
        if not added:
            left = int(narrow.sum())
            note = f"{left} suppressed cells cannot be protected"
            return AuditResult(pattern, left, rounds, lps, note,
                               tuple(int(r) for r in rows[narrow]))


def _pick(cube: Cube, pattern: BoolArray, work: IntArray, row: int, need: float,
          allowed: BoolArray) -> int:
    near = candidates_near(cube, pattern, row)
    near = near[allowed[near]]
    if not len(near):  # look one step further: next to the suppressed cells beside it
        rel, members, _, _ = cube.relations
        beside = np.unique(members[np.isin(rel, rel[members == row])])
        beside = beside[pattern[beside] & (beside != row)]
        if len(beside):
            near = np.unique(np.concatenate([candidates_near(cube, pattern, int(r))
                                             for r in beside]))
            near = near[allowed[near]]
    if not len(near):
        return -1
    value = work[near]
    order = np.lexsort((cube.keys[near], value, value < need, cube.grand_total[near],
                        value <= 0))
    return int(near[order[0]])


def _inner(cube: Cube, pattern: BoolArray, work: IntArray, lo: FloatArray, hi: FloatArray,
           rows: IntArray, required: FloatArray) -> tuple[BoolArray, int]:
    """Whether each suppressed row is shown wide enough by feasible tables; LPs used.

    The true table is one feasible point. LPs over all suppressed cells at once (mixed
    objectives, then every unsettled cell up and down) give more; then each unsettled
    cell is moved with only its neighbours free, and if that is not enough, with its
    whole group free (exact: the LP's optimum is the attacker's bound).
    """
    system = _System.build(cube, pattern, work, lo, hi, rows, required)
    low, high = system.truth.copy(), system.truth.copy()
    used = _global_lps(system, low, high, required)
    narrow = (high - low) < required - _EPS
    for j in np.flatnonzero(narrow):
        used += _local(system, int(j), low, high, float(required[j]))
    narrow = (high - low) < required - _EPS
    for j in np.flatnonzero(narrow):
        if high[j] - low[j] >= required[j] - _EPS:
            continue  # settled by another cell's LP
        cols = np.flatnonzero(system.labels == system.labels[j])
        group = system.lp(cols, low, high)
        for sense in (-1.0, 1.0):
            if high[j] - low[j] < required[j] - _EPS:
                c = np.zeros(len(cols))
                c[int(np.flatnonzero(cols == j)[0])] = sense
                group.solve(c)
        used += group.used
    return (high - low) >= required - _EPS, used


@dataclass(frozen=True)
class _System:
    """The suppressed cells as LP variables: ``a x = b``, bounds, truth, groups."""

    a: csr_matrix
    b: FloatArray
    lo: FloatArray
    hi: FloatArray
    truth: FloatArray
    link: csr_matrix
    labels: IntArray

    @classmethod
    def build(cls, cube: Cube, pattern: BoolArray, work: IntArray, lo: FloatArray,
              hi: FloatArray, rows: IntArray, required: FloatArray) -> _System:
        """The LP of the suppressed ``rows``.

        Each cell's upper bound is capped just above what its width needs (the truth
        plus the width plus one): a feasible point under the caps is feasible without
        them, the LPs stay bounded, and "every cell up" moves every cell that can.
        """
        rel, members, is_parent, n = cube.relations
        var = np.full(len(pattern), -1, np.int64)
        var[rows] = np.arange(len(rows))
        hidden = pattern[members]
        sign = np.where(is_parent, -1.0, 1.0)
        touched = np.unique(rel[hidden])
        eq = np.full(n, -1, np.int64)
        eq[touched] = np.arange(len(touched))
        keep = eq[rel] >= 0
        known = keep & ~hidden
        b = -np.bincount(eq[rel[known]], sign[known] * work[members[known]], len(touched))
        a = csr_matrix((sign[keep & hidden],
                        (eq[rel[keep & hidden]], var[members[keep & hidden]])),
                       shape=(len(touched), len(rows)))
        link = (a.T @ a).tocsr()
        labels = connected_components(link, directed=False)[1].astype(np.int64)
        truth = work[rows].astype(np.float64)
        capped = np.minimum(hi[rows], truth + np.ceil(required) + 1.0)
        return cls(a, b.astype(np.float64), lo[rows], capped, truth, link, labels)

    def lp(self, cols: IntArray, low: FloatArray, high: FloatArray) -> _GroupLp:
        """LPs over the variables ``cols`` (their relations only)."""
        sub = self.a[:, cols]
        eqs = np.unique(sub.nonzero()[0])
        return _GroupLp(sub[eqs], self.b[eqs], _box(self.lo[cols], self.hi[cols]), cols,
                        low, high)


def _global_lps(system: _System, low: FloatArray, high: FloatArray,
                required: FloatArray) -> int:
    """Mixed objectives over every suppressed cell, then unsettled cells up and down."""
    if not ((high - low) < required - _EPS).any():
        return 0
    whole = system.lp(np.arange(len(system.truth)), low, high)
    rng = np.random.default_rng(0)  # deterministic: the same table, the same audit
    for _ in range(_RANDOM_LPS):
        whole.solve(rng.choice([-1.0, 1.0], len(system.truth)))
    for _ in range(_BATCHES):
        pending = (high - low) < required - _EPS
        before = int(pending.sum())
        if not before:
            break
        for sense in (-1.0, 1.0):
            whole.solve(np.where(pending, sense, 0.0))
        if int(((high - low) < required - _EPS).sum()) >= 0.9 * before:
            break
    return whole.used


class _GroupLp:
    """LPs over one connected group; each solution widens ``low``/``high`` in place."""

    def __init__(self, a: csr_matrix, b: FloatArray, box: list[tuple[float, float | None]],
                 cols: IntArray, low: FloatArray, high: FloatArray) -> None:
        self.a, self.b, self.box, self.cols = a, b, box, cols
        self.low, self.high = low, high
        self.used = 0

    def solve(self, c: FloatArray) -> None:
        res = linprog(c, A_eq=self.a, b_eq=self.b, bounds=self.box, method="highs")
        self.used += 1
        cols = self.cols
        if res.status == 0:
            self.low[cols] = np.minimum(self.low[cols], np.ceil(res.x - _EPS))
            self.high[cols] = np.maximum(self.high[cols], np.floor(res.x + _EPS))
        elif res.status == 3:  # unbounded: only a single cell's maximum can be
            single = np.flatnonzero(c)
            if len(single) == 1:
                self.high[cols[single]] = np.inf
        else:
            raise DisclosureError(title=f"the audit's LP failed ({res.message})",
                                  hint="this is a bug in disclosure control: report it")


_LOCAL = 300  # variables of a local LP at most


def _local(system: _System, j: int, low: FloatArray, high: FloatArray, need: float) -> int:
    """Try to move variable ``j`` with only its neighbours free, the rest at the truth.

    A solution is a feasible table (every other cell keeps its true value), so a
    move found here proves width as well as one of the whole group, at a fraction of
    the cost. Returns the LPs solved.
    """
    near = np.unique(np.concatenate([system.link[j].indices, [j]]))
    two = np.unique(system.link[near].indices)
    free = two if len(two) <= _LOCAL else near
    if len(free) > _LOCAL:
        return 0
    sub = system.a[:, free]
    eqs = np.unique(sub.nonzero()[0])
    sub = sub[eqs]
    local = _GroupLp(sub, sub @ system.truth[free], _box(system.lo[free], system.hi[free]),
                     free, low, high)
    k = int(np.flatnonzero(free == j)[0])
    for sense in (-1.0, 1.0):
        if high[j] - low[j] >= need - _EPS:
            break
        c = np.zeros(len(free))
        c[k] = sense
        local.solve(c)
    return local.used


def _box(lo: FloatArray, hi: FloatArray) -> list[tuple[float, float | None]]:
    """Bounds as ``linprog`` takes them (``None``: no upper bound)."""
    return [(float(x), None if np.isinf(y) else float(y)) for x, y in zip(lo, hi, strict=True)]

"""Which suppressed cells are shown wide enough: integer cycles first, LPs for the rest.

A cell is wide enough when two feasible tables (every relation, every bound the
attacker knows) differ in it by the required width; the true table is one of them.

1. :func:`migralink.disclosure.cycles.cycle_moves` finds integer moves along cycles of
   suppressed cells for every cell at once, in a few vectorised passes (no solver).
2. The cells left are few in a small table: they get LPs as before (HiGHS: mixed
   objectives over every suppressed cell, then each cell moved with its neighbours
   free, then with its whole group free; the LP's optimum is the attacker's bound).
   In a large table the LPs over a group of tens of thousands of cells take minutes
   each, so LPs over blocks of the table run instead (:mod:`migralink.disclosure.blocks`);
   a cell nothing shows wide is reported narrow and gets a complement. That
   errs on the safe side: a cell is never called wide without two feasible tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from migralink.disclosure.blocks import block_lps
from migralink.disclosure.cube import BoolArray, Cube, IntArray
from migralink.disclosure.cycles import FloatArray, cycle_moves
from migralink.errors import DisclosureError

__all__ = ["shown_wide"]

_EPS = 1e-6
_RANDOM_LPS = 2  # mixed-objective LPs per group before cells are solved one by one
_BATCHES = 6  # rounds of "all pending cells up, then down" before one cell at a time
_GLOBAL = 5_000  # suppressed cells at most for LPs over all of them at once
_GROUP = 5_000  # cells of a group at most for a cell's LP over its whole group
_LOCALS = 300  # local LPs at most per audit round (each takes a few ms)
# How far above the truth a cell may go in the block LPs. A margin takes the moves of
# every cell under it: capped at the truth plus the width plus one, a sido cell could
# take two of its districts' moves. With room for 200 (and the pushed finest cells held
# near their width, blocks.reach_of) the first round of the 100k table leaves 1,786
# cells narrow instead of 2,121, and the audit took 73-82 s against 101-106 s for the
# code before, run alternately (docs/disclosure.md, session 16).
_ROOM = 200.0


def shown_wide(cube: Cube, pattern: BoolArray, work: IntArray, lo: FloatArray,
               hi: FloatArray, rows: IntArray, required: FloatArray,
               known: BoolArray | None = None) -> tuple[BoolArray, int, int]:
    """Whether each suppressed row is shown wide enough; LPs used; rows shown by cycles.

    Args:
        cube: the table.
        pattern: the suppressed cells.
        work: the true table.
        lo: what the attacker knows of each cell from below (after propagation).
        hi: from above.
        rows: the suppressed rows (``np.flatnonzero(pattern)``).
        required: the width each of ``rows`` needs.
        known: rows already shown wide (with fewer cells suppressed: every table
            feasible then is feasible now, so the proof still holds).
    """
    known = np.zeros(len(rows), np.bool_) if known is None else known
    required = np.where(known, 0.0, required)  # nothing left to show for those
    need = np.zeros(len(pattern))
    need[rows] = required
    low_all, high_all = cycle_moves(cube, pattern, work, lo, hi, need)
    low, high = low_all[rows], high_all[rows]
    by_cycles = int((((high - low) >= required - _EPS) & ~known).sum())
    if not ((high - low) < required - _EPS).any():
        return np.ones(len(rows), np.bool_), 0, by_cycles
    system = _System.build(cube, pattern, work, lo, hi, rows, required)
    if len(rows) <= _GLOBAL:
        used = _global_lps(system, low, high, required)
        narrow = np.flatnonzero((high - low) < required - _EPS)
        for j in narrow[:_LOCALS]:
            if high[j] - low[j] < required[j] - _EPS:
                used += _local(system, int(j), low, high, float(required[j]))
    else:
        # One LP over every cell takes minutes: LPs over blocks of the table. No local
        # LPs after them: a cell the blocks leave needs a move through more than its
        # neighbours' neighbours (in the 100k audit 334 local LPs, 2.3 s, proved none).
        used = block_lps(cube, system.a, system.b, (system.lo, system.room), system.truth,
                         rows, required, low, high, dropped=system.dropped)
    sizes = np.bincount(system.labels)
    for j in np.flatnonzero((high - low) < required - _EPS):
        if sizes[system.labels[j]] > _GROUP:
            continue  # minutes per LP: reported narrow, it gets a complement
        cols = np.flatnonzero(system.labels == system.labels[j])
        group = system.lp(cols, low, high)
        for sense in (-1.0, 1.0):
            if high[j] - low[j] < required[j] - _EPS:
                c = np.zeros(len(cols))
                c[int(np.flatnonzero(cols == j)[0])] = sense
                group.solve(c)
        used += group.used
    return (high - low) >= required - _EPS, used, by_cycles


@dataclass(frozen=True)
class _System:
    """The suppressed cells as LP variables: ``a x = b``, bounds, truth, groups.

    ``hi`` is the upper bound of the group and local LPs, ``room`` that of the block LPs
    (:data:`_ROOM` above the truth).
    """

    a: csr_matrix
    b: FloatArray
    lo: FloatArray
    hi: FloatArray
    room: FloatArray
    truth: FloatArray
    link: csr_matrix
    labels: IntArray
    dropped: tuple[csr_matrix, FloatArray]  # the relations left out of ``a x = b``

    @classmethod
    def build(cls, cube: Cube, pattern: BoolArray, work: IntArray, lo: FloatArray,
              hi: FloatArray, rows: IntArray, required: FloatArray) -> _System:
        """The LP of the suppressed ``rows``.

        Each cell's upper bound is capped just above what its width needs (the truth
        plus the width plus one): a feasible point under the caps is feasible without
        them, the LPs stay bounded, and "every cell up" moves every cell that can. The
        system keeps one relation per margin (:func:`_one_per_margin`): the others
        follow from it.
        """
        rel, members, is_parent, n = cube.relations
        every = np.unique(rel[pattern[members]])
        touched = _one_per_margin(every, rel, members, is_parent, n)
        a, b = _relations(cube, pattern, work, rows, touched)
        link = (a.T @ a).tocsr()
        labels = connected_components(link, directed=False)[1].astype(np.int64)
        truth = work[rows].astype(np.float64)
        capped = np.minimum(hi[rows], truth + np.ceil(required) + 1.0)
        room = np.minimum(hi[rows], truth + np.ceil(required) + _ROOM)
        dropped = _relations(cube, pattern, work, rows, np.setdiff1d(every, touched))
        return cls(a, b, lo[rows], capped, room, truth, link, labels, dropped)

    def lp(self, cols: IntArray, low: FloatArray, high: FloatArray) -> _GroupLp:
        """LPs over the variables ``cols`` (their relations only)."""
        sub = self.a[:, cols]
        eqs = np.unique(sub.nonzero()[0])
        return _GroupLp(sub[eqs], self.b[eqs], _box(self.lo[cols], self.hi[cols]), cols,
                        low, high)


def _relations(cube: Cube, pattern: BoolArray, work: IntArray, rows: IntArray,
               chosen: IntArray) -> tuple[csr_matrix, FloatArray]:
    """``a x = b`` of the ``chosen`` relations over the suppressed ``rows``."""
    rel, members, is_parent, n = cube.relations
    var = np.full(len(pattern), -1, np.int64)
    var[rows] = np.arange(len(rows))
    hidden = pattern[members]
    sign = np.where(is_parent, -1.0, 1.0)
    eq = np.full(n, -1, np.int64)
    eq[chosen] = np.arange(len(chosen))
    keep = eq[rel] >= 0
    known = keep & ~hidden
    b = -np.bincount(eq[rel[known]], sign[known] * work[members[known]], len(chosen))
    a = csr_matrix((sign[keep & hidden], (eq[rel[keep & hidden]], var[members[keep & hidden]])),
                   shape=(len(chosen), len(rows)))
    return a, b.astype(np.float64)


def _one_per_margin(touched: IntArray, rel: IntArray, members: IntArray,
                    is_parent: BoolArray, n: int) -> IntArray:
    """The relations of ``touched`` an LP needs: the first of each parent cell.

    A margin with relations along two dimensions (a sido's total over nationalities and
    its total over statuses) is, by each of them, the sum of the finest cells under it,
    so one of its relations and those of the margins below it imply the rest: by
    induction from the finest cells up, every margin with one relation that holds is
    the sum of its finest cells, along any dimension. A relation left out of
    ``touched`` (every member published) holds at the truth. The LPs are unchanged;
    their systems lose the rows that depend on the others (1,400 of 37,200 in the 100k
    benchmark), so HiGHS need not search for them (``blocks._solver``). The block LPs
    still check every solution against the rows left out (``_System.dropped``): within
    the solver's tolerance, the rows kept imply them only up to a sum of residuals.
    """
    parent = np.full(n, -1, np.int64)
    parent[rel[is_parent]] = members[is_parent]
    first = np.unique(parent[touched], return_index=True)[1]
    out: IntArray = np.sort(touched[first])
    return out


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

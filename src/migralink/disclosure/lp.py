"""The attacker's view, by linear programming: how far each suppressed cell can move.

An attacker who knows the published cells and that the table adds up can solve, for
each suppressed cell, ``min`` and ``max`` of that cell subject to every relation of the
table (published cells fixed at their published values) and every cell ``≥ 0``. The
width ``hi - lo`` of that interval is what protects the cell. The LPs are solved with
HiGHS (``scipy.optimize.linprog(method="highs")``), one connected group of suppressed
cells at a time: cells that share no relation, even indirectly, do not constrain each
other, and small LPs are much faster than one big one.

:func:`audit_and_fix` adds complements until every suppressed cell's interval is wide
enough, alternating with the singleton heuristic of
:mod:`migralink.disclosure.secondary`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog
from scipy.sparse import bmat, csr_matrix
from scipy.sparse.csgraph import connected_components

from migralink.disclosure.cube import BoolArray, Cube, IntArray
from migralink.disclosure.secondary import candidates_near, complement
from migralink.errors import DisclosureError

__all__ = ["Intervals", "audit_and_fix", "intervals"]

FloatArray = npt.NDArray[np.float64]
TOLERANCE = 1e-6  # HiGHS' feasibility tolerance is 1e-7; widths are compared with slack


@dataclass(frozen=True)
class Intervals:
    """The attacker's interval of each suppressed cell.

    Attributes:
        rows: the suppressed rows of the cube, in increasing order.
        lo: the smallest value each can take.
        hi: the largest (``inf`` when nothing bounds it).
        component: which connected group of suppressed cells each belongs to.
    """

    rows: IntArray
    lo: FloatArray
    hi: FloatArray
    component: IntArray


def intervals(
    cube: Cube,
    pattern: BoolArray,
    work: IntArray,
    need: Callable[[IntArray], FloatArray] | None = None,
    limits: tuple[FloatArray, FloatArray] | None = None,
) -> Intervals:
    """Solve min and max of every suppressed cell; published cells hold ``work``.

    Without ``need``, the intervals are exact (an attacker's best). With it, ``work``
    also holds the true values of the suppressed cells (a feasible point) and the LPs
    stop as soon as each cell is known to reach its required width: ``lo``/``hi`` are
    then exact only for the cells that fail, and for the others a sub-interval that is
    already wide enough. Every LP solution is a feasible table, so it widens what is
    known of every cell at once and saves most LPs.

    ``limits`` gives each cell's bounds as the attacker knows them (``lo``, ``hi`` per
    row of the cube); without it, every cell is only known to be ``≥ 0``.

    Raises:
        DisclosureError: the published cells contradict the relations (no table fits).
    """
    rel, rows, is_parent, _ = cube.relations
    sup = np.flatnonzero(pattern).astype(np.int64)
    var = np.full(len(pattern), -1, dtype=np.int64)
    var[sup] = np.arange(len(sup))
    sign = np.where(is_parent, -1.0, 1.0)
    hidden = pattern[rows]
    touched = np.unique(rel[hidden])
    eq = np.full(int(rel.max(initial=-1)) + 1, -1, dtype=np.int64)
    eq[touched] = np.arange(len(touched))
    keep = eq[rel] >= 0
    known = keep & ~hidden
    b = -np.bincount(eq[rel[known]], weights=sign[known] * work[rows[known]],
                     minlength=len(touched))
    a = csr_matrix((sign[keep & hidden], (eq[rel[keep & hidden]], var[rows[keep & hidden]])),
                   shape=(len(touched), len(sup)))
    graph = bmat([[None, a], [a.T, None]]).tocsr() if len(touched) else None
    labels = (connected_components(graph, directed=False)[1][len(touched):]
              if graph is not None else np.arange(len(sup)))
    lo = np.zeros(len(sup))
    hi = np.full(len(sup), np.inf)
    widths = need(sup) if need is not None else np.full(len(sup), np.inf)
    for group in np.unique(labels):
        cols = np.flatnonzero(labels == group)
        sub = a[:, cols]
        eq_rows = np.unique(sub.nonzero()[0])
        if not len(eq_rows):
            continue  # cells in no relation at all: nothing bounds them above
        start = work[sup[cols]].astype(np.float64) if need is not None else None
        box = None if limits is None else (limits[0][sup[cols]], limits[1][sup[cols]])
        lo[cols], hi[cols] = _solve(sub[eq_rows], b[eq_rows], widths[cols], start, box)
    return Intervals(sup, lo, hi, labels.astype(np.int64))


_DENSE = 400  # HiGHS is given a dense matrix below this many cells: less overhead


def _solve(
    a: csr_matrix, b: FloatArray, need: FloatArray, start: FloatArray | None,
    box: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Smallest and largest value of each variable, stopping once ``need`` is reached."""
    n = a.shape[1]
    matrix = a.toarray() if n < _DENSE else a
    bounds: Any = (0, None) if box is None else [
        (float(a_), None if np.isinf(b_) else float(b_)) for a_, b_ in zip(*box, strict=True)]
    low = np.full(n, np.inf) if start is None else start.copy()
    high = np.full(n, -np.inf) if start is None else start.copy()
    for i in range(n):
        for sense in (-1.0, 1.0):  # the maximum first: the minimum is often 0
            floor = 0.0 if box is None else float(box[0][i])
            if sense > 0 and low[i] <= floor:
                continue  # a point at its lower bound: the minimum is known
            if start is not None and high[i] - low[i] >= need[i] - TOLERANCE:
                continue  # wide enough already: no need to know how wide
            c = np.zeros(n)
            c[i] = sense
            res = linprog(c, A_eq=matrix, b_eq=b, bounds=bounds, method="highs")
            if res.status == 3:  # unbounded: only a maximum can be
                high[i] = np.inf
                continue
            if res.status != 0:
                raise DisclosureError(
                    title=f"the published cells admit no table ({res.message})",
                    hint="the table's values must add up along every dimension",
                )
            low = np.minimum(low, res.x)
            high = np.maximum(high, res.x)
    return np.maximum(low, 0.0 if box is None else box[0]), high


def audit_and_fix(
    cube: Cube,
    pattern: BoolArray,
    work: IntArray,
    required: Callable[[IntArray], FloatArray],
) -> tuple[BoolArray, int, int]:
    """Add complements until every suppressed cell's interval is wide enough.

    Args:
        cube: the table.
        pattern: the cells suppressed so far (primary and heuristic complements).
        work: the values the attacker's relations hold.
        required: the width each given suppressed row needs.

    Returns:
        The final pattern, the number of cells that could not be protected (no cell
        left to suppress near them), and the number of audit rounds.
    """
    pattern = pattern.copy()
    hopeless: set[int] = set()
    rounds = 0
    while True:
        rounds += 1
        pattern, _ = complement(cube, pattern, work)
        found = intervals(cube, pattern, work, required)
        need = required(found.rows)
        failing = (found.hi - found.lo) < need - TOLERANCE
        todo = [i for i in np.flatnonzero(failing) if int(found.rows[i]) not in hopeless]
        todo.sort(key=lambda i: int(cube.keys[found.rows[i]]))  # whatever the row order
        if not todo:
            return pattern, int(failing.sum()), rounds
        fixed_groups: set[int] = set()
        for i in map(int, todo):
            group = int(found.component[i])
            if group in fixed_groups:
                continue  # one complement per group and round: it may fix the others
            choice = _pick(cube, pattern, work, found, i, float(need[i]))
            if choice < 0:
                hopeless.add(int(found.rows[i]))
                continue
            pattern[choice] = True
            fixed_groups.add(group)
        if not fixed_groups:
            return pattern, int(failing.sum()), rounds


def _pick(cube: Cube, pattern: BoolArray, work: IntArray, found: Intervals, i: int,
          need: float) -> int:
    """A cell to suppress next to failing cell ``i``, or ``-1`` if there is none."""
    near = candidates_near(cube, pattern, int(found.rows[i]))
    if not len(near):  # look around the whole group of linked suppressed cells
        group = found.rows[found.component == found.component[i]]
        near = np.unique(np.concatenate(
            [candidates_near(cube, pattern, int(r)) for r in group]
        )) if len(group) else near
    if not len(near):
        return -1
    value = work[near]
    order = np.lexsort((cube.keys[near], value, value < need, cube.grand_total[near],
                        value <= 0))
    return int(near[order[0]])


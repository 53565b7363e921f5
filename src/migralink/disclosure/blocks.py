"""LPs over blocks of a large table, for the cells integer cycles leave unproven.

One LP over every suppressed cell of a 100,000-cell table takes minutes (simplex) or
half a minute (interior point). The table is cut into blocks instead: the subtrees
under each top-level code of its first multi-level hierarchy (a sido and its sigungu).
Cells outside a block are held at their true values, so a solution of a block's LP is a
feasible table of the whole (a witness), and blocks are small enough for HiGHS' interior
point method to solve in a fraction of a second. Each block gets "every pending cell up"
and "every pending cell down" (random positive weights), solved without crossover: the
solution lies inside the optimal face, where most pending cells have moved.

As in every LP of the audit, a coordinate ``v`` of a solution shows that the cell can
reach ``floor(v)`` and ``ceil(v)`` to an attacker who rounds the LP's bounds inwards.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy.sparse import csc_matrix, csr_matrix

from migralink.disclosure.cube import Cube, IntArray
from migralink.disclosure.cycles import FloatArray

__all__ = ["block_lps", "blocks_of"]

_EPS = 1e-6
_ROUNDS = 1  # pairs of LPs (up, down) per block


def blocks_of(cube: Cube, rows: IntArray) -> IntArray:
    """Block of each row (``-1``: at the top of the hierarchy, held fixed)."""
    for d, parents in enumerate(cube.parent_codes):
        top = np.arange(len(parents))  # each code's ancestor just below the total
        levels = np.ones(len(parents), np.int64)
        for _ in range(len(parents)):
            up = parents[top]
            climbing = (up >= 0) & (parents[np.maximum(up, 0)] >= 0)
            levels += up >= 0
            if not climbing.any():
                break
            top = np.where(climbing, up, top)
        if levels.max(initial=0) >= 3:  # three levels or more: a block per second level
            label = np.where(parents >= 0, top, -1)
            out: IntArray = label[cube.codes[rows, d]]
            return out
    return np.zeros(len(rows), np.int64)


def block_lps(cube: Cube, a: csr_matrix, b: FloatArray, box: tuple[FloatArray, FloatArray],
              truth: FloatArray, rows: IntArray, need: FloatArray, low: FloatArray,
              high: FloatArray, seed: int = 0) -> int:
    """Widen ``low``/``high`` of the ``pending`` variables by block LPs; LPs solved.

    ``a x = b`` is the system of the suppressed ``rows`` (one variable per row), ``box``
    their bounds, ``truth`` the true table and ``need`` the width each variable needs.
    """
    label = blocks_of(cube, rows)
    rng = np.random.default_rng(seed)
    columns = csc_matrix(a)
    used = 0
    pending = (high - low) < need - _EPS
    for block in np.unique(label[pending]):
        if block < 0:
            continue
        cols = np.flatnonzero(label == block)
        sub = columns[:, cols]
        eqs = np.unique(sub.nonzero()[0])
        if not len(eqs):
            continue
        outside = np.setdiff1d(np.arange(len(rows)), cols)
        rhs = b[eqs] - columns[eqs][:, outside] @ truth[outside]
        used += _solve_block(csc_matrix(sub[eqs]), rhs, box[0][cols], box[1][cols], cols,
                             need, low, high, rng)
    return used


def _solve_block(a: csc_matrix, rhs: FloatArray, lo: FloatArray, hi: FloatArray,
                 cols: IntArray, need: FloatArray, low: FloatArray, high: FloatArray,
                 rng: np.random.Generator) -> int:
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("solver", "ipm")
    solver.setOptionValue("run_crossover", "off")
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cols), a.shape[0]
    lp.col_cost_ = np.zeros(len(cols))
    lp.col_lower_ = lo
    lp.col_upper_ = np.where(np.isinf(hi), highspy.kHighsInf, hi)
    lp.row_lower_ = lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    solver.passModel(lp)
    every = np.arange(len(cols), dtype=np.int32)
    used = 0
    for turn in range(2 * _ROUNDS):
        pend = high[cols] - low[cols] < need[cols] - _EPS
        if not pend.any():
            break
        sense = -1.0 if turn % 2 == 0 else 1.0  # HiGHS minimises: -1 pushes up
        solver.changeColsCost(len(cols), every,
                              np.where(pend, sense * rng.uniform(0.5, 1.5, len(cols)), 0.0))
        solver.run()
        used += 1
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            continue  # no proof from this LP; the cells stay pending
        x = np.asarray(solver.getSolution().col_value)
        # a solution outside the bounds or the relations proves nothing
        if (np.abs(a @ x - rhs).max(initial=0.0) > 1e-6 or (x < lo - 1e-6).any()
                or (x > hi + 1e-6).any()):
            continue
        low[cols] = np.minimum(low[cols], np.ceil(x - _EPS))
        high[cols] = np.maximum(high[cols], np.floor(x + _EPS))
    return used

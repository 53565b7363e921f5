"""LPs over blocks of a large table, for the cells integer cycles leave unproven.

One LP over every suppressed cell of a 100,000-cell table takes minutes (simplex) or
half a minute (interior point). The table is cut into blocks instead: the subtrees
under each top-level code of its first multi-level hierarchy (a sido and its sigungu).
Cells outside a block are held at their true values, so a solution of a block's LP is a
feasible table of the whole (a witness), and blocks are small enough for HiGHS' interior
point method to solve in a fraction of a second. Each block gets "every pending cell up"
and "every pending cell down" (random positive weights), solved without crossover: the
solution lies inside the optimal face, where most pending cells have moved.

Region blocks cannot move a cell of a sido (its nation-wide margin is held), and in a
sparse table most suppressed sido cells need a move across sidos. So there are also
blocks across the whole region hierarchy: the leaves of another dimension are dealt into
random groups (about ``_BLOCK_CELLS`` suppressed cells per block), each block is every
cell whose code in that dimension is in one group, and the cells at that dimension's
margins are held at the truth (moves between the group's leaves keep them). The passes
alternate between dimensions with a new random grouping each, until a pass proves little.

As in every LP of the audit, a coordinate ``v`` of a solution shows that the cell can
reach ``floor(v)`` and ``ceil(v)`` to an attacker who rounds the LP's bounds inwards.
"""

from __future__ import annotations

import highspy
import numpy as np
import numpy.typing as npt
from scipy.sparse import csc_matrix, csr_matrix

from migralink.disclosure.cube import Cube, IntArray
from migralink.disclosure.cycles import FloatArray

__all__ = ["block_lps", "blocks_of"]

_EPS = 1e-6
_ROUNDS = 1  # pairs of LPs (up, down) per block
# suppressed cells per leaf-group block (~1 s of interior point). At 100k, 6,000 left
# 16,422 cells unproven after the first round and 20,000 left 6,972 in the same 45 s:
# a larger group has more cells to trade with, and every cell left unproven costs a
# complement and another round (31 rounds, 295 s -> 10 rounds, 186 s). A small table
# keeps at least four groups per dimension (at most a quarter of its cells, not below
# 6,000): one group is the same block in every pass, and a sparse 3,000-person cube
# then left 10 cells unprotected.
_BLOCK_CELLS = 20_000
_BLOCK_MIN = 6_000
_LEAF_PASSES = 8  # leaf-group passes at most (each a new random grouping)
_STALL = 0.1  # stop the passes when one proves less than this share of what is pending


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
    rng = np.random.default_rng(seed)
    columns = csc_matrix(a)
    used = _solve_blocks(columns, b, box, truth, blocks_of(cube, rows), need, low, high, rng)
    # flat dimensions (every code under the total a leaf): a hierarchy's leaves under
    # different parents could not trade with their parents held
    dims = [d for d, parents in enumerate(cube.parent_codes)
            if (_leaves(cube, d) == (parents >= 0)).all() and _leaves(cube, d).sum() >= 2]
    start = int(((high - low) < need - _EPS).sum())
    for turn in range(_LEAF_PASSES if dims else 0):
        if not start:
            break
        label = _leaf_groups(cube, dims[turn % len(dims)], rows, rng)
        used += _solve_blocks(columns, b, box, truth, label, need, low, high, rng)
        if (turn + 1) % len(dims) == 0:  # a pass over every dimension: did it pay?
            left = int(((high - low) < need - _EPS).sum())
            if start - left < _STALL * start:
                break
            start = left
    return used


def _leaves(cube: Cube, d: int) -> npt.NDArray[np.bool_]:
    parents = cube.parent_codes[d]
    leaf = np.ones(len(parents), np.bool_)
    leaf[parents[parents >= 0]] = False
    return leaf


def _leaf_groups(cube: Cube, d: int, rows: IntArray, rng: np.random.Generator) -> IntArray:
    """Block of each row: a random group of the leaves of dim ``d`` (``-2``: a margin,
    free in every block: a margin moves with the leaves of the group).

    Groups hold about ``_BLOCK_CELLS`` suppressed cells and at least two leaves, so that
    the cells of one group can trade between its leaves.
    """
    leaf = _leaves(cube, d)
    codes = np.flatnonzero(leaf)
    per_leaf = len(rows) / len(codes)
    cells = min(_BLOCK_CELLS, max(_BLOCK_MIN, len(rows) / 4))
    size = max(2, int(cells / max(per_leaf, 1.0)))
    group = np.full(len(leaf), -2, np.int64)
    group[rng.permutation(codes)] = np.arange(len(codes)) // size
    out: IntArray = group[cube.codes[rows, d]]
    return out


def _solve_blocks(columns: csc_matrix, b: FloatArray, box: tuple[FloatArray, FloatArray],
                  truth: FloatArray, label: IntArray, need: FloatArray, low: FloatArray,
                  high: FloatArray, rng: np.random.Generator) -> int:
    """One pair of LPs per block with a pending cell; the rest of the table at the truth."""
    used = 0
    pending = (high - low) < need - _EPS
    fixed = columns @ truth  # every relation's sum of suppressed cells at the truth
    for block in np.unique(label[pending]):
        if block < 0:
            continue
        cols = np.flatnonzero((label == block) | (label == -2))
        sub = columns[:, cols]
        eqs = np.unique(sub.nonzero()[0])
        if not len(eqs):
            continue
        inside = csc_matrix(sub[eqs])
        rhs = b[eqs] - (fixed[eqs] - inside @ truth[cols])
        used += _solve_block(inside, rhs, box[0][cols], box[1][cols], cols, need, low, high,
                             rng)
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

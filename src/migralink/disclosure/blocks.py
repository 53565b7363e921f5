"""LPs over blocks of a large table, for the cells integer cycles leave unproven.

One LP over every suppressed cell of a 100,000-cell table takes minutes (simplex) or
half a minute (interior point). The table is cut into blocks instead: the subtrees
under each top-level code of its first multi-level hierarchy (a sido and its sigungu).
Cells outside a block are held at their true values, so a solution of a block's LP is a
feasible table of the whole (a witness), and blocks are small enough for HiGHS' interior
point method to solve in a fraction of a second. Each block gets two LPs, solved without
crossover (the solution lies inside the optimal face, where most pending cells have
moved): every pending cell is pushed one way (random weights; the direction random
where the cell has room both ways), then the other way. A pushed finest cell goes at
most a quarter of a person past the width it needs, so that pushes spread over many
cells rather than carry one far; a margin is not held so, since it carries the moves of
the cells under it (:func:`reach_of`). The blocks of a pass are solved on two threads.

Region blocks cannot move a cell of a sido (its nation-wide margin is held), and in a
sparse table most suppressed sido cells need a move across sidos. So there are also
blocks across the whole region hierarchy: the leaves of another dimension are dealt into
random groups (about 20,000 suppressed cells per block), each block is every cell whose
code in that dimension is in one group, with that dimension's margins free in every
block (a margin moves with the leaves of the group). The passes alternate between
dimensions with a new random grouping each, until a pass proves little. Where a
dimension has too few leaves for groups of that size (at 1M cells), its groups are
cut by region as well: random parts of the top-level regions, the region total in
every part. Once few cells are pending, their leaves go into two groups, so that a
pass solves two blocks, not four. The grouping is :mod:`migralink.disclosure.groups`.

As in every LP of the audit, a coordinate ``v`` of a solution shows that the cell can
reach ``floor(v)`` and ``ceil(v)`` to an attacker who rounds the LP's bounds inwards.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.sparse import csc_matrix, csr_matrix

from migralink.disclosure.cube import Cube, IntArray
from migralink.disclosure.cycles import FloatArray
from migralink.disclosure.groups import leaf_groups, leaves, region_blocks

__all__ = ["block_lps", "reach_of"]

_EPS = 1e-6
_SOLVES = 2  # LPs per block: every pending cell its way, then the other way
_LEAF_PASSES = 8  # leaf-group passes at most (each a new random grouping)
_THREADS = 2  # blocks solved at once (the machines have two cores)
_STALL = 0.1  # stop the passes when one proves less than this share of what is pending
_REACH = 0.25  # a pushed cell goes at most this far past the whole persons it needs
_DEPENDENT_EQUATIONS = 1 << 10  # HiGHS' presolve_rule_off bit for that rule


def block_lps(cube: Cube, a: csr_matrix, b: FloatArray, box: tuple[FloatArray, FloatArray],
              truth: FloatArray, rows: IntArray, need: FloatArray, low: FloatArray,
              high: FloatArray, seed: int = 0, *, dropped: tuple[csr_matrix, FloatArray]
              ) -> int:
    """Widen ``low``/``high`` of the ``pending`` variables by block LPs; LPs solved.

    ``a x = b`` is the system of the suppressed ``rows`` (one variable per row), ``box``
    their bounds, ``truth`` the true table and ``need`` the width each variable needs.
    ``dropped`` holds the relations the system leaves out because ``a x = b`` implies
    them (``widths._one_per_margin``): a solution must keep them too.
    """
    rng = np.random.default_rng(seed)
    columns = csc_matrix(a)
    # flat dimensions (every code under the total a leaf): a hierarchy's leaves under
    # different parents could not trade with their parents held
    dims = [d for d, parents in enumerate(cube.parent_codes)
            if (leaves(cube, d) == (parents >= 0)).all() and leaves(cube, d).sum() >= 2]
    bounds = (box[0], box[1], reach_of(cube, rows, need))
    used = _solve_blocks(columns, b, bounds, truth, region_blocks(cube, rows, dims, rng), need,
                         low, high, rng, dropped)
    start = int(((high - low) < need - _EPS).sum())
    for turn in range(_LEAF_PASSES if dims else 0):
        if not start:
            break
        label = leaf_groups(cube, dims[turn % len(dims)], rows, rng,
                             (high - low) < need - _EPS)
        used += _solve_blocks(columns, b, bounds, truth, label, need, low, high, rng, dropped)
        if (turn + 1) % len(dims) == 0:  # a pass over every dimension: did it pay?
            left = int(((high - low) < need - _EPS).sum())
            if start - left < _STALL * start:
                break
            start = left
    return used


def reach_of(cube: Cube, rows: IntArray, need: FloatArray) -> FloatArray:
    """How far from its truth a pushed row may go in a block LP.

    A finest cell goes at most :data:`_REACH` past the whole persons its width needs,
    so that the objective gains nothing from moving it further and moves more cells
    instead. A margin is not held so: it takes the moves of the cells under it (four
    districts of one person raised by one raise their sido by four).
    """
    finest = np.ones(len(rows), np.bool_)
    for d in range(len(cube.parent_codes)):
        finest &= leaves(cube, d)[cube.codes[rows, d]]
    out: FloatArray = np.where(finest, np.ceil(need - _EPS) + _REACH, np.inf)
    return out


def _solve_blocks(columns: csc_matrix, b: FloatArray,
                  box: tuple[FloatArray, FloatArray, FloatArray],
                  truth: FloatArray, label: IntArray, need: FloatArray, low: FloatArray,
                  high: FloatArray, rng: np.random.Generator,
                  dropped: tuple[csr_matrix, FloatArray]) -> int:
    """One pair of LPs per block with a pending cell; the rest of the table at the truth.

    ``box`` holds each variable's lower and upper bound and its reach (:func:`reach_of`).

    The blocks of a pass are solved on ``_THREADS`` threads (HiGHS releases the GIL);
    each block gets its own seed, drawn here in block order, so the result does not
    depend on which thread ran it.
    """
    pending = (high - low) < need - _EPS
    fixed = columns @ truth  # every relation's sum of suppressed cells at the truth
    jobs: list[_Block] = []
    labels = label.reshape(len(label), -1)  # one column per cut (leaf group, region part)
    keys = labels[pending]
    keys[:, 1:] = np.maximum(keys[:, 1:], 0)  # a pending region total: in every part
    for block in np.unique(keys, axis=0):
        if (block < 0).any():
            continue
        cols = np.flatnonzero(((labels == block) | (labels == -2)).all(axis=1))
        sub = columns[:, cols]
        eqs = np.unique(sub.nonzero()[0])
        if not len(eqs):
            continue
        inside = csc_matrix(sub[eqs])
        rhs = b[eqs] - (fixed[eqs] - inside @ truth[cols])
        jobs.append(_Block(inside, rhs, box[0][cols], box[1][cols], box[2][cols], truth[cols],
                           cols, int(rng.integers(2**31))))
    if len(jobs) > 1 and _THREADS > 1:
        # Largest blocks first, so that the threads finish a pass together: in order of
        # the blocks, a pass of four waited on one thread for a fifth of its time (round
        # 1 of the 100k table, its block times replayed: 41.6 s -> 35.8 s). Only the order
        # changes, not the result.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i].cols))
        with ThreadPoolExecutor(_THREADS) as pool:
            results = list(pool.map(lambda i: jobs[i].solve(need, low, high), order))
        found = [results[order.index(i)] for i in range(len(jobs))]
    else:
        found = [job.solve(need, low, high) for job in jobs]
    used = 0
    for job, (solutions, solved) in zip(jobs, found, strict=True):
        used += solved
        for x in solutions:
            if not _keeps(dropped, truth, job.cols, x):
                continue  # not a feasible table: it proves nothing
            low[job.cols] = np.minimum(low[job.cols], np.ceil(x - _EPS))
            high[job.cols] = np.maximum(high[job.cols], np.floor(x + _EPS))
    return used


def _keeps(dropped: tuple[csr_matrix, FloatArray], truth: FloatArray, cols: IntArray,
          x: FloatArray) -> bool:
    """Whether the table with ``x`` in ``cols`` (the rest at the truth) keeps the
    relations left out of the LPs' system. They follow from those kept, but the solver
    keeps each of those only within its tolerance, and a relation left out adds up the
    residuals of the relations below it."""
    a, rhs = dropped
    if not a.shape[0]:
        return True
    table = truth.copy()
    table[cols] = x
    return bool(np.abs(a @ table - rhs).max() <= 1e-6)


@dataclass(frozen=True)
class _Block:
    """One block's LP: ``a x = rhs`` over the variables ``cols``, the rest held."""

    a: csc_matrix
    rhs: FloatArray
    lo: FloatArray
    hi: FloatArray
    reach: FloatArray
    truth: FloatArray
    cols: IntArray
    seed: int

    def solve(self, need: FloatArray, low: FloatArray, high: FloatArray
              ) -> tuple[list[FloatArray], int]:
        """Feasible tables of the block that move its pending cells; LPs solved.

        Reads ``low``/``high`` but does not write them (threads share them): the
        caller widens them with the solutions. Each pending cell gets a direction,
        random where it can move both ways; the first LP pushes every pending cell
        its way, the second the other way. Pushing every cell up at once (as before)
        cannot move all the cells of a relation whose total is held: in the first
        round of the 100k benchmark this left 7,056 cells unproven, random
        directions 2,828, at the same cost. A pushed cell goes at most ``reach``
        from its truth (:func:`reach_of`).
        """
        rng = np.random.default_rng(self.seed)
        cols, n = self.cols, len(self.cols)
        width = need[cols] - _EPS
        lo_, hi_ = low[cols].copy(), high[cols].copy()
        up = self.hi - self.truth >= width  # room to show the width upwards
        down = self.truth - self.lo >= width
        sign = np.where(up & down, np.where(rng.random(n) < 0.5, 1.0, -1.0),
                        np.where(down, -1.0, 1.0))
        solver = _solver(self.a, self.rhs, self.lo, self.hi)
        every = np.arange(n, dtype=np.int32)
        out: list[FloatArray] = []
        used = 0
        for turn in range(_SOLVES):
            pend = hi_ - lo_ < width
            if not pend.any():
                break
            if turn % 2:  # the other way, where there is room both ways
                sign = np.where(up & down, -sign, sign)
            weight = rng.uniform(0.5, 1.5, n)
            # HiGHS minimises: a negative cost pushes a cell up
            solver.changeColsCost(n, every, np.where(pend, -sign * weight, 0.0))
            lower = np.where(pend & (sign < 0), np.maximum(self.lo, self.truth - self.reach),
                             self.lo)
            upper = np.where(pend & (sign > 0), np.minimum(self.hi, self.truth + self.reach),
                             self.hi)
            solver.changeColsBounds(n, every, lower,
                                    np.where(np.isinf(upper), highspy.kHighsInf, upper))
            solver.run()
            used += 1
            if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                continue  # no proof from this LP; the cells stay pending
            x = np.asarray(solver.getSolution().col_value)
            # a solution outside the bounds or the relations proves nothing
            if (np.abs(self.a @ x - self.rhs).max(initial=0.0) > 1e-6
                    or (x < self.lo - 1e-6).any() or (x > self.hi + 1e-6).any()):
                continue
            out.append(x)
            lo_ = np.minimum(lo_, np.ceil(x - _EPS))
            hi_ = np.maximum(hi_, np.floor(x + _EPS))
        return out, used


def _solver(a: csc_matrix, rhs: FloatArray, lo: FloatArray, hi: FloatArray) -> highspy.Highs:
    """HiGHS' interior point without crossover, the LP passed, every cost zero."""
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("solver", "ipm")
    solver.setOptionValue("run_crossover", "off")
    # The system holds one relation per margin (widths._one_per_margin), so few rows
    # depend on the others (those of published margins can: IPX copes with them), and
    # presolve's search for them took 0.16 s of a block's 0.45 s presolve. Off, presolve
    # takes ~0.2 s of a 0.6-0.9 s block LP. Either change alone gained little (session
    # 16 measured one relation per margin as no faster); together, with the tail passes
    # of groups.py, the 100k audit fell from 67-77 s to 50-51 s (session 17).
    solver.setOptionValue("presolve_rule_off", _DEPENDENT_EQUATIONS)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
    lp.col_cost_ = np.zeros(a.shape[1])
    lp.col_lower_ = lo
    lp.col_upper_ = np.where(np.isinf(hi), highspy.kHighsInf, hi)
    lp.row_lower_ = lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    solver.passModel(lp)
    return solver


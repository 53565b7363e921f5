"""An exact reduction of a block LP: relations with one or two cells substituted away.

In a sparse table many relations hold one or two suppressed cells of a block: one cell
alone is fixed (at its true value: the truth satisfies every relation), two are tied
(``x_j = s x_i + t``). HiGHS' presolve finds the same reductions and more, but it runs
again for every LP, and on a 26,000-cell leaf-group block of the 100k table it took
0.43 s of a 1.0 s solve (the interior point on the presolved LP 0.58 s). The two LPs
of a block differ only in their costs and in the bounds of the cells they push, so the
substitutions are made once per block here, in a few sparse products, and each LP
maps its bounds and costs onto the cells left (:class:`Reduced`).

Every cell of the block is either fixed or follows exactly one cell left, ``x_j =
scale_j * y_root(j) + shift_j``; bounds intersect along that map and costs add up.
A solution of the reduced LP expands to a solution of the block's: the caller checks
it against the block's own relations and bounds before it proves anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csc_matrix, csr_matrix

__all__ = ["Reduced", "reduce_block"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_ROUNDS = 60  # substitution rounds at most (each removes the relations of one or two)
_ZERO = 1e-9  # a coefficient this small after substitution is a cancellation


@dataclass(frozen=True)
class Reduced:
    """The block's LP over the cells left, and how every cell follows them.

    Attributes:
        a: the relations left (rows) over the cells left (columns).
        rhs: their right-hand sides.
        root: per cell of the block, the column of ``a`` it follows (``-1``: fixed).
        scale: ``x_j = scale_j * y[root_j] + shift_j`` (``scale_j`` 0 when fixed).
        shift: see ``scale``.
    """

    a: csc_matrix
    rhs: FloatArray
    root: IntArray
    scale: FloatArray
    shift: FloatArray

    def bounds(self, lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Bounds of the cells left that keep every cell of the block within its own."""
        k = self.a.shape[1]
        follows = self.root >= 0
        r, s, t = self.root[follows], self.scale[follows], self.shift[follows]
        with np.errstate(invalid="ignore"):  # inf - shift stays inf
            a_lo = (lo[follows] - t) / s
            a_hi = (hi[follows] - t) / s
        low = np.where(s > 0, a_lo, a_hi)
        high = np.where(s > 0, a_hi, a_lo)
        out_lo, out_hi = np.full(k, -np.inf), np.full(k, np.inf)
        np.maximum.at(out_lo, r, low)
        np.minimum.at(out_hi, r, high)
        return out_lo, out_hi

    def costs(self, cost: FloatArray) -> FloatArray:
        """The costs of the cells left (a constant is dropped)."""
        follows = self.root >= 0
        out = np.zeros(self.a.shape[1])
        np.add.at(out, self.root[follows], cost[follows] * self.scale[follows])
        return out

    def expand(self, y: FloatArray) -> FloatArray:
        """The block's cells from the cells left."""
        out: FloatArray = self.shift + self.scale * y[np.maximum(self.root, 0)]
        return out


def reduce_block(a: csc_matrix, rhs: FloatArray, truth: FloatArray) -> Reduced:
    """Substitute relations of one or two cells away, round by round, until none is left.

    ``truth`` is a solution of ``a x = rhs``: a fixed cell takes its value (the value a
    singleton relation gives, without its rounding errors).
    """
    n = a.shape[1]
    root = np.arange(n, dtype=np.int64)
    scale, shift = np.ones(n), np.zeros(n)
    m = csr_matrix(a, dtype=np.float64, copy=True)
    b = np.asarray(rhs, np.float64).copy()
    cur_truth = np.asarray(truth, np.float64).copy()  # per current column
    for _ in range(_ROUNDS):
        m.data[np.abs(m.data) < _ZERO] = 0.0
        m.eliminate_zeros()
        count = np.diff(m.indptr)
        single = count == 1
        double = count == 2
        if not (single.any() or double.any()):
            break
        k = m.shape[1]
        # the map of this round: column c -> alpha_c * y[target_c] + beta_c
        target = np.arange(k, dtype=np.int64)
        alpha, beta = np.ones(k), np.zeros(k)
        fixed = np.zeros(k, np.bool_)
        if single.any():
            fixed[m.indices[m.indptr[:-1][single]]] = True
        elim = np.zeros(k, np.bool_)
        keep_row = ~single
        rows = np.flatnonzero(double)
        if len(rows):
            start = m.indptr[rows]
            c1, c2 = m.indices[start], m.indices[start + 1]
            v1, v2 = m.data[start], m.data[start + 1]
            ok = ~fixed[c1] & ~fixed[c2]
            rows, c1, c2, v1, v2 = rows[ok], c1[ok], c2[ok], v1[ok], v2[ok]
            # eliminate c2 (the larger index) in terms of c1; a column is eliminated by
            # one relation, and never serves as a partner in the same round
            order = np.argsort(c2, kind="stable")
            rows, c1, c2, v1, v2 = rows[order], c1[order], c2[order], v1[order], v2[order]
            first = np.ones(len(c2), np.bool_)
            first[1:] = c2[1:] != c2[:-1]
            rows, c1, c2, v1, v2 = rows[first], c1[first], c2[first], v1[first], v2[first]
            gone = np.zeros(k, np.bool_)
            gone[c2] = True
            free = ~gone[c1]
            rows, c1, c2, v1, v2 = rows[free], c1[free], c2[free], v1[free], v2[free]
            elim[c2] = True
            target[c2] = c1
            alpha[c2] = -v1 / v2
            beta[c2] = b[rows] / v2
            keep_row[rows] = False
        # fixed columns keep their true values (the relations hold at the truth)
        alpha[fixed], beta[fixed] = 0.0, cur_truth[fixed]
        target[fixed] = 0
        left = ~(fixed | elim)
        number = np.cumsum(left) - 1
        cols = np.flatnonzero(~fixed)
        into = number[target[cols]]
        p = csr_matrix((alpha[cols], (cols, into)), shape=(k, int(left.sum())))
        b = (b - m @ beta)[keep_row]
        m = csr_matrix((m @ p)[keep_row])
        # the block's cells: x_j = scale_j * (alpha * y_new + beta) + shift_j
        follows = root >= 0
        r = root[follows]
        shift[follows] += scale[follows] * beta[r]
        scale[follows] *= alpha[r]
        gone_now = follows.copy()
        gone_now[follows] = fixed[r]
        new_root = root.copy()
        new_root[follows] = number[target[r]]
        new_root[gone_now] = -1
        scale[gone_now] = 0.0
        root = new_root
        cur_truth = cur_truth[left]
    m.data[np.abs(m.data) < _ZERO] = 0.0
    m.eliminate_zeros()
    empty = np.diff(m.indptr) == 0
    m, b = m[~empty], b[~empty]  # 0 = b: b is a rounding error (the truth holds)
    return Reduced(csc_matrix(m), b, root, scale, shift)

"""Block LPs of a large table: every interval they give is reached by a feasible table,
and solving the blocks on two threads gives what one thread gives.

The heuristic's pattern of the sparse 3,000-person cube (more than 5,000 suppressed
cells: the path of large tables) is the input; an exact LP over every suppressed cell
(HiGHS through SciPy) is the oracle for a sample of the cells the blocks moved.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from migralink.disclosure import DisclosurePolicy
from migralink.disclosure import blocks as blocks_module
from migralink.disclosure.blocks import block_lps
from migralink.disclosure.cube import encode
from migralink.disclosure.knowledge import cell_bounds, propagate
from migralink.disclosure.secondary import complement
from migralink.disclosure.widths import _System
from tests.disclosure.test_sparse_audit import _cube

Widths = tuple[np.ndarray, np.ndarray, np.ndarray, _System]


def _block_widths(threads: int, monkeypatch: pytest.MonkeyPatch) -> Widths:
    """``low``, ``high`` and ``need`` of every suppressed cell after the block LPs."""
    spec, frame = _cube()
    cube = encode(frame, spec)
    cube.check_additive()
    work = cube.values
    policy = DisclosurePolicy(distinguish_statuses=False)
    primary = (work > 0) & (work < policy.threshold)
    pattern, _ = complement(cube, primary, work, work > 0)
    lo, hi = propagate(cube, *cell_bounds(policy, primary, pattern, work))
    rows = np.flatnonzero(pattern)
    need = np.full(len(rows), policy.min_interval)
    system = _System.build(cube, pattern, work, lo, hi, rows, need)
    low, high = system.truth.copy(), system.truth.copy()
    monkeypatch.setattr(blocks_module, "_THREADS", threads)
    used = block_lps(cube, system.a, system.b, (system.lo, system.hi), system.truth, rows,
                     need, low, high)
    assert used > 0
    return low, high, need, system


def test_two_threads_give_what_one_thread_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    one = _block_widths(1, monkeypatch)
    two = _block_widths(2, monkeypatch)
    assert len(one[0]) > 5_000
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])


def test_every_interval_of_the_blocks_is_reached_by_a_feasible_table(
        monkeypatch: pytest.MonkeyPatch) -> None:
    low, high, need, system = _block_widths(2, monkeypatch)
    moved = np.flatnonzero(high - low >= need - 1e-6)
    assert len(moved) > 1_000  # (integer cycles show most of the others wide)
    bounds = [(float(lo), None if np.isinf(hi) else float(hi))
              for lo, hi in zip(system.lo, system.hi, strict=True)]
    for j in np.random.default_rng(0).choice(moved, 12, replace=False):
        ends = []
        for sense in (1.0, -1.0):
            objective = np.zeros(len(low))
            objective[j] = sense
            result = linprog(objective, A_eq=system.a, b_eq=system.b, bounds=bounds,
                             method="highs")
            assert result.status == 0, result.message
            ends.append(sense * result.fun)
        # the exact LP's interval holds the blocks' (rounded inwards to whole numbers)
        assert ends[0] - 1e-6 <= low[j] <= system.truth[j] <= high[j] <= ends[1] + 1e-6

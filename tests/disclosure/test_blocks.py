"""Block LPs of a large table: every interval they give is reached by a feasible table,
also when leaf groups are cut by region, and solving the blocks on two threads gives
what one thread gives.

The heuristic's pattern of the sparse 3,000-person cube (more than 5,000 suppressed
cells: the path of large tables) is the input; an exact LP over every suppressed cell
(HiGHS through SciPy) is the oracle for a sample of the cells the blocks moved.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.sparse import csc_matrix, csr_matrix, vstack

from migralink.disclosure import DisclosurePolicy, TableSpec
from migralink.disclosure import blocks as blocks_module
from migralink.disclosure import groups as groups_module
from migralink.disclosure import widths as widths_module
from migralink.disclosure.blocks import block_lps
from migralink.disclosure.cube import encode
from migralink.disclosure.knowledge import cell_bounds, propagate
from migralink.disclosure.spec import region_hierarchy
from migralink.disclosure.widths import _System
from tests.disclosure.tables import exact_interval
from tests.disclosure.test_sparse_audit import heuristic

Widths = tuple[np.ndarray, np.ndarray, np.ndarray, _System, np.ndarray]


def _block_widths(threads: int, monkeypatch: pytest.MonkeyPatch, cut: bool = False
                  ) -> Widths:
    """``low``, ``high`` and ``need`` of every suppressed cell after the block LPs, the
    system, and the attacker's upper bounds.

    With ``cut``, blocks of ~300 suppressed cells: a dimension's leaf groups are then
    too large for its few leaves and are cut by region (as at 1M cells)."""
    if cut:
        monkeypatch.setattr(groups_module, "_BLOCK_CELLS", 300)
        monkeypatch.setattr(groups_module, "_BLOCK_MIN", 300)
    cube, work, policy, primary, pattern = heuristic()
    cube.check_additive()
    lo, hi = propagate(cube, *cell_bounds(policy, primary, pattern, work))
    rows = np.flatnonzero(pattern)
    need = np.full(len(rows), policy.min_interval)
    system = _System.build(cube, pattern, work, lo, hi, rows, need)
    low, high = system.truth.copy(), system.truth.copy()
    monkeypatch.setattr(blocks_module, "_THREADS", threads)
    used = block_lps(cube, system.a, system.b, (system.lo, system.room), system.truth, rows,
                     need, low, high, dropped=system.dropped)
    assert used > 0
    return low, high, need, system, hi[rows]


def test_two_threads_give_what_one_thread_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    one = _block_widths(1, monkeypatch)
    two = _block_widths(2, monkeypatch)
    assert len(one[0]) > 5_000
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])


@pytest.mark.parametrize("cut", [False, True])
def test_every_interval_of_the_blocks_is_reached_by_a_feasible_table(
        monkeypatch: pytest.MonkeyPatch, cut: bool) -> None:
    low, high, need, system, hi = _block_widths(2, monkeypatch, cut)
    moved = np.flatnonzero(high - low >= need - 1e-6)
    # (integer cycles show most of the others wide; blocks of 300 cells move fewer)
    assert len(moved) > (500 if cut else 1_000)
    # the attacker's own bounds (the LPs' caps above the truth are the audit's choice)
    bounds = [(float(lo), None if np.isinf(up) else float(up))
              for lo, up in zip(system.lo, hi, strict=True)]
    a, b = _every_relation(system)
    for j in np.random.default_rng(0).choice(moved, 12, replace=False):
        ends = exact_interval(a, b, bounds, int(j))
        # the exact LP's interval holds the blocks' (rounded inwards to whole numbers)
        assert ends[0] - 1e-6 <= low[j] <= system.truth[j] <= high[j] <= ends[1] + 1e-6


def test_one_lp_moves_every_district_its_sido_can_absorb(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Four districts of one person each, their sido suppressed: raising all four by one
    raises the sido by four, which the other sido (10 persons, already shown wide) gives
    up. One block LP must prove all four: a sido capped at two above its count let one
    district take both persons, a pushed district with no cap of its own took them
    all, and a pushed sido capped like a district let one district rise."""
    counts = {"11110": 1, "11140": 1, "11170": 1, "11200": 1, "11": 4,
              "26110": 10, "26": 10, "00": 14}
    frame = pl.DataFrame({"region": list(counts), "value": list(counts.values())})
    spec = TableSpec((region_hierarchy(list(counts)),))
    cube = encode(frame, spec)
    cube.check_additive()
    work = cube.values
    policy = DisclosurePolicy(distinguish_statuses=False)
    pattern = np.array([code != "00" for code in cube.labels()["region"]])
    primary = (work > 0) & (work < policy.threshold)
    lo, hi = propagate(cube, *cell_bounds(policy, primary, pattern, work))
    rows = np.flatnonzero(pattern)
    need = np.full(len(rows), policy.min_interval)
    system = _System.build(cube, pattern, work, lo, hi, rows, need)
    monkeypatch.setattr(blocks_module, "_SOLVES", 1)
    reach = blocks_module.reach_of(cube, rows, need)
    block = blocks_module._Block(csc_matrix(system.a), system.b, system.lo, system.room,
                                 reach, system.truth, np.arange(len(rows)), seed=3)
    low, high = system.truth.copy(), system.truth.copy()
    donors = np.flatnonzero(system.truth == 10)  # shown wide already: not pushed
    assert len(donors) == 2
    low[donors], high[donors] = system.truth[donors] - 1, system.truth[donors] + 1
    solutions, used = block.solve(need, low, high)
    assert used == 1
    assert len(solutions) == 1
    districts = np.flatnonzero(system.truth == 1)
    assert len(districts) == 4
    assert (solutions[0][districts] >= 2 - 1e-6).all(), solutions[0]
    assert np.abs(system.a @ solutions[0] - system.b).max() < 1e-6


def test_a_solution_that_breaks_a_relation_left_out_proves_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The block LPs solve one relation per margin and check every solution against the
    relations left out. With a wrong reduction (every other relation left out, so
    the LPs move cells no feasible table moves), that check must still keep every
    interval inside the exact LP's over every relation."""
    full = _block_widths(2, monkeypatch)[3]
    monkeypatch.setattr(widths_module, "_one_per_margin",
                        lambda touched, *_: touched[::2])
    low, high, _, system, hi = _block_widths(2, monkeypatch)
    assert system.dropped[0].shape[0] > system.a.shape[0] // 2
    # (here every solution breaks one: none is kept, and no cell moves)
    moved = np.flatnonzero(high - low > 0)
    bounds = [(float(lo), None if np.isinf(up) else float(up))
              for lo, up in zip(full.lo, hi, strict=True)]
    a, b = _every_relation(full)
    for j in np.random.default_rng(1).choice(moved, min(len(moved), 20), replace=False):
        ends = exact_interval(a, b, bounds, int(j))
        assert ends[0] - 1e-6 <= low[j] <= high[j] <= ends[1] + 1e-6, (j, low[j], high[j], ends)


def _every_relation(system: _System) -> tuple[csr_matrix, np.ndarray]:
    """The system with the relations it leaves out put back: the exact LP's."""
    return (csr_matrix(vstack([system.a, system.dropped[0]])),
            np.concatenate([system.b, system.dropped[1]]))

"""A cell the LPs leave unproven gets a complement in every one of its relations, even
when it is the only one (one complement per round, each waiting for a round of block
LPs, took 50 rounds of 4 s for a single cell of a 100k table).

The LP round is replaced by its outcome in the case at hand: every cell shown wide
but one, which the LPs had shown wide too (so the pattern found is not a release: this
tests which choice the audit makes, not the LPs).
"""

from __future__ import annotations

import numpy as np
import pytest

from migralink.disclosure import knowledge as knowledge_module
from migralink.disclosure.knowledge import audit_pattern
from migralink.disclosure.protect import requirement
from migralink.disclosure.widths import shown_wide
from tests.disclosure.test_sparse_audit import heuristic


def test_a_single_unproven_cell_gets_a_complement_in_each_relation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    cube, work, policy, primary, pattern = heuristic()
    real = shown_wide
    rel, members, _, _ = cube.relations

    def _open_relations(cell: int, suppressed: np.ndarray) -> list[int]:
        return [int(r) for r in np.unique(rel[members == cell])
                if (~suppressed[members[rel == r]]).any()]

    patterns: list[np.ndarray] = []
    target: list[int] = []

    def lps_that_miss_one(*args, **kwargs):  # type: ignore[no-untyped-def]
        wide, used, cycled = real(*args, **kwargs)
        patterns.append(args[1].copy())
        rows = args[5]
        wide = np.ones(len(rows), np.bool_) if len(patterns) > 1 else wide
        if len(patterns) == 1:  # the first LP round: a finest cell it showed wide, with
            # published cells in at least two of its relations
            for j in np.flatnonzero(wide & cube.finest[rows]):
                if len(_open_relations(int(rows[j]), args[1])) >= 2:
                    target.append(int(rows[j]))
                    wide = np.ones(len(rows), np.bool_)
                    wide[j] = False
                    break
        return wide, used, cycled

    many = knowledge_module._pick_many
    stubborn_cells: list[int] = []

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        failing, flags = args[3], args[6]
        stubborn_cells.extend(int(r) for r in failing if flags is not None and flags[r])
        return many(*args, **kwargs)

    monkeypatch.setattr(knowledge_module, "shown_wide", lps_that_miss_one)
    monkeypatch.setattr(knowledge_module, "_pick_many", recording)
    result = audit_pattern(cube, pattern, primary, work, policy,
                           requirement(primary, work, policy, dp=False))
    assert result.unprotected == 0
    assert result.rounds >= 2
    assert len(patterns) >= 2
    assert target
    cell = target[0]
    assert cell in stubborn_cells  # chosen for as a stubborn cell, not one by one
    added = np.flatnonzero(patterns[1] & ~patterns[0])
    rel, members, _, _ = cube.relations
    holding = [r for r in np.unique(rel[members == cell])
               if np.isin(members[rel == r], added).any()]
    # each relation with a published cell got a complement (one, before the fix)
    assert set(_open_relations(cell, patterns[0])) <= set(holding)

"""How a large table's rows are dealt into blocks: region blocks, leaf groups cut by
region where they are too large, and the two groups of a round's tail.

On the sparse 3,000-person cube with blocks of ~300 suppressed cells (so that its
groups are as many, and as cut, as those of the 1M-cell table)."""

from __future__ import annotations

import numpy as np
import pytest

from migralink.disclosure import groups as groups_module
from migralink.disclosure.cube import encode
from tests.disclosure.test_sparse_audit import _cube


def test_large_blocks_are_cut(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(groups_module, "_BLOCK_CELLS", 300)
    monkeypatch.setattr(groups_module, "_BLOCK_MIN", 300)
    spec, frame = _cube()
    cube = encode(frame, spec)
    rows = np.arange(len(cube.values))
    top = groups_module.blocks_of(cube, rows)
    cut = 0
    for d in range(1, len(cube.parent_codes)):
        label = groups_module.leaf_groups(cube, d, rows, np.random.default_rng(0))
        if label.ndim == 1:
            continue
        cut += 1
        part = label[:, 1]
        assert (part[top < 0] == -2).all()  # the region total is in every part
        assert len(np.unique(part[top >= 0])) >= 2
        for p in np.unique(part[top >= 0]):  # each part holds whole sidos, two or more
            assert len(np.unique(top[part == p])) >= 2
            assert not np.isin(top[part == p], top[(part != p) & (part >= 0)]).any()
    assert cut >= 1
    # the region pass: a sido holding more than twice the block size is cut by groups
    # of the nationality leaves (the flat dimension with most leaves)
    label = groups_module.region_blocks(cube, rows, [1, 2], np.random.default_rng(0))
    assert label.shape == (len(rows), 2)
    np.testing.assert_array_equal(label[:, 0], top)
    margin = cube.parent_codes[1][cube.codes[rows, 1]] < 0
    assert (label[margin, 1] == -2).all()
    assert (label[~margin, 1] >= 0).all()
    assert len(np.unique(label[~margin, 1])) >= 2


@pytest.mark.parametrize("few", [1, 12, 300])
def test_a_tail_pass_deals_the_pending_leaves_into_two_groups(
        monkeypatch: pytest.MonkeyPatch, few: int) -> None:
    """Only a block with a pending cell is solved: with a few pending cells their leaves
    go into two groups, so a pass solves two blocks (one a thread), not all of them.
    The other leaves still fill every group, and no leaf is lost."""
    monkeypatch.setattr(groups_module, "_BLOCK_CELLS", 2_000)
    monkeypatch.setattr(groups_module, "_BLOCK_MIN", 2_000)
    spec, frame = _cube()
    cube = encode(frame, spec)
    rows = np.arange(len(cube.values))
    d = 1  # nationality: many leaves
    leaf = groups_module.leaves(cube, d)[cube.codes[rows, d]]
    rng = np.random.default_rng(5)
    pending = np.zeros(len(rows), np.bool_)
    pending[rng.choice(np.flatnonzero(leaf), few, replace=False)] = True
    label = groups_module.leaf_groups(cube, d, rows, np.random.default_rng(0), pending)
    groups = label if label.ndim == 1 else label[:, 0]
    everywhere = np.unique(groups[leaf])
    assert len(everywhere) > 2  # more groups than the two of the tail
    assert len(np.unique(groups[pending])) <= 2
    assert (groups[~leaf] == -2).all()  # a margin of the dimension is in every block
    # the same cells every time: one generator, one grouping
    again = groups_module.leaf_groups(cube, d, rows, np.random.default_rng(0), pending)
    np.testing.assert_array_equal(label, again)
    # more pending cells than a tail: dealt at random over every group as before
    many = leaf.copy()
    spread = groups_module.leaf_groups(cube, d, rows, np.random.default_rng(0), many)
    spread = spread if spread.ndim == 1 else spread[:, 0]
    assert len(np.unique(spread[many])) == len(everywhere)

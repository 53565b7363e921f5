"""How the rows of a large table are dealt into the blocks of one pass of block LPs.

A pass solves one LP pair per block (:mod:`migralink.disclosure.blocks`), the rest of
the table held at the truth. Two kinds of pass:

* **region**: a block per subtree under a top-level code of the first multi-level
  hierarchy (a sido and its sigungu), cut by groups of a flat dimension's leaves where
  a subtree is too large (:func:`region_blocks`);
* **leaf groups**: the leaves of one flat dimension dealt at random into groups, the
  margins of that dimension free in every block, cut by region parts where a group is
  too large (:func:`leaf_groups`). Once few cells are pending, the leaves that hold
  them go into two groups, so that two blocks are solved instead of four.

Every choice here is drawn from the generator it is given, never from the threads,
so the same table gets the same blocks, hence the same release.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from migralink.disclosure.cube import Cube, IntArray

__all__ = ["blocks_of", "leaf_groups", "leaves", "region_blocks"]

# suppressed cells per leaf-group block (~1 s of interior point). At 100k, 6,000 left
# 16,422 cells unproven after the first round and 20,000 left 6,972 in the same 45 s:
# a larger group has more cells to trade with, and every cell left unproven costs a
# complement and another round (31 rounds, 295 s -> 10 rounds, 186 s). A small table
# keeps at least four groups per dimension (at most a quarter of its cells, not below
# 6,000): one group is the same block in every pass, and a sparse 3,000-person cube
# then left 10 cells unprotected. The count of groups is even (two threads).
_BLOCK_CELLS = 20_000
_BLOCK_MIN = 6_000
# A tail pass: at most this many pending cells at the leaves of the pass's dimension.
# Their leaves go into two groups (a constant, not _THREADS: the blocks must not depend
# on the threads) of at most twice the usual size. At 100k, 300 gave 53-58 s, 150 and
# 500 60-66 s (one table, each run alternately); caps of 1.25 and 1.5 were slower.
_TAIL = 300
_TAIL_GROUPS = 2
_TAIL_CAP = 2.0


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


def leaves(cube: Cube, d: int) -> npt.NDArray[np.bool_]:
    """Whether each code of dim ``d`` is a leaf (no code under it)."""
    parents = cube.parent_codes[d]
    leaf = np.ones(len(parents), np.bool_)
    leaf[parents[parents >= 0]] = False
    return leaf


def region_blocks(cube: Cube, rows: IntArray, dims: list[int], rng: np.random.Generator
                  ) -> IntArray:
    """Block of each row in the region pass: its sido subtree (:func:`blocks_of`), cut by
    random groups of the leaves of the flat dimension with the most leaves where a
    subtree holds more than twice ``_BLOCK_CELLS`` suppressed cells (a sido of the
    1M-cell table holds up to 113,000: 171 s for the pass, two threads)."""
    label = blocks_of(cube, rows)
    inside = label[label >= 0]
    largest = int(np.bincount(inside).max()) if len(inside) else 0
    cells = _cells(len(rows))
    if not dims or largest <= 2 * cells:
        return label
    d = max(dims, key=lambda d: int(leaves(cube, d).sum()))
    return np.stack([label, _deal(cube, d, rows, rng, round(largest / cells))], 1)


def _cells(rows: int) -> float:
    """Suppressed cells a block should hold."""
    return min(_BLOCK_CELLS, max(_BLOCK_MIN, rows / 4))


def _deal(cube: Cube, d: int, rows: IntArray, rng: np.random.Generator, count: int
          ) -> IntArray:
    """Group of each row: the leaves of dim ``d`` dealt at random into ``count`` groups
    of two leaves or more (``-2``: a margin, in every group)."""
    leaf = leaves(cube, d)
    codes = np.flatnonzero(leaf)
    count = max(1, min(count, len(codes) // 2))
    group = np.full(len(leaf), -2, np.int64)
    group[rng.permutation(codes)] = np.arange(len(codes)) * count // len(codes)
    out: IntArray = group[cube.codes[rows, d]]
    return out


def leaf_groups(cube: Cube, d: int, rows: IntArray, rng: np.random.Generator,
                pending: npt.NDArray[np.bool_] | None = None) -> IntArray:
    """Block of each row: a random group of the leaves of dim ``d`` (``-2``: a margin,
    free in every block: a margin moves with the leaves of the group); two columns
    when the groups are also cut by region. Once few rows are ``pending``, the leaves
    that hold them go into two groups (:func:`_deal_tail`).

    Groups hold about ``_BLOCK_CELLS`` suppressed cells and at least two leaves, so that
    the cells of one group can trade between its leaves. A dimension with too few
    leaves for that (residence status, 20 leaves, in a 1M-cell table: ~73,000 cells a
    group) has its groups cut further by region: the top-level regions (sidos) are
    dealt into random parts, the region total free in every part. An interior-point
    solve grows faster than the block: ~0.06 s for a 5,000-cell sido block, ~1.5 s for
    a 25,000-cell leaf group.
    """
    cells = _cells(len(rows))
    # an even count, so that neither thread waits alone on the last block (a constant,
    # not _THREADS: the blocks, hence the pattern, must not depend on the threads)
    count = max(2, 2 * round(len(rows) / cells / 2))
    count = max(1, min(count, int(leaves(cube, d).sum()) // 2))
    if pending is not None and count > _TAIL_GROUPS and int(
            (pending & leaves(cube, d)[cube.codes[rows, d]]).sum()) <= _TAIL:
        out = _deal_tail(cube, d, rows, rng, count, pending)
    else:
        out = _deal(cube, d, rows, rng, count)
    parts = round(len(rows) / count / cells)
    if parts < 2:
        return out
    return np.stack([out, _region_parts(cube, rows, rng, parts)], 1)


def _deal_tail(cube: Cube, d: int, rows: IntArray, rng: np.random.Generator, count: int,
               pending: npt.NDArray[np.bool_]) -> IntArray:
    """:func:`_deal` for a tail pass: the leaves that hold pending rows are dealt into
    the first ``_TAIL_GROUPS`` groups (each up to ``_TAIL_CAP`` times its share of the
    suppressed cells, beyond which into the least loaded group), the other leaves to
    the least loaded groups.

    Only a block with a pending cell is solved, and a pass costs the same for 20,000
    pending cells as for 20: so in the tail of a round two blocks are solved instead
    of four, one on each thread, each larger. In the 100k benchmark round 2 then left
    7 cells narrow instead of 34, and the audit took 69 s against 77 s.
    """
    leaf = leaves(cube, d)
    code = cube.codes[rows, d]
    at = leaf[code]
    size = np.bincount(code[at], minlength=len(leaf)).astype(np.float64)
    hot = np.bincount(code[at & pending], minlength=len(leaf)) > 0
    codes = np.flatnonzero(leaf)
    cap = _TAIL_CAP * size[codes].sum() / count
    group = np.full(len(leaf), -2, np.int64)
    load = np.zeros(count)
    for c in rng.permutation(codes[hot[codes]]):
        g = int(np.argmin(load[:_TAIL_GROUPS]))
        if load[g] + size[c] > cap:
            g = int(np.argmin(load))
        group[c] = g
        load[g] += size[c]
    for c in rng.permutation(codes[~hot[codes]]):
        g = int(np.argmin(load))
        group[c] = g
        load[g] += size[c]
    out: IntArray = group[code]
    return out


def _region_parts(cube: Cube, rows: IntArray, rng: np.random.Generator, parts: int) -> IntArray:
    """Part of each row: its top-level region dealt into one of at most ``parts``
    random parts of two regions or more (``-2``: the region total, free in every part;
    every part holds it, as every leaf group holds the margins)."""
    top = blocks_of(cube, rows)
    tops = np.unique(top[top >= 0])
    parts = min(parts, len(tops) // 2)
    if parts < 2:
        return np.zeros(len(rows), np.int64)
    part = np.zeros(int(tops.max()) + 1, np.int64)
    part[rng.permutation(tops)] = np.arange(len(tops)) * parts // len(tops)
    out: IntArray = np.where(top >= 0, part[np.maximum(top, 0)], -2)
    return out

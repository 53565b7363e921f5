"""Integer moves along cycles of suppressed cells: a proof of width without an LP.

Take two dimensions ``k`` and ``l`` and fix every other dimension at a finest code
``z``. Among the finest cells ``(a, b, z)`` with ``a`` under one code ``P`` of ``k``
and ``b`` under one code ``Q`` of ``l``, a cycle ``a1 b1 a2 b2 … a1`` (rows and columns
alternate) gives an integer move of the whole table: ``+1`` on the cells entered from
a row, ``-1`` on the cells entered from a column. Every margin of ``k`` at ``P`` or
above, and of ``l`` at ``Q`` or above, is unchanged (each row and column of the cycle
gains one and loses one); the margins of ``(a, b, z)`` over the other dimensions
(``(a, b, Z)`` for every ``Z`` above ``z``) change with it; codes strictly between
``a`` and ``P`` (a sido between a sigungu and the nation) change by at most the number
of leaves under them. If every cell a move changes is suppressed and stays within what
the attacker knows of it, the true table plus the move is another feasible integer
table, so every cell ``(a, b, Z)`` on the cycle can take the value one above (or below)
its true one.

The cycles are not listed: in a directed graph where a cell that can go up is an edge
row → column and one that can go down an edge column → row, a cell lies on such a
cycle exactly when both its ends are in one strongly connected component. A cell that
may go both ways is kept in one direction per pass (the cycle ``a → b → a`` through one
cell is no move), so every cycle found uses each cell once. The argument is exact
integer reasoning: no solver and no tolerance take part.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, depth_first_order

from migralink.disclosure.cube import BoolArray, Cube, IntArray

__all__ = ["cycle_moves"]

FloatArray = npt.NDArray[np.float64]
_PASSES = 4  # random orientations of the two-way cells, for cycles mixing both kinds
#: how a dimension outside the slice enters a move: held at one leaf (its margins
#: move too), or the difference of two leaves with one parent, or of any two leaves
_KINDS = ("chain", "sibling", "cousin")


def cycle_moves(cube: Cube, pattern: BoolArray, work: IntArray, lo: FloatArray,
                hi: FloatArray, need: FloatArray, seed: int = 0, draws: int = 1
                ) -> tuple[FloatArray, FloatArray]:
    """Values each cell takes in feasible integer tables found by cycles.

    Args:
        cube: the table.
        pattern: the suppressed cells.
        work: the true table (published cells hold their published values).
        lo: what the attacker knows of each cell, from below (integers or ``-inf``).
        hi: from above (integers or ``inf``).
        need: the width each cell needs (per cell of the cube): a cell is no longer
            looked for once it has it, and the search stops when every cell has.
        seed: for the partners of the differences and the orientation of two-way cells.

    Returns:
        ``(low, high)`` per cell of the cube: the smallest and largest value the cell
        takes in the true table and the tables found (``work`` where nothing moved).
    """
    x = work.astype(np.float64)
    low, high = x.copy(), x.copy()
    nd = len(cube.spec.hierarchies)
    todo = pattern & (need > 0)
    if nd < 2 or not todo.any():
        return low, high
    shape = _Shape.of(cube)
    rng = np.random.default_rng(seed)
    families = [(k, m, dict(zip([d for d in range(nd) if d not in (k, m)], kinds,
                                strict=True)))
                for k in range(nd) for m in range(k + 1, nd)
                for kinds in itertools.product(_KINDS if nd <= 3 else _KINDS[:2],
                                               repeat=nd - 2)]
    for draw in range(draws):
        for k, m, family in families:
            if draw and all(kind == "chain" for kind in family.values()):
                continue  # nothing random in it: the first draw found all it can
            _family(cube, pattern, x, lo, hi, (k, m), family, shape, rng, todo, low, high)
            todo &= (high - low) < need  # what is wide enough needs no other family
            if not todo.any():
                return low, high
    return low, high


@dataclass(frozen=True)
class _Shape:
    """The hierarchies as arrays: ancestors, leaves, parents of leaves."""

    chains: list[IntArray]  # per dim: each code's ancestors-or-self, padded with -1
    leaf: list[BoolArray]
    leaf_parent: list[BoolArray]  # codes with at least one leaf child

    @classmethod
    def of(cls, cube: Cube) -> _Shape:
        chains, leaf, leaf_parent = [], [], []
        for parents in cube.parent_codes:
            lists = []
            for code in range(len(parents)):
                chain = [code]
                while parents[chain[-1]] >= 0:
                    chain.append(int(parents[chain[-1]]))
                lists.append(chain)
            table = np.full((len(lists), max(map(len, lists))), -1, np.int64)
            for code, chain in enumerate(lists):
                table[code, :len(chain)] = chain
            chains.append(table)
            is_parent = np.zeros(len(parents), np.bool_)
            is_parent[parents[parents >= 0]] = True
            leaf.append(~is_parent)
            has_leaf = np.zeros(len(parents), np.bool_)
            has_leaf[parents[~is_parent & (parents >= 0)]] = True
            leaf_parent.append(has_leaf)
        return cls(chains, leaf, leaf_parent)

    def partners(self, cube: Cube, d: int, kind: str, rng: np.random.Generator) -> IntArray:
        """A random other leaf per leaf of dim ``d`` (``-1``: none), by ``kind``."""
        parents = cube.parent_codes[d]
        leaves = np.flatnonzero(self.leaf[d])
        out = np.full(len(parents), -1, np.int64)
        if len(leaves) < 2:
            return out
        if kind == "sibling":  # a random other leaf of the same parent
            order = leaves[np.lexsort((rng.random(len(leaves)), parents[leaves]))]
            group = parents[order]
            nxt = np.r_[order[1:], order[:1]]
            same = np.r_[group[1:] == group[:-1], False]
            first = np.r_[True, group[1:] != group[:-1]]
            starts = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
            wrap = order[starts]  # the last of a group goes round to its first
            out[order] = np.where(same, nxt, wrap)
            out[out == np.arange(len(parents))] = -1
        else:  # any other leaf, preferably under another parent
            pick = leaves[rng.integers(0, len(leaves), len(leaves))]
            out[leaves] = np.where(pick != leaves, pick, -1)
        return out


def _options(shape: _Shape, d: int, codes: IntArray, role: str, partner: IntArray | None
             ) -> tuple[IntArray, IntArray]:
    """Codes of dim ``d`` an edge changes, and the sign of each, per anchor."""
    chain = shape.chains[d][codes]
    if role == "leaf":  # a row of the slice: the leaf alone
        return codes[:, None], np.ones((len(codes), 1), np.int64)
    if role == "total":  # the slice's margin: it and every code above (sign flipped)
        return chain, -np.ones(chain.shape, np.int64)
    if partner is None:  # held at one leaf: its margins move with it
        return chain, np.ones(chain.shape, np.int64)
    other = shape.chains[d][np.maximum(partner, 0)]
    shared = (chain[:, :, None] == other[:, None, :]).any(2)
    mine = np.where(shared, -1, chain)
    theirs = np.where((other[:, :, None] == chain[:, None, :]).any(2), -1, other)
    signs = np.concatenate([np.ones(chain.shape, np.int64), -np.ones(other.shape, np.int64)], 1)
    return np.concatenate([mine, theirs], 1), signs


def _family(cube: Cube, pattern: BoolArray, x: FloatArray, lo: FloatArray, hi: FloatArray,
            pair: tuple[int, int], family: dict[int, str], shape: _Shape,
            rng: np.random.Generator, todo: BoolArray, low: FloatArray, high: FloatArray
            ) -> None:
    """The slices of dims ``pair``, the other dims held or differenced as ``family`` says."""
    k, m = pair
    codes = cube.codes
    anchor = pattern.copy()
    for d in pair:
        anchor &= shape.leaf[d][codes[:, d]] | shape.leaf_parent[d][codes[:, d]]
    partner: dict[int, IntArray] = {}
    for d, kind in family.items():
        anchor &= shape.leaf[d][codes[:, d]]
        if kind != "chain":
            partner[d] = shape.partners(cube, d, kind, rng)
            anchor &= partner[d][codes[:, d]] >= 0
    cells = np.flatnonzero(anchor)
    if not len(cells):
        return
    cells = cells[np.argsort(cube.keys[cells])]  # random draws follow codes, not rows
    # only the slices where something is left to prove
    group = [np.where(shape.leaf[d][codes[cells, d]], cube.parent_codes[d][codes[cells, d]],
                      codes[cells, d]) for d in pair]
    base = cube.keys[cells] - codes[cells, k] * cube.strides[k] - codes[cells, m] * cube.strides[m]
    slices = base + group[0] * cube.strides[k] + group[1] * cube.strides[m]
    live = np.isin(slices, slices[todo[cells]])
    cells, base, group = cells[live], base[live], [g[live] for g in group]
    if not len(cells):
        return
    here = codes[cells]
    keys, signs, valid = _edges(cube, shape, here, pair, partner)
    rows = cube.lookup(keys.ravel()).reshape(keys.shape)
    at = np.maximum(rows, 0)
    hidden = (~valid | ((rows >= 0) & pattern[at])).all(1)
    if not todo[np.where(valid & (rows >= 0), at, cells[:, None])].any():
        return  # nothing left to prove among the cells these edges move
    room_up = np.where(valid, hi[at] - x[at], np.inf)
    room_down = np.where(valid, x[at] - lo[at], np.inf)
    # edge value +1 (row → column) moves each cell by its sign; -1 the other way
    forward = hidden & (np.where(signs > 0, room_up, room_down).min(1) >= 1)
    backward = hidden & (np.where(signs > 0, room_down, room_up).min(1) >= 1)
    if not (forward | backward).any():
        return
    # a row is (slice, leaf or total of dim k); a column (slice, leaf or total of dim m)
    row_nodes, r = np.unique(base + here[:, k] * cube.strides[k] + group[1] * cube.strides[m],
                             return_inverse=True)
    col_nodes, c = np.unique(base + group[0] * cube.strides[k] + here[:, m] * cube.strides[m],
                             return_inverse=True)
    c = c + len(row_nodes)
    size = len(row_nodes) + len(col_nodes)
    both = forward & backward
    # A cycle uses each cell once, except the 2-cycle u → v → u of one two-way cell,
    # which is no move. One-way cells: the strongly connected components of the graph
    # with every arc are exact (a simple path back cannot use the cell's own reverse).
    src = np.concatenate([r[forward], c[backward]])
    dst = np.concatenate([c[forward], r[backward]])
    # (``proven`` must start empty: passing the one-way arcs as both arguments marked
    # every one-way arc proven, on a cycle or not)
    proven = [np.zeros(len(cells), np.bool_), np.zeros(len(cells), np.bool_)]
    _on_cycles(src, dst, size, r, c, [forward & ~both, backward & ~both], proven)
    # Two-way cells: a cell on a cycle of two-way cells (not a bridge of their graph)
    # moves either way; random orientations find cycles that mix them with one-way cells.
    closing = np.zeros(len(cells), np.bool_)
    closing[both] = _not_bridges(r[both], c[both], size)
    proven[0] |= closing
    proven[1] |= closing
    for _ in range(_PASSES):
        pick = rng.random(len(cells)) < 0.5
        goes = [forward & (~both | pick), backward & (~both | ~pick)]
        _on_cycles(np.concatenate([r[goes[0]], c[goes[1]]]),
                   np.concatenate([c[goes[0]], r[goes[1]]]), size, r, c, goes, proven)
    for moved, step in ((proven[0], 1), (proven[1], -1)):
        keep = valid[moved] & (rows[moved] >= 0)
        touched = rows[moved][keep]
        delta = (signs[moved] * step)[keep]
        np.maximum.at(high, touched[delta > 0], x[touched[delta > 0]] + 1.0)
        np.minimum.at(low, touched[delta < 0], x[touched[delta < 0]] - 1.0)


def _not_bridges(r: IntArray, c: IntArray, size: int) -> BoolArray:
    """Which edges of an undirected graph lie on a cycle (no two edges share both ends).

    A depth-first forest, tree edges oriented away from the root and the others (which
    join a node to an ancestor) towards it: two nodes share a strong component exactly
    when they are 2-edge-connected, so an edge lies on a cycle exactly when its ends do.
    """
    if not len(r):
        return np.zeros(0, np.bool_)
    undirected = csr_matrix((np.ones(len(r)), (r, c)), shape=(size, size))
    parts = connected_components(undirected, directed=False)[1]
    firsts = np.unique(parts, return_index=True)[1]
    # One node of each part joined in a chain (those edges close no cycle), so that one
    # depth-first search covers every part. Not a star around an extra root: SciPy's
    # search rescans a node's neighbours each time it comes back to it, so a root of
    # 200,000 parts cost minutes per call in the 1M table (quadratic in its degree).
    src = np.concatenate([r, firsts[:-1]])
    dst = np.concatenate([c, firsts[1:]])
    graph = csr_matrix((np.ones(len(src)), (src, dst)), shape=(size, size))
    order, parent = depth_first_order(graph, int(firsts[0]), directed=False,
                                      return_predecessors=True)
    seen = np.empty(size, np.int64)
    seen[order] = np.arange(len(order))
    tree = (parent[c] == r) | (parent[r] == c)
    early = np.where(seen[r] < seen[c], r, c)
    late = np.where(seen[r] < seen[c], c, r)
    tail = np.where(tree, early, late)
    head = np.where(tree, late, early)
    oriented = csr_matrix((np.ones(len(r)), (tail, head)), shape=(size, size))
    labels = connected_components(oriented, directed=True, connection="strong")[1]
    out: BoolArray = labels[r] == labels[c]
    return out


def _on_cycles(src: IntArray, dst: IntArray, size: int, r: IntArray, c: IntArray,
               goes: list[BoolArray], proven: list[BoolArray]) -> None:
    """Mark the arcs of ``goes`` (forward, backward) whose ends share a strong component."""
    graph = csr_matrix((np.ones(len(src)), (src, dst)), shape=(size, size))
    labels = connected_components(graph, directed=True, connection="strong")[1]
    same = labels[r] == labels[c]
    proven[0] |= goes[0] & same
    proven[1] |= goes[1] & same


def _edges(cube: Cube, shape: _Shape, here: IntArray, pair: tuple[int, int],
           partner: dict[int, IntArray]) -> tuple[IntArray, IntArray, BoolArray]:
    """Keys of the cells each edge changes, the sign of each, and which are real."""
    n = len(here)
    keys = np.zeros((n, 1), np.int64)
    signs = np.ones((n, 1), np.int64)
    valid = np.ones((n, 1), np.bool_)
    for d in range(len(shape.chains)):
        if d in pair:
            role = np.where(shape.leaf[d][here[:, d]], "leaf", "total")
            opt = np.full((n, shape.chains[d].shape[1]), -1, np.int64)
            sgn = np.ones(opt.shape, np.int64)
            for name in ("leaf", "total"):
                sel = role == name
                o, s_ = _options(shape, d, here[sel, d], name, None)
                opt[sel, :o.shape[1]], sgn[sel, :o.shape[1]] = o, s_
        else:
            p = partner.get(d)
            opt, sgn = _options(shape, d, here[:, d], "other",
                                None if p is None else p[here[:, d]])
        keys = (keys[:, :, None] + np.maximum(opt, 0)[:, None, :] * cube.strides[d]).reshape(n, -1)
        signs = (signs[:, :, None] * sgn[:, None, :]).reshape(n, -1)
        valid = (valid[:, :, None] & (opt >= 0)[:, None, :]).reshape(n, -1)
    return keys, signs, valid

"""Secondary suppression: complements, so that no relation gives a suppressed cell away.

Every linear relation of the table (a parent cell and its children along one dimension)
with exactly one suppressed cell would give that cell away by subtraction. The heuristic
gives each such relation a complement, all relations at once, and repeats until no
relation has a single suppressed cell. Within a relation the complement is, in order of
preference:

1. a non-zero cell (a suppressed zero widens nothing: it can only go up);
2. a child rather than the relation's parent: children are finer cells, and the parent
   is a margin that sits in more relations (the grand total is a parent everywhere, so
   it is taken only when nothing else can be);
3. a cell that is alone in the most other relations: one complement then closes
   several of them (the fourth corner of a rectangle);
4. the smallest count, which loses the least information.

The heuristic does not guarantee that an attacker's interval is wide enough: that is
what the linear-programming audit (:mod:`migralink.disclosure.lp`) checks.
"""

from __future__ import annotations

import numpy as np

from migralink.disclosure.cube import BoolArray, Cube, IntArray

__all__ = ["complement", "singleton_relations"]


def singleton_relations(cube: Cube, suppressed: BoolArray) -> BoolArray:
    """For each relation, whether exactly one of its cells is suppressed."""
    rel, rows, _, n = cube.relations
    counts = np.bincount(rel, weights=suppressed[rows], minlength=n)
    single: BoolArray = counts == 1
    return single


def complement(cube: Cube, suppressed: BoolArray, work: IntArray,
               allowed: BoolArray | None = None) -> tuple[BoolArray, int]:
    """Add complements until no relation has a single suppressed cell.

    Args:
        cube: the table.
        suppressed: the cells suppressed so far (not changed).
        work: the values the attacker's relations hold (rounded or noisy, if so).
        allowed: the cells that may become complements (default: all); cells already
            released elsewhere keep their status.

    Returns:
        The new suppression pattern, and the number of suppressed cells left alone in a
        relation because it has no other cell (a parent whose children are all missing
        rows, hence zeros).
    """
    rel, rows, is_parent, _ = cube.relations
    pattern = suppressed.copy()
    while True:
        single = singleton_relations(cube, pattern)
        live = single[rel]
        candidate = live & ~pattern[rows]
        if allowed is not None:
            candidate &= allowed[rows]
        if not candidate.any():
            return pattern, len(np.unique(rows[live & pattern[rows]]))
        # How many single relations each cell is in: a shared cell closes several.
        closes = np.bincount(rows[live], minlength=len(pattern))
        c_rel, c_row = rel[candidate], rows[candidate]
        value = work[c_row]
        order = np.lexsort((
            cube.keys[c_row],  # last resort: the cell's codes, whatever the row order
            value,
            -closes[c_row],
            is_parent[candidate] | cube.grand_total[c_row],
            value <= 0,
            c_rel,
        ))
        first = np.unique(c_rel[order], return_index=True)[1]
        pattern[c_row[order[first]]] = True


def candidates_near(cube: Cube, pattern: BoolArray, row: int) -> IntArray:
    """Unsuppressed cells that share a relation with ``row``."""
    rel, rows, _, _ = cube.relations
    mine = np.unique(rel[rows == row])
    near = rows[np.isin(rel, mine)]
    out: IntArray = np.unique(near[~pattern[near]])
    return out

"""A table as arrays: integer codes, cell keys and the table's linear relations.

Disclosure control works on every cell at once, so the table is encoded once: each
dimension's codes become integers (their position in :attr:`Hierarchy.codes`), each cell
a mixed-radix integer key, and each linear relation of the table — a parent cell equal
to the sum of its children along one dimension, the other dimensions held fixed — a
list of (relation, cell) memberships. Everything after works on NumPy arrays.

A cell missing from the table is read as a published zero: a cube built by ``GROUP BY
CUBE`` has no row for an empty combination, and everyone can see that it is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import polars as pl

from migralink.disclosure.spec import Hierarchy, TableSpec
from migralink.errors import DisclosureError

__all__ = ["Cube", "encode", "rollup"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_KEY_BITS = 62  # keys are int64: stay clear of the sign bit
_SHOWN = 5  # offending cells shown in an error message


def _parents(h: Hierarchy) -> IntArray:
    """Index of each code's parent in ``h.codes`` (-1 for the total)."""
    index = {c: i for i, c in enumerate(h.codes)}
    return np.array([index[h.parent[c]] if c in h.parent else -1 for c in h.codes],
                    dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Cube:
    """The cells of one table, with its relations.

    Attributes:
        spec: the table's dimensions and hierarchies.
        codes: ``(cells, dims)`` code indices (positions in each ``Hierarchy.codes``).
        values: the count of each cell (what the relations are checked against).
    """

    spec: TableSpec
    codes: IntArray
    values: IntArray

    @cached_property
    def strides(self) -> IntArray:
        """Multipliers of the mixed-radix key; the first dimension is the most significant."""
        sizes = [len(h.codes) for h in self.spec.hierarchies]
        if sum(float(np.log2(max(s, 2))) for s in sizes) >= _KEY_BITS:
            raise DisclosureError(title="the table has too many code combinations",
                                  hint="split it into smaller tables")
        strides = np.ones(len(sizes), dtype=np.int64)
        for d in range(len(sizes) - 2, -1, -1):
            strides[d] = strides[d + 1] * sizes[d + 1]
        return strides

    @cached_property
    def keys(self) -> IntArray:
        """One integer per cell, unique within the table."""
        keys: IntArray = self.codes @ self.strides
        return keys

    @cached_property
    def _sorted(self) -> tuple[IntArray, IntArray]:
        order = np.argsort(self.keys, kind="stable").astype(np.int64)
        return order, self.keys[order]

    def lookup(self, keys: IntArray) -> IntArray:
        """Row of each key, ``-1`` where the table has no such cell."""
        order, sorted_keys = self._sorted
        if not len(sorted_keys):
            return np.full(len(keys), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
        return np.where(sorted_keys[pos] == keys, order[pos], -1).astype(np.int64)

    def values_at(self, keys: IntArray) -> IntArray:
        """The count of each key's cell, 0 where the table has no such cell."""
        where = self.lookup(keys)
        out = np.zeros(len(keys), dtype=np.int64)
        out[where >= 0] = self.values[where[where >= 0]]
        return out

    @cached_property
    def parent_codes(self) -> tuple[IntArray, ...]:
        """For each dimension, the parent index of each code index (-1 for the total)."""
        return tuple(_parents(h) for h in self.spec.hierarchies)

    @cached_property
    def finest(self) -> BoolArray:
        """Cells whose every code is a leaf of its hierarchy."""
        mask = np.ones(len(self.values), dtype=np.bool_)
        for d, h in enumerate(self.spec.hierarchies):
            leaf = np.array([c in h.leaves for c in h.codes], dtype=np.bool_)
            mask &= leaf[self.codes[:, d]]
        return mask

    @cached_property
    def grand_total(self) -> BoolArray:
        """The cell with the total code in every dimension."""
        return np.asarray((self.codes == 0).all(axis=1), dtype=np.bool_)

    @cached_property
    def relations(self) -> tuple[IntArray, IntArray, BoolArray, int]:
        """Memberships ``(relation, row, is_parent)`` and the number of relations.

        A relation is a parent cell and one dimension along which it has children; a
        parent whose children are all missing (zeros) is a relation of its own, which
        pins it to zero.

        Raises:
            DisclosureError: a margin is missing from the table.
        """
        nd = len(self.spec.hierarchies)
        rel_parts: list[IntArray] = []
        row_parts: list[IntArray] = []
        rows = np.arange(len(self.values), dtype=np.int64)
        for d in range(nd):
            up = self.parent_codes[d][self.codes[:, d]]
            child = up >= 0
            parent_keys = self.keys[child] + (up[child] - self.codes[child, d]) * self.strides[d]
            parent_rows = self.lookup(parent_keys)
            if (parent_rows < 0).any():
                raise _missing_margin(self, rows[child][parent_rows < 0], d)
            rel_parts.append(parent_rows * nd + d)
            row_parts.append(rows[child])
            # Every non-leaf code makes a relation, even with no child present.
            has_children = np.zeros(len(self.spec.hierarchies[d].codes), dtype=np.bool_)
            has_children[self.parent_codes[d][self.parent_codes[d] >= 0]] = True
            rel_parts.append(rows[has_children[self.codes[:, d]]] * nd + d)
            row_parts.append(np.full(int(has_children[self.codes[:, d]].sum()), -1, np.int64))
        raw = np.concatenate(rel_parts) if rel_parts else np.zeros(0, np.int64)
        members = np.concatenate(row_parts) if row_parts else np.zeros(0, np.int64)
        unique, rel = np.unique(raw, return_inverse=True)
        is_parent = members < 0
        members = np.where(is_parent, raw // nd, members)
        return rel.astype(np.int64), members, is_parent, len(unique)

    def check_additive(self) -> None:
        """Raise unless every parent equals the sum of its children.

        Raises:
            DisclosureError: a cell differs from the sum of its children.
        """
        rel, rows, is_parent, n = self.relations
        sign = np.where(is_parent, -1.0, 1.0)
        balance = np.bincount(rel, weights=sign * self.values[rows], minlength=n)
        bad = np.flatnonzero(np.abs(balance) > 0)
        if len(bad):
            parents = rows[is_parent & np.isin(rel, bad)][:_SHOWN]
            raise DisclosureError(
                title=f"{len(bad)} cells are not the sum of their children, e.g. "
                + "; ".join(self.describe(int(r)) for r in parents),
                hint="protect a table whose margins were computed by adding its cells "
                "(GROUP BY CUBE), or flag a published table with public=True",
            )

    def describe(self, row: int) -> str:
        """A cell as ``dim=code, …``, for messages."""
        return ", ".join(f"{h.dim}={h.codes[self.codes[row, d]]}"
                         for d, h in enumerate(self.spec.hierarchies))

    def labels(self) -> dict[str, pl.Series]:
        """The code strings of every cell, one series per dimension."""
        out = {}
        for d, h in enumerate(self.spec.hierarchies):
            out[h.dim] = pl.Series(h.dim, np.array(h.codes, dtype=object)[self.codes[:, d]],
                                   dtype=pl.String)
        return out


def _missing_margin(cube: Cube, rows: IntArray, d: int) -> DisclosureError:
    shown = "; ".join(cube.describe(int(r)) for r in rows[:_SHOWN])
    dim = cube.spec.hierarchies[d].dim
    return DisclosureError(
        title=f"{len(rows)} cells have no margin along {dim}, e.g. {shown}",
        hint="the table must hold every margin (all combinations, totals included): "
        "build it with GROUP BY CUBE / ROLLUP",
    )


def encode(frame: pl.DataFrame, spec: TableSpec) -> Cube:
    """Encode a table of strings and counts; margins are checked, additivity is not.

    Raises:
        DisclosureError: a column is missing, a code is not in its hierarchy, a value
            is missing, negative or not whole, or a cell is given twice.
    """
    missing = [c for c in (*spec.dims, "value") if c not in frame.columns]
    if missing:
        raise DisclosureError(title=f"the table has no column {', '.join(missing)}",
                              hint=f"a table has the columns {', '.join(spec.dims)}, value")
    codes = np.zeros((frame.height, len(spec.dims)), dtype=np.int64)
    for d, h in enumerate(spec.hierarchies):
        column = frame.get_column(h.dim).cast(pl.String)
        index = column.replace_strict(list(h.codes), list(range(len(h.codes))),
                                      default=None, return_dtype=pl.Int64)
        if index.null_count():
            unknown = column.filter(index.is_null()).unique().sort().head(_SHOWN).to_list()
            raise DisclosureError(
                title=f"codes of {h.dim} not in its hierarchy: {unknown}",
                hint="build the TableSpec from the table's code lists",
            )
        codes[:, d] = index.to_numpy()
    values = _values(frame.get_column("value"))
    cube = Cube(spec, codes, values)
    if len(np.unique(cube.keys)) < frame.height:
        raise DisclosureError(title="the table has the same cell more than once",
                              hint="aggregate it first: one row per combination of codes")
    return cube


def _values(column: pl.Series) -> IntArray:
    if column.null_count():
        raise DisclosureError(title="the table has missing values",
                              hint="a table to protect holds a count in every cell")
    floats = column.cast(pl.Float64).to_numpy()
    if (floats < 0).any() or (np.floor(floats) != floats).any():
        raise DisclosureError(title="the table has values that are not counts",
                              hint="disclosure control protects counts (whole numbers ≥ 0)")
    return floats.astype(np.int64)


def rollup(spec: TableSpec, codes: IntArray, values: IntArray) -> Cube:
    """The cube of every margin of finest cells, each margin the sum of its parts."""
    parents = [_parents(h) for h in spec.hierarchies]
    sizes = np.array([len(h.codes) for h in spec.hierarchies], dtype=np.int64)
    cur_codes, cur_values = codes, values
    for d in range(len(sizes)):
        parts_c, parts_v = [cur_codes], [cur_values]
        step_c, step_v = cur_codes, cur_values
        while True:
            up = parents[d][step_c[:, d]]
            keep = up >= 0
            if not keep.any():
                break
            step_c = step_c[keep].copy()
            step_c[:, d] = up[keep]
            step_v = step_v[keep]
            parts_c.append(step_c)
            parts_v.append(step_v)
        cur_codes, cur_values = _aggregate(np.concatenate(parts_c), np.concatenate(parts_v),
                                           sizes)
    return Cube(spec, cur_codes, cur_values)


def _aggregate(codes: IntArray, values: IntArray, sizes: IntArray) -> tuple[IntArray, IntArray]:
    strides = np.ones(len(sizes), dtype=np.int64)
    for d in range(len(sizes) - 2, -1, -1):
        strides[d] = strides[d + 1] * sizes[d + 1]
    keys = codes @ strides
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    sums = np.bincount(inverse, weights=values, minlength=len(unique))
    return codes[first], np.rint(sums).astype(np.int64)

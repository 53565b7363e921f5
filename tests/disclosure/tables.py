"""Random hierarchical tables for the disclosure tests, built without the code under test.

A table is given by its hierarchies and its finest counts; every margin is computed
here by plain Python addition, and the relations of a table are enumerated from the
strings, so that the checks do not share the encoding of :mod:`migralink.disclosure`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import polars as pl
from hypothesis import strategies as st
from scipy.optimize import linprog

from migralink.disclosure import Hierarchy, TableSpec, flat

Cell = tuple[str, ...]


def chain(h: Hierarchy, code: str) -> list[str]:
    """``code`` and every code above it, up to the total."""
    out = [code]
    while code != h.total:
        code = h.parent[code]
        out.append(code)
    return out


def full_table(spec: TableSpec, finest: Mapping[Cell, int]) -> pl.DataFrame:
    """Every margin of the finest counts, each the sum of the finest cells under it."""
    totals: dict[Cell, int] = {}
    for cell, value in finest.items():
        for combo in itertools.product(*(chain(h, c) for h, c in zip(spec.hierarchies, cell,
                                                                     strict=True))):
            totals[combo] = totals.get(combo, 0) + value
    rows = [(*cell, value) for cell, value in sorted(totals.items())]
    return pl.DataFrame(rows, schema=[*spec.dims, "value"], orient="row")


def relations(spec: TableSpec, cells: set[Cell]) -> Iterator[tuple[Cell, list[Cell]]]:
    """Each (parent, children) relation among ``cells``, along every dimension."""
    for d, h in enumerate(spec.hierarchies):
        children: dict[str, list[str]] = {}
        for code, parent in h.parent.items():
            children.setdefault(parent, []).append(code)
        for cell in cells:
            kids = children.get(cell[d])
            if kids:
                members = [(*cell[:d], k, *cell[d + 1:]) for k in kids]
                yield cell, [m for m in members if m in cells]


def leaves(h: Hierarchy) -> list[str]:
    """The finest codes of a hierarchy."""
    return sorted(h.leaves)


@st.composite
def hierarchical_tables(draw: st.DrawFn, max_dims: int = 3) -> tuple[TableSpec, pl.DataFrame]:
    """A 2–3 dimension table whose first dimension has two levels, with every margin."""
    groups = draw(st.integers(1, 3))
    parent: dict[str, str] = {}
    for g in range(groups):
        parent[f"G{g}"] = "T"
        for c in range(draw(st.integers(1, 3))):
            parent[f"G{g}C{c}"] = f"G{g}"
    hierarchies = [Hierarchy("region", "T", parent)]
    for d in range(draw(st.integers(1, max_dims - 1))):
        size = draw(st.integers(2, 3))
        hierarchies.append(flat(f"dim{d}", [f"d{d}v{i}" for i in range(size)]))
    spec = TableSpec(tuple(hierarchies))
    # Many small counts (the sensitive ones), some zeros, some large.
    count = st.one_of(st.integers(0, 4), st.integers(1, 12), st.integers(10, 80))
    finest = {cell: draw(count) for cell in itertools.product(*map(leaves, hierarchies))}
    return spec, full_table(spec, finest)


def by_cell(frame: pl.DataFrame, spec: TableSpec, column: str) -> dict[Cell, object]:
    """``column`` of each cell of a frame."""
    dims = list(spec.dims)
    return {tuple(row[:-1]): row[-1] for row in frame.select(*dims, column).iter_rows()}


def exact_interval(a: Any, b: Any, bounds: list[tuple[float, float | None]], j: int
                   ) -> tuple[float, float]:
    """The least and greatest value of variable ``j`` over ``a x = b`` within ``bounds``
    (HiGHS through SciPy; ``inf`` where it is unbounded above)."""
    ends = []
    for sense in (1.0, -1.0):
        objective = np.zeros(len(bounds))
        objective[j] = sense
        result = linprog(objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        assert result.status in (0, 3), result.message
        ends.append(np.inf if result.status == 3 else sense * result.fun)
    return ends[0], ends[1]

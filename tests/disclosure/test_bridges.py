"""Which edges lie on a cycle: the depth-first search of ``cycles._not_bridges`` against
the definition (an edge lies on a cycle when its ends stay connected without it), on
graphs of many parts, as the graphs of a large table's cycle search are."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from migralink.disclosure.cycles import _not_bridges


def _on_a_cycle(r: np.ndarray, c: np.ndarray, size: int) -> np.ndarray:
    """The definition, one edge at a time."""
    out = np.zeros(len(r), np.bool_)
    for e in range(len(r)):
        keep = np.arange(len(r)) != e
        graph = csr_matrix((np.ones(int(keep.sum())), (r[keep], c[keep])), shape=(size, size))
        labels = connected_components(graph, directed=False)[1]
        out[e] = labels[r[e]] == labels[c[e]]
    return out


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(0, 3), st.data())
def test_edges_on_cycles_are_those_whose_ends_stay_connected(rows: int, cols: int, spare: int,
                                                             data: st.DataObject) -> None:
    cells = data.draw(st.sets(st.integers(0, rows * cols - 1), min_size=1))
    pairs = np.array(sorted(cells))
    r, c = pairs // cols, pairs % cols + rows  # a bipartite graph: rows, then columns
    size = rows + cols + spare  # some nodes without an edge
    np.testing.assert_array_equal(_not_bridges(r, c, size), _on_a_cycle(r, c, size))


def test_many_parts_are_searched_in_one_pass() -> None:
    # 20,000 parts: squares (every edge on a cycle) and paths (none)
    parts = 20_000
    base = 4 * np.arange(parts)
    square = np.arange(parts) % 2 == 0
    r = np.concatenate([base, base, base + 1, base + 1])
    c = np.concatenate([base + 2, base + 3, base + 2, np.where(square, base + 3, base + 2)])
    keep = np.ones(len(r), np.bool_)
    keep[3 * parts:] = square  # the paths lose their fourth edge
    r, c = r[keep], c[keep]
    got = _not_bridges(r, c, 4 * parts)
    part = np.concatenate([np.arange(parts)] * 4)[keep]
    assert got.sum() == 4 * square.sum()
    np.testing.assert_array_equal(got, square[part])

"""Perturbed releases: controlled rounding and differentially private counts.

Both work on the finest cells only and then rebuild every margin by adding the perturbed
finest cells (:func:`migralink.disclosure.cube.rollup`), so that every published total
equals the sum of its published parts.

**Rounding** is deterministic rounding with carry: the finest cells are taken in key
order (the first dimension varies slowest), their running total is rounded to the
nearest multiple of the base, and each cell gets the difference of two rounded running
totals. Every cell ends up at the multiple of the base just below or just above its
count (a multiple stays as it is, a zero stays zero), and any run of consecutive cells —
in particular every margin over the last dimension — is within one base of its true
sum. No random generator is needed, so the same table always rounds the same way.

**Differential privacy** adds discrete Laplace (two-sided geometric) noise of scale
``1 / epsilon`` to every cell of the full grid of finest cells (the cross product of the
hierarchies' leaves, empty combinations included: leaving them out would reveal which
combinations occur). Adding or removing one person changes one finest cell by one, so
the L1 sensitivity of the vector of finest cells is 1, and OpenDP's accountant gives the
epsilon spent (``measurement.map(1)``). Making cells non-negative without biasing the
margins (:func:`nonnegative`) and adding up margins are post-processing and cost no
budget.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from migralink.disclosure.cube import Cube, IntArray, rollup
from migralink.disclosure.spec import Hierarchy
from migralink.errors import DisclosureError

__all__ = ["DpRelease", "dp_release", "finest_grid", "nonnegative", "round_cube"]

#: The OpenDP mechanism used for counts.
MECHANISM = "discrete Laplace (OpenDP make_laplace on integer counts)"
SEEDED = "discrete Laplace (seeded NumPy draw: for tests, not for release)"
_MAX_GRID = 50_000_000  # finest cells beyond which the full DP grid does not fit in memory


@dataclass(frozen=True)
class DpRelease:
    """A DP release: the noisy cube and what it cost.

    Attributes:
        cube: every margin of the noisy finest grid.
        epsilon: the privacy budget spent, as OpenDP's accountant computes it.
        scale: the scale of the discrete Laplace noise.
        mechanism: which sampler drew the noise.
    """

    cube: Cube
    epsilon: float
    scale: float
    mechanism: str


def round_cube(cube: Cube, base: int) -> Cube:
    """The cube with its finest cells rounded with carry and its margins rebuilt."""
    rows = np.flatnonzero(cube.finest)
    rows = rows[np.argsort(cube.keys[rows], kind="stable")]
    running = np.cumsum(cube.values[rows])
    # Nearest multiple of the base, halves up: (s + b/2) // b * b in integers.
    rounded = (running + base // 2) // base * base
    cells = np.diff(rounded, prepend=0)
    rebuilt = rollup(cube.spec, cube.codes[rows], cells.astype(np.int64))
    return _align(cube, rebuilt)


def _align(cube: Cube, rebuilt: Cube) -> Cube:
    """Values of ``rebuilt`` on the rows of ``cube`` (a row without parts is zero)."""
    return Cube(cube.spec, cube.codes, rebuilt.values_at(cube.keys))


def finest_grid(cube: Cube) -> tuple[IntArray, IntArray]:
    """Codes of every combination of leaves, and the cube's count for each (0 if none)."""
    leaves = [
        [i for i, c in enumerate(h.codes) if c in h.leaves] for h in cube.spec.hierarchies
    ]
    size = int(np.prod([len(x) for x in leaves], dtype=np.float64))
    if size > _MAX_GRID:
        raise DisclosureError(
            title=f"a DP release needs noise on {size:,} finest cells",
            hint="protect a coarser table (fewer codes or dimensions)",
        )
    grid = np.array(list(itertools.product(*leaves)), dtype=np.int64).reshape(size, -1)
    return grid, cube.values_at(grid @ cube.strides)


def dp_release(cube: Cube, epsilon: float, seed: int | None) -> DpRelease:
    """Noisy counts on the full finest grid, clamped at 0, margins rebuilt by addition."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    scale = 1.0 / epsilon
    space = dp.vector_domain(dp.atom_domain(T="i64")), dp.l1_distance(T="i64")
    measurement = dp.m.make_laplace(*space, scale=scale)
    # One person moves one finest cell by one: the L1 distance of neighbours is 1.
    spent = float(measurement.map(1))  # type: ignore[no-untyped-call]
    grid, counts = finest_grid(cube)
    if seed is None:
        noisy = np.asarray(measurement(counts.tolist()), dtype=np.int64)
        mechanism = MECHANISM
    else:
        noisy = counts + _discrete_laplace(np.random.default_rng(seed), scale, len(counts))
        mechanism = SEEDED
    return DpRelease(rollup(cube.spec, grid, nonnegative(cube, grid, noisy)), spent, scale,
                     mechanism)


def nonnegative(cube: Cube, grid: IntArray, noisy: IntArray) -> IntArray:
    """Non-negative counts whose group sums equal the noisy sums (post-processing).

    Clamping each cell at zero alone biases every margin upwards (an empty cell's
    ``max(0, noise)`` is positive on average). Instead the finest cells are grouped by
    their ancestor one level below the total in every hierarchy (sido × nationality ×
    sex, say), each group keeps the sum of its *unclamped* noisy cells (an unbiased
    estimate; zero if negative), and the clamped cells are scaled to it, rounded by
    largest remainders. So every margin at or above the groups is unbiased, every cell
    is ≥ 0, zeros stay zero, and margins are rebuilt by addition as before.
    """
    clamped = np.maximum(noisy, 0).astype(np.float64)
    top = []
    for d, h in enumerate(cube.spec.hierarchies):
        index = {c: i for i, c in enumerate(h.codes)}
        first = np.array([index[_below_total(h, c)] for c in h.codes], dtype=np.int64)
        top.append(first[grid[:, d]])
    keys = np.column_stack(top) @ cube.strides if len(top) else np.zeros(len(grid), np.int64)
    _, group = np.unique(keys, return_inverse=True)
    target = np.maximum(np.bincount(group, weights=noisy.astype(np.float64)), 0.0)
    total = np.bincount(group, weights=clamped)
    scale = np.divide(target, total, out=np.zeros_like(target), where=total > 0)
    raw = clamped * scale[group]
    out = np.floor(raw)
    short = np.rint(target - np.bincount(group, weights=out, minlength=len(target)))
    order = np.lexsort((-(raw - out), group))  # by group, largest remainder first
    rank = np.arange(len(order)) - np.searchsorted(group[order], group[order])
    bump = np.zeros(len(out))
    bump[order] = rank < short[group[order]]
    result: IntArray = (out + bump).astype(np.int64)
    return result


def _below_total(h: Hierarchy, code: str) -> str:
    """The ancestor of ``code`` one level below the total (the code itself if it is)."""
    if code == h.total:
        return code
    while h.parent[code] != h.total:
        code = h.parent[code]
    return code


def _discrete_laplace(rng: np.random.Generator, scale: float, n: int) -> IntArray:
    """P(k) ∝ exp(-|k| / scale): the difference of two i.i.d. geometric draws."""
    p = 1.0 - float(np.exp(-1.0 / scale))
    draws: IntArray = (rng.geometric(p, n) - rng.geometric(p, n)).astype(np.int64)
    return draws

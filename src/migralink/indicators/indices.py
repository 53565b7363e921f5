"""The distribution indices, as pure functions of count vectors (numpy).

Segregation (Duncan & Duncan 1955; Massey & Denton 1988), for a group with counts
``x_i`` in sub-units of total population ``t_i`` (``X = Σx_i``, ``T = Σt_i``):

* dissimilarity ``D = ½ Σ |x_i/X − (t_i − x_i)/(T − X)|``: the share of the group that
  would have to move for it to be spread like the rest of the population (0 to 1);
* isolation ``xPx = Σ (x_i/X)(x_i/t_i)``: the group's share of the sub-unit where the
  average member of the group lives;
* exposure (interaction) ``xPy = Σ (x_i/X)((t_i − x_i)/t_i)``: the share of the rest of
  the population there; ``xPx + xPy = 1``.

Diversity of a distribution over categories with shares ``p_k``:

* Shannon entropy ``H = −Σ p_k ln p_k``, normalised by ``ln K`` (``K`` categories with a
  count above zero; 0 when there is only one);
* Simpson (Gini-Simpson) ``1 − Σ p_k²``: the chance that two persons drawn at random
  differ in category;
* top-k share: the share of the ``k`` largest categories.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from migralink.errors import QueryError

__all__ = ["dissimilarity", "exposure", "isolation", "shannon", "simpson", "top_share"]

Counts = Sequence[float] | npt.NDArray[np.float64]


def _group_and_total(x: Counts, t: Counts) -> tuple[npt.NDArray[np.float64], ...]:
    xs, ts = np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64)
    if xs.shape != ts.shape or xs.size < 2:
        raise QueryError(
            title="segregation needs the group and the population of two or more sub-units",
            hint="give one group count and one total per sub-unit",
        )
    if (ts <= 0).any() or (xs < 0).any() or (xs > ts).any():
        raise QueryError(
            title="a sub-unit has no population, a negative count, or more of the group "
            "than people",
            hint="leave out sub-units without population; the group must be part of it",
        )
    if xs.sum() <= 0 or xs.sum() >= ts.sum():
        raise QueryError(
            title="the group is absent, or is the whole population",
            hint="segregation compares a group with the rest of the population",
        )
    return xs, ts


def dissimilarity(x: Counts, t: Counts) -> float:
    """Index of dissimilarity of the group ``x`` from the rest of ``t``."""
    xs, ts = _group_and_total(x, t)
    rest = ts - xs
    return float(0.5 * np.abs(xs / xs.sum() - rest / rest.sum()).sum())


def isolation(x: Counts, t: Counts) -> float:
    """Isolation index xPx of the group ``x`` in populations ``t``."""
    xs, ts = _group_and_total(x, t)
    return float(np.sum((xs / xs.sum()) * (xs / ts)))


def exposure(x: Counts, t: Counts) -> float:
    """Exposure (interaction) index xPy of the group ``x`` to the rest of ``t``."""
    xs, ts = _group_and_total(x, t)
    return float(np.sum((xs / xs.sum()) * ((ts - xs) / ts)))


def _shares(counts: Counts) -> npt.NDArray[np.float64]:
    values = np.asarray(counts, dtype=np.float64)
    if (values < 0).any() or values.sum() <= 0:
        raise QueryError(
            title="diversity needs counts that are not negative and not all zero",
            hint="check the categories read",
        )
    values = values[values > 0]
    shares: npt.NDArray[np.float64] = values / values.sum()
    return shares


def shannon(counts: Counts, *, normalised: bool = True) -> float:
    """Shannon entropy of the categories (natural log), by default divided by ln K."""
    p = _shares(counts)
    entropy = float(-(p * np.log(p)).sum())
    if not normalised:
        return entropy
    return 0.0 if p.size < 2 else entropy / float(np.log(p.size))


def simpson(counts: Counts) -> float:
    """Gini-Simpson diversity: 1 − Σ p²."""
    p = _shares(counts)
    return float(1.0 - (p * p).sum())


def top_share(counts: Counts, k: int = 3) -> float:
    """Share (0-1) of the ``k`` largest categories."""
    p = _shares(counts)
    return float(np.sort(p)[::-1][:k].sum())

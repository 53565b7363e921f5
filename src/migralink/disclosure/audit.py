"""The attacker's intervals of a published table, for checking a release.

:func:`audit` rebuilds what anyone can derive from a protected table — the published
cells and the fact that the table adds up along every dimension — and solves, for every
suppressed cell, the smallest and largest value it can take (HiGHS). The original table
is only used to say how wide each interval must be. The attacker knows what
:mod:`migralink.disclosure.knowledge` lists: a suppressed count is ≥ 1, a primary one
≤ T − 1, a secondary one ≥ T.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from migralink.disclosure.cube import encode
from migralink.disclosure.knowledge import cell_bounds
from migralink.disclosure.lp import TOLERANCE, intervals
from migralink.disclosure.protect import CONF_FREE, CONF_PRIMARY, ProtectedTable, requirement
from migralink.disclosure.spec import TableSpec
from migralink.errors import DisclosureError

__all__ = ["audit"]


def audit(protected: ProtectedTable, original: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """For every suppressed cell, the interval ``[lo, hi]`` an attacker derives.

    Args:
        protected: the released table (its policy gives the protection levels).
        original: the table before protection (dimension columns and ``value``).
        spec: the table's dimensions and hierarchies.

    Returns:
        One row per suppressed cell: the dimension columns, ``value`` (its true count, 0
        for a cell the original lacks), ``conf_status``, ``lo``, ``hi`` (``inf`` when
        unbounded), ``width``, ``required`` (the width the policy asks for) and ``ok``.

    Raises:
        DisclosureError: the published cells contradict the relations, or a margin is
            missing.
    """
    frame = protected.frame
    hidden = frame.get_column("conf_status") != CONF_FREE
    cube = encode(frame.with_columns(pl.col("value").fill_null(0)), spec)
    dims = list(spec.dims)
    if original.select(dims).is_duplicated().any():
        raise DisclosureError(title="the original table has the same cell more than once",
                              hint="give the table as it was protected")
    truth = (
        frame.select(dims)
        .join(original.select(*dims, pl.col("value").alias("_true")), on=dims, how="left")
        .get_column("_true").fill_null(0).cast(pl.Float64).to_numpy()
    )
    pattern = hidden.to_numpy()
    primary = (frame.get_column("conf_status") == CONF_PRIMARY).to_numpy()
    policy = protected.policy
    need = requirement(primary, truth.astype(np.int64), policy,
                       dp=policy.dp_epsilon is not None)
    # what anyone knows: published values, and the bounds each status and row implies
    known = cell_bounds(policy, primary, pattern, cube.values)
    found = intervals(cube, pattern, cube.values, limits=known)
    required = need(found.rows)
    width = found.hi - found.lo
    cells = frame.select(*dims, "conf_status").with_row_index("_row").filter(
        pl.col("_row").is_in(found.rows.tolist())
    ).drop("_row")
    return cells.with_columns(
        pl.Series("value", truth[found.rows].astype(np.int64), dtype=pl.Int64),
        pl.Series("lo", found.lo, dtype=pl.Float64),
        pl.Series("hi", found.hi, dtype=pl.Float64),
        pl.Series("width", width, dtype=pl.Float64),
        pl.Series("required", required, dtype=pl.Float64),
        pl.Series("ok", width >= required - TOLERANCE, dtype=pl.Boolean),
    ).select(*dims, "value", "conf_status", "lo", "hi", "width", "required", "ok")

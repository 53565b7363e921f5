"""Protecting one table jointly with the tables already released from its register.

Tables computed from one register share cells: the region totals of a region × sex and
a region × age table are the same numbers, and a cell of version 2 of a corrected
register is nearly the cell of version 1. An attacker combines them. So a new table is
protected with every cell already released from its register as fixed knowledge: a
shared cell keeps the status it was released with (published cells stay published and
anchor the new table's relations; suppressed ones stay suppressed with their bounds),
and complements are only added among the new table's own cells. A cell suppressed in an
earlier version of the same table is suppressed again (differencing two versions then
shows only what both publish). A table that cannot be protected so is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from migralink.disclosure.knowledge import knowledge_bounds
from migralink.disclosure.policy import DisclosurePolicy
from migralink.disclosure.protect import protect_with
from migralink.disclosure.report import DisclosureReport
from migralink.disclosure.spec import TableSpec

__all__ = ["Frozen", "protect_linked"]


@dataclass(frozen=True)
class Frozen:
    """A release already recorded: its cells with ``conf_status``, ``value``, ``lo``, ``hi``.

    Attributes:
        cells: the released cells (dimension columns of its own table).
        dataset: the dataset it belongs to.
    """

    cells: pl.DataFrame
    dataset: str


def protect_linked(
    table: pl.DataFrame, spec: TableSpec, policy: DisclosurePolicy,
    frozen: list[Frozen], carried: list[Frozen],
) -> tuple[pl.DataFrame, DisclosureReport, list[pl.Expr]]:
    """Protect ``table`` given the releases of its register.

    Args:
        table: the new table (dimension columns, ``value``, ``status``).
        spec: its hierarchies.
        policy: the register's policy.
        frozen: releases already recorded from the same register.
        carried: releases of earlier versions of the same table.

    Returns:
        The protected cells, the report, and the ``lo``/``hi`` columns of what anyone
        knows of each cell.

    Raises:
        DisclosureError: no pattern of the new cells protects every suppressed cell.
    """
    dp = policy.dp_epsilon is not None
    applied = replace(policy, threshold=1) if dp else policy  # DP: the noise protects
    links = _links(spec, frozen, carried)
    empty = pl.DataFrame(schema={**{d: pl.String for d in spec.dims}, "value": pl.Int64,
                                 "conf_status": pl.String, "lo": pl.Float64, "hi": pl.Float64})
    # always linked (with nothing, for the first): a release never leaves a cell narrow
    protected = protect_with(table, spec, applied, linked=links or (empty, empty))
    return protected.frame, protected.report, knowledge_bounds(policy)


def _links(spec: TableSpec, frozen: list[Frozen], carried: list[Frozen]
           ) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """Known cells of other releases, as (cells keyed over ``spec``'s dims, carried)."""
    if not frozen and not carried:
        return None
    dims = spec.dims

    def keyed(items: list[Frozen]) -> pl.DataFrame:
        parts = []
        for item in items:
            cells = item.cells
            present = [d for d in dims if d in cells.columns]
            others = [c for c in cells.columns
                      if c not in (*dims, "value", "obs_status", "conf_status", "lo", "hi")]
            if others:  # a cell of another table with a dimension this one lacks
                cells = cells.filter(pl.all_horizontal(
                    *(pl.col(c).is_in(["_T", "00"]) for c in others)))
            cells = cells.with_columns(
                *(pl.lit("_T").alias(d) for d in dims if d not in present))
            parts.append(cells.select(*dims, "value", "conf_status", "lo", "hi"))
        if not parts:
            return pl.DataFrame(schema={**{d: pl.String for d in dims}, "value": pl.Int64,
                                        "conf_status": pl.String, "lo": pl.Float64,
                                        "hi": pl.Float64})
        return pl.concat(parts, how="vertical_relaxed").unique(subset=list(dims), keep="first")

    return keyed(frozen), keyed(carried)

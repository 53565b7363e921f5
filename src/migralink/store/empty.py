"""Why a query's answer is empty, said so that the user can ask what the data hold.

The data may hold the region in other periods, only at a finer level than ``--level``
asks, or only broken down by a dimension whose total the table does not print (an
indicator given per group has no row for all groups): each gets its own hint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from migralink.codes.hierarchy import descendants
from migralink.codes.lookup import region_name
from migralink.errors import MigralinkError, QueryError
from migralink.store.catalogue_read import VersionRef
from migralink.store.gateway import Gateway
from migralink.store.levels import LEVELS, user_level
from migralink.store.query_sql import periods_of_regions_sql

if TYPE_CHECKING:
    from migralink.store.query import QueryResult, QuerySpec

__all__ = ["nothing_matched"]


def nothing_matched(gw: Gateway, ref: VersionRef, spec: QuerySpec, regions: list[str | None],
                    rerun: Callable[[Gateway, QuerySpec], QueryResult]) -> QueryError:
    """The error for an empty answer: what was asked, what the data hold, what to ask."""
    codes = [r for r in regions if r]
    held = ref.periods
    hint = f"the dataset holds periods {held[0]}…{held[-1]}" if held else "no periods"
    if codes:
        members = sorted({*codes, *(m for c in codes for m in descendants(c))})
        found = [r[0] for r in gw.rows(periods_of_regions_sql(ref.table_name), [members])]
        hint += (f"; {', '.join(codes)} ({region_name(codes[0])}) is in periods "
                 f"{', '.join(found)}" if found else
                 f"; {region_name(codes[0])} ({', '.join(codes)}) is not in it at all")
        own = user_level(codes[0])
        if spec.level and own in LEVELS and LEVELS.index(own) > LEVELS.index(spec.level):
            hint += (f"; {region_name(codes[0])} is a {own}, below --level {spec.level}: "
                     f"ask --level {own} or leave --level out")
    hint += _broken_down(gw, spec, ref, rerun)
    asked = ", ".join(f"{k}={v}" for k, v in (
        ("period", ",".join(spec.periods)), ("region", spec.region),
        ("filter", ",".join(f"{d}={c}" for d, c in spec.filters))) if v)
    return QueryError(
        title=f"nothing in {ref.dataset_id!r} v{ref.version} matches {asked or 'the query'}",
        hint=hint,
    )


def _broken_down(gw: Gateway, spec: QuerySpec, ref: VersionRef,
                 rerun: Callable[[Gateway, QuerySpec], QueryResult]) -> str:
    """``; it holds them only by D: add --by D`` where asking by the dimensions whose
    printed total was read (not asked for, or filtered to that total) finds rows: the
    table does not print their total, and it is not re-added here."""
    totals = {d for d, total in ref.totals.items() if (d, total) in spec.filters}
    dims = [d for d in ref.totals if d in totals or
            (d not in spec.by and d not in {f for f, _ in spec.filters})]
    if not dims:
        return ""
    wider = replace(spec, by=(*spec.by, *dims),
                    filters=tuple(f for f in spec.filters if f[0] not in totals))
    try:
        found = rerun(gw, wider)
    except MigralinkError:
        return ""
    if not found.frame.height:
        return ""
    keys = ",".join(dims)
    return (f"; it holds them only by {keys}, whose total it does not print: add --by "
            f"{keys} (by={keys} in the API)")

"""Units a figure cannot be redrawn into on another year's boundaries, said so.

Read on the boundaries of 2024, 대구 (27) of 2019 is 대구 plus 군위, which 경북 (47) then
held. A count is rebuilt from finer rows where the data have them; a rate, a share or a
table without those rows cannot be, and the unit drops out of the answer. It must not
drop out silently: a ``--by region`` answer notes which units are missing and why, and
an answer about one of them alone is an error that says to ask on its own boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from migralink.codes.lookup import region_name
from migralink.errors import QueryError

__all__ = ["inexact_units", "redraw_error", "redraw_note"]


def inexact_units(remap: pl.DataFrame, years: Iterable[int] | None) -> set[str]:
    """Units (on the target boundaries) that gained or lost ground since ``years``."""
    inexact = remap.with_columns(pl.col("exact").all().over(["from_year", "to_code"]))
    inexact = inexact.filter(~pl.col("exact"))
    if years is not None:
        inexact = inexact.filter(pl.col("from_year").is_in(list(years)))
    return set(inexact["to_code"].to_list())


def _named(codes: Iterable[str]) -> str:
    return ", ".join(f"{c} ({region_name(c)})" for c in sorted(codes))


def redraw_note(missing: set[str], boundaries: int) -> str:
    """The note of a ``--by region`` answer that lacks ``missing``."""
    return (f"left out on the boundaries of {boundaries}: {_named(missing)}, whose ground "
            "changed in between, and whose figure cannot be rebuilt from finer rows here "
            "(a rate, or a table without them); ask without --boundaries for their own "
            "figures")


def redraw_error(asked: set[str], boundaries: int) -> QueryError:
    """The error for an answer about units that cannot be redrawn."""
    return QueryError(
        title=f"{_named(asked)} cannot be read on the boundaries of {boundaries}: its ground "
        "changed in between, and its figure cannot be rebuilt from finer rows here",
        hint="ask without --boundaries for its figure on its own boundaries, or ask a "
        "count that the data hold for the finer units",
    )

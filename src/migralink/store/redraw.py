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

__all__ = ["exact_targets", "inexact_units", "redraw_error", "redraw_note",
           "with_anachronisms"]


def with_anachronisms(remap: pl.DataFrame) -> pl.DataFrame:
    """The remap, also for codes used in years they did not exist, as of the nearest year
    they did.

    A file may code every year with one later year's codes (the reshaped MOIS sigungu
    file of 2015-2019 uses 2021's: 미추홀구 28177 for the 남구 28170 of 2015-2017). Joined
    on the period's year, such a row found no mapping and kept its code: on 2013's
    boundaries 2016 answered 28177, a unit that did not exist, and 28170 had no figure.
    """
    spans = remap.group_by("from_code").agg(pl.col("from_year").min().alias("first"),
                                            pl.col("from_year").max().alias("last"))
    years = pl.DataFrame({"year": list(range(int(remap["from_year"].min()),  # type: ignore[arg-type]
                                             int(remap["from_year"].max()) + 1))},  # type: ignore[arg-type]
                         schema={"year": remap.schema["from_year"]})
    missing = spans.join(years, how="cross").filter(
        (pl.col("year") < pl.col("first")) | (pl.col("year") > pl.col("last")))
    missing = missing.with_columns(
        pl.when(pl.col("year") < pl.col("first")).then(pl.col("first"))
        .otherwise(pl.col("last")).alias("nearest"))
    copies = missing.select("from_code", "year", "nearest").join(
        remap, left_on=["from_code", "nearest"], right_on=["from_code", "from_year"])
    copies = copies.drop("nearest").rename({"year": "from_year"}).select(remap.columns)
    return pl.concat([remap.with_columns(pl.lit(False).alias("anachronism")),
                      copies.with_columns(pl.lit(True).alias("anachronism"))])


def exact_targets(remap: pl.DataFrame) -> pl.Expr:
    """``exact`` for the whole of a target unit: a unit that receives an inexact share
    (대구 gaining 군위 in 2023) is itself inexact. Only real units of a year count: a
    copy for a code that did not exist then (:func:`with_anachronisms`) must not make
    the units of that year inexact (부천's districts of 2016, copied into 2019)."""
    real = pl.col("exact") | pl.col("anachronism")
    return (pl.when(pl.col("anachronism")).then(pl.col("exact"))
            .otherwise(real.all().over(["from_year", "to_code"])).alias("exact"))


def inexact_units(remap: pl.DataFrame, years: Iterable[int] | None) -> set[str]:
    """Units (on the target boundaries) that gained or lost ground since ``years``."""
    inexact = remap.with_columns(exact_targets(remap))
    # a copy for a code a year did not have counts only where data use it: not known here
    inexact = inexact.filter(~pl.col("exact") & ~pl.col("anachronism"))
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

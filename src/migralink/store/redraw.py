"""Reading a table on another year's boundaries, and the units it cannot redraw.

Read on the boundaries of 2024, 대구 (27) of 2019 is 대구 plus 군위, which 경북 (47) then
held. A count is rebuilt from finer rows where the data have them; a rate, a share or a
table without those rows cannot be, and the unit drops out of the answer. It must not
drop out silently: a ``--by region`` answer notes which units are missing and why, and
an answer about one of them alone is an error that says to ask on its own boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import polars as pl

from migralink.codes.hierarchy import ancestor_table, descendants
from migralink.codes.lookup import region_name
from migralink.errors import QueryError
from migralink.store.catalogue_read import VersionRef
from migralink.store.gateway import Gateway
from migralink.store.levels import user_level
from migralink.store.weights import apply_population_weights, population_by_region

__all__ = ["left_out", "register_remap", "remap_by_year"]


def _with_anachronisms(remap: pl.DataFrame) -> pl.DataFrame:
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


def _exact_targets(remap: pl.DataFrame) -> pl.Expr:
    """``exact`` for the whole of a target unit: a unit that receives an inexact share
    (대구 gaining 군위 in 2023) is itself inexact. Only real units of a year count: a
    copy for a code that did not exist then (:func:`_with_anachronisms`) must not make
    the units of that year inexact (부천's districts of 2016, copied into 2019)."""
    real = pl.col("exact") | pl.col("anachronism")
    return (pl.when(pl.col("anachronism")).then(pl.col("exact"))
            .otherwise(real.all().over(["from_year", "to_code"])).alias("exact"))


def _inexact_units(remap: pl.DataFrame, years: Iterable[int] | None) -> set[str]:
    """Units (on the target boundaries) that gained or lost ground since ``years``."""
    inexact = remap.with_columns(_exact_targets(remap))
    # a copy for a code a year did not have counts only where data use it: not known here
    inexact = inexact.filter(~pl.col("exact") & ~pl.col("anachronism"))
    if years is not None:
        inexact = inexact.filter(pl.col("from_year").is_in(list(years)))
    return set(inexact["to_code"].to_list())


def _named(codes: Iterable[str]) -> str:
    return ", ".join(f"{c} ({region_name(c)})" for c in sorted(codes))


def _redraw_note(missing: set[str], boundaries: int) -> str:
    """The note of a ``--by region`` answer that lacks ``missing``."""
    return (f"left out on the boundaries of {boundaries}: {_named(missing)}, whose ground "
            "changed in between, and whose figure cannot be rebuilt from finer rows here "
            "(a rate, or a table without them); ask without --boundaries for their own "
            "figures")


def _redraw_error(asked: set[str], boundaries: int) -> QueryError:
    """The error for an answer about units that cannot be redrawn."""
    return QueryError(
        title=f"{_named(asked)} cannot be read on the boundaries of {boundaries}: its ground "
        "changed in between, and its figure cannot be rebuilt from finer rows here",
        hint="ask without --boundaries for its figure on its own boundaries, or ask a "
        "count that the data hold for the finer units",
    )


def register_remap(gw: Gateway, year: int, ref: VersionRef) -> tuple[str, str]:
    """Register the remap and ancestor tables for reading on ``year``'s boundaries."""
    if ref.region_system != "mois":
        raise QueryError(
            title="--boundaries applies to Korean regions only",
            hint=f"dataset {ref.dataset_id!r} is not coded by MOIS regions",
        )
    from migralink.codes.boundaries import HISTORY_END, HISTORY_START

    first, last = HISTORY_START.year, HISTORY_END.year
    if not first <= year <= last:
        raise QueryError(
            title=f"no boundaries for {year}",
            hint=f"the code history shipped with migralink covers {first} to {last}",
        )
    remap = apply_population_weights(remap_by_year(year), population_by_region(gw))
    # a unit that receives an inexact share (대구 gaining 군위 in 2023) is itself inexact:
    # its own figure lacks the part, so finer rows must rebuild it where they can
    remap = remap.with_columns(_exact_targets(remap))
    gw.register("ml_remap", remap.select("from_year", "from_code", "to_code", "weight", "exact"))
    gw.register("ml_ancestors", ancestor_table())
    return "ml_remap", "ml_ancestors"


@lru_cache(maxsize=8)
def remap_by_year(year: int) -> pl.DataFrame:
    """The remap onto ``year``'s boundaries for every data year, anachronisms included."""
    from migralink.codes.boundaries import remap_table_by_year

    return _with_anachronisms(remap_table_by_year(year))


def left_out(boundaries: int | None, periods: tuple[str, ...], regions: list[str | None],
             by: tuple[str, ...], frame: pl.DataFrame, notes: list[str]) -> None:
    """Say which units of an answer could not be redrawn onto ``boundaries`` (None: the
    answer is on its own boundaries): a note for a ``--by region`` answer, an error for
    a question about them alone."""
    if boundaries is None:
        return
    years = {int(p[:4]) for p in periods} if periods else None
    inexact = _inexact_units(remap_by_year(boundaries), years)
    got = set(frame["region"].to_list()) if "region" in frame.columns else set()
    asked = {r for r in regions if r}
    if asked and asked <= inexact and frame.is_empty():
        raise _redraw_error(asked, boundaries)
    if "region" in by:
        levels = {user_level(r) for r in got}
        missing = {c for c in inexact - got
                   if (not asked or any(c in descendants(a) or c == a for a in asked))
                   and (not levels or user_level(c) in levels)}
        if missing:
            notes.append(_redraw_note(missing, boundaries))

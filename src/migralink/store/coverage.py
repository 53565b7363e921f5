"""Whether a table's regions add up to the nation, before a query labels their sum so.

A query with no region and not ``by`` region answers the national total: the sum of the
table's top rows, labelled ``"00"``. That is only true where the table covers the whole
country. A table of Seoul's districts, of one province's towns or of the world's
countries (UN DESA, M49 codes) adds up to something else, and must not be published as
Korea's figure; the query is refused with the way to ask for what the table holds.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import polars as pl

from migralink.codes.hierarchy import NATIONAL
from migralink.codes.lookup import region_name
from migralink.codes.periods import reference_day
from migralink.errors import QueryError
from migralink.store.catalogue_read import VersionRef
from migralink.store.gateway import Gateway
from migralink.store.query_sql import coverage_sql

__all__ = ["check_national_sum"]


def check_national_sum(gw: Gateway, ref: VersionRef, periods: tuple[str, ...]) -> None:
    """Refuse a national sum of ``ref`` where its regions do not cover the country.

    Raises:
        QueryError: regions of another system than the national one (``mois``), or a
            period whose top rows lie in fewer provinces (sido) than the country had.
    """
    if ref.region_system != "mois":
        raise QueryError(
            title=f"{ref.dataset_id!r} has {ref.region_system} region codes, not parts of "
            "Korea: their sum is not a national figure",
            hint="ask for one of its regions (--region CODE, region=CODE in the API) or "
            "keep them apart (--by region)",
        )
    sql, params = coverage_sql(ref.table_name, periods)
    provinces: dict[str, set[str]] = {}
    for period, sido in gw.rows(sql, params):
        provinces.setdefault(period, set()).add(sido)
    for period, found in sorted(provinces.items()):
        if NATIONAL in found:  # the table prints the nation's own row
            continue
        held = sorted(found)
        if len(held) >= len(_sidos_on(reference_day(period, ref.period_day))):
            continue
        names = ", ".join(f"{region_name(s)} ({s})" for s in held[:4])
        more = f" and {len(held) - 4} more" if len(held) > 4 else ""
        first = held[0] if held else "11"
        raise QueryError(
            title=f"{ref.dataset_id!r} covers only {names or 'no province'}{more} in "
            f"{period}, not the whole country: the sum of its regions is not a national "
            "figure",
            hint=f"ask for a region it covers (--region {first}, region={first} in the "
            "API) or keep its regions apart (--by region)",
        )


@lru_cache(maxsize=256)
def _sidos_on(day: date) -> frozenset[str]:
    """The provinces (sido) that existed on ``day``."""
    from migralink.codes.regions import region_table

    table = region_table().filter(pl.col("level") == "sido")
    valid = table.filter((pl.col("valid_from") <= day)
                         & (pl.col("valid_to").is_null() | (pl.col("valid_to") > day)))
    return frozenset(valid["code"].to_list())

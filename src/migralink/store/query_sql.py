"""Pure SQL builder for cube queries (see :func:`build_query`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migralink.store.sql import quote_ident

__all__ = [
    "QueryPlan",
    "build_query",
    "coverage_sql",
    "distinct_regions_sql",
    "periods_of_regions_sql",
]

# Status of a sum: missing only if every part is missing; otherwise the weakest quality
# of its parts (estimated before provisional before normal), as SDMX users expect.
_STATUS_SUM = (
    "CASE WHEN bool_and(status = 'M') THEN 'M' WHEN bool_or(status = 'C') THEN 'C' "
    "WHEN bool_or(status = 'E') THEN 'E' WHEN bool_or(status = 'P') THEN 'P' ELSE 'A' END"
)


@dataclass(frozen=True)
class QueryPlan:
    """The resolved parts of a query, ready to become SQL."""

    table: str
    dimensions: tuple[str, ...]
    periods: tuple[str, ...] = ()
    region: str | None = None
    region_members: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    totals: tuple[tuple[str, str], ...] = ()
    by: tuple[str, ...] = ()
    remap_table: str | None = None
    ancestors_table: str | None = None
    totals_stored: bool = False
    level_table: str | None = None
    level_ancestors: str | None = None
    measure: str = "value"


def build_query(plan: QueryPlan) -> tuple[str, list[Any]]:
    """SQL and parameters for a plan.

    Period is always kept. The region is kept when asked ``by`` it; a region filter
    returns that unit, or, where the table only has its sub-units (``region_members``),
    their sum; without either, the sum over the ``top`` rows is the national total, so
    that a city and its districts are never counted twice. Other dimensions are summed
    over unless they are in ``by`` or filtered; where the table printed a total for a
    dimension (``totals``), that total is read instead. A dataset that stores every
    margin (``totals_stored``) answers ``by`` a dimension without its total row, and
    ``by`` region without the national row ``"00"``.
    """
    params: list[Any] = []
    dims = "".join(f", {quote_ident(d)}" for d in plan.dimensions)
    if plan.remap_table and plan.ancestors_table:
        source = remapped_source(plan)
    else:
        source = (f"SELECT period, region{dims}, {quote_ident(plan.measure)} AS value, status, "
                  f"top FROM {quote_ident(plan.table)}")
    where = _period_filter(plan, params)
    if plan.level_table is None:
        if plan.region is not None:
            where.append("(region = ? OR (list_contains(?, region) AND top))")
            params += [plan.region, list(plan.region_members)]
        elif "region" not in plan.by:
            where.append("top")
    where += _code_filters(plan, params)
    filtered = {d for d, _ in plan.filters}
    for dim, total in plan.totals:  # read the published total, do not re-add the parts
        if dim not in plan.by and dim not in filtered:
            where.append(f"{quote_ident(dim)} = ?")
            params.append(total)
    if plan.totals_stored:
        where += _without_margins(plan, params)
    kept = [d for d in plan.dimensions if d in plan.by or d in dict(plan.filters)]
    kept_sql = "".join(f", {quote_ident(d)}" for d in kept)
    if plan.level_table is not None:
        return _by_level(plan, source, where, params, kept)
    if "region" in plan.by:
        region_out = "region"
    elif plan.region is not None:
        region_out = "?::VARCHAR AS region"
        params.insert(0, plan.region)
    else:
        region_out = "'00' AS region"
    group = ["period", *(["region"] if "region" in plan.by else []), *map(quote_ident, kept)]
    sql = (
        f"SELECT period, {region_out}{kept_sql}, sum(value) AS value, {_STATUS_SUM} AS status, "
        f"count(*) AS n_rows FROM ({source}) AS src"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" GROUP BY {', '.join(group)} ORDER BY {', '.join(group)}"
    )
    # the region literal comes first in the SELECT list, before any WHERE parameter
    return sql, params


def _period_filter(plan: QueryPlan, params: list[Any]) -> list[str]:
    """The periods asked (a year also selects its months and quarters)."""
    if not plan.periods:
        return []
    for p in plan.periods:
        params += [p, f"{p}-"]
    return ["(" + " OR ".join("period = ? OR starts_with(period, ?)" for _ in plan.periods)
            + ")"]


def _code_filters(plan: QueryPlan, params: list[Any]) -> list[str]:
    """One condition per filtered dimension, with every code asked of it."""
    grouped: dict[str, list[str]] = {}
    for dim, code in plan.filters:
        grouped.setdefault(dim, []).append(code)
    for codes in grouped.values():
        params.append(codes)
    return [f"list_contains(?, {quote_ident(dim)})" for dim in grouped]


def _by_level(
    plan: QueryPlan, source: str, where: list[str], params: list[Any], kept: list[str]
) -> tuple[str, list[Any]]:
    """Rows by region at one level: each unit's own row, or the finest rows inside it.

    A row counts for its unit when no other row of the same period lies between it and
    the unit (the unit's own row wins over its parts), and when it does not straddle
    several units (a city whose districts are present, at the district level).
    """
    assert plan.level_table
    assert plan.level_ancestors
    units, anc = quote_ident(plan.level_table), quote_ident(plan.level_ancestors)
    if plan.region is not None:
        where.append("(u.unit = ? OR list_contains(?, u.unit))")
        params += [plan.region, list(plan.region_members)]
    kept_sql = "".join(f", {quote_ident(d)}" for d in kept)
    group = ["period", "region", "level", *map(quote_ident, kept)]
    sql = (
        f"WITH lv AS (SELECT src.*, u.unit, u.level FROM ({source}) AS src "
        f"JOIN {units} u ON u.code = src.region"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + "), present AS (SELECT DISTINCT period, region, unit FROM lv) "
        f"SELECT period, unit AS region, level{kept_sql}, sum(value) AS value, "
        f"{_STATUS_SUM} AS status, count(*) AS n_rows FROM lv x "
        f"WHERE NOT EXISTS (SELECT 1 FROM present p JOIN {anc} a ON a.ancestor = p.region "
        "WHERE p.period = x.period AND a.code = x.region AND p.unit = x.unit) "
        f"AND NOT EXISTS (SELECT 1 FROM present p JOIN {anc} a ON a.code = p.region "
        "WHERE p.period = x.period AND a.ancestor = x.region AND p.unit <> x.unit) "
        f"GROUP BY period, unit, level{kept_sql} ORDER BY {', '.join(group)}"
    )
    return sql, params


def _without_margins(plan: QueryPlan, params: list[Any]) -> list[str]:
    """Conditions leaving out the margin rows of the dimensions a query is ``by``."""
    where = ["region <> '00'"] if "region" in plan.by and plan.region is None else []
    for dim, total in plan.totals:
        if dim in plan.by:
            where.append(f"{quote_ident(dim)} <> ?")
            params.append(total)
    return where


def remapped_source(plan: QueryPlan) -> str:
    """Observations read on other boundaries, with ``top`` worked out anew.

    Each row is joined to the remap table on its year and code (``from_year``,
    ``from_code``) and becomes one row per target unit with its share of the value.
    Rows whose mapping is not exact (a unit whose territory changed, such as 대구 and
    경북 across Gunwi's move in 2023) are left out wherever finer units of the same
    period can rebuild them — finer on the target boundaries, or finer in the data (청주시
    split between its old self and 청원군 is read from its districts, not estimated
    twice); then a row is ``top`` when no unit containing it is left,
    so that sums use the finest exact figures. A row whose unit contained it in the data
    and maps, kept, onto the same target already holds it (부천시 and its districts,
    abolished in 2016 under the city's unchanged code): it is left out, not added twice.
    행정동 rows (10-digit codes) are not remapped, so they are left out: kept under their
    old codes they would count again beside the units they moved with.
    """
    assert plan.remap_table
    assert plan.ancestors_table
    remap, anc = quote_ident(plan.remap_table), quote_ident(plan.ancestors_table)
    dims_o = "".join(f", o.{quote_ident(d)}" for d in plan.dimensions)
    dims = "".join(f", {quote_ident(d)}" for d in plan.dimensions)
    return (
        "WITH mapped AS ("
        f"SELECT o.period, o.region AS from_region, coalesce(m.to_code, o.region) AS region"
        f"{dims_o}, "
        f"o.{quote_ident(plan.measure)} * coalesce(m.weight, 1.0) AS value, "
        "CASE WHEN coalesce(m.exact, true) = false AND o.status = 'A' THEN 'E' "
        "ELSE o.status END AS status, coalesce(m.exact, true) AS exact "
        f"FROM {quote_ident(plan.table)} o LEFT JOIN {remap} m "
        "ON m.from_code = o.region AND m.from_year = TRY_CAST(left(o.period, 4) AS INTEGER) "
        "WHERE coalesce(m.weight, 1.0) > 0 AND (m.to_code IS NOT NULL OR (length(o.region) < 10 "
        # an unmapped unit whose parent is in the data is counted by that parent: kept
        # under its old code it showed as a unit of its own (강원 42 as 0 beside 51)
        f"AND NOT EXISTS (SELECT 1 FROM {quote_ident(plan.table)} p JOIN {anc} a "
        "ON a.ancestor = p.region WHERE p.period = o.period AND a.code = o.region)))"
        "), present AS (SELECT DISTINCT period, region FROM mapped), "
        "sources AS (SELECT DISTINCT period, from_region FROM mapped), "
        "rebuilt AS (SELECT * FROM mapped x WHERE exact OR (NOT EXISTS ("
        f"SELECT 1 FROM present p JOIN {anc} a ON a.code = p.region "
        "WHERE p.period = x.period AND a.ancestor = x.region) AND NOT EXISTS ("
        f"SELECT 1 FROM sources s JOIN {anc} a ON a.code = s.from_region "
        "WHERE s.period = x.period AND a.ancestor = x.from_region))), "
        "rebuilt_from AS (SELECT DISTINCT period, from_region, region FROM rebuilt), "
        "kept AS (SELECT * FROM rebuilt x WHERE NOT EXISTS ("
        f"SELECT 1 FROM rebuilt_from y JOIN {anc} a ON a.ancestor = y.from_region "
        "WHERE y.period = x.period AND a.code = x.from_region AND y.region = x.region)), "
        "kept_present AS (SELECT DISTINCT period, region FROM kept) "
        f"SELECT period, region{dims}, value, status, region = '00' OR (NOT EXISTS ("
        f"SELECT 1 FROM kept_present p JOIN {anc} a ON a.ancestor = p.region "
        "WHERE p.period = k.period AND a.code = k.region) AND NOT EXISTS ("
        "SELECT 1 FROM kept_present n WHERE n.period = k.period AND n.region = '00')) "
        "AS top FROM kept k"
    )


def coverage_sql(table: str, periods: tuple[str, ...]) -> tuple[str, list[Any]]:
    """The distinct (period, province) of the table's top rows, for the periods asked
    (every period without any): the province is a MOIS code's first two digits, ``00``
    for the national row (always a top row). A plain DISTINCT: a third of the time of
    an aggregate of lists, on every national query."""
    plan = QueryPlan(table=table, dimensions=(), periods=periods)
    params: list[Any] = []
    where = ["top", *_period_filter(plan, params)]
    return (f"SELECT DISTINCT period, left(region, 2) FROM {quote_ident(table)} "
            f"WHERE {' AND '.join(where)}", params)


def distinct_regions_sql(table: str) -> str:
    """The region codes an observation table holds."""
    return f"SELECT DISTINCT region FROM {quote_ident(table)}"


def periods_of_regions_sql(table: str) -> str:
    """The periods in which any region of the list parameter has a row."""
    return (f"SELECT DISTINCT period FROM {quote_ident(table)} "
            "WHERE list_contains(?, region) ORDER BY 1")

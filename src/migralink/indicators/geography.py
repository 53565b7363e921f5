"""Regional levels of indicator rows: districts, local governments, provinces, the nation.

Tables publish regions at mixed levels: the MOIS foreign-resident table gives a city with
districts only by district (안산시 = 상록구 + 단원구) and has no province or national
rows; the registration tables print the city and its districts, and the provinces.
:func:`expand` puts a series on the levels an indicator asks for:

* ``gu``: the districts of cities, as published;
* ``sigungu``: local governments — as published, else the sum of the city's districts;
* ``sido``: as published, else the sum of its local governments;
* ``country``: as published, else the sum of the provinces.

A sum is made only where the parts present cover the whole unit: the children present
must include every unit that was, on some day of the code history, inside it. A table
that covers one province therefore gets no national figure, and a local government with
a missing district gets none either (never a guessed value).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from migralink.codes.hierarchy import NATIONAL, code_level, structural_parent
from migralink.codes.lookup import region_name

__all__ = [
    "ancestor_at",
    "complete",
    "expand",
    "peer_kind",
    "territory_changed",
    "worst_of",
    "worst_status",
]

_SEVERITY = {"A": 0, "P": 1, "E": 2, "C": 3, "M": 4}
_BY_SEVERITY = {v: k for k, v in _SEVERITY.items()}
#: what each level is summed from
_CHILD = {"sigungu": "gu", "sido": "sigungu", "country": "sido"}
_PEER_SUFFIX = {"시": "city", "군": "county", "구": "district"}
#: the partition of the succession table each level's units belong to
_PARTITION = {"sido": "sido", "sigungu": "sigungu", "gu": "finest"}
#: successions that change a unit's ground (a recode only renames it)
_TERRITORIAL = frozenset({"merge", "split", "create"})


def _severity(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(_SEVERITY, default=0, return_dtype=pl.Int8)


def _from_severity(expr: pl.Expr) -> pl.Expr:
    return expr.replace_strict(_BY_SEVERITY, default="A", return_dtype=pl.Utf8)


def worst_status(col: str = "status") -> pl.Expr:
    """Aggregation: the weakest quality among the parts (C before E before P before A)."""
    return _from_severity(_severity(col).max())


def worst_of(*cols: str) -> pl.Expr:
    """Row-wise: the weakest quality among several status columns."""
    return _from_severity(pl.max_horizontal(*(_severity(c) for c in cols)))


@lru_cache(maxsize=1)
def _child_sets() -> dict[tuple[str, str], tuple[frozenset[str], ...]]:
    """(parent, child level) → the distinct sets of its children on each change day."""
    from migralink.codes.regions import region_table

    table = region_table().filter(pl.col("level").is_in(["sido", "sigungu", "gu"]))
    rows = list(table.select("code", "level", "parent", "valid_from", "valid_to").iter_rows())
    days = sorted({r[3] for r in rows} | {r[4] for r in rows if r[4] is not None})
    found: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
    for day in days:
        members: dict[tuple[str, str], set[str]] = defaultdict(set)
        for code, level, parent, start, end in rows:
            if start <= day and (end is None or day < end):
                members[(parent or NATIONAL, level)].add(code)
        for key, codes in members.items():
            found[key].add(frozenset(codes))
    return {key: tuple(sets) for key, sets in found.items()}


@lru_cache(maxsize=65536)
def complete(parent: str, child_level: str, members: frozenset[str]) -> bool:
    """Whether ``members`` include every child of ``parent`` on some day of the history."""
    return any(s <= members for s in _child_sets().get((parent, child_level), ()))


@lru_cache(maxsize=3)
def _ground_changes(partition: str) -> dict[str, tuple[date, ...]]:
    """Unit → the days it gained or lost ground in a merger, split or transfer."""
    from migralink.codes.boundaries import partition_members, region_successions
    from migralink.codes.regions import region_table

    members = partition_members(region_table(), partition)
    found: dict[str, list[date]] = defaultdict(list)
    for source, target, day, kind in region_successions().select(
        "from_code", "to_code", "date", "kind"
    ).iter_rows():
        # a link between units of this partition (the day before ±3 days, as the table)
        if kind in _TERRITORIAL and members.on(source, day - timedelta(days=4)) and (
                members.on(target, day)):
            found[source].append(day)
            found[target].append(day)
    return {code: tuple(days) for code, days in found.items()}


def territory_changed(code: str, level: str, first: date, last: date) -> bool:
    """Whether a unit's ground changed after ``first`` and by ``last`` (대구 and 경북
    with 군위 on 2023-07-01, 청주시 with 청원군 on 2014-07-01): a change between the two
    days would measure the transfer, not growth. The nation never changes."""
    partition = _PARTITION.get(level)
    if partition is None or last <= first:
        return False
    return any(first < day <= last for day in _ground_changes(partition).get(code, ()))


def ancestor_at(code: str, level: str) -> str | None:
    """The unit at ``level`` containing ``code`` (itself if it is at that level)."""
    current: str | None = code
    while current is not None:
        if code_level(current) == level:
            return current
        current = None if current == NATIONAL else structural_parent(current)
    return None


def peer_kind(code: str) -> str | None:
    """``city`` (시), ``county`` (군) or ``district`` (자치구) for a local government."""
    if code_level(code) != "sigungu":
        return None
    name = region_name(code).split()[-1]
    return _PEER_SUFFIX.get(name[-1:])


def expand(frame: pl.DataFrame, keys: Sequence[str], levels: Iterable[str]) -> pl.DataFrame:
    """A series on the levels asked for, with a ``level`` column (see the module doc).

    Args:
        frame: ``period, region, <keys>, value, status`` as read from the cube.
        keys: the columns besides ``region`` that identify a value (period, dims).
        levels: the levels wanted, among ``country``, ``sido``, ``sigungu``, ``gu``.
    """
    wanted = set(levels)
    codes = frame["region"].unique().to_list()
    frame = frame.with_columns(
        pl.col("region")
        .replace_strict({c: code_level(c) for c in codes}, return_dtype=pl.Utf8)
        .alias("level")
    )
    by_level = {"gu": frame.filter(pl.col("level") == "gu")}
    upward = ("sigungu", "sido", "country")
    for i, level in enumerate(upward):
        if not wanted & set(upward[i:]):
            break  # nothing at or above this level is asked for: no sums to make
        published = frame.filter(pl.col("level") == level)
        by_level[level] = _with_sums(published, by_level[_CHILD[level]], level, keys)
    columns = ["period", "region", "level", *[k for k in keys if k != "period"], "value",
               "status"]
    parts = [by_level[level].select(columns) for level in ("country", "sido", "sigungu", "gu")
             if level in wanted and level in by_level]
    return pl.concat(parts) if parts else frame.select(columns).clear()


def _with_sums(
    published: pl.DataFrame, children: pl.DataFrame, level: str, keys: Sequence[str]
) -> pl.DataFrame:
    """Published rows of ``level`` plus sums of complete children where none is printed."""
    if children.is_empty():
        return published
    parents = {c: structural_parent(c) or NATIONAL for c in children["region"].unique()}
    grouped = (
        children.with_columns(
            pl.col("region").replace_strict(parents, return_dtype=pl.Utf8).alias("parent")
        )
        .group_by([*keys, "parent"])
        .agg(pl.col("value").sum(), worst_status(), pl.col("region").alias("members"))
    )
    child_level = _CHILD[level]
    ok = [
        complete(p, child_level, frozenset(m))
        for p, m in zip(grouped["parent"].to_list(), grouped["members"].to_list(), strict=True)
    ]
    sums = (
        grouped.filter(pl.Series(ok, dtype=pl.Boolean))
        .drop("members")
        .rename({"parent": "region"})
        .with_columns(pl.lit(level).alias("level"))
        .join(published.select([*keys, "region"]), on=[*keys, "region"], how="anti")
    )
    return pl.concat([published, sums.select(published.columns)])

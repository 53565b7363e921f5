"""Region levels of a query: which unit of a level each stored region belongs to.

A table may hold a province, its cities, a city's districts and their 행정동 side by
side. A query ``by`` region answers at one level only — ``sido``, ``sigungu`` (a city
with districts is one unit) or ``district`` (a city's districts where it has them, else
the sigungu) — so that its rows never mix levels and add up to the national total. A unit
the table does not print is rolled up from the finest rows it holds inside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import polars as pl

from migralink.codes.hierarchy import NATIONAL, code_level, structural_parent
from migralink.errors import QueryError

__all__ = ["LEVELS", "ancestors_of", "default_level", "level_units", "user_level"]

#: The levels a query can ask for, coarse to fine.
LEVELS = ("sido", "sigungu", "district")
# the code levels (of the MOIS history) that are units of each query level
_UNITS = {"sido": ("sido",), "sigungu": ("sigungu",), "district": ("gu", "sigungu")}
_NAMES = {"country": "country", "sido": "sido", "sigungu": "sigungu", "gu": "district",
          "emd": "emd", "office": "office"}


def user_level(code: str) -> str:
    """The level of a code as queries name it (``gu`` is a ``district``)."""
    return _NAMES.get(code_level(code), code_level(code))


def check_level(level: str) -> str:
    """``level`` itself, after checking it is one of :data:`LEVELS`."""
    if level not in LEVELS:
        raise QueryError(
            title=f"there is no region level {level!r}",
            hint=f"use --level {' | '.join(LEVELS)}",
        )
    return level


def _chain(code: str) -> list[str]:
    chain: list[str] = []
    current: str | None = code
    while current is not None and current != NATIONAL:
        chain.append(current)
        current = structural_parent(current)
    return chain


def level_units(codes: Iterable[str], level: str) -> pl.DataFrame:
    """``code, unit, level``: the unit of ``level`` each code lies in (codes above it left out)."""
    return _level_units(frozenset(codes), check_level(level))


@lru_cache(maxsize=64)  # a query of one table version asks the same again
def _level_units(codes: frozenset[str], level: str) -> pl.DataFrame:
    wanted = _UNITS[level]
    rows = []
    for code in codes:
        unit = next((c for c in _chain(code) if code_level(c) in wanted), None)
        if unit is not None:
            rows.append((code, unit, user_level(unit)))
    return pl.DataFrame(rows, schema={"code": pl.Utf8, "unit": pl.Utf8, "level": pl.Utf8},
                        orient="row")


def ancestors_of(codes: Iterable[str]) -> pl.DataFrame:
    """``code, ancestor`` for the codes given and every unit containing each of them."""
    return _ancestors_of(frozenset(codes))


@lru_cache(maxsize=64)
def _ancestors_of(codes: frozenset[str]) -> pl.DataFrame:
    rows = [(code, up) for code in codes for up in _chain(code)[1:]]
    return pl.DataFrame(rows, schema={"code": pl.Utf8, "ancestor": pl.Utf8}, orient="row")


def default_level(codes: Iterable[str]) -> str | None:
    """The level a query ``by`` region answers at when none is asked.

    ``sigungu`` when the table has anything at or below it, else ``sido``; ``None`` for a
    national table.
    """
    levels = {code_level(c) for c in codes}
    if levels & {"sigungu", "gu", "emd", "office"}:
        return "sigungu"
    return "sido" if "sido" in levels else None

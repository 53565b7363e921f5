"""The region hierarchy: levels and parents of MOIS codes.

Levels and parents come from the MOIS code history shipped with migralink
(``codes/data/regions.csv``): a code keeps its parent for its whole life, because a
boundary change that moves a unit always gives it a new code (Gangwon 42→51, Gunwi
47720→27720). The digits alone are not enough: most sigungu codes end in 0 and the
districts of a city (자치구가 아닌 구) do not, but 광진구 11215, 증평군 43745 and the branch
offices (출장소) break that rule. For a code missing from the history, the digits are used.
The nation is ``"00"``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl

__all__ = [
    "NATIONAL",
    "NATIONAL_ALIASES",
    "ancestor_table",
    "code_level",
    "descendants",
    "is_national",
    "structural_parent",
    "trim_code",
]

NATIONAL = "00"
#: What people and tables write for the whole country (compared without spaces, hyphens
#: or commas, case-folded): the one list every region lookup uses.
NATIONAL_ALIASES = frozenset({"00", "kr", "kor", "전국", "korea", "southkorea",
                              "republicofkorea", "national", "nationwide"})


def is_national(text: str) -> bool:
    """Whether ``text`` names the whole country (``전국``, ``KR``, ``00``, ``Korea``...)."""
    return re.sub(r"[\s\-,]", "", text).casefold() in NATIONAL_ALIASES


def trim_code(code: str) -> str:
    """Shorten a 10-digit MOIS code to its level's length (``4100000000`` → ``41``)."""
    code = code.strip()
    if len(code) != 10 or not code.isdigit():
        return code
    if code in ("1000000000", "0000000000"):  # 전국 in MOIS downloads
        return NATIONAL
    if code[2:] == "00000000":
        return code[:2]
    if code[5:] == "00000":
        return code[:5]
    return code


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str | None]]:
    from migralink.codes.regions import region_table

    table = region_table().select("code", "level", "parent").unique("code", keep="last")
    return {
        code: (level, parent or None)
        for code, level, parent in table.iter_rows()
    }


def code_level(code: str) -> str:
    """``country``, ``sido``, ``sigungu``, ``gu``, ``emd`` or ``office`` (출장소)."""
    known = _table().get(code)
    if known:
        return known[0]
    if code == NATIONAL:
        return "country"
    return {2: "sido", 10: "emd"}.get(len(code), "sigungu" if code.endswith("0") else "gu")


def structural_parent(code: str) -> str | None:
    """The code of the unit that contains ``code`` (``None`` for the nation)."""
    known = _table().get(code)
    if known:
        return known[1]
    if code == NATIONAL:
        return None
    if len(code) == 2:
        return NATIONAL
    if len(code) == 10:
        return code[:5]
    return code[:2] if code.endswith("0") else code[:4] + "0"


@lru_cache(maxsize=1)
def ancestor_table() -> pl.DataFrame:
    """``code, ancestor`` for every unit and every unit containing it (not the nation)."""
    rows = []
    for code in _table():
        parent = structural_parent(code)
        while parent is not None and parent != NATIONAL:
            rows.append((code, parent))
            parent = structural_parent(parent)
    return pl.DataFrame(rows, schema=["code", "ancestor"], orient="row")


@lru_cache(maxsize=1)
def _children() -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for child, (_, parent) in _table().items():
        if parent:
            children.setdefault(parent, []).append(child)
    return children


@lru_cache(maxsize=4096)
def descendants(code: str) -> frozenset[str]:
    """Every code ever inside ``code`` (its history included), not ``code`` itself."""
    children = _children()
    found: set[str] = set()
    stack = list(children.get(code, ()))
    while stack:
        item = stack.pop()
        if item not in found:
            found.add(item)
            stack.extend(children.get(item, ()))
    return frozenset(found)

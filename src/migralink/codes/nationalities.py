"""Nationality codes and the resolver that turns a published nationality label into one.

A nationality code is an ISO 3166-1 alpha-3 code (``CHN``) wherever one exists. The
categories that the Ministry of Justice (MOJ) counts as rows of their own, but that ISO
has no code for, get codes from established conventions (see
``data/ATTRIBUTION_countries_statuses.md`` for the full list and the reasons):

* ICAO Doc 9303 Part 3 codes for travel-document categories: ``XXA`` stateless (무국적),
  ``XXB`` convention refugee (협약난민), ``XXC`` other refugee (기타난민), ``XXX``
  unspecified nationality (국적불명), ``UNO``/``UNA`` United Nations and its specialised
  agencies, ``GBD``/``GBN``/``GBO``/``GBP`` the British nationality classes.
* ``XKX`` Kosovo, the user-assigned code the EU and IMF use.
* SDMX special codes for residual rows: ``_O`` other (기타), ``_U`` unknown (미상),
  ``_X`` unspecified (미등록국가) — the cube already uses SDMX ``_T`` for totals.
* Project codes ``<ISO>-KR`` for the ethnic-Korean rows MOJ keeps apart from the country
  (``CHN-KR`` 한국계중국인, ``RUS-KR`` 한국계러시아인), with ``iso3`` set to the country
  and ``ethnic_korean`` true, and ``XXC-HKG`` for refugees resident in Hong Kong.

The tables are read from the CSV files shipped in ``data/``; they are built from the
shared source files by :mod:`migralink.codes.build_nationalities`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache
from pathlib import Path

import polars as pl

from migralink.errors import CodeError

__all__ = [
    "is_total_label",
    "label_key",
    "nationality_aliases",
    "nationality_table",
    "resolve_nationality",
    "try_resolve_nationality",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

# Punctuation that only varies between spellings of the same name (보스니아-헤르체고비나,
# 관광·통과, 앤티가 바부다); parentheses are kept because they carry meaning
# (중국(한국계) is not 중국).
_DROP = re.compile(r"[\s\-‐‑–—_·ㆍ・.,'’]+")

# Rows of nationality tables that are sums or continent groups, not nationalities. Compared
# on label_key, so spacing does not matter.
_TOTAL_KEYS = frozenset(
    {"총계", "합계", "계", "소계", "전체", "총합계", "total", "alltotal", "전국"}
)
_CONTINENT_KEYS = frozenset(
    {
        "아시아",
        "아시아주",
        "아프리카",
        "아프리카주",
        "유럽",
        "유럽주",
        "북아메리카",
        "북아메리카주",
        "남아메리카",
        "남아메리카주",
        "아메리카",
        "아메리카주",
        "북미",
        "북미주",
        "남미",
        "남미주",
        "중남미",
        "중남미주",
        "오세아니아",
        "오세아니아주",
        "대양주",
        "중동",
    }
)


def label_key(text: str) -> str:
    """The comparison key of a label: NFKC, case-folded, without spaces and dashes.

    NFKC turns full-width parentheses and spaces (``（`` ``　``) into ASCII ones, so
    ``중국（한국계）`` and ``중국(한국계)`` share a key; dropping spaces makes
    ``한국계 중국인`` equal ``한국계중국인``.

    Args:
        text: a label as it appears in a file.

    Returns:
        The key used to compare labels.
    """
    return _DROP.sub("", unicodedata.normalize("NFKC", text)).casefold()


def is_total_label(text: str) -> bool:
    """Whether ``text`` is a total (총계, 합계, 계) or continent row (아시아주), not a country.

    Args:
        text: a label from a nationality column.

    Returns:
        True for totals and continent groups; readers skip or check those rows.
    """
    key = label_key(text)
    return key in _TOTAL_KEYS or key in _CONTINENT_KEYS


@cache
def nationality_table() -> pl.DataFrame:
    """The nationality code list.

    Returns:
        One row per code: ``code, iso3, iso2, numeric, name_ko, name_en, ethnic_korean,
        scheme``. ``scheme`` says where the code comes from (``iso3166-1``,
        ``iso3166-3`` for withdrawn codes, ``icao9303``, ``sdmx``, ``user-assigned``,
        ``migralink``).
    """
    return pl.read_csv(
        DATA_DIR / "nationalities.csv",
        schema_overrides={"numeric": pl.String, "ethnic_korean": pl.Boolean},
    )


@cache
def nationality_aliases() -> pl.DataFrame:
    """Every known spelling of every nationality, with the file or list it was met in.

    Returns:
        ``alias, code, source``; one row per spelling and source.
    """
    return pl.read_csv(DATA_DIR / "nationality_aliases.csv")


@cache
def _alias_map() -> dict[str, str]:
    """label_key → code, from the alias list and the codes themselves."""
    table = nationality_table()
    mapping: dict[str, str] = {}
    for code, iso3, iso2 in table.select("code", "iso3", "iso2").iter_rows():
        mapping[label_key(code)] = code
        # An ISO alpha-2 code stands for the country itself, not for a sub-category
        # such as CHN-KR or GBD that shares its iso3.
        if iso2 is not None and code == iso3:
            mapping[label_key(iso2)] = code
    for alias, code in nationality_aliases().select("alias", "code").iter_rows():
        mapping[label_key(alias)] = code
    # the list's own Korean and English names (people type "China", "vietnam"), where
    # no spelling met in a file says otherwise and no two codes share the name
    names: dict[str, set[str]] = {}
    for code, ko, en in table.select("code", "name_ko", "name_en").iter_rows():
        for name in (ko, en):
            if name:
                names.setdefault(label_key(name), set()).add(code)
    for key, codes in names.items():
        if len(codes) == 1 and key not in mapping:
            mapping[key] = codes.pop()
    return mapping


def try_resolve_nationality(label: str) -> str | None:
    """The nationality code for ``label``, or None if it is unknown or a total.

    Args:
        label: a nationality as written in a source file, or a code.

    Returns:
        The code, or None.
    """
    if is_total_label(label):
        return None
    return _alias_map().get(label_key(label))


def resolve_nationality(label: str) -> str:
    """The nationality code for ``label``.

    Args:
        label: a nationality as written in a source file (``한국계 중국인``,
            ``중국（한국계）``, ``타이완``) or a code (``CHN``, ``CN``, ``CHN-KR``).

    Returns:
        The code, e.g. ``CHN-KR`` for 한국계중국인 and ``TWN`` for 대만.

    Raises:
        CodeError: the label is a total or continent row, or no known spelling matches
            (the error lists the closest known spellings).
    """
    if is_total_label(label):
        raise CodeError(
            title=f"{label!r} is a total or continent row, not a nationality",
            hint="skip it with is_total_label() or use it as a check sum",
        )
    code = try_resolve_nationality(label)
    if code is not None:
        return code
    mapping = _alias_map()
    close = difflib.get_close_matches(label_key(label), list(mapping), n=5, cutoff=0.6)
    raise CodeError(
        title=f"unknown nationality {label!r}",
        hint="check the spelling, or add it to the hand alias table of build_nationalities",
        details=[f"did you mean {key!r} ({mapping[key]})?" for key in close],
    )

"""Turning the text of a published cell into a code of one of the cube's code lists.

Readers call :func:`resolve_code` for dimension values and :func:`resolve_region_text`
for regions; both raise :class:`~migralink.errors.CodeError` with a hint when the text
cannot be resolved, so that the row is rejected with its reason instead of dropped.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import polars as pl

from migralink.codes.hierarchy import NATIONAL, trim_code
from migralink.errors import CodeError

__all__ = [
    "SEX_CODES",
    "is_known_region",
    "region_name",
    "resolve_code",
    "resolve_region_text",
    "same_unit_codes",
]

#: SDMX-style sex codes and the spellings Korean tables use for them.
SEX_CODES: dict[str, tuple[str, ...]] = {
    "M": ("M", "남", "남성", "남자", "male", "males", "Male"),
    "F": ("F", "여", "여성", "여자", "female", "females", "Female"),
    "_T": ("_T", "계", "합계", "총계", "전체", "both sexes combined", "Total"),
    # MOJ counts a third category since 2024 (제3의성); SDMX CL_SEX has no such code, so
    # migralink uses "_O" (other) and keeps it apart rather than folding it into unknown
    "_O": ("_O", "제3의성", "기타", "other"),
}
_SEX = {alias: code for code, aliases in SEX_CODES.items() for alias in aliases}


@lru_cache(maxsize=65536)  # tables repeat a few labels thousands of times
def resolve_code(codelist: str | None, text: str) -> str:
    """The code for ``text`` in ``codelist`` (``sex``, ``nationality``, ``status``)."""
    if codelist is None:
        return text
    if codelist == "sex":
        if text in _SEX:
            return _SEX[text]
        raise CodeError(
            title=f"{text!r} is not a sex category",
            hint="expected 남/여/계 or male/female/total; add a recode to the mapping",
        )
    if codelist == "nationality":
        from migralink.codes.nationalities import resolve_nationality

        return resolve_nationality(text)
    if codelist == "status":
        from migralink.codes.statuses import normalize_status

        return normalize_status(text)
    raise CodeError(
        title=f"unknown code list {codelist!r}",
        hint="code lists are sex, nationality and status; leave codelist out for local codes",
    )


def resolve_region_text(text: str, kind: str, parent: str | None, day: date) -> str:
    """A region code from a cell: a MOIS code, a Korean name, or a UN M49 code."""
    if kind == "code":
        code = trim_code(text)
        if code.isdigit() and len(code) in (2, 5, 10) and is_known_region(code):
            return code
        if code.isdigit() and len(code) in (2, 5, 10):  # a damaged code: never a new unit
            raise CodeError(
                title=f"unknown region code {text!r} (not in the MOIS code history)",
                hint="check the region column: a damaged or mistyped code (the history "
                "ships with migralink and covers every unit since 1988)",
            )
        raise CodeError(
            title=f"{text!r} is not a MOIS region code",
            hint="region codes have 2, 5 or 10 digits; check the region column",
        )
    if kind == "m49":
        code = text.split(".")[0].strip()
        if code.isdigit():
            return code.zfill(3)
        raise CodeError(title=f"{text!r} is not a UN M49 code", hint="M49 codes are numbers")
    if kind == "name":
        from migralink.codes.regions import region_for_name

        found = region_for_name(text, parent=parent, day=day)
        if found is None:
            raise CodeError(
                title=f"unknown region {text!r}"
                + (f" under {parent}" if parent else "")
                + f" on {day.isoformat()}",
                hint="check the spelling, or add a recode for it to [region] in the mapping",
            )
        return found
    raise CodeError(title=f"unknown region kind {kind!r}", hint="use code, name or m49")


@lru_cache(maxsize=1)
def _known_regions() -> dict[str, str]:
    from migralink.codes.regions import region_table

    table = region_table().sort("valid_from")
    # the latest name of each code (a code keeps its number when a unit is renamed)
    return dict(zip(table["code"].to_list(), table["full_name_ko"].to_list(), strict=True))


def is_known_region(code: str) -> bool:
    """Whether ``code`` is in the MOIS code history at all (any date)."""
    return code == NATIONAL or code in _known_regions()


def region_name(code: str) -> str:
    """The full Korean name of a region code (its latest name), or the code itself."""
    if code == NATIONAL:
        return "전국"
    return _known_regions().get(code, code)


@lru_cache(maxsize=4096)
def same_unit_codes(code: str) -> tuple[str, ...]:
    """Every code the unit of ``code`` has had: ``code`` first, then the others in order.

    A unit keeps its territory across a recode (강원도 42 → 강원특별자치도 51, 여주군 →
    여주시) and across a code reused for the same name at the same level (원미구 41195 until
    2016, 41192 from 2024): a query of that unit reads every one of its codes' years.
    """
    from migralink.codes.boundaries import region_successions
    from migralink.codes.regions import region_table

    if code == NATIONAL:
        return (code,)
    recodes = region_successions().filter(pl.col("kind") == "recode")
    links = list(zip(recodes["from_code"].to_list(), recodes["to_code"].to_list(), strict=True))
    table = region_table()
    rows = table.filter(pl.col("code") == code)
    found = {code}
    if rows.height:
        same = table.filter(
            pl.col("full_name_ko").is_in(rows["full_name_ko"].to_list())
            & (pl.col("level") == rows["level"][0])
        )
        found |= set(same["code"].to_list())
    grown = True
    while grown:  # follow recodes both ways until nothing is added
        before = len(found)
        for old, new in links:
            if old in found or new in found:
                found |= {old, new}
        grown = len(found) > before
    first = table.filter(pl.col("code").is_in(list(found))).group_by("code").agg(
        pl.col("valid_from").min()).sort("valid_from")
    ordered = [c for c in first["code"].to_list() if c != code]
    return (code, *ordered, *sorted(found - {code, *ordered}))

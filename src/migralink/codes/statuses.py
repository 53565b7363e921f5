"""Residence status (체류자격) codes and the normaliser for the labels tables print.

The code list (``data/statuses.csv``) is transcribed from the Immigration Act Enforcement
Decree (출입국관리법 시행령) [별표 1] (short-term statuses) and [별표 1의2] (long-term
statuses, as amended 2024-07-02), plus the sub-codes and statistics categories the MOJ
tables use (D-4-1, D-4-7, E-10-1, T-1 관광상륙) and ``OTHER`` for their residual
"기타" column. Codes are written as the decree writes them: ``E-9``, ``D-4-1``.

Tables spell the same status many ways: ``E9(비전문취업)``, ``비전문취업E9``,
``E9비전문취업``, ``비전문취업(E_9)``, ``비전문취업(E-9)``, ``한국어연수D41``, or the
Korean name alone (``취재``). :func:`normalize_status` reads the code part when there is
one and checks that the name part does not contradict it; otherwise it looks the name up.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache
from pathlib import Path

import polars as pl

from migralink.codes.nationalities import label_key
from migralink.errors import CodeError

__all__ = [
    "OTHER",
    "is_total_label",
    "normalize_status",
    "status_group_table",
    "status_table",
    "try_normalize_status",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The code of the residual 기타 / 기타(Other) column of MOJ and KOSIS tables.
OTHER = "OTHER"

# Letter + number(s) of a status code inside a label, however it is separated:
# E9, E-9, E_9, E10, D41 (= D-4-1), D-4-1, e9. The look-arounds keep it from matching
# inside Latin words or longer numbers.
_CODE_RE = re.compile(
    r"(?<![A-Za-z])([A-HT])[\s_\-]?(\d{1,2})(?:[\s_\-](\d{1,2}))?(?![\d])", re.IGNORECASE
)
_BRACKETS = re.compile(r"[()\[\]{}<>]")
_INSIDE_BRACKETS = re.compile(r"\(([^()]*)\)")

_TOTAL_KEYS = frozenset({"총계", "합계", "계", "소계", "전체", "총합계", "total"})

# Names the tables use besides the decree's name and the English name in statuses.csv.
_EXTRA_NAMES: dict[str, str] = {
    "회화": "E-2",  # header E2(회화) of the MOJ 체류자격별 files
    "회화강사": "E-2",  # monthly status file, 2024-02 … 2025-03
    "단기종합": "C-3",  # the name of C-3 before it became 단기방문
    "산업연수": "D-3",  # the name of D-3 before it became 기술연수
    "Other": OTHER,  # 기타(Other), 기타(other)
    "Others": OTHER,  # 기타(Others), KOSIS DT_1B040A11
}

# A bare name carried by several codes, and what it means on its own. G-1 is named 기타
# in the decree, but every table that prints G-1 prints its code with it (G1(기타),
# 기타(G_1), 기타G1); a bare 기타 is always the residual column.
_BARE_NAME: dict[str, str] = {"기타": OTHER}


def is_total_label(label: str) -> bool:
    """Whether ``label`` is a total column or row (총계, 합계, 계), not a status.

    Args:
        label: a status label from a header or cell.

    Returns:
        True for totals.
    """
    return label_key(label) in _TOTAL_KEYS


@cache
def status_table() -> pl.DataFrame:
    """The residence status code list, in the decree's order.

    Returns:
        ``code, name_ko, name_en, term, group, group_ko, parent, citation``. ``term`` is
        ``short`` or ``long`` (null for OTHER); ``parent`` is set for sub-codes
        (``D-4-1`` → ``D-4``).
    """
    return pl.read_csv(DATA_DIR / "statuses.csv", infer_schema=False)


@cache
def status_group_table() -> pl.DataFrame:
    """The policy groups of statuses (``workers``, ``students`` …) and what they hold.

    Returns:
        ``group, group_ko, name_en, statuses``.
    """
    return pl.read_csv(DATA_DIR / "status_groups.csv", infer_schema=False)


@cache
def _parents() -> dict[str, str | None]:
    return dict(status_table().select("code", "parent").iter_rows())


@cache
def _codes_by_name() -> dict[str, frozenset[str]]:
    """label_key of every name → the codes carrying it."""
    names: dict[str, set[str]] = {}
    for code, name_ko, name_en in status_table().select("code", "name_ko", "name_en").iter_rows():
        for name in (name_ko, name_en):
            names.setdefault(label_key(name), set()).add(code)
    for name, code in _EXTRA_NAMES.items():
        names.setdefault(label_key(name), set()).add(code)
    return {key: frozenset(codes) for key, codes in names.items()}


def _family(code: str) -> set[str]:
    """The code, its parent and its sub-codes: names of any of them fit the code."""
    parents = _parents()
    family = {code, *(c for c, p in parents.items() if p == code)}
    if parents.get(code):
        family.add(str(parents[code]))
    return family


def _code_from_match(match: re.Match[str], label: str) -> str:
    letter, first, second = match.group(1).upper(), match.group(2), match.group(3)
    parents = _parents()
    if second is not None:
        candidates = [f"{letter}-{int(first)}-{int(second)}"]
    else:
        # D41 is D-4-1 and D47 is D-4-7 (student tables), while D10 and E10 are codes.
        candidates = [f"{letter}-{int(first)}"]
        if len(first) == 2:
            candidates.append(f"{letter}-{first[0]}-{first[1]}")
    for candidate in candidates:
        if candidate in parents:
            return candidate
    raise CodeError(
        title=f"status label {label!r} names code {candidates[0]}, which is not in the list",
        hint="add the code (with its citation) to migralink/codes/data/statuses.csv",
    )


def _code_by_name(text: str) -> str | None:
    key = label_key(text)
    if key in _BARE_NAME:
        return _BARE_NAME[key]
    codes = _codes_by_name().get(key, frozenset())
    return next(iter(codes)) if len(codes) == 1 else None


def _normalize(label: str) -> str | None:
    """The code for ``label``; None when nothing matches; CodeError on contradictions."""
    text = unicodedata.normalize("NFKC", label).strip()
    matches = list(_CODE_RE.finditer(text))
    if len(matches) > 1:
        raise CodeError(
            title=f"status label {label!r} holds several codes",
            hint="a composite column cannot be mapped to one status; split or recode it",
        )
    if matches:
        code = _code_from_match(matches[0], label)
        rest = _BRACKETS.sub("", text[: matches[0].start()] + text[matches[0].end() :])
        named = _codes_by_name().get(label_key(rest), frozenset())
        if named and not named & _family(code):
            raise CodeError(
                title=f"status label {label!r} has code {code} but the name of "
                + ", ".join(sorted(named)),
                hint="check the column header; recode it explicitly in the mapping",
            )
        return code
    whole = _code_by_name(text)
    if whole is not None:
        return whole
    # 기타(Others): the name outside and the name inside the brackets must agree.
    parts = [_INSIDE_BRACKETS.sub("", text), *_INSIDE_BRACKETS.findall(text)]
    found = {_code_by_name(part) for part in parts if label_key(part)}
    if len(found) == 1 and None not in found:
        return found.pop()
    return None


def try_normalize_status(label: str) -> str | None:
    """The status code for ``label``, or None if it is unknown, a total or contradictory.

    Args:
        label: a status label from a header or cell.

    Returns:
        The code (``E-9``, ``D-4-1``, ``OTHER``) or None.
    """
    if is_total_label(label):
        return None
    try:
        return _normalize(label)
    except CodeError:
        return None


def normalize_status(label: str) -> str:
    """The residence status code for a label as a table prints it.

    Args:
        label: e.g. ``E9(비전문취업)``, ``사증면제B1``, ``비전문취업(E_9)``,
            ``한국어연수D41``, ``방문취업(H-2)``, ``취재`` or ``기타(Others)``.

    Returns:
        The code: ``E-9``, ``B-1``, ``E-9``, ``D-4-1``, ``H-2``, ``D-5``, ``OTHER``.

    Raises:
        CodeError: the label is a total, holds several codes, has a code that
            contradicts its name, or matches nothing (the error lists close matches).
    """
    if is_total_label(label):
        raise CodeError(
            title=f"{label!r} is a total, not a residence status",
            hint="skip it with is_total_label() or use it as a check sum",
        )
    code = _normalize(label)
    if code is not None:
        return code
    names = _codes_by_name()
    close = difflib.get_close_matches(label_key(label), list(names), n=5, cutoff=0.5)
    raise CodeError(
        title=f"unknown residence status {label!r}",
        hint="check the spelling, or add the name to _EXTRA_NAMES in migralink/codes/statuses.py",
        details=[f"did you mean {key!r} ({', '.join(sorted(names[key]))})?" for key in close],
    )

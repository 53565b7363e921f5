"""The query language, one parser for the CLI, the Python API and the REST API.

* filters: ``DIM=CODE`` or ``DIM:CODE``; several codes as ``DIM=A,B`` or by repeating
  the filter; the Python API also takes ``{"dim": "A"}`` or ``{"dim": ["A", "B"]}``;
* ``by``: ``"region,sex"`` or a list;
* periods as people type them: ``2019``, ``2019년``, ``2019-12``, ``2019.12``,
  ``2019년 12월``, ranges ``2019..2021`` or ``2019-2021`` (years, inclusive);
* ``level``: ``sido``, ``sigungu`` or ``district``;
* ``measure``: the id of one measure of a dataset with several (``numerator``); the
  query checks it against the measures the dataset has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from migralink.errors import QueryError

__all__ = ["parse_by", "parse_filters", "parse_measure", "parse_periods", "split_filter"]

_MEASURE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# any word as the dimension (국적=중국): the query then says which dimensions there are
_FILTER = re.compile(r"\s*([^\W\d]\w*)\s*[=:]\s*(.+?)\s*$")
# 년도 ("2019년도") is how Korean tables and officials write a statistical year
_RANGE = re.compile(r"(\d{4})\s*(?:년도?)?\s*(?:\.\.|~|–|-)\s*(\d{4})\s*(?:년도?)?")
_MONTH = re.compile(r"(\d{4})\s*(?:년|[.\-/])\s*(\d{1,2})\s*(?:월)?")
_QUARTER = re.compile(r"(\d{4})\s*-?\s*Q([1-4])", re.IGNORECASE)
_YEAR = re.compile(r"(\d{4})\s*(?:년도?)?")
_DAY = re.compile(r"(\d{4})\s*(?:년|[.\-/])\s*(\d{1,2})\s*(?:월|[.\-/])\s*(\d{1,2})\s*(?:일)?")
_HALF = re.compile(r"(\d{4})\s*-?\s*H([12])", re.IGNORECASE)
_SPAN = re.compile(r"(\d{4})/(\d{4})")  # a period of several years, as stored (2015/2019)

Scalar = str | int
FilterInput = Sequence[str] | Mapping[str, Scalar | Sequence[Scalar]] | None


def split_filter(text: str) -> list[tuple[str, str]]:
    """``"residence_status=E-9,D-2"`` → ``[("residence_status", "E-9"), (…, "D-2")]``.

    Raises:
        QueryError: the text is not ``DIM=CODE`` (or ``DIM:CODE``).
    """
    found = _FILTER.fullmatch(text)
    codes = [c.strip() for c in found.group(2).split(",") if c.strip()] if found else []
    if not found or not codes:
        raise QueryError(
            title=f"filter {text!r} is not DIM=CODE",
            hint="e.g. residence_status=E-9 (or residence_status:E-9; several codes as "
            "residence_status=E-9,D-2)",
        )
    return [(found.group(1), code) for code in codes]


def parse_filters(filters: FilterInput) -> tuple[tuple[str, str], ...]:
    """Filters in any accepted form as ``(dimension, code)`` pairs, in order."""
    if not filters:
        return ()
    pairs: list[tuple[str, str]] = []
    if isinstance(filters, Mapping):
        for dim, value in filters.items():
            values = value if isinstance(value, Sequence) and not isinstance(value, str) \
                else [value]
            pairs += [(str(dim), str(v)) for v in values]
    else:
        for text in filters:
            pairs += split_filter(str(text))
    return tuple(dict.fromkeys(pairs))


def parse_by(by: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"region, sex"`` or ``["region", "sex"]`` → ``("region", "sex")``."""
    if by is None:
        return ()
    parts = by.split(",") if isinstance(by, str) else [p for b in by for p in str(b).split(",")]
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def parse_periods(periods: Scalar | Iterable[Scalar] | None) -> tuple[str, ...]:
    """Periods as people type them, in the store's form (``2019``, ``2019-12``, ``2019-Q4``).

    Raises:
        QueryError: a text that is no period, or a range that runs backwards.
    """
    if periods is None:
        return ()
    items = [periods] if isinstance(periods, str | int) else list(periods)
    out: list[str] = []
    for item in items:
        for text in str(item).split(","):
            if text.strip():
                out += _one_period(text.strip())
    return tuple(dict.fromkeys(out))


def _one_period(text: str) -> list[str]:
    if found := _SPAN.fullmatch(text):
        return [text]
    if found := _DAY.fullmatch(text):
        try:
            day = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            raise QueryError(title=f"{text!r} is not a day",
                             hint="write a day as YYYY-MM-DD (2026-06-22)") from None
        return [day.isoformat()]
    if found := _HALF.fullmatch(text):
        return [f"{found.group(1)}-H{found.group(2)}"]
    if found := _RANGE.fullmatch(text):
        first, last = int(found.group(1)), int(found.group(2))
        if first > last:
            raise QueryError(title=f"period range {text!r} runs backwards",
                             hint=f"write {last}..{first}")
        return [str(y) for y in range(first, last + 1)]
    if found := _QUARTER.fullmatch(text):
        return [f"{found.group(1)}-Q{found.group(2)}"]
    if (found := _MONTH.fullmatch(text)) and 1 <= int(found.group(2)) <= 12:
        return [f"{found.group(1)}-{int(found.group(2)):02d}"]
    if found := _YEAR.fullmatch(text):
        return [found.group(1)]
    raise QueryError(
        title=f"{text!r} is not a period",
        hint="write a year (2019 or 2019년), a month (2019-12 or 2019년 12월), a quarter "
        "(2019-Q4), a half-year (2019-H2), a day (2019-12-31), a range of years "
        "(2019..2021) or a stored span (2015/2019)",
    )


def parse_measure(text: str | None) -> str | None:
    """``" numerator "`` → ``"numerator"``; ``None`` or blank → ``None`` (the main one).

    Raises:
        QueryError: the text cannot be a measure id (ids are letters, digits, ``_``).
    """
    if text is None or not text.strip():
        return None
    wanted = text.strip()
    if not _MEASURE.fullmatch(wanted):
        raise QueryError(
            title=f"{wanted!r} is not a measure id",
            hint="name one measure of the dataset, e.g. value or numerator "
            "(see 'migralink datasets' or /api/v1/datasets/{dataset})",
        )
    return wanted

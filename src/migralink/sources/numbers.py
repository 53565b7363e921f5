"""Strict parsing of published numbers, cell by cell or a whole column at once.

A count is a non-negative whole number written with ASCII digits, optionally grouped by
thousands with commas (``2,650,783``). Everything else a lenient parser would accept is
refused, because each is a damaged or mistyped cell rather than a count: ``12,5`` (a
decimal comma, not 125), full-width ``１２``, ``1_000``, ``1e3``, ``-5``, ``12.5``. Other
value kinds (rates, shares, indices, currency, numbers) may carry a sign and a decimal
point. Blank cells and the publishers' dashes are missing values (status ``M``).
"""

from __future__ import annotations

import re

import polars as pl

from migralink.errors import InputError

__all__ = ["MISSING", "check_values", "parse_value"]

#: Cell texts that publishers print for "no value".
MISSING = ("", "-", "…", "..", "x", "X")

_INT = r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)"
_COUNT = re.compile(rf"^{_INT}$")
_NUMBER = re.compile(rf"^[+-]?{_INT}(?:\.[0-9]+)?$")
#: integers above 2**53 are not exact as float64: such a "count" is damage, not data
_EXACT = 2**53


def _is_count(kind: str) -> bool:
    return kind == "count"


def parse_value(text: str, kind: str = "count") -> tuple[float | None, str]:
    """Parse one published number; returns the value and its OBS_STATUS.

    Raises:
        InputError: the text is not a number of that kind (its title says why).
    """
    cleaned = text.strip()
    if cleaned in MISSING:
        return None, "M"
    error = _problem(cleaned, kind)
    if error:
        raise InputError(title=f"{text!r} {error}", hint=_HINT)
    return float(cleaned.replace(",", "")), "A"


_HINT = "correct the cell in the file, or leave it blank if the value is missing"


def _problem(cleaned: str, kind: str) -> str | None:
    if _is_count(kind):
        if not _COUNT.fullmatch(cleaned):
            return _why_not_count(cleaned)
        digits = cleaned.replace(",", "")
        # length first: int() of a string over 4,300 digits raises (Python's limit)
        if len(digits.lstrip("0")) > len(str(_EXACT)) or int(digits) > _EXACT:
            return "is too large to be a count"
        return None
    if not _NUMBER.fullmatch(cleaned):
        return "is not a number (digits, an optional sign and decimal point; thousands " \
            "grouped by three with commas)"
    return None


def _why_not_count(text: str) -> str:
    if re.fullmatch(r"[+-]?[0-9,]*\.[0-9]+", text) or re.fullmatch(r"[0-9]+,[0-9]{1,2}", text):
        return "is not a count (a whole number: a decimal point or decimal comma)"
    if text.startswith("-") or text.startswith("+"):
        return "is not a count (a count cannot carry a sign)"
    if any(not c.isascii() for c in text):
        return "is not a count (only ASCII digits 0-9 are read: full-width or other digits)"
    return "is not a count (a non-negative whole number, thousands grouped by three)"


def check_values(texts: pl.Expr, kind: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Vectorised parse of a column of cell texts.

    Returns three expressions: the value (Float64, null when missing or bad), the status
    (``A`` or ``M``) and ``ok`` (false for a cell that is not a number of the kind).
    """
    pattern = _COUNT.pattern if _is_count(kind) else _NUMBER.pattern
    missing = texts.is_in(list(MISSING))
    fits = texts.str.contains(pattern)
    digits = texts.str.replace_all(",", "", literal=True)
    value = pl.when(~missing & fits).then(digits.cast(pl.Float64, strict=False))
    if _is_count(kind):  # on the digits: 2**53 + 1 is 2**53 once cast to a float
        kept = digits.str.strip_chars_start("0")
        width, limit = kept.str.len_chars(), str(_EXACT)
        exact = (width < len(limit)) | ((width == len(limit)) & (kept <= limit))
    else:
        exact = value.is_finite()
    ok = missing | (fits & exact.fill_null(False))
    status = pl.when(missing).then(pl.lit("M")).otherwise(pl.lit("A"))
    return pl.when(ok).then(value), status, ok

"""Periods as the cube writes them, and the day each one refers to.

A period is ``YYYY`` (a year), ``YYYY-Hn`` (a half-year), ``YYYY-Qn`` (a quarter),
``YYYY-MM`` (a month) or
``YYYY-MM-DD`` (a day). Stocks refer to one day: the end of a month or quarter, and for a
year the dataset's ``period_day`` (``12-31`` for most Korean registers, ``11-01`` for the
MOIS survey of foreign residents). Code validity is judged on that day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from migralink.errors import QueryError

__all__ = ["period_year", "reference_day"]

_PERIOD = re.compile(r"(\d{4})(?:-(?:H([12])|Q([1-4])|(\d{2}))(?:-(\d{2}))?)?")


def reference_day(period: str, period_day: str = "12-31") -> date:
    """The day a period's stock refers to (``"2024"`` with ``"12-31"`` → 2024-12-31)."""
    found = _PERIOD.fullmatch(period)
    if not found:
        raise QueryError(
            title=f"{period!r} is not a period",
            hint="write YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD",
        )
    year = int(found.group(1))
    if found.group(5):
        return date(year, int(found.group(4)), int(found.group(5)))
    if found.group(2):
        month = int(found.group(2)) * 6
    elif found.group(3):
        month = int(found.group(3)) * 3
    elif found.group(4):
        month = int(found.group(4))
    else:
        month_s, day_s = period_day.split("-")
        return date(year, int(month_s), int(day_s))
    return date(year, month, calendar.monthrange(year, month)[1])


def period_year(period: str) -> int:
    """The calendar year of a period."""
    return reference_day(period).year

"""Code lists: regions (with their history), nationalities and residence statuses.

Public surface: region look-ups (:func:`resolve_region`, :func:`region_list`,
:func:`is_valid`, :func:`kostat_to_mois`), :func:`nationality_table`,
:func:`resolve_nationality`, :func:`status_table`, :func:`normalize_status`, and the
period helper :func:`reference_day`. Each list is shipped with the package (built from the
published code files by the ``build_*`` modules), so nothing is downloaded at run time.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from migralink.codes.hierarchy import NATIONAL, code_level, structural_parent, trim_code
from migralink.codes.lookup import is_known_region, region_name, resolve_code
from migralink.codes.nationalities import nationality_table, resolve_nationality
from migralink.codes.periods import reference_day
from migralink.codes.regions import (
    is_valid,
    kostat_to_mois,
    mois_to_kostat,
    region_table,
    resolve_region,
)
from migralink.codes.statuses import normalize_status, status_table

__all__ = [
    "NATIONAL",
    "code_level",
    "is_known_region",
    "is_valid",
    "kostat_to_mois",
    "mois_to_kostat",
    "nationality_table",
    "normalize_status",
    "reference_day",
    "region_list",
    "region_name",
    "resolve_code",
    "resolve_nationality",
    "resolve_region",
    "status_table",
    "structural_parent",
    "trim_code",
]


def region_list(year: int | None = None) -> pl.DataFrame:
    """Regions with their validity; with ``year``, those valid on 31 December of it."""
    table = region_table()
    if year is None:
        return table
    day = date(year, 12, 31)
    return table.filter(
        (pl.col("valid_from") <= day) & (pl.col("valid_to").is_null() | (pl.col("valid_to") > day))
    )

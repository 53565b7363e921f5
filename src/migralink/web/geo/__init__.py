"""The shipped boundaries: simplified GeoJSON of sido and sigungu, one file per vintage.

The files are built by :mod:`migralink.web.build_geo` from the published boundaries in
``../shared/data/geo`` (sources and licences in ``ATTRIBUTION.md`` here). Every feature
has the properties ``code`` (MOIS code valid at the end of the vintage year), ``name_ko``,
``name_en``, ``vintage``, ``level`` (``sido``, ``sigungu`` or ``gu``), ``parent`` (its sido,
or its city for a district) and, for a city drawn whole where the code list has districts
(청주 2023, 부천 2024), ``districts``: the codes it stands for.

>>> boundaries("sido", 2019)["vintage"]
2018
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from migralink.errors import QueryError

__all__ = ["GEO_DIR", "LEVELS", "boundaries", "boundaries_path", "vintage_for", "vintages"]

GEO_DIR = Path(__file__).parent
LEVELS = ("sido", "sigungu")
_FILE = re.compile(r"(sido|sigungu)-(\d{4})\.geojson")


@lru_cache(maxsize=1)
def vintages() -> tuple[int, ...]:
    """The shipped vintages, oldest first."""
    found = {int(m.group(2)) for p in GEO_DIR.iterdir() if (m := _FILE.fullmatch(p.name))}
    return tuple(sorted(found))


def vintage_for(year: int | None) -> int:
    """The vintage to draw ``year``'s data on: the latest one not after it, else the first.

    Boundaries change at the start of a year or during it, so data of a year is drawn on
    the newest shapes that already existed; years before the first vintage use the first,
    and no year means the latest.
    """
    shipped = vintages()
    if year is None:
        return shipped[-1]
    earlier = [v for v in shipped if v <= year]
    return earlier[-1] if earlier else shipped[0]


def boundaries_path(level: str, year: int | None) -> Path:
    """The GeoJSON file of ``level`` for ``year`` (see :func:`vintage_for`)."""
    if level not in LEVELS:
        raise QueryError(title=f"unknown boundary level {level!r}",
                         hint=f"use one of {', '.join(LEVELS)}")
    return GEO_DIR / f"{level}-{vintage_for(year)}.geojson"


@lru_cache(maxsize=len(LEVELS) * 8)
def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def boundaries(level: str, year: int | None) -> dict[str, Any]:
    """The FeatureCollection of ``level`` (``sido`` or ``sigungu``) nearest to ``year``.

    ``year=None`` gives the latest vintage. The collection has ``vintage`` and ``level``
    members beside ``features``, so that a client can ask for data on the same units
    (``boundaries=<vintage>`` of the observations endpoint).

    The result is cached and shared between calls: do not modify it.

    Raises:
        QueryError: for an unknown level.
    """
    return _load(boundaries_path(level, year))

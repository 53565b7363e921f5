"""What a source reader produces: a dataset's metadata, its observations and its rejects.

The model follows SDMX lines: a *dataset* (a dataflow, in SDMX words) has dimensions whose
values come from code lists, a measure (``value``) and an observation status attribute
(``status``, SDMX ``OBS_STATUS``: ``A`` normal, ``E`` estimated, ``P`` provisional,
``M`` missing, ``C`` confidential/suppressed). ``period`` and ``region`` are dimensions
every dataset has; a national table uses region ``"00"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from migralink.errors import Location

__all__ = [
    "OBS_STATUS",
    "DatasetMeta",
    "DimensionMeta",
    "Reject",
    "SourceTable",
]

#: SDMX OBS_STATUS codes used by migralink, with their meaning.
OBS_STATUS: dict[str, str] = {
    "A": "normal value",
    "E": "estimated value",
    "P": "provisional value",
    "M": "missing value (blank in the source)",
    "C": "confidential: suppressed by disclosure control",
}


@dataclass(frozen=True)
class DatasetMeta:
    """Provenance and description of one dataset (stable across its versions).

    Attributes:
        id: short stable identifier used on the command line (``moj_stay_status``).
        title_ko: Korean title as the publisher gives it.
        title_en: English title.
        publisher: who publishes the table.
        source_url: where the table is published.
        licence: the licence as the source states it.
        unit: the unit of ``value`` (``persons``, ``cases``...).
        reference_date: what a period refers to, e.g. ``"31 December of each year"``.
        region_system: ``"mois"`` (MOIS administrative codes; default) or ``"m49"`` (UN
            M49 country and area codes).
        notes: caveats a user should read before using the numbers.
        period_day: the day of the year an annual period refers to (``"12-31"``).
    """

    id: str
    title_ko: str
    title_en: str
    publisher: str
    source_url: str
    licence: str
    unit: str = "persons"
    reference_date: str = ""
    region_system: str = "mois"
    notes: str = ""
    period_day: str = "12-31"


@dataclass(frozen=True)
class DimensionMeta:
    """One dimension of a dataset besides ``period`` and ``region``.

    Attributes:
        id: column name in the cube (``nationality``, ``status``, ``sex``...).
        title_ko: Korean name.
        title_en: English name.
        codelist: the global code list its values come from (``nationality``,
            ``status``, ``sex``) or ``None`` for a list local to the dataset.
        total: the code of the published total (``_T``), if the table gives one;
            queries that do not ask for this dimension read the total rather than
            re-adding the parts.
    """

    id: str
    title_ko: str = ""
    title_en: str = ""
    codelist: str | None = None
    total: str | None = None


@dataclass(frozen=True)
class Reject:
    """A source row that could not be turned into observations, and why."""

    location: Location
    reason: str
    raw: str = ""


@dataclass
class SourceTable:
    """A source file read into the cube's shape, not yet stored.

    ``frame`` has the columns ``period``, ``region``, one column per dimension in
    ``dimensions`` (all strings), ``value`` (Float64, null when missing), ``status`` and
    ``source_row`` (the 1-based row of the source file it came from).
    """

    meta: DatasetMeta
    source_file: Path
    source_sha256: str
    dimensions: tuple[DimensionMeta, ...]
    frame: pl.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    mapping_text: str = ""
    retrieved: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def dimension_ids(self) -> list[str]:
        """The dimension columns, in order, without period and region."""
        return [d.id for d in self.dimensions]

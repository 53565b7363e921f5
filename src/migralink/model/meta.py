"""Descriptions of datasets: what a dataset is, its dimensions, its measures, its inputs.

The model follows SDMX lines: a *dataset* (a dataflow, in SDMX words) has dimensions whose
values come from code lists, one or more measures, and an observation status attribute
(``status``, SDMX ``OBS_STATUS``). ``period`` (role ``time``) and ``region`` (role
``area``) are dimensions every dataset has; a national table uses region ``"00"``. Every
class here is a frozen dataclass that round-trips through JSON
(:func:`migralink.model.to_json` / :func:`migralink.model.from_json`).
"""

from __future__ import annotations

from dataclasses import dataclass

from migralink.model.kinds import (
    ROLES,
    VALUE_KINDS,
    DimensionRole,
    ValueKind,
    is_additive,
)

__all__ = ["DEFAULT_MEASURE", "DatasetMeta", "DatasetRef", "DimensionMeta", "Measure"]

#: The column of the main measure in every observation table.
DEFAULT_MEASURE = "value"


@dataclass(frozen=True)
class Measure:
    """One measure of a dataset (a column of numbers in its observation table).

    Attributes:
        id: the column name (``value`` for the main measure; ``numerator``...).
        title_ko: Korean name.
        title_en: English name.
        unit: what one unit of the number is (``persons``, ``%``, ``KRW``).
        value_kind: ``count | rate | share | index | currency | number``; only counts and
            currency may be summed over a dimension.
    """

    id: str = DEFAULT_MEASURE
    title_ko: str = "값"
    title_en: str = "value"
    unit: str = "persons"
    value_kind: ValueKind = "count"

    def __post_init__(self) -> None:
        if self.value_kind not in VALUE_KINDS:
            raise ValueError(
                f"value_kind {self.value_kind!r} is not one of {', '.join(VALUE_KINDS)}"
            )

    @property
    def additive(self) -> bool:
        """Whether the values may be summed over a dimension."""
        return is_additive(self.value_kind)


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
        unit: the unit of the main measure ``value`` (``persons``, ``cases``...).
        reference_date: what a period refers to, e.g. ``"31 December of each year"``.
        region_system: ``"mois"`` (MOIS administrative codes; default) or ``"m49"`` (UN
            M49 country and area codes).
        notes: caveats a user should read before using the numbers.
        period_day: the day of the year an annual period refers to (``"12-31"``).
        measures: the measures, the main one (``value``) first. Left empty, it is one
            count measure ``value`` in ``unit``.
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
    measures: tuple[Measure, ...] = ()

    def __post_init__(self) -> None:
        if not self.measures:  # the common case: one count, in the dataset's unit
            object.__setattr__(self, "measures", (Measure(unit=self.unit),))
        if self.measures[0].id != DEFAULT_MEASURE:
            raise ValueError(f"the first measure of {self.id!r} must be {DEFAULT_MEASURE!r}")

    @property
    def measure_ids(self) -> tuple[str, ...]:
        """The measure columns, the main one first."""
        return tuple(m.id for m in self.measures)

    def measure(self, ident: str = DEFAULT_MEASURE) -> Measure:
        """One measure by id.

        Raises:
            KeyError: the dataset has no such measure.
        """
        for m in self.measures:
            if m.id == ident:
                return m
        raise KeyError(ident)


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
        role: ``category`` for every dimension but the implicit ``period`` (``time``)
            and ``region`` (``area``); ``measure`` where the codes are different
            quantities (applications and grants): a query keeps them apart.
    """

    id: str
    title_ko: str = ""
    title_en: str = ""
    codelist: str | None = None
    total: str | None = None
    role: DimensionRole = "category"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role {self.role!r} is not one of {', '.join(ROLES)}")


@dataclass(frozen=True, order=True)
class DatasetRef:
    """One version of one dataset, as an input of another (``derived_from``)."""

    id: str
    version: int

    def __str__(self) -> str:
        return f"{self.id} v{self.version}"

"""What an indicator is, as data: the declarations the engine computes.

An indicator is declared once, in a TOML catalogue (``catalogue.toml`` ships with
migralink; users may load their own): its names and definitions in Korean and English,
the *kind* of formula (one of :data:`KINDS`, each implemented once by the engine), the
slices of the cube it reads (:class:`Measure`), the regional levels and disaggregations
it is computed for, its unit, its framework tags and its caveats. Declaring a new
indicator of an existing kind needs no code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "KINDS",
    "LEVELS",
    "PEERS",
    "Catalogue",
    "IndicatorSpec",
    "Label",
    "Measure",
    "Params",
    "Term",
]

#: The formula kinds the engine implements (see docs/indicators.md for each formula).
KINDS: frozenset[str] = frozenset({
    "ratio", "yoy_change", "cagr", "composition", "sex_ratio", "location_quotient",
    "share_of_national", "threshold_flag", "rank", "diversity_shannon",
    "diversity_simpson", "top_share", "dissimilarity", "isolation", "exposure",
})

#: Regional levels an indicator can be computed at. ``sigungu`` is the local government
#: (a city with districts counted as the city); ``gu`` the districts of such cities.
LEVELS: tuple[str, ...] = ("country", "sido", "sigungu", "gu")

#: Peer groups of local governments for ranks: all, and by kind (시, 군, 자치구).
PEERS: tuple[str, ...] = ("all", "city", "county", "district")


@dataclass(frozen=True)
class Term:
    """One slice of one dataset: the dataset id and the codes kept on some dimensions.

    Attributes:
        dataset: dataset id in the evidence base.
        filters: ``(dimension, codes)`` pairs; several codes are added up.
    """

    dataset: str
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def filtered(self) -> frozenset[str]:
        """The dimensions this term fixes."""
        return frozenset(dim for dim, _ in self.filters)

    def describe(self) -> str:
        """``dataset[dim=code,…]`` for catalogues and error messages."""
        inner = ",".join(f"{d}={'|'.join(codes)}" for d, codes in self.filters)
        return f"{self.dataset}[{inner}]" if inner else self.dataset


@dataclass(frozen=True)
class Measure:
    """A quantity read from the cube: the sum of one or more terms.

    The sum of terms states composite denominators exactly (registered residents plus
    foreign nationals); a region present in only some terms has no value.
    """

    terms: tuple[Term, ...]

    @property
    def datasets(self) -> tuple[str, ...]:
        """The datasets read, in order, without repeats."""
        return tuple(dict.fromkeys(t.dataset for t in self.terms))

    def describe(self) -> str:
        """Terms joined by `` + ``."""
        return " + ".join(t.describe() for t in self.terms)


@dataclass(frozen=True)
class Params:
    """Kind-specific parameters (each kind reads only its own; the rest stay unset).

    Attributes:
        scale: multiplier of a ratio (100 for percent); default from the unit.
        relative: ``yoy_change``: percent change (true) or the change in persons.
        male: ``sex_ratio``: the code of males.
        female: ``sex_ratio``: the code of females.
        normalised: ``diversity_shannon``: divide by ln(number of categories).
        top: ``top_share``: how many of the largest categories.
        count_at_least: ``threshold_flag``: flag when the numerator reaches this.
        percent_at_least: ``threshold_flag``: flag when numerator/denominator×100
            reaches this (either condition flags).
        of: ``rank``: the indicator ranked.
        rank_on: ``rank``: ``value``, ``numerator`` or ``denominator`` of that indicator.
        peers: ``rank``: the peer groups ranked within (:data:`PEERS`).
        units: segregation kinds: the level of the sub-units (``sigungu``).
    """

    scale: float | None = None
    relative: bool = True
    male: str = "M"
    female: str = "F"
    normalised: bool = True
    top: int = 3
    count_at_least: float | None = None
    percent_at_least: float | None = None
    of: str | None = None
    rank_on: str = "value"
    peers: tuple[str, ...] = PEERS
    units: str = "sigungu"


@dataclass(frozen=True)
class IndicatorSpec:
    """One declared indicator (parsed and checked from a catalogue file).

    Attributes:
        id: stable identifier (``foreign_share``).
        kind: the formula kind, one of :data:`KINDS`.
        name_ko: Korean name.
        name_en: English name.
        definition_ko: Korean definition.
        definition_en: English definition.
        unit: ``percent``, ``ratio``, ``index``, ``rank``, ``flag``, ``persons``…
        numerator: what is counted (``None`` only for ``rank``).
        denominator: what it is set against, where the kind takes one.
        by: the dimension a composition, quotient or diversity runs over.
        parts: the codes of ``by`` reported (empty: every code but the total).
        disaggregations: further dimensions computed separately (``sex``, ``group``).
        levels: regional levels computed (:data:`LEVELS`).
        gcm: Global Compact for Migration objectives (1-23).
        sdg: SDG targets (``17.18``).
        oecd: OECD/EU *Settling In* indicator family, or empty where none applies.
        caveats_ko: what a Korean reader must know.
        caveats_en: what an English reader must know.
        params: kind-specific parameters.
        source: the catalogue file it was declared in.
    """

    id: str
    kind: str
    name_ko: str
    name_en: str
    definition_ko: str
    definition_en: str
    unit: str
    numerator: Measure | None = None
    denominator: Measure | None = None
    by: str | None = None
    parts: tuple[str, ...] = ()
    disaggregations: tuple[str, ...] = ()
    levels: tuple[str, ...] = ("sigungu",)
    gcm: tuple[int, ...] = ()
    sdg: tuple[str, ...] = ()
    oecd: str = ""
    caveats_ko: str = ""
    caveats_en: str = ""
    params: Params = field(default_factory=Params)
    source: str = ""

    @property
    def datasets(self) -> tuple[str, ...]:
        """Every dataset the indicator reads directly."""
        found: list[str] = []
        for measure in (self.numerator, self.denominator):
            if measure is not None:
                found += measure.datasets
        return tuple(dict.fromkeys(found))

    @property
    def scale(self) -> float:
        """Multiplier of a ratio: 100 for percent unless the catalogue says otherwise."""
        if self.params.scale is not None:
            return self.params.scale
        return 100.0 if self.unit == "percent" else 1.0


@dataclass(frozen=True)
class Label:
    """The Korean and English name of a code (for headline tables)."""

    ko: str
    en: str


@dataclass(frozen=True)
class Catalogue:
    """A checked set of indicators and the code labels they are shown with."""

    indicators: tuple[IndicatorSpec, ...]
    labels: dict[str, dict[str, Label]] = field(default_factory=dict)

    def get(self, indicator_id: str) -> IndicatorSpec:
        """The indicator with this id (``KeyError`` when absent)."""
        for spec in self.indicators:
            if spec.id == indicator_id:
                return spec
        raise KeyError(indicator_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Indicator ids in declaration order."""
        return tuple(s.id for s in self.indicators)

    def label(self, dim: str, code: str) -> Label:
        """The label of a code, or the code itself in both languages."""
        return self.labels.get(dim, {}).get(code, Label(code, code))

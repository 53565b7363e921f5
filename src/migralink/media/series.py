"""Which series of the evidence base can test a claim about each population, best first.

Every population key of :mod:`migralink.media.lexicon` has ranked candidate queries. The
checker takes the first candidate that holds the claim's period and area. Populations
the evidence base does not measure (refugees, North Korean defectors, multicultural
families nationally) say so, and claims about them get "cannot be checked".
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EMPLOYMENT_STATUSES", "PopulationSpec", "SeriesQuery", "narrowed",
           "population_spec"]

#: Residence statuses that are work permits: professional E-1…E-7, seasonal E-8,
#: non-professional E-9, crew E-10 and working visit H-2.
EMPLOYMENT_STATUSES = ("E-1", "E-2", "E-3", "E-4", "E-5", "E-6", "E-7", "E-8", "E-9",
                       "E-10", "H-2")


@dataclass(frozen=True)
class SeriesQuery:
    """One query on one dataset that measures a population.

    Attributes:
        dataset: dataset id in the evidence base.
        measures: what the figure counts, in English (shown in every ruling).
        filters: fixed ``(dimension, code)`` filters.
        sum_dim: a dimension whose codes ``sum_codes`` are added up (None: the total).
        sum_codes: codes of ``sum_dim`` to add.
        regional: whether the dataset answers for a province or municipality.
    """

    dataset: str
    measures: str
    filters: tuple[tuple[str, str], ...] = ()
    sum_dim: str | None = None
    sum_codes: tuple[str, ...] = ()
    regional: bool = False

    def describe(self) -> str:
        """The query in words: dataset, filters and summed codes."""
        parts = [self.dataset]
        parts += [f"{d}={c}" for d, c in self.filters]
        if self.sum_dim:
            parts.append(f"sum of {self.sum_dim} in {'+'.join(self.sum_codes)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class PopulationSpec:
    """How to check figures about one population.

    Attributes:
        key: the population key.
        label: its name in English and Korean.
        candidates: queries, best first.
        lower_bound: the series counts only part of the population (work permits are a
            part of all foreigners who work); ``upper`` then bounds it from above.
        upper: series that contain the population (for lower-bound populations).
        confusions: series people often quote for this population by mistake.
        no_series: why the evidence base cannot check it ("" when it can).
    """

    key: str
    label: str
    candidates: tuple[SeriesQuery, ...] = ()
    lower_bound: bool = False
    upper: tuple[SeriesQuery, ...] = ()
    confusions: tuple[SeriesQuery, ...] = ()
    no_series: str = ""


_STAY = SeriesQuery("moj_stay_monthly_status", "all foreigners staying in Korea (체류외국인: "
                    "long- and short-term, MOJ)")
_STAY_2024 = SeriesQuery("moj_stay_status", "all foreigners staying in Korea (체류외국인, MOJ)")
_LONGTERM = SeriesQuery("moj_stay_longterm", "long-term foreign residents (장기체류외국인, MOJ; "
                        "the table has no F-4 residence reports)")
_MOIS_FOREIGN = SeriesQuery("mois_foreign_residents_sigungu", "foreign nationals among "
                            "MOIS foreign residents (한국국적을 가지지 않은 자)",
                            (("group", "foreign_nationals"), ("sex", "_T")), regional=True)
_MOIS_ALL = SeriesQuery("mois_foreign_residents_sigungu", "MOIS foreign residents "
                        "(외국인주민: foreign nationals, naturalised Koreans and their "
                        "children)", (("group", "_T"), ("sex", "_T")), regional=True)
_REGISTERED = SeriesQuery("moj_registered_region_status", "registered foreigners "
                          "(등록외국인, MOJ)", regional=True)
#: moj_stay_longterm has every long-term status but F-4 (whose holders report residence
#: instead of registering), so its total is the registered population (1,488,353 in 2024).
_LONGTERM_REGISTERED = SeriesQuery("moj_stay_longterm", "registered foreigners (MOJ long-term "
                                   "statuses without F-4 residence reports)")
_SEOUL_REGISTERED = SeriesQuery("seoul_population_by_district", "registered foreigners in "
                                "Seoul (Seoul statistics)", (("population_group",
                                                              "registered_foreigners"),),
                                regional=True)
_EMPLOY = SeriesQuery("moj_stay_monthly_status", "foreigners holding a work permit "
                      "(E-1…E-10, H-2)", sum_dim="residence_status",
                      sum_codes=EMPLOYMENT_STATUSES)
_EMPLOY_2024 = SeriesQuery("moj_stay_status", "foreigners holding a work permit "
                           "(E-1…E-10, H-2)", sum_dim="residence_status",
                           sum_codes=EMPLOYMENT_STATUSES)
_ALL_CHINESE = SeriesQuery("moj_stay_monthly_nationality", "all Chinese nationals "
                           "(중국 + 한국계중국인)", sum_dim="nationality",
                           sum_codes=("CHN", "CHN-KR"))


def _status(code: str, what: str) -> tuple[SeriesQuery, ...]:
    return (
        SeriesQuery("moj_stay_monthly_status", what, sum_dim="residence_status",
                    sum_codes=(code,)),
        SeriesQuery("moj_stay_status", what, sum_dim="residence_status", sum_codes=(code,)),
        SeriesQuery("moj_registered_region_status", what + ", registered", sum_dim=
                    "residence_status", sum_codes=(code,), regional=True),
    )


def _province_groups(group: str, what: str) -> tuple[SeriesQuery, ...]:
    """Provincial foreign-resident tables (Jeju 2023, Chungnam 2024) for one group."""
    return tuple(SeriesQuery(dataset, f"{what}, {place} foreign residents",
                             (("group", group),), regional=True)
                 for dataset, place in (("jeju_foreign_residents_district", "Jeju"),
                                        ("chungnam_foreign_residents_type", "Chungnam")))


def _province_totals() -> tuple[SeriesQuery, ...]:
    """All foreign residents (every group) of the Jeju and Chungnam tables."""
    jeju = ("naturalised", "marriage_migrants", "students", "other_foreigners", "children",
            "overseas_koreans", "workers")
    chungnam = ("workers", "marriage_migrants", "naturalised", "children", "other_foreigners")
    return (SeriesQuery("jeju_foreign_residents_district", "foreign residents (외국인주민), "
                        "Jeju", sum_dim="group", sum_codes=jeju, regional=True),
            SeriesQuery("chungnam_foreign_residents_type", "foreign residents (외국인주민), "
                        "Chungnam", sum_dim="group", sum_codes=chungnam, regional=True))


def _chungnam_nationality(codes: tuple[str, ...], what: str) -> SeriesQuery:
    return SeriesQuery("chungnam_foreign_residents_nationality", f"{what}, Chungnam foreign "
                       "residents", sum_dim="nationality", sum_codes=codes, regional=True)


def _mois(group: str, what: str) -> SeriesQuery:
    return SeriesQuery("mois_foreign_residents_sigungu", what,
                       (("group", group), ("sex", "_T")), regional=True)


_SPECS: dict[str, PopulationSpec] = {
    spec.key: spec for spec in (
        PopulationSpec("foreigners", "foreigners (외국인)",
                       (_STAY, _STAY_2024, _MOIS_FOREIGN, _REGISTERED),
                       confusions=(_LONGTERM, _MOIS_ALL)),
        PopulationSpec("registered", "registered foreigners (등록외국인)",
                       (_LONGTERM_REGISTERED, _REGISTERED, _SEOUL_REGISTERED),
                       confusions=(_STAY,)),
        PopulationSpec("longterm", "long-term foreign residents (장기체류외국인)",
                       (_LONGTERM,), confusions=(_STAY,)),
        PopulationSpec("foreign_residents", "foreign residents (외국인주민, MOIS)",
                       (_MOIS_ALL, *_province_totals()), confusions=(_STAY,)),
        PopulationSpec("undocumented", "undocumented foreigners (불법체류 외국인)",
                       (SeriesQuery("moj_undocumented", "foreigners staying without "
                                    "permission (불법체류, MOJ)"),)),
        PopulationSpec("workers", "foreign workers (외국인 노동자)",
                       (_EMPLOY, _EMPLOY_2024, _mois("workers", "foreign workers "
                                                     "(외국인근로자, MOIS)"),
                        *_province_groups("workers", "foreign workers (외국인근로자)")),
                       lower_bound=True, upper=(_LONGTERM, _STAY),
                       confusions=(_LONGTERM, _STAY)),
        PopulationSpec("h2_workers", "working visit holders on H-2 (방문취업)",
                       _status("H-2", "foreigners on H-2 (방문취업)"), confusions=(_EMPLOY,)),
        PopulationSpec("overseas_koreans", "overseas Koreans on F-4 (재외동포)",
                       _status("F-4", "foreigners on F-4 (재외동포)")[:2]),
        PopulationSpec("permanent_residents", "permanent residents on F-5 (영주)",
                       _status("F-5", "foreigners on F-5 (영주)")),
        PopulationSpec("naturalisations", "naturalisations granted in a year (귀화 허가)",
                       (SeriesQuery("moj_naturalisations_by_type", "naturalisations granted "
                                    "(귀화 허가, MOJ)", (("acquisition_type", "naturalisation"),
                                                       ("stage", "granted"))),)),
        PopulationSpec("migrant_stock", "international migrant stock of Korea (UN DESA)",
                       (SeriesQuery("undesa_migrant_stock", "international migrant stock "
                                    "(foreign-born or foreign, UN DESA)",
                                    (("region", "410"), ("sex", "_T"))),)),
        PopulationSpec("e9_workers", "non-professional workers on E-9 (비전문취업)",
                       _status("E-9", "foreigners on E-9 (비전문취업)"),
                       confusions=(_EMPLOY,)),
        PopulationSpec("marriage_migrants", "marriage migrants (결혼이민자)",
                       (*_status("F-6", "marriage migrants on F-6 (결혼이민)")[:2],
                        _mois("marriage_migrants", "marriage migrants (결혼이민자, MOIS)"),
                        *_province_groups("marriage_migrants", "marriage migrants "
                                          "(결혼이민자)"))),
        PopulationSpec("students", "foreign students (외국인 유학생)",
                       (SeriesQuery("moj_students_monthly", "foreign students (D-2, "
                                    "D-4 language trainees)"),
                        SeriesQuery("moj_students_annual", "foreign students (yearly)"),
                        _mois("students", "foreign students (유학생, MOIS)"))),
        PopulationSpec("ethnic_korean_chinese", "ethnic Korean Chinese nationals (한국계 중국인)",
                       (SeriesQuery("moj_stay_monthly_nationality", "Chinese nationals of "
                                    "Korean ethnicity (한국계중국인)", sum_dim="nationality",
                                    sum_codes=("CHN-KR",)),
                        SeriesQuery("moj_stay_status", "Chinese nationals of Korean "
                                    "ethnicity (한국계중국인)", sum_dim="nationality",
                                    sum_codes=("CHN-KR",)),
                        _chungnam_nationality(("CHN-KR",), "Chinese nationals of Korean "
                                              "ethnicity (한국계중국인)")),
                       confusions=(_ALL_CHINESE,)),
        PopulationSpec("naturalised", "naturalised Koreans (귀화자)",
                       (_mois("naturalised", "naturalised Koreans (한국국적을 취득한 자, MOIS)"),)),
        PopulationSpec("refugees", "refugees (난민)", no_series="the evidence base holds no "
                       "refugee or asylum statistics (MOJ 난민 통계 are not ingested)"),
        PopulationSpec("defectors", "North Korean defectors (북한이탈주민)", no_series="the "
                       "evidence base holds no Ministry of Unification figures on defectors"),
        PopulationSpec("race", "groups by race or religion", no_series="Korean statistics "
                       "count foreigners by nationality and residence status, not by race or "
                       "religion"),
        PopulationSpec("tourists", "foreign visitors (외국인 관광객·입국자)", no_series="arrivals "
                       "and visitors are flows across the border; the evidence base holds stocks "
                       "of foreigners staying in Korea, which are not the same"),
        PopulationSpec("multicultural", "multicultural families (다문화 가족)", no_series="the "
                       "evidence base holds multicultural-family counts for Busan only"),
    )
}


def population_spec(key: str, nationalities: tuple[str, ...] = ()) -> PopulationSpec | None:
    """The spec for a population key; nationality groups get one built for their codes."""
    if key != "nationality":
        return _SPECS.get(key)
    if not nationalities:
        return None
    names = "+".join(nationalities)
    monthly = SeriesQuery("moj_stay_monthly_nationality", f"foreigners of nationality {names}",
                          sum_dim="nationality", sum_codes=nationalities)
    yearly = SeriesQuery("moj_stay_status", f"foreigners of nationality {names}",
                         sum_dim="nationality", sum_codes=nationalities)
    confusions: tuple[SeriesQuery, ...] = ()
    if nationalities == ("CHN", "CHN-KR"):
        confusions = (SeriesQuery("moj_stay_monthly_nationality", "Chinese nationals not of "
                                  "Korean ethnicity (중국)", sum_dim="nationality",
                                  sum_codes=("CHN",)),)
    regional = _chungnam_nationality(nationalities, f"foreigners of nationality {names}")
    return PopulationSpec("nationality", f"nationals of {names}", (monthly, yearly, regional),
                          confusions=confusions)


def narrowed(spec: PopulationSpec, dim: str, codes: tuple[str, ...], what: str,
             dimensions: dict[str, tuple[str, ...]]) -> PopulationSpec:
    """``spec`` restricted to ``codes`` of ``dim`` (a nationality or status inside it).

    Only candidates whose dataset has ``dim`` (``dimensions``: dataset → its dimensions)
    and that sum no other dimension can be narrowed; when none can, the spec says that the
    evidence base does not count the population by ``dim``.
    """
    kept = tuple(
        SeriesQuery(q.dataset, f"{q.measures}, {what}", q.filters, dim, codes, q.regional)
        for q in spec.candidates if q.sum_dim is None and dim in dimensions.get(q.dataset, ())
    )
    if not kept:
        return PopulationSpec(spec.key, f"{spec.label}, {what}", no_series=(
            f"the series on {spec.label} are not broken down by {dim.replace('_', ' ')}"))
    return PopulationSpec(spec.key, f"{spec.label}, {what}", kept)


def share_denominator() -> SeriesQuery:
    """All stay foreigners: the denominator of "X % of foreigners are …" claims."""
    return _STAY

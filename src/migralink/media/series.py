"""Which series of the evidence base can test a claim about each population, best first.

Every population key of :mod:`migralink.media.lexicon` has ranked candidate queries. The
checker takes the first candidate that holds the claim's period and area. Populations
the evidence base does not measure (refugees, North Korean defectors, multicultural
families nationally) say so, and claims about them get "cannot be checked".
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EMPLOYMENT_STATUSES", "PopulationSpec", "SeriesQuery", "population_spec"]

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
_LONGTERM = SeriesQuery("moj_stay_longterm", "long-term foreign residents (장기체류외국인: "
                        "registered foreigners and overseas Koreans with residence reports)")
_MOIS_FOREIGN = SeriesQuery("mois_foreign_residents_sigungu", "foreign nationals among "
                            "MOIS foreign residents (한국국적을 가지지 않은 자)",
                            (("group", "foreign_nationals"), ("sex", "_T")), regional=True)
_MOIS_ALL = SeriesQuery("mois_foreign_residents_sigungu", "MOIS foreign residents "
                        "(외국인주민: foreign nationals, naturalised Koreans and their "
                        "children)", (("group", "_T"), ("sex", "_T")), regional=True)
_REGISTERED = SeriesQuery("moj_registered_region_status", "registered foreigners "
                          "(등록외국인, MOJ)", regional=True)
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


def _mois(group: str, what: str) -> SeriesQuery:
    return SeriesQuery("mois_foreign_residents_sigungu", what,
                       (("group", group), ("sex", "_T")), regional=True)


_SPECS: dict[str, PopulationSpec] = {
    spec.key: spec for spec in (
        PopulationSpec("foreigners", "foreigners (외국인)",
                       (_STAY, _STAY_2024, _MOIS_FOREIGN, _REGISTERED),
                       confusions=(_LONGTERM, _MOIS_ALL)),
        PopulationSpec("registered", "registered foreigners (등록외국인)",
                       (_REGISTERED,), confusions=(_STAY, _LONGTERM)),
        PopulationSpec("longterm", "long-term foreign residents (장기체류외국인)",
                       (_LONGTERM,), confusions=(_STAY,)),
        PopulationSpec("foreign_residents", "foreign residents (외국인주민, MOIS)",
                       (_MOIS_ALL,), confusions=(_STAY,)),
        PopulationSpec("undocumented", "undocumented foreigners (불법체류 외국인)",
                       (SeriesQuery("moj_undocumented", "foreigners staying without "
                                    "permission (불법체류, MOJ)"),)),
        PopulationSpec("workers", "foreign workers (외국인 노동자)",
                       (_EMPLOY, _EMPLOY_2024, _mois("workers", "foreign workers "
                                                     "(외국인근로자, MOIS)")),
                       lower_bound=True, upper=(_LONGTERM, _STAY),
                       confusions=(_LONGTERM, _STAY)),
        PopulationSpec("e9_workers", "non-professional workers on E-9 (비전문취업)",
                       _status("E-9", "foreigners on E-9 (비전문취업)"),
                       confusions=(_EMPLOY,)),
        PopulationSpec("marriage_migrants", "marriage migrants (결혼이민자)",
                       (*_status("F-6", "marriage migrants on F-6 (결혼이민)")[:2],
                        _mois("marriage_migrants", "marriage migrants (결혼이민자, MOIS)"))),
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
                                    sum_codes=("CHN-KR",))),
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
    return PopulationSpec("nationality", f"nationals of {names}", (monthly, yearly),
                          confusions=confusions)


def share_denominator() -> SeriesQuery:
    """All stay foreigners: the denominator of "X % of foreigners are …" claims."""
    return _STAY

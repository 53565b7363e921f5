"""The verdict itself: compare a claimed figure with the linked official one.

Kept apart from :class:`~migralink.media.checker.Checker` (which reads figures) so that
the scale can be read in one place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from migralink.media.series import SeriesQuery, population_spec

if TYPE_CHECKING:
    from migralink.media.checker import Checker, Citation, Ruling, Verdict
    from migralink.media.claims import Claim

__all__ = ["rule_claim"]

#: Fewer people than this are an event ("일가족 5명", "900명 현황 파악"), not a population
#: stock: the smallest group the checker links (a nationality) counts tens of thousands.
_EVENT_SIZE = 1000
#: A share of foreigners is a share of the population when the sentence says so: 인구,
#: 주민 ("주민 10명 중 1명"), or 비율/비중/share with no other whole named.
_OF_POPULATION = re.compile(r"인구|국민|주민|비율|비중|population|residents of Korea|share"
                            r"|proportion", re.IGNORECASE)
#: MOIS total population of a municipality (Korean residents and foreign residents).
_MOIS_TOTAL = SeriesQuery("mois_population_sigungu", "total population (주민등록 인구 + "
                          "외국인주민, MOIS)", regional=True)
_POPULATION = SeriesQuery("population_sido", "resident registration population (주민등록 "
                          "인구, Koreans)", (("sex", "_T"),))


def _fmt(value: float, unit: str) -> str:
    return f"{value:.1f} %" if unit == "percent" else f"{value:,.0f}"


def _cannot(claim: Claim, why: str, tried: list[str],
            citations: tuple[Citation, ...] = ()) -> Ruling:
    from migralink.media.checker import Ruling

    return Ruling(claim, "cannot_check", why, citations, tuple(tried))


def rule_claim(checker: Checker, claim: Claim) -> Ruling:
    """The ruling on ``claim`` (see the scale in :mod:`migralink.media.checker`)."""
    tried: list[str] = []
    if claim.area == "foreign":
        return _cannot(claim, f"the figure is about a place outside Korea "
                       f"({claim.area_text.strip()}); the evidence base holds Korean "
                       "statistics only", tried)
    if claim.topic:
        return _cannot(claim, f"the figure is about {claim.topic!r}, which no series of the "
                       "evidence base measures (no crime, health, survey or event data)", tried)
    if claim.unit in ("times", "cases"):
        return _cannot(claim, "multiples and case counts are not compared with stock "
                       "figures; restate the claim as a count or a share", tried)
    if claim.vague:
        return _cannot(claim, f"{claim.number_text!r} is a vague quantity; no figure can be "
                       "compared with it", tried)
    if claim.unit == "persons" and claim.value < _EVENT_SIZE:
        return _cannot(claim, f"{claim.number_text} people is the size of an event or a group, "
                       "not of a population the evidence base counts", tried)
    spec = checker.spec_for(claim)
    if spec is None:
        return _cannot(claim, "no population of the evidence base matches "
                       f"{claim.population_text!r}", tried)
    if spec.no_series:
        return _cannot(claim, f"{spec.label}: {spec.no_series}", tried)
    main = checker.first_figure(spec.candidates, claim.period, claim.area, tried)
    if main is None:
        return _cannot(claim, f"no series of the evidence base counts {spec.label} for "
                       f"{claim.period or 'any period'} in this area", tried)
    if claim.unit == "percent":
        return _rule_share(checker, claim, spec.candidates, main, tried)
    return _rule_count(checker, claim, spec.lower_bound, spec.upper, spec.confusions, main,
                       tried)


def _aligned_population(checker: Checker, claim: Claim, candidates: tuple[SeriesQuery, ...],
                        main: Citation, tried: list[str]) -> tuple[Citation, Citation] | None:
    """Foreigners and population for one year: the latest year both have if undated."""
    people = checker.first_figure((_POPULATION,), main.period[:4], "00", tried)
    if people is not None:
        return main, people
    if claim.period is not None:
        return None
    latest = checker.first_figure((_POPULATION,), None, "00", tried)
    if latest is None:
        return None
    again = checker.first_figure(candidates, latest.period, "00", tried)
    return (again, latest) if again is not None else None


def _distance(claimed: float, official: float, hedge: str, tight: float) -> tuple[float, str]:
    """Relative distance of the claim from the figure, and how a bound reads (if any)."""
    if official <= 0:
        return float("inf"), ""
    if hedge == "over" and official >= claimed:
        return (0.0, "tight") if official <= claimed * tight else (0.0, "loose")
    if hedge == "under" and official <= claimed:
        return (0.0, "tight") if official * tight >= claimed else (0.0, "loose")
    return abs(claimed - official) / official, ""


def _band(checker: Checker, r: float, bound: str, hedge: str = "exact") -> Verdict:
    rules = checker.rules
    if bound == "loose":
        return "roughly_accurate"
    if r <= rules.accurate:
        # "300만 돌파" when the figure is 2.87 million: close, but the bound is false
        return "roughly_accurate" if hedge in ("over", "under") and not bound else "accurate"
    if r <= rules.roughly:
        return "roughly_accurate"
    if r <= rules.misleading:
        return "misleading"
    return "wrong"


def _confused(checker: Checker, claim: Claim, confusions: tuple[SeriesQuery, ...],
              main: Citation, tried: list[str]) -> Citation | None:
    """A series of another population whose figure the claimed number is."""
    for query in confusions:
        if query.dataset == main.dataset and query.describe() == main.query:
            continue
        other = checker.first_figure((query,), claim.period, claim.area, tried)
        if other is None and claim.period is None:
            continue
        if other is not None and other.value > 0 and (
                abs(claim.value - other.value) / other.value <= checker.rules.confusion):
            return other
    return None


def _rule_count(checker: Checker, claim: Claim, lower_bound: bool,
                upper: tuple[SeriesQuery, ...], confusions: tuple[SeriesQuery, ...],
                main: Citation, tried: list[str]) -> Ruling:
    from migralink.media.checker import Ruling

    rules = checker.rules
    r, bound = _distance(claim.value, main.value, claim.hedge, rules.tight_bound)
    when = (f"{main.period}" if claim.period else
            f"{main.period}, the latest figure (the claim names no date)")
    base = (f"Claimed {_fmt(claim.value, 'persons')} {claim.population_text}"
            f"{' (' + claim.hedge + ')' if claim.hedge != 'exact' else ''}; "
            f"official: {_fmt(main.value, 'persons')} {main.measures} in {when} "
            f"[{main.dataset} v{main.version}, {', '.join(main.source_files)}].")
    verdict = _band(checker, r, bound, claim.hedge)
    if verdict in ("accurate", "roughly_accurate"):
        note = {"loose": " The bound holds but understates the figure.",
                "tight": " The bound holds."}.get(bound, "")
        if claim.hedge in ("over", "under") and not bound:
            note = f" The claimed {claim.hedge}-bound does not hold."
        off = "" if bound else f" Off by {r:.0%}."
        other = _confused(checker, claim, confusions, main, tried) if r > rules.accurate \
            else None
        if other is not None:
            # close enough to stand, but closer still to another population's figure:
            # say so (영등포구 "외국인" 5만 5천 is the 외국인주민 total, not foreign nationals)
            note += (f" The number is closer to {_fmt(other.value, 'persons')}, "
                     f"{other.measures} ({other.period}): a different population.")
        cites = (main,) if other is None else (main, other)
        return Ruling(claim, verdict, f"{base}{off}{note}", cites, tuple(tried))
    other = _confused(checker, claim, confusions, main, tried)
    if other is not None:
        return Ruling(
            claim, "misleading",
            f"{base} The number is instead close to {_fmt(other.value, 'persons')}, "
            f"{other.measures} ({other.period}, {other.dataset}): a different population "
            f"— {other.measures} ≠ {main.measures}.", (main, other), tuple(tried))
    if lower_bound and claim.value > main.value:
        ceiling = checker.first_figure(upper, claim.period, claim.area, tried)
        if ceiling is not None and claim.value <= ceiling.value * (1 + rules.accurate):
            return Ruling(
                claim, "cannot_check",
                f"{base} Work permits count only part of the foreigners who work (F-4, F-5, "
                f"F-6 holders may work too); all {ceiling.measures} number "
                f"{_fmt(ceiling.value, 'persons')} ({ceiling.period}). The claimed figure "
                "lies between the two, and employment of foreigners is not in the evidence "
                "base.", (main, ceiling), tuple(tried))
        if ceiling is not None:
            return Ruling(
                claim, "wrong",
                f"{base} Even all {ceiling.measures} number {_fmt(ceiling.value, 'persons')} "
                f"({ceiling.period}).", (main, ceiling), tuple(tried))
    direction = "overstates" if claim.value > main.value else "understates"
    return Ruling(claim, verdict, f"{base} The claim {direction} it by {r:.0%}.", (main,),
                  tuple(tried))


def _rule_share(checker: Checker, claim: Claim, candidates: tuple[SeriesQuery, ...],
                main: Citation, tried: list[str]) -> Ruling:
    """Shares: foreigners in the population, or one group among all stay foreigners."""

    if claim.share_of not in (None, "foreigners", claim.population):
        return _cannot(claim, f"a share among {claim.share_of} cannot be computed from these "
                       "data (the tables do not cross the two groups)", tried, (main,))
    if main.dataset == "mois_foreign_residents_sigungu" and (
            claim.population == "foreign_residents" or claim.area != "00"):
        total = checker.first_figure((_MOIS_TOTAL,), main.period, claim.area, tried)
        if total is None:
            return _cannot(claim, "no MOIS total population for the year and area of the "
                           "foreign-resident count", tried, (main,))
        official = 100.0 * main.value / total.value
        how = (f"{_fmt(main.value, 'persons')} {main.measures} / "
               f"{_fmt(total.value, 'persons')} {total.measures} ({main.period})")
        return _share_ruling(checker, claim, official, how, (main, total), tried)
    if claim.status or (claim.nationalities and claim.population != "nationality"):
        return _part_share(checker, claim, main, tried)
    if claim.population == "foreigners":
        if not _OF_POPULATION.search(claim.sentence):
            return _cannot(claim, "a share of foreigners in something other than the "
                           "population cannot be computed from these data", tried, (main,))
        pair = _aligned_population(checker, claim, candidates, main, tried)
        if pair is None:
            return _cannot(claim, "no population figure for the year of the foreigner count",
                           tried, (main,))
        main, people = pair
        official = 100.0 * main.value / (people.value + main.value)
        how = (f"{_fmt(main.value, 'persons')} {main.measures} ({main.period}) / "
               f"({_fmt(people.value, 'persons')} {people.measures} + foreigners)")
        cites = (main, people)
    else:
        total = checker.denominator(main.period)
        # national stocks of one group over all stay foreigners of the same year: MOJ's
        # 불법체류율 is undocumented / stay foreigners
        if total is None or main.dataset not in ("moj_stay_monthly_status",
                                                 "moj_stay_monthly_nationality",
                                                 "moj_stay_status", "moj_undocumented",
                                                 "moj_students_monthly"):
            return _cannot(claim, "a share needs a count of all stay foreigners for the same "
                           "period, which these data lack", tried, (main,))
        official = 100.0 * main.value / total.value
        how = (f"{_fmt(main.value, 'persons')} {main.measures} / "
               f"{_fmt(total.value, 'persons')} {total.measures} ({main.period})")
        cites = (main, total)
    return _share_ruling(checker, claim, official, how, cites, tried)


def _part_share(checker: Checker, claim: Claim, main: Citation,
                tried: list[str]) -> Ruling:
    """The share of a part (a status, a nationality) of a population: "불법체류자 3명 중 1명은
    사증면제(B-1)", "유학생 가운데 절반이 베트남 출신". ``main`` already counts the part."""
    spec = population_spec(claim.population)
    wholes = tuple(q for q in (spec.candidates if spec else ()) if q.dataset == main.dataset)
    whole = checker.first_figure(wholes, main.period, claim.area, tried)
    if whole is None or whole.value <= 0:
        return _cannot(claim, f"no total of {main.dataset} for {main.period} to take the "
                       "share of", tried, (main,))
    official = 100.0 * main.value / whole.value
    how = (f"{_fmt(main.value, 'persons')} {main.measures} / "
           f"{_fmt(whole.value, 'persons')} {whole.measures} ({main.period})")
    return _share_ruling(checker, claim, official, how, (main, whole), tried)


def _share_ruling(checker: Checker, claim: Claim, official: float, how: str,
                  cites: tuple[Citation, ...], tried: list[str]) -> Ruling:
    from migralink.media.checker import Ruling

    r, bound = _distance(claim.value, official, claim.hedge, checker.rules.tight_bound)
    verdict = _band(checker, r, bound, claim.hedge)
    text = (f"Claimed {claim.value:.1f} %; official share {official:.1f} % = {how} "
            f"[{', '.join(c.dataset + ' v' + str(c.version) for c in cites)}]. "
            f"Off by {r:.0%} of the official share.")
    return Ruling(claim, verdict, text, cites, tuple(tried))

"""Spotting numeric claims about migrants in Korean and English text, and parsing them.

A *claim* here is a sentence that puts a figure (a count, a share, a multiple) on a
migrant or foreign population, or on something about them. Each is parsed into quantity,
unit, population, period, area and hedge, ready for :mod:`migralink.media.checker`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Literal

from migralink.media.claims_qualifiers import (
    CHANGE_AFTER,
    HALF,
    SURVEY_SHARE,
    money_before,
    nationality_before,
    share_whole,
    status_in,
)
from migralink.media.lexicon import (
    AREA_FOREIGN,
    AREA_KOREA,
    HEDGES,
    TOPIC_NO_SERIES,
    population_pattern,
)
from migralink.media.numerals import NumberMention, find_numbers

__all__ = ["Claim", "find_claims", "split_sentences"]

Unit = Literal["persons", "percent", "times", "cases"]
Hedge = Literal["exact", "approx", "over", "under"]

#: How far (characters) a population word may be from its number and still own it: a
#: Korean clause with a particle or two ("100만 명이 넘는 이주 노동자") fits in this.
_WINDOW = 20
#: English words are longer: "defectors in the South number about 34,000".
_WINDOW_EN = 45
#: Longest population mention the lexicon matches, in characters (bounds the search).
_LONGEST = 40
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|(?<=[다요죠음함]\.)|\n+|(?<=[?!])(?=\S)")
_UNIT_AFTER = (
    ("percent", re.compile(r"\s?(?:%|％|퍼센트|퍼(?![가-힣])|percent|per cent)", re.I)),
    ("times", re.compile(r"\s?배(?![가-힣]*(?:추|우))")),
    ("persons", re.compile(r"\s?(?:여\s?)?(?:명|인(?![가-힣])|people|persons|individuals)", re.I)),
    ("cases", re.compile(r"\s?건(?![가-힣]*(?:강|물|설))")),
)
#: A number followed by one of these counts money, things, time or age, not people.
_NOT_PEOPLE = re.compile(
    r"\s?(?:%p|개|원|달러|위안|엔|유로|세(?![대계])|살|년|월|일|시간|시(?![대작민장])|분|초|차|위|등|번|회|호|"
    r"km|kg|대(?!한)|층|도(?![시])|표|석|곳|편|쪽|장|마리|평|톤|t\b|won|dollars?|years?|"
    r"days?|months?|hours?|cases of|votes?|seats?)",
    re.I,
)
_MONEY_BEFORE = re.compile(r"(?:\$|₩|US\$|USD|KRW)\s?$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s?년(?:\s?(\d{1,2})\s?월)?"
                   r"|(?:in|as of|end of|since|by|early|late)\s((?:19|20)\d{2})", re.I)
_NOW = re.compile(r"현재|지금|요즘|최근|이제|now|currently|today", re.I)
#: Populations that narrow a nearby general one (workers → E-9 workers, foreigners →
#: undocumented foreigners).
_QUALIFIERS = frozenset({"e9_workers", "undocumented", "marriage_migrants"})
_OUT_OF = re.compile(r"(\d+)\s?명\s?중\s?(\d+)\s?명")
_EN_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10}
#: "4 out of 10 rural bachelors", "One in 10 children": a share written as a ratio.
_OUT_OF_EN = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s(?:out\s)?"
                        r"(?:of|in)\s(\d+|two|three|four|five|six|seven|eight|nine|ten)\b"
                        r"(?!\s?(?:%|percent|years?))", re.I)
#: Population words the shared lexicon lacks, as (key, pattern, codes), placed just before
#: the lexicon pattern of the same key.
_EXTRA_POPULATIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("defectors", r"북한\s?출신|(?:is |are |come )?from North Korea", ()),
    ("race", r"이슬람교?\s?(?:신자|신도)", ()),
    ("nationality", r"인도네시아\s?(?:어부|선원|노동자)", ("IDN",)),
    ("nationality", r"베트남\s?(?:어부|선원|노동자|신부)", ("VNM",)),
    ("nationality", r"필리핀\s?(?:어부|선원|노동자|신부)", ("PHL",)),
)
#: Figures on these are not in the evidence base either (occupations, schooling, marriage).
_EXTRA_TOPICS = re.compile(r"어부|선원|fisherm[ae]n|sailors|married to|at school|bullied"
                           r"|ostraci[sz]ed|criminals?", re.I)
#: A group word used as an adjective ("짱깨클라스", "중국인 같은") names no people.
_FIGURATIVE = re.compile(r"\s?(?:클라스|급(?![여증])|스럽|스러|같은|같이|처럼|짓)")
#: People who are not migrants, named right before a number: "국회의원 100명" counts
#: lawmakers, not the foreigners mentioned nearby.
_OTHER_PEOPLE = re.compile(
    r"(?:국회의원|의원|경찰관?|군인|장병|국민|한국인|내국인|노인네?|참석자|직원|주민|시민|학생|"
    r"어린이|아이|여성|남성|lawmakers|Koreans|citizens|police(?:men)?|soldiers)\s?$", re.I)
#: More people than live in Korea (51.7 million) cannot be migrants in Korea: "베트남 인구
#: 1억명", "짱개 15억명" are the countries' populations.
_MORE_THAN_KOREA = 52_000_000
_KOREAN_CITY_EN = re.compile(r"\b(?:Seoul|Busan|Incheon|Daegu|Daejeon|Gwangju|Ulsan|Jeju"
                             r"|Gyeonggi|Ansan)\b")
_FOREIGN_EXTRA = re.compile(r"아프리카|남아공|남아프리카|아메리카|뉴욕|Africa|New York|"
                            r"the US\b|America", re.I)


#: A population mention: (start, end, key, text, nationality codes, rank).
_Pop = tuple[int, int, str, str, tuple[str, ...], int]


@dataclass(frozen=True)
class Claim:
    """One numeric claim, parsed.

    Attributes:
        sentence: the sentence as written.
        number_text: the numeral as written ("250만", "이백오십만").
        value: the figure (2,500,000; 40.0 for 40 %).
        unit: persons, percent, times or cases.
        population: a population key of :data:`migralink.media.lexicon.POPULATIONS`.
        population_text: the words that named it.
        nationalities: MOJ nationality codes when the population is a nationality.
        period: the year ("2022") or month ("2024-12") the claim is about, if stated.
        area: "00" (Korea), a MOIS region code, or "foreign" (a place outside Korea).
        area_text: the words that named the area ("" for Korea by default).
        hedge: exact, approx (약, 정도), over (넘는, 이상) or under (미만, 이하).
        emphasis: 무려/벌써-type rhetoric around the figure.
        topic: a topic whose figures the evidence base does not hold (범죄, 감염 …).
        language: ko or en.
        vague: a vague quantity (수백만, millions of).
        status: a residence status inside the population ("E-9 출신 불법체류자": E-9).
        share_of: the population a share is taken of, when another ("이주 노동자 중 절반").
    """

    sentence: str
    number_text: str
    value: float
    unit: Unit
    population: str
    population_text: str
    nationalities: tuple[str, ...] = ()
    period: str | None = None
    area: str = "00"
    area_text: str = ""
    hedge: Hedge = "exact"
    emphasis: bool = False
    topic: str | None = None
    language: str = "ko"
    vague: bool = False
    status: str | None = None
    share_of: str | None = None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["nationalities"] = list(self.nationalities)
        return data


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: split at final punctuation and line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def find_claims(text: str) -> list[Claim]:
    """Every numeric claim about migrants in ``text`` (at most one per sentence)."""
    claims = []
    for sentence in split_sentences(text):
        claim = _claim_in(sentence)
        if claim is not None:
            claims.append(claim)
    return claims


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str], tuple[str, ...]]]:
    patterns = population_pattern()
    for key, extra, codes in _EXTRA_POPULATIONS:
        at = next(i for i, (k, _, _) in enumerate(patterns) if k == key)
        patterns.insert(at, (key, re.compile(extra, re.IGNORECASE), codes))
    return patterns


def _populations(sentence: str) -> list[tuple[int, int, str, str, tuple[str, ...], int]]:
    """Population mentions (start, end, key, text, codes, rank); specific ones hide general.

    ``rank`` is the pattern's place in the lexicon: lower is more specific.
    """
    found: list[tuple[int, int, str, str, tuple[str, ...], int]] = []
    for rank, (key, pattern, codes) in enumerate(_patterns()):
        for m in pattern.finditer(sentence):
            if m.end() == m.start():
                continue
            if any(s <= m.start() and m.end() <= e for s, e, *_ in found):
                continue
            if _FIGURATIVE.match(sentence, m.end()):
                continue
            found.append((m.start(), m.end(), key, m.group(0), codes, rank))
    return found


def _unit_of(sentence: str, number: NumberMention) -> Unit | None:
    """The unit that follows a number, or None when it counts something else."""
    rest = sentence[number.end:]
    if _MONEY_BEFORE.search(sentence[: number.start]):
        return None
    if number.vague:
        # "수백만의 이민자", "millions of migrants"; not "수만 가지"
        ok = re.match(r"\s?(?:명|의|people|migrants|immigrants|foreigners|refugees|workers)",
                      rest, re.I) or number.text.lower().endswith(" of")
        return "persons" if ok else None
    for unit, pattern in _UNIT_AFTER:
        if pattern.match(rest):
            return unit  # type: ignore[return-value]
    if _NOT_PEOPLE.match(rest):
        return None
    # a bare figure ("외노자 150만", "불법체류자 40만") counts people when it is large
    # and written as a round quantity, not an identifier or a year
    if number.value >= 1000 and re.search(r"[만억조,]|million|thousand|m$|k$", number.text, re.I):
        return "persons"
    return None


def _hedge_of(sentence: str, number: NumberMention) -> tuple[Hedge, bool]:
    before = sentence[max(0, number.start - 14): number.start]
    after = sentence[number.end: number.end + 12]
    hedge: Hedge = "exact"
    emphasis = False
    for kind, pattern in HEDGES:
        near = re.search(pattern, before, re.I) or re.search(pattern, after, re.I)
        if not near:
            continue
        if kind == "emphasis":
            emphasis = True
        elif hedge == "exact" or kind in ("over", "under"):
            hedge = kind  # type: ignore[assignment]
    return hedge, emphasis


def _period_of(sentence: str) -> str | None:
    m = _YEAR.search(sentence)
    if not m:
        return None
    year = m.group(1) or m.group(3)
    if m.group(2):
        return f"{year}-{int(m.group(2)):02d}"
    return year


def _area_of(sentence: str) -> tuple[str, str]:
    foreign = AREA_FOREIGN.search(sentence)
    if foreign:
        return "foreign", foreign.group(0)
    from migralink.media.places import region_in

    region = region_in(sentence)
    if region is not None:
        return region
    korea = AREA_KOREA.search(sentence)
    return "00", korea.group(0) if korea else ""


def _candidates(sentence: str, spans: list[tuple[int, int]]
                ) -> list[tuple[NumberMention, Unit, float | None]]:
    """Numbers that may count people: (number, unit, share from a ratio or None)."""
    years = {m.start(1) if m.group(1) else m.start(3) for m in _YEAR.finditer(sentence)}
    found: list[tuple[NumberMention, Unit, float | None]] = []
    for number in find_numbers(sentence):
        if re.search(r"(?:^|[^\w.])[-−]$", sentence[max(0, number.start - 2): number.start]):
            continue  # "-250만": a negative figure counts no one
        other = _OTHER_PEOPLE.search(sentence[max(0, number.start - 12): number.start])
        # "이주민 9만", "유학생 20만": the word ends a population mention, so it is ours
        at = max(0, number.start - 12) + other.start() if other else 0
        if other and not any(s <= at < e for s, e in spans[
                max(0, bisect_right(spans, (at, len(sentence))) - 1):][:1]):
            continue
        if number.start in years or money_before(sentence, number.start):
            continue
        unit = _unit_of(sentence, number)
        if unit is None or (unit == "percent" and number.value > 100):
            continue
        found.append((number, unit, None))
    for m in HALF.finditer(sentence):
        found.append((NumberMention(50.0, m.start(), m.end(), m.group(0)), "percent", 50.0))
    for m in _OUT_OF_EN.finditer(sentence):
        part = _EN_SMALL.get(m.group(1).lower()) or int(m.group(1))
        whole = _EN_SMALL.get(m.group(2).lower()) or int(m.group(2))
        if 0 < part <= whole:
            number = NumberMention(float(part), m.start(), m.end(), m.group(0))
            found.append((number, "percent", 100.0 * part / whole))
    return found


def _about_migrants(sentence: str, pop: tuple[int, int, str, str, tuple[str, ...], int],
                    unit: Unit, value: float) -> bool:
    """False when the figure is plainly about people who are not migrants in Korea."""
    key = pop[2]
    if unit == "persons" and value > _MORE_THAN_KOREA and key in (
            "nationality", "race", "foreigners"):
        return False
    korea = (AREA_KOREA.search(sentence) is not None or _region(sentence) is not None
             or _KOREAN_CITY_EN.search(sentence) is not None)
    if key == "race" and not korea:
        # 흑인, 백인 or Muslims counted in Africa, the US or the world
        return False
    if key == "tourists" and not korea and not re.search(r"외국인|foreign", pop[3], re.I):
        return False
    return not (key in ("race", "tourists") and _FOREIGN_EXTRA.search(sentence))


def _region(sentence: str) -> tuple[str, str] | None:
    from migralink.media.places import region_in

    return region_in(sentence)


def _survey_claim(sentence: str, populations: list[_Pop], spans: list[tuple[int, int]]
                  ) -> tuple[tuple[int, int], NumberMention, Unit, float | None, _Pop] | None:
    """A share in a survey sentence, owned by the group named anywhere in the sentence.

    Such claims are always "cannot be checked" (a topic without a series); spotting them
    says so instead of staying silent.
    """
    if not SURVEY_SHARE.search(sentence):
        return None
    for number, unit, share in _candidates(sentence, spans):
        if unit == "percent":
            return (0, 0), number, unit, share, populations[0]
    return None


def _qualifiers(sentence: str, populations: list[_Pop], pop: _Pop, unit: Unit
                ) -> tuple[tuple[str, ...], str | None, str | None]:
    """Nationality codes, residence status and the whole of a share that qualify ``pop``."""
    # "베트남 유학생", "태국인 불법체류자": a nationality inside a wider population
    codes = pop[4]
    if pop[2] not in ("nationality", "foreigners", "ethnic_korean_chinese"):
        codes = nationality_before(sentence, pop[0])
        if unit == "percent" and not codes:
            # "유학생 가운데 절반이 베트남 출신": the share of a nationality in the population
            codes = next((p[4] for p in populations if p[2] == "nationality"), ())
    status = status_in(sentence, (pop[0], pop[1])) \
        if pop[2] in ("undocumented", "students") else None
    whole = share_whole(sentence, [(p[0], p[1], p[2]) for p in populations], pop[2]) \
        if unit == "percent" else None
    return codes, status, whole


def _claim_in(sentence: str) -> Claim | None:
    populations = _populations(sentence)
    if not populations:
        return None
    window = _WINDOW if re.search(r"[가-힣]", sentence) else _WINDOW_EN
    best: tuple[tuple[int, int], NumberMention, Unit, float | None, _Pop] | None = None
    populations.sort(key=lambda p: p[0])
    starts = [p[0] for p in populations]
    spans = [(p[0], p[1]) for p in populations]
    for number, unit, share in _candidates(sentence, spans):
        # only mentions that can be in reach (a mention is at most _LONGEST long): long
        # texts with thousands of numbers and mentions stay linear
        low = bisect_left(starts, number.start - window - _LONGEST)
        high = bisect_right(starts, number.end + window)
        for pop in populations[low:high]:
            distance = max(pop[0] - number.end, number.start - pop[1], 0)
            # the most specific population in reach wins ("고용허가제 외국인 근로자" is
            # E-9), then the nearest
            key = (pop[5], distance)
            if distance <= window and (best is None or key < best[0]):
                best = (key, number, unit, share, pop)
    if best is None:
        best = _survey_claim(sentence, populations, spans)
    if best is None:
        return None
    _, number, unit, share, pop = best
    # a qualifier a little further away still narrows the population: "고용허가제로 들어온
    # 외국인 근로자는 2022년 27만 명" counts E-9 workers
    for other in populations:
        distance = max(other[0] - number.end, number.start - other[1], 0)
        if other[5] < pop[5] and distance <= 2 * window and other[2] in _QUALIFIERS:
            pop = other
    value = number.value if share is None else share
    out_of = _OUT_OF.search(sentence)
    if out_of and int(out_of.group(1)):
        unit, value = "percent", 100.0 * int(out_of.group(2)) / int(out_of.group(1))
    if not _about_migrants(sentence, pop, unit, value):
        return None
    hedge, emphasis = _hedge_of(sentence, number)
    area, area_text = _area_of(sentence)
    codes, status, whole = _qualifiers(sentence, populations, pop, unit)
    topic = TOPIC_NO_SERIES.search(sentence) or _EXTRA_TOPICS.search(sentence)
    change = CHANGE_AFTER.match(sentence, number.end)
    return Claim(
        sentence=sentence, number_text=number.text, value=value, unit=unit,
        population=pop[2], population_text=pop[3], nationalities=codes,
        period=_period_of(sentence), area=area, area_text=area_text, hedge=hedge,
        emphasis=emphasis, topic=topic.group(0) if topic else (
            f"a change over time ({change.group('change')})" if change else None),
        language="ko" if re.search(r"[가-힣]", sentence) else "en", vague=number.vague,
        status=status, share_of=whole,
    )

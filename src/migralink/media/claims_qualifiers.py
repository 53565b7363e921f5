"""What narrows or frames a claim beyond its population word.

* a nationality written before a population ("베트남 유학생", "태국인 불법체류자"): the
  claim counts that nationality inside the population;
* a residence status inside the undocumented ("E-9 출신 불법체류자", "사증면제(B-1)로 들어온"):
  the claim counts (or takes the share of) that status among them;
* the whole of a share ("이주 노동자 중 절반"): a share of something other than all
  foreigners, which the stock tables cannot always compute;
* "절반" / "half of": a share of 50 %;
* money words (예산, 등록금, fee): the number is an amount or a price change, not people;
* a change ("64만 명 증가") rather than a level, and survey shares far from their group.
"""

from __future__ import annotations

import re

__all__ = ["CHANGE_AFTER", "HALF", "SURVEY_SHARE", "money_before", "nationality_before",
           "share_whole", "status_in"]

#: Country stems written bare before a population word, with their MOJ codes.
_COUNTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"중국|Chinese", ("CHN", "CHN-KR")),
    (r"베트남|Vietnamese", ("VNM",)),
    (r"태국|타이|Thai", ("THA",)),
    (r"필리핀|Filipino", ("PHL",)),
    (r"미국|American", ("USA",)),
    (r"우즈베키스탄|우즈벡|Uzbek", ("UZB",)),
    (r"네팔|Nepalese|Nepali", ("NPL",)),
    (r"인도네시아|Indonesian", ("IDN",)),
    (r"캄보디아|Cambodian", ("KHM",)),
    (r"몽골|Mongolian", ("MNG",)),
    (r"러시아|Russian", ("RUS",)),
    (r"일본|Japanese", ("JPN",)),
)
_COUNTRY_BEFORE = [
    (re.compile(rf"(?:{stem})(?:인|\s?사람|\s?국적(?:의)?|\s?출신(?:의)?)?\s?$", re.I), codes)
    for stem, codes in _COUNTRIES
]
#: Residence statuses by code or by name (the names MOJ tables print).
_STATUS_CODE = re.compile(r"(?<![A-Za-z])([A-H])-?(\d{1,2})(?!\d)")
_STATUS_NAMES = (
    ("사증\\s?면제", "B-1"), ("관광\\s?통과", "B-2"), ("단기\\s?방문", "C-3"),
    ("비전문\\s?취업|고용허가제", "E-9"), ("방문\\s?취업", "H-2"), ("결혼\\s?이민", "F-6"),
    ("유학", "D-2"), ("어학\\s?연수", "D-4"), ("선원\\s?취업", "E-10"),
    ("(?i:visa[- ]free|visa waiver)", "B-1"),
)
_WHOLE_AFTER = re.compile(r"\s?(?:중|가운데|들 중)(?:에서|에)?(?:\s|$)|의\s")
#: "64만 명 증가", "30만 명 늘었다": the figure is a change between two dates, not a stock
#: ("150만 명으로 늘었다" is a stock: 으로 comes between).
CHANGE_AFTER = re.compile(r"\s?(?:여\s?)?(?:명|%|퍼센트)?(?:이|가)?\s?"
                          r"(?P<change>증가|감소|늘었|늘어|줄었|줄어"
                          r"|more than (?:a|last) year|increase|decrease)", re.I)
#: Words that make a share in the sentence a survey or event figure about the group named
#: anywhere in it ("70 percent of the respondents … criminals among immigrants").
SURVEY_SHARE = re.compile(r"응답자|설문|조사\s?결과|처벌|respondents|survey|poll", re.I)
_ANTECEDENT = re.compile(r"그\s?중|이\s?중|그\s?가운데|among them|of them", re.I)
#: 절반 이상, 과반, half of: a share of 50 % (the hedge comes from the words around it).
HALF = re.compile(r"절반|과반(?:수)?|\bhalf of\b|\bhalf the\b", re.I)
_MONEY_WORDS = re.compile(r"(?:예산|등록금|수수료|비용|학비|과태료|벌금|지원금|보조금|임대료|"
                          r"budget|fees?|costs?|prices?|tuition|spending)", re.I)


def nationality_before(sentence: str, start: int) -> tuple[str, ...]:
    """MOJ codes of a nationality written just before a population word, or ()."""
    before = sentence[max(0, start - 12): start]
    for pattern, codes in _COUNTRY_BEFORE:
        if pattern.search(before):
            return codes
    return ()


def status_in(sentence: str, skip: tuple[int, int]) -> str | None:
    """A residence status named in the sentence outside the span ``skip`` (the population)."""
    text = sentence[: skip[0]] + " " * (skip[1] - skip[0]) + sentence[skip[1]:]
    code = _STATUS_CODE.search(text)
    if code:
        return f"{code.group(1).upper()}-{int(code.group(2))}"
    for pattern, status in _STATUS_NAMES:
        if re.search(pattern, text):
            return status
    return None


def share_whole(sentence: str, spans: list[tuple[int, int, str]], chosen: str) -> str | None:
    """The population a share is taken of ("이주 노동자 중 절반"), when it is not ``chosen``.

    "그중 절반", "among them": the whole is in an earlier clause (a programme, a survey),
    returned as "context".
    """
    for _start, end, key in spans:
        if key != chosen and _WHOLE_AFTER.match(sentence, end):
            return key
    if _ANTECEDENT.search(sentence):
        return "context"
    return None


def money_before(sentence: str, start: int) -> bool:
    """Whether a money word sits right before the number ("예산이 120억", "fee rose 10 %").

    English puts more words between them ("the visa fee for foreign workers rose 10 %").
    """
    reach = 12 if re.search(r"[가-힣]", sentence) else 40
    return _MONEY_WORDS.search(sentence[max(0, start - reach): start]) is not None

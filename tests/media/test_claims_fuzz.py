"""Typed input of every kind: the checker never crashes and never rules without a citation.

Hypothesis writes arbitrary Unicode and sentences built from the checker's own words
(populations, numerals, hedges, units, places) so that the deep paths are reached too.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migralink.media import Checker, Ruling

SCALE = ("accurate", "roughly_accurate", "misleading", "wrong", "cannot_check")
WORDS = (
    "외국인", "외노자", "불법체류자", "등록외국인", "장기체류 외국인", "외국인 근로자", "E-9",
    "조선족",
    "중국인", "베트남인", "결혼이민자", "유학생", "난민", "탈북민", "다문화 가정", "무슬림",
    "foreigners", "migrant workers", "undocumented migrants", "Chinese", "refugees",
    "250만", "이백오십만", "2.5백만", "40만", "150만", "1억 4천만", "수십만", "3.5%", "10명 중 4명",
    "2.5 million", "one million", "400,000", "30", "9" * 30, "0", "-5만", "1만억", "２５０만",
    "약", "무려", "넘는", "이상", "미만", "about", "over", "more than", "명", "명이", "%", "배",
    "건", "원", "개", "2022년", "2024년 12월", "in 2023", "서울", "경기도", "안산시", "유럽에는",
    "in Germany", "범죄", "설문", "인구의", "of the population", "국회의원", "클라스",
)
SEPARATORS = ("", " ", ". ", "\n", ", ", "… ", "?")


def _assert_sound(text: str, rulings: list[Ruling]) -> None:
    for ruling in rulings:
        assert ruling.verdict in SCALE
        assert ruling.explanation
        assert ruling.claim.sentence in text
        assert math.isfinite(ruling.claim.value)
        assert ruling.claim.value >= 0
        if ruling.verdict == "cannot_check":
            continue
        assert ruling.citations, f"a verdict without a citation: {text!r}"
        for c in ruling.citations:
            assert c.dataset
            assert c.version >= 1
            assert c.period
            assert c.source_files
            assert c.publisher
            assert math.isfinite(c.value)
            assert c.value > 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_breaks_the_checker(checker: Checker, text: str) -> None:
    _assert_sound(text, checker.check_text(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14))
def test_sentences_of_claim_words_never_break_the_checker(
        checker: Checker, parts: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in parts)
    _assert_sound(text, checker.check_text(text))


@pytest.mark.parametrize("text", [
    "", " ", "\n\t\r", "\x00", "외국인", "외국인 250", "foreigners 2500000", "250만 명",
    "外国人 250万", "\u202e외국인 250만\u202c", "외국인 " + "9" * 400 + "명",
    "외국인 " + "만" * 500 + " 명", "외국인 250만만 명", "외국인 -250만 명", "foreigners 1e309",
    "🇰🇷 외국인 250만 명 👍", "ｆｏｒｅｉｇｎｅｒｓ ２５０万",
])
def test_edge_cases(checker: Checker, text: str) -> None:
    _assert_sound(text, checker.check_text(text))


def test_malformed_and_unitless_numbers_are_not_ruled_on(checker: Checker) -> None:
    for text in ("외국인 250만만 명", "외국인 -250만 명", "외국인 250", "foreigners 2500000"):
        assert checker.check_text(text) == [], text


def test_a_long_mixed_text_is_checked_in_one_pass(checker: Checker) -> None:
    block = ("외노자 150만은 비극이다. There are about 2.5 million foreigners in Korea. "
             "오늘 날씨는 맑음 ☀ 1234 abc. 불법체류자 40만 명이 넘는다.\n")
    text = block * 200  # about 25,000 characters
    rulings = checker.check_text(text)
    assert len(rulings) == 3 * 200
    assert [r.verdict for r in rulings[:3]] == ["misleading", "roughly_accurate", "accurate"]
    _assert_sound(text, rulings)

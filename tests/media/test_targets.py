"""The target groups' word-start guards (shipped in session 8): a name that is also the
end or the inside of another Korean word names no group there, and still does where a
word begins."""

from __future__ import annotations

from pathlib import Path

import pytest

from migralink.media.corpora import training_rows
from migralink.media.targets import TARGETS, WORD_START, target_of, target_spans


@pytest.mark.parametrize("text", [
    # the false matches session 7 listed in the training texts
    "삶이란 게 원래 그렇다", "전라도의 힘이란 대단하다",   # the particle ~이란 (141 texts)
    "연예인도 군대 가야지",                              # 인도 (96 texts)
    "이국적인 얼굴", "한국적인 정서", "다국적 기업",  # 국적
    "같은 상황인데 왜 그래",                             # 황인
    "미남미녀 커플", "강남미인 병원",                     # 남미
    "여우한테 홀렸다",                                  # 우한
    "초인종이 울렸다",                                  # 인종
    "그렇게 살면 안 된단다 이란다",                      # ~이란다 is an ending, not Iran
    "인도적 지원", "인도주의",                           # kept from before the guards
])
def test_words_that_only_contain_a_name_name_no_group(text: str) -> None:
    assert target_of(text) is None
    assert target_spans(text) == []


@pytest.mark.parametrize(("text", "group"), [
    ("이란 사람들은 친절하다", "nationality"), ("이란인", "nationality"),
    ("인도인 노동자", "nationality"), ("인도 사람", "nationality"),
    ("인도네시아 사람", "nationality"), ("중국인", "nationality"),
    ("국적을 따져야지", "nationality"), ("우한 폐렴", "nationality"),
    ("인종차별 하지 마라", "ethnicity"), ("다인종 사회", "ethnicity"),
    ("황인종", "ethnicity"), ("남미 사람들", "ethnicity"),
])
def test_names_at_a_word_start_still_name_their_group(text: str, group: str) -> None:
    assert target_of(text) == group


@pytest.mark.parametrize("before", ["", " ", "\n", "(", "'", "\"", ",", "…", "3", "2019년 "])
@pytest.mark.parametrize(("name", "group"), [
    ("이란", "nationality"), ("인도", "nationality"), ("국적", "nationality"),
    ("우한", "nationality"), ("황인", "ethnicity"), ("남미", "ethnicity"),
])
def test_the_guard_is_no_hangul_syllable_before(before: str, name: str, group: str) -> None:
    """A word begins at the start of the text and after anything but a Hangul syllable:
    a space, punctuation, a digit. A rule, not a parser: the particle after a digit or a
    closing bracket ("3이란", "(disposable)이란") still reads as Iran (docs/media.md)."""
    text = f"{before}{name} 얘기"
    assert target_of(text) == group
    assert target_spans(text) == [(len(before), len(before) + len(name))]
    # the same name glued to a syllable before it is inside a word
    assert target_of(f"가{name} 얘기") is None


def test_spans_skip_the_word_that_only_contains_a_name() -> None:
    text = "연예인도 이란 사람도 인도인도"
    assert [text[s:e] for s, e in target_spans(text)] == ["이란", "인도"]
    assert target_spans(text) == [(5, 7), (12, 14)]


def test_every_guarded_form_is_what_targets_holds() -> None:
    patterns = "".join(pattern.pattern for _, pattern in TARGETS)
    for name, guarded in WORD_START.items():
        assert guarded in patterns, name
        assert patterns.count(name) == patterns.count(guarded) + (name == "인도"), name


def test_kmhas_origin_rows_naming_no_foreign_group_train_as_negatives(shared: Path) -> None:
    """Before the guards, these Origin rows (regional hate, a particle) trained as
    positives: ~이란 read as Iran, 재인도 as India, 외국국적 as a nationality mention."""
    labels = {r.text: r.label for r in training_rows(shared / "media") if r.corpus == "kmhas"}
    assert labels["부산문재인도 문제고 경상도도 문제네"] == 0
    assert labels["하여간에 짜바리들이란.."] == 0
    assert labels["ㅋㅋㅋ기댈곳이란 한남들바글바글한 보배드림ㅋㅋㅋ"] == 0
    assert labels["백인은다죽여야한다"] == 1  # a name at the start of a text still counts

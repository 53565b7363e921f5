"""Latin → Hangul on the official examples in ../shared/data/names, and the name keys."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from migralink.linkage import name_keys, to_hangul
from migralink.linkage.hangul import compose, decompose, phonetic_key, syllable
from migralink.linkage.sino import pinyin_to_hangul, sino_korean, sino_pattern
from migralink.linkage.unihan import build_table, parse_unihan, toneless

# ICAO 9303 Cyrillic → Latin, as printed in Russian passports
ICAO = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o",
                 "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e",
                 "iu", "ia"], strict=True))


def spec_tests(shared: Path, lang: str) -> list[tuple[str, str]]:
    """The ``test:`` pairs of a hangulize rule spec (국립국어원 examples)."""
    text = (shared / "names" / "hangulize" / "specs" / f"{lang}.hsl").read_text("utf-8")
    return re.findall(r'"([^"]+)"\s*->\s*"([^"]+)"', text.split("\ntest:")[1])


@cache
def unihan(shared: Path) -> dict[str, dict[str, str]]:
    return parse_unihan(shared / "names" / "unihan" / "Unihan_Readings.txt.bz2")


def test_vietnamese_official_examples(shared: Path) -> None:
    pairs = spec_tests(shared, "vie")
    assert len(pairs) == 6
    for latin, hangul in pairs:
        assert to_hangul(latin, "vie") == hangul, latin


def test_chinese_official_examples_through_unihan_pinyin(shared: Path) -> None:
    readings = unihan(shared)
    pairs = spec_tests(shared, "chi")
    assert len(pairs) == 143
    wrong = []
    for hanzi, hangul in pairs:
        pinyin = [toneless(readings[c]["kMandarin"].split()[0]) for c in hanzi]
        got = "".join(pinyin_to_hangul(p) for p in pinyin)
        if got != hangul:
            wrong.append((hanzi, hangul, got))
    assert wrong == []


def test_russian_official_examples_through_passport_latin(shared: Path) -> None:
    # passports lose ь, ъ and ё, so some official forms cannot be recovered from Latin
    pairs = spec_tests(shared, "rus")
    assert len(pairs) == 124
    hits = 0
    for cyrillic, hangul in pairs:
        latin = "".join(ICAO.get(c, c) for c in cyrillic.lower().replace("\u0301", ""))
        hits += to_hangul(latin, "rus").replace(" ", "") == hangul.replace(" ", "")
    assert hits >= 112  # 표 19 with -град, ш/ч → 시/치, тч, дж; the rest lost ь or ё


def test_shipped_unihan_table_is_the_published_file_reduced(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    assert build_table(shared / "names" / "unihan" / "Unihan_Readings.txt.bz2", out) == 8227
    shipped = Path(__file__).parents[2] / "src/migralink/linkage/data/unihan_readings.json"
    assert out.read_text("utf-8") == shipped.read_text("utf-8")


@pytest.mark.parametrize(("latin", "lang", "hangul"), [
    # rule checks against the tables of 외래어 표기법 (표 14, 15, 19) and 표 1 for the others
    ("somchai", "tha", "솜차이"), ("kittisak", "tha", "낏띠삭"), ("prayut", "tha", "쁘라윳"),
    ("slamet", "ind", "슬라멧"), ("agus", "ind", "아구스"), ("ivanov", "rus", "이바노프"),
    ("aleksei", "rus", "알렉세이"), ("santos", "fil", "산토스"), ("jose", "fil", "호세"),
    ("shrestha", "nep", "슈레스타"), ("enkhbayar", "mon", "엥흐바야르"), ("sok", "khm", "속"),
    ("shavkat", "uzb", "샤브카트"),
])
def test_other_languages_follow_their_tables(latin: str, lang: str, hangul: str) -> None:
    assert to_hangul(latin, lang) == hangul


def test_compose_and_decompose_are_inverse() -> None:
    for ch in "응우옌쁠래이꾸똠":
        assert syllable(*decompose(ch)) == ch
    assert compose("ㅅ-ㄹㄹㅏ") == "슬라"


def test_keys_are_shared_by_latin_and_hangul_in_any_order_and_split() -> None:
    latin = name_keys("NGUYEN THI HOA", "VNM")
    hangul = name_keys("응우옌 티 호아", "VNM")
    assert latin.key == hangul.key == "NGUYENTIHA"  # Vietnamese keys write ㅗ like ㅏ
    assert name_keys("HOA NGUYEN THI", "VNM").sorted_key == hangul.sorted_key
    assert name_keys("응우옌 티호아", "VNM").key == hangul.key
    assert name_keys("TRAN VAN NAM", "VNM").sorted_key != hangul.sorted_key


def test_sino_korean_reading_bridges_chinese_names() -> None:
    assert sino_korean("LI MING") == "이 명"  # 두음법칙 on the family name
    assert name_keys("LI MING", "CHN").alt_key == name_keys("이명", "CHN").sorted_key


def test_key_forgets_tense_and_vowel_distinctions_registers_blur() -> None:
    assert phonetic_key("쩐") == phonetic_key("전") == phonetic_key("천")
    assert phonetic_key("네") == phonetic_key("내")


def test_consonant_skeleton_survives_respelt_vowels_not_other_consonants() -> None:
    # a dropped glide (옌/엔, 류/루) changes the phonetic key but not the consonants
    respelt, passport = name_keys("응우엔 낌 짱", "VNM"), name_keys("NGUYEN KIM TRANG", "VNM")
    assert respelt.sorted_key != passport.sorted_key
    assert respelt.skeleton == passport.skeleton
    assert name_keys("루 민", "CHN").skeleton == name_keys("MIN LIU", "CHN").skeleton
    assert name_keys("투 민", "CHN").skeleton != name_keys("MIN LIU", "CHN").skeleton


def test_sino_pattern_takes_every_reading_in_any_word_order() -> None:
    pattern = re.compile(sino_pattern("XIE JIE"))
    # 杰 jié is 걸, a reading too rare in running text to be among the most frequent for jie
    assert pattern.fullmatch("사걸")
    assert pattern.fullmatch("걸사")
    assert not pattern.fullmatch("사명")
    assert not pattern.fullmatch("사걸걸")
    assert re.fullmatch(sino_pattern("LI MING"), "이명")  # 두음법칙 on a word's first syllable
    assert sino_pattern("XQZ") == ""  # not pinyin: no pattern


def test_hangul_name_without_nationality_meets_vietnamese_passport_vowels() -> None:
    # Tâm is 떰 (표 16: â is ㅓ) but a passport prints TAM; with the nationality missing the
    # Hangul name's alternative key forgets the vowel as the Vietnamese keys do
    passport, register = name_keys("NGUYEN VAN TAM", "VNM"), name_keys("응우옌 반 떰")
    assert register.sorted_key != passport.sorted_key
    assert register.alt_key == passport.sorted_key

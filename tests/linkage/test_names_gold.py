"""Top-1 and top-k of Latin → Hangul against the real (official) spellings in
../shared/data/names, not against our own rules."""

from __future__ import annotations

from pathlib import Path

from migralink.linkage.name_gold import accuracy, gold_pairs, icao_latin, sino_gold_pairs
from migralink.linkage.names import hangul_candidates, to_hangul
from migralink.linkage.sino import segment_pinyin


def test_top1_on_official_examples_per_language(shared: Path) -> None:
    pairs = gold_pairs(shared / "names")
    acc = accuracy(pairs, k=5)
    assert {lang: n for lang, (n, _, _) in acc.items()} == {
        "vie": 6, "vie-ascii": 6, "chi": 143, "rus": 124, "all": 279}
    assert acc["vie"][1] == acc["vie-ascii"][1] == 1.0
    assert acc["chi"][1] == 1.0  # pinyin joined per name, segmented again (jian·guo)
    assert acc["rus"][1] >= 112 / 124  # ICAO drops ь and ё: the rest need the candidates
    assert acc["rus"][2] == 1.0
    assert acc["all"][1] >= 0.95


def test_russian_candidates_restore_what_passports_drop() -> None:
    assert hangul_candidates(icao_latin("Фёдор"), "rus")[:2] == ["페도르", "표도르"]
    assert "이고리" in hangul_candidates(icao_latin("Игорь"), "rus")
    assert to_hangul(icao_latin("Волгоград"), "rus") == "볼고그라드"
    assert to_hangul(icao_latin("Цимлянск"), "rus") == "치믈랸스크"


def test_ascii_vietnamese_recovers_unambiguous_marks() -> None:
    assert to_hangul("NGUYEN", "vie") == to_hangul("Nguyễn", "vie") == "응우옌"
    assert to_hangul("TRUONG", "vie") == to_hangul("Trương", "vie")
    assert to_hangul("QUOC", "vie") == to_hangul("Quốc", "vie")
    assert to_hangul("Sơn", "vie") in hangul_candidates("SON", "vie")


def test_pinyin_segmentation_prefers_whole_syllables() -> None:
    assert segment_pinyin("jianguo") == ("jian", "guo")
    assert segment_pinyin("xian") == ("xian",)
    assert segment_pinyin("linina") == ("li", "ni", "na")


def test_sino_korean_reading_from_pinyin_is_ambiguous_and_measured(shared: Path) -> None:
    # pinyin → Sino-Korean needs the character; the figure is what a Latin register allows
    n, top1, topk = accuracy(sino_gold_pairs(shared / "names"))["chi-sino"]
    assert n > 100
    assert 0.15 <= top1 <= topk

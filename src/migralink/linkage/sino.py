"""Chinese names: pinyin written in Hangul (외래어 표기법 표 5 of 중국어) and the Sino-Korean
readings (Unihan kHangul, weighted by kHanyuPinlu) under which ethnic Korean Chinese
nationals are usually registered (李明 ``LI MING`` → 이명).

:mod:`.names` uses these for the ``alt_key``, ``alt2_key`` and ``sino`` keys of a Chinese
name in Latin letters; the reading of a name character is a guess (several characters share a
pinyin), so besides the likeliest readings (:func:`sino_ranked`) there is the pattern of every
reading (:func:`sino_pattern`).
"""

from __future__ import annotations

import math
from functools import cache

from migralink.linkage.hangul import compose, decompose, syllable
from migralink.linkage.rules import CHINESE, CHINESE_JAMO, apply_rules, fold_latin, split_pinyin
from migralink.linkage.unihan import readings

__all__ = [
    "initial_sound_rule",
    "pinyin_of_hangul",
    "pinyin_syllables",
    "pinyin_to_hangul",
    "segment_pinyin",
    "sino_candidates",
    "sino_korean",
    "sino_pattern",
    "sino_ranked",
]

@cache
def pinyin_syllables() -> frozenset[str]:
    """Every pinyin syllable of a Unihan character (ü written v)."""
    return frozenset(r.pinyin.replace("ü", "v") for r in readings().values())


@cache
def segment_pinyin(word: str) -> tuple[str, ...]:
    """Split a pinyin word into syllables: the fewest Unihan syllables, a syllable starting
    with a vowel inside a word counting extra (pinyin writes an apostrophe there), so
    ``jianguo`` is jian·guo and ``xian`` one syllable; the greedy split where none fits."""
    syl = pinyin_syllables()
    n = len(word)
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, ())
    for i in range(n):
        if best[i] is None:
            continue
        cost, parts = best[i]  # type: ignore[misc]
        for j in range(i + 1, min(n, i + 6) + 1):
            piece = word[i:j]
            if piece in syl:
                c = cost + 1 + (0.5 if i > 0 and piece[0] in "aeo" else 0.0)
                if best[j] is None or c < best[j][0]:  # type: ignore[index]
                    best[j] = (c, (*parts, piece))
    end = best[n]
    return end[1] if end is not None else tuple(split_pinyin(word))


def pinyin_to_hangul(word: str) -> str:
    """Write one pinyin word (``xiaoming``, tone marks allowed) in Hangul: ``샤오밍``."""
    syllables = segment_pinyin(fold_latin(word.replace("ü", "v").replace("Ü", "v")))
    return "".join(compose(apply_rules(s, CHINESE, CHINESE_JAMO)) for s in syllables)


def _name_weight(frequency: int) -> float:
    """Weight of a character when guessing a name's reading: the square root of its
    frequency in running text (kHanyuPinlu), since name characters are not the most frequent
    ones (jie: 杰 걸, not 界 계). Chosen on the official examples (pinyin → Sino-Korean top-1
    0.260 with the frequency itself, 0.315 with its square root, 0.307 its log, 0.252 equal
    weights)."""
    return math.sqrt(frequency + 1)


@cache
def _sino_table() -> dict[str, str]:
    """pinyin syllable → its most frequent Sino-Korean reading (by kHanyuPinlu)."""
    weight: dict[tuple[str, str], float] = {}
    for r in readings().values():
        if r.hangul:
            key = (r.pinyin.replace("ü", "v"), r.hangul[0])
            weight[key] = weight.get(key, 0) + _name_weight(r.frequency)
    best: dict[str, tuple[float, str]] = {}
    for (p, h), w in weight.items():
        if w > best.get(p, (-1, ""))[0]:
            best[p] = (w, h)
    return {p: h for p, (_, h) in best.items()}


def initial_sound_rule(syl: str) -> str:
    """두음법칙 (한글 맞춤법 제10–12항) on a word-initial Sino-Korean syllable: 리 → 이, 로 → 노."""
    onset, vowel, final = decompose(syl)
    if onset in "ㄹㄴ" and vowel in "ㅑㅕㅖㅛㅠㅣ":
        return syllable("ㅇ", vowel, final)
    if onset == "ㄹ":
        return syllable("ㄴ", vowel, final)
    return syl


@cache
def _pinyin_of_reading() -> dict[str, str]:
    """Sino-Korean syllable → its most frequent pinyin (by kHanyuPinlu), 두음 forms included."""
    weight: dict[tuple[str, str], float] = {}
    for r in readings().values():
        for h in r.hangul:
            key = (h, r.pinyin.replace("ü", "v"))
            weight[key] = weight.get(key, 0) + _name_weight(r.frequency)
    best: dict[str, tuple[float, str]] = {}
    for (h, p), w in weight.items():
        if w > best.get(h, (-1, ""))[0]:
            best[h] = (w, p)
    return {h: p for h, (_, p) in best.items()}


def pinyin_of_hangul(name: str) -> str:
    """The most likely pinyin of a Chinese name registered in its Sino-Korean reading."""
    table = _pinyin_of_reading()
    return " ".join("".join(table.get(c, "") for c in w) for w in name.split())


_READINGS_PER_SYLLABLE = 8  # most frequent readings kept per pinyin syllable (bounds the set)
_MAX_CANDIDATES = 1024


@cache
def _weights_by_pinyin() -> dict[str, dict[str, float]]:
    """pinyin syllable → {Sino-Korean reading: summed :func:`_name_weight` of its characters}."""
    weight: dict[str, dict[str, float]] = {}
    for r in readings().values():
        for h in r.hangul:
            per = weight.setdefault(r.pinyin.replace("ü", "v"), {})
            per[h] = per.get(h, 0) + _name_weight(r.frequency)
    return weight


@cache
def _readings_by_pinyin() -> dict[str, list[str]]:
    """pinyin syllable → Sino-Korean readings, most frequent characters first."""
    return {p: sorted(hs, key=lambda h: -hs[h])[:_READINGS_PER_SYLLABLE]
            for p, hs in _weights_by_pinyin().items()}


def sino_candidates(name: str) -> str:
    """Every likely Sino-Korean reading of a pinyin name, as ``|a|b|`` of sorted syllables."""
    table = _readings_by_pinyin()
    combos: list[list[str]] = [[]]
    for word in fold_latin(name).split():
        for i, syl in enumerate(segment_pinyin(word)):
            options = table.get(syl, [])
            if i == 0:  # 두음법칙 forms of a word's first syllable are readings too
                options = list(dict.fromkeys([*options, *map(initial_sound_rule, options)]))
            if not options:
                continue
            combos = [[*c, o] for c in combos for o in options][:_MAX_CANDIDATES]
    return "|" + "|".join(sorted({"".join(sorted(c)) for c in combos if c})) + "|"


@cache
def _all_readings_by_pinyin() -> dict[str, frozenset[str]]:
    """pinyin syllable → every Sino-Korean reading of a character with that pinyin."""
    out: dict[str, set[str]] = {}
    for r in readings().values():
        out.setdefault(r.pinyin.replace("ü", "v"), set()).update(r.hangul)
    return {p: frozenset(hs) for p, hs in out.items()}


_MAX_PATTERN_WORDS = 4  # word orders tried: all permutations up to this many words


def sino_pattern(name: str) -> str:
    """A regular expression that a Hangul name (spaces removed) fully matches when each of
    its syllables is a Sino-Korean reading of the corresponding pinyin syllable, its words
    in any order: ``XIE JIE`` → ``^(?:[사…][걸…]|[걸…][사…])$``.

    Every reading of every character with that pinyin counts (a name character is often a
    rare one in running text, so frequency would drop it: 杰 jié → 걸), and the 두음법칙 form
    of a word's first syllable too. Empty when a syllable has no reading.
    """
    from itertools import permutations

    table = _all_readings_by_pinyin()
    words: list[str] = []
    for word in fold_latin(name).split():
        classes = []
        for i, syl in enumerate(segment_pinyin(word)):
            options = set(table.get(syl, ()))
            if not options:
                return ""
            if i == 0:
                options |= {initial_sound_rule(o) for o in options}
            classes.append("[" + "".join(sorted(options)) + "]")
        words.append("".join(classes))
    if not words or len(words) > _MAX_PATTERN_WORDS:
        return ""
    orders = sorted({"".join(p) for p in permutations(words)})
    return "^(?:" + "|".join(orders) + ")$"


@cache
def _reading_shares() -> dict[str, list[tuple[str, float]]]:
    """pinyin syllable → (Sino-Korean reading, share of its characters' weight), best first."""
    return {p: sorted(((h, w / sum(hs.values())) for h, w in hs.items()), key=lambda x: -x[1])
            for p, hs in _weights_by_pinyin().items()}


def sino_ranked(name: str, k: int = 2) -> list[str]:
    """The ``k`` most likely Sino-Korean readings of a pinyin name (product of the
    syllables' reading shares; 두음법칙 on each word's first syllable), in name order."""
    shares = _reading_shares()
    beam: list[tuple[float, str]] = [(1.0, "")]
    for word in fold_latin(name).split():
        for i, syl in enumerate(segment_pinyin(word)):
            options = shares.get(syl, [])[:k + 2]
            if i == 0:
                options = [(initial_sound_rule(h), p) for h, p in options]
            if options:
                beam = sorted(((p * q, f"{c}{h}") for p, c in beam for h, q in options),
                              key=lambda x: -x[0])[:k * 4]
        beam = [(p, f"{c} ") for p, c in beam]
    return list(dict.fromkeys(c.strip() for _, c in beam if c.strip()))[:k]


def sino_korean(name: str) -> str:
    """The most likely Sino-Korean reading of a Chinese name in pinyin (``LI MING`` → 이명)."""
    table = _sino_table()
    words = []
    for word in fold_latin(name).split():
        hs = [table.get(s, "") for s in segment_pinyin(word)]
        if hs and hs[0]:
            hs[0] = initial_sound_rule(hs[0])
        words.append("".join(hs))
    return " ".join(w for w in words if w)

"""Names across scripts: Latin → Hangul, and the phonetic keys that Splink compares.

A register in Korea writes a foreign resident's name in Hangul (``응우옌 티 호아``), a passport
or a foreign register in Latin letters (``NGUYEN THI HOA``), in either order and split into
words differently. :func:`name_keys` brings both into one phonetic key space:

* ``key`` — the key of the name in the order written (no spaces, so splits do not matter);
* ``sorted_key`` — the syllable keys sorted, so swapped order gives the same key;
* ``alt_key`` — for Chinese names in Latin letters, the sorted key of the Sino-Korean reading
  (李明 ``LI MING`` → 이명), since ethnic Korean Chinese nationals are usually registered
  under it; otherwise equal to ``sorted_key``.

Latin names are first written in Hangul with the 외래어 표기법 tables of their language
(:mod:`.rules`, :mod:`.phonemes`), then keyed with :func:`.hangul.phonetic_key`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from migralink.linkage.hangul import (
    compose,
    consonant_skeleton,
    decompose,
    is_hangul,
    phonetic_key,
    syllable,
)
from migralink.linkage.phonemes import latin_to_hangul, russian_variants
from migralink.linkage.rules import (
    CHINESE,
    CHINESE_JAMO,
    apply_rules,
    fold_latin,
    split_pinyin,
)
from migralink.linkage.unihan import readings
from migralink.linkage.vietnamese import VI_SYLLABLE, vietnamese, vietnamese_candidates

__all__ = [
    "LANGUAGE_OF_NATIONALITY",
    "NameKeys",
    "hangul_candidates",
    "name_keys",
    "pinyin_to_hangul",
    "sino_korean",
    "to_hangul",
]

#: ISO 3166 alpha-3 nationality → rule table (``lat`` = generic Latin).
LANGUAGE_OF_NATIONALITY: dict[str, str] = {
    "VNM": "vie", "CHN": "chi", "TWN": "chi", "THA": "tha", "PHL": "fil", "UZB": "uzb",
    "RUS": "rus", "KAZ": "rus", "KGZ": "rus", "NPL": "nep", "IDN": "ind", "MYS": "ind",
    "MNG": "mon", "KHM": "khm",
}


@dataclass(frozen=True)
class NameKeys:
    """The phonetic keys of one name (see the module docstring).

    ``first`` and ``last`` are the keys of the first and last word (one of them is usually
    the family name, whichever the order), for blocking.
    ``sino`` holds, for a Chinese name in Latin letters, :func:`sino_pattern` (a regular
    expression of its Sino-Korean readings, words in any order), and for a Chinese name in
    Hangul its syllables without spaces; a pair matches on it when the pattern matches.
    ``lat_key`` is, for a name in Latin letters, the sorted key of its letter-by-letter
    (English-like) reading, which registers often use instead of the 외래어 표기법
    (``XUAN`` → 크수안 beside 쑤언); empty for Hangul names.
    ``skeleton`` is :func:`.hangul.consonant_skeleton` of the Hangul form (blocking on
    respellings that change vowels). ``alt2_key`` is, for a Chinese name in Latin letters,
    the sorted key of its second most likely Sino-Korean reading (:func:`sino_ranked`).
    """

    hangul: str
    key: str
    sorted_key: str
    alt_key: str
    sino: str = ""
    first: str = ""
    last: str = ""
    lat_key: str = ""
    skeleton: str = ""
    alt2_key: str = ""


@cache
def _pinyin_syllables() -> frozenset[str]:
    return frozenset(r.pinyin.replace("ü", "v") for r in readings().values())


@cache
def segment_pinyin(word: str) -> tuple[str, ...]:
    """Split a pinyin word into syllables: the fewest Unihan syllables, a syllable starting
    with a vowel inside a word counting extra (pinyin writes an apostrophe there), so
    ``jianguo`` is jian·guo and ``xian`` one syllable; the greedy split where none fits."""
    syl = _pinyin_syllables()
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
def _readings_by_pinyin() -> dict[str, list[str]]:
    """pinyin syllable → Sino-Korean readings, most frequent characters first."""
    weight: dict[str, dict[str, float]] = {}
    for r in readings().values():
        for h in r.hangul:
            per = weight.setdefault(r.pinyin.replace("ü", "v"), {})
            per[h] = per.get(h, 0) + _name_weight(r.frequency)
    return {p: sorted(hs, key=lambda h: -hs[h])[:_READINGS_PER_SYLLABLE]
            for p, hs in weight.items()}


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
    weight: dict[str, dict[str, float]] = {}
    for r in readings().values():
        for h in r.hangul:
            per = weight.setdefault(r.pinyin.replace("ü", "v"), {})
            per[h] = per.get(h, 0) + _name_weight(r.frequency)
    return {p: sorted(((h, w / sum(hs.values())) for h, w in hs.items()), key=lambda x: -x[1])
            for p, hs in weight.items()}


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


def to_hangul(name: str, lang: str) -> str:
    """Write a name in Hangul; words already in Hangul are kept.

    Args:
        name: the name as registered, any case, diacritics allowed.
        lang: ``vie``, ``chi`` (pinyin), ``tha``, ``fil``, ``ind``, ``uzb``, ``rus``, ``nep``,
            ``mon``, ``khm`` or ``lat`` (generic); see :data:`LANGUAGE_OF_NATIONALITY`.
    """
    out = []
    for word in re.split(r"[\s\-,.]+", name.strip()):
        if not word:
            continue
        if is_hangul(word):
            out.append(word)
        elif lang == "vie":
            out.append(vietnamese(word))
        elif lang == "chi":
            out.append(pinyin_to_hangul(word))
        else:
            out.append(latin_to_hangul(fold_latin(word), lang))
    return " ".join(w for w in out if w)


def _word_candidates(word: str, lang: str) -> list[str]:
    if is_hangul(word):
        return [word]
    if lang == "vie":
        return vietnamese_candidates(word)
    if lang == "chi":
        return [pinyin_to_hangul(word)]
    if lang in ("rus", "uzb") and word.isascii():
        return russian_variants(fold_latin(word)) if lang == "rus" else [
            latin_to_hangul(fold_latin(word), lang)]
    return [latin_to_hangul(fold_latin(word), lang)]


def hangul_candidates(name: str, lang: str, k: int = 5) -> list[str]:
    """Up to ``k`` Hangul spellings of a name, most likely first (the first is
    :func:`to_hangul`).

    Where the Latin spelling does not decide the Hangul one, the others follow: Russian
    passport Latin that lost ь/ё (표 19), Vietnamese ``d`` that may be ``đ`` (표 16), and for
    Chinese the most likely Sino-Korean reading after the 표 5 transcription. Candidates are
    combined word by word in order of the sum of their ranks.
    """
    words = [w for w in re.split(r"[\s\-,.]+", name.strip()) if w]
    per = [_word_candidates(w, lang) for w in words]
    combos: list[tuple[int, list[str]]] = [(0, [])]
    for options in per:
        combos = sorted(((r + i, [*c, o]) for r, c in combos for i, o in enumerate(options)),
                        key=lambda rc: rc[0])[: max(k, 1) * 4]
    out = [" ".join(w for w in c if w) for _, c in combos]
    if lang == "chi" and not is_hangul(name):
        out.insert(1, sino_korean(name))
    return list(dict.fromkeys(o for o in out if o))[:k]


def _ends(hangul: str, open_vowels: bool = False) -> tuple[str, str]:
    words = [k for k in (phonetic_key(w, open_vowels=open_vowels) for w in hangul.split()) if k]
    return (words[0], words[-1]) if words else ("", "")


_RU_ENDING = re.compile(r"(ov|ev|ova|eva|in|ina|ii|iy|sky|skii|skaya|enko|yan)$")


def guess_language(name: str) -> str:
    """The rule table for a Latin name whose nationality is missing: Chinese if every word
    splits into pinyin syllables, Vietnamese if every word is one Vietnamese syllable and one
    has a spelling pinyin lacks (th, tr, ph, kh, nh, final m/p/t/c), Russian by its endings,
    else the generic table."""
    words = [fold_latin(w) for w in re.split(r"[\s\-,.]+", name) if w]
    words = [w for w in words if w]
    if not words:
        return "lat"
    syl = _pinyin_syllables()
    viet = all(VI_SYLLABLE.match(w) for w in words)
    if viet and any(re.search(r"^(th|tr|ph|kh|nh|ngh|qu)|(nh|[mptc])$", w) for w in words):
        return "vie"
    if all(all(p in syl for p in segment_pinyin(w)) for w in words):
        return "chi"
    if any(_RU_ENDING.search(w) for w in words):
        return "rus"
    return "vie" if viet else "lat"


@cache
def name_keys(name: str | None, nationality: str | None = None) -> NameKeys:
    """The phonetic keys of a name in Latin letters or Hangul (cached: names repeat).

    Args:
        name: the full name (all name fields joined by spaces); ``None`` gives empty keys.
        nationality: ISO alpha-3 code choosing the transliteration rules for Latin names.
    """
    if not name:
        return NameKeys("", "", "", "", "", "", "", "", "")
    lang = LANGUAGE_OF_NATIONALITY.get((nationality or "").upper(), "")
    if not lang:
        lang = "lat" if is_hangul(name) else guess_language(name)
    hangul = to_hangul(name, lang)
    ov = lang == "vie"  # Vietnamese keys forget a/â/ơ/o, which passports do not print
    # compared with the sorted key of a Hangul name of the same nationality: same vowels
    lat = "" if is_hangul(name) else phonetic_key(to_hangul(name, "lat"), sort_syllables=True,
                                                  open_vowels=ov)
    key = phonetic_key(hangul, open_vowels=ov)
    sorted_key = phonetic_key(hangul, sort_syllables=True, open_vowels=ov)
    alt = sorted_key
    if lang == "chi":
        # the two directions of the Sino-Korean guess fail on different characters, so the
        # Latin side guesses the reading and the Hangul side guesses the pinyin
        guess = (to_hangul(pinyin_of_hangul(name), "chi") if is_hangul(name)
                 else sino_korean(name))
        alt = phonetic_key(guess, sort_syllables=True) or sorted_key
        sino = ("".join(c for c in name if not c.isspace()) if is_hangul(name)
                else sino_pattern(name))
        second = "" if is_hangul(name) else (sino_ranked(name, 2)[1:] or [""])[0]
        return NameKeys(hangul, key, sorted_key, alt, sino, *_ends(hangul), lat,
                        consonant_skeleton(hangul), phonetic_key(second, sort_syllables=True))
    elif not nationality and is_hangul(name):
        # nationality unknown: the alternative is the key with the vowels a Vietnamese
        # passport does not print forgotten, as the key of a Vietnamese Latin name is
        alt = phonetic_key(hangul, sort_syllables=True, open_vowels=True)
    elif lang == "vie" and name.isascii():
        # passports drop the stroke of đ (ㄷ), so a bare d (ㅈ) may be either
        alt = phonetic_key(to_hangul(re.sub(r"(?i)\bd", "đ", name), "vie"), sort_syllables=True,
                           open_vowels=True)
    return NameKeys(hangul, key, sorted_key, alt, "", *_ends(hangul, ov), lat,
                    consonant_skeleton(hangul))

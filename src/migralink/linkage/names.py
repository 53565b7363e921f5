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

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from migralink.linkage.hangul import consonant_skeleton, is_hangul, phonetic_key
from migralink.linkage.phonemes import latin_to_hangul, russian_variants
from migralink.linkage.rules import fold_latin
from migralink.linkage.sino import (
    pinyin_of_hangul,
    pinyin_syllables,
    pinyin_to_hangul,
    segment_pinyin,
    sino_korean,
    sino_pattern,
    sino_ranked,
)
from migralink.linkage.vietnamese import VI_SYLLABLE, vietnamese, vietnamese_candidates

__all__ = [
    "LANGUAGE_OF_NATIONALITY",
    "NameKeys",
    "hangul_candidates",
    "name_keys",
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
    syl = pinyin_syllables()
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
    # full-width Latin (ＺＨＯＵ) and ideographic spaces as the plain letters and space
    name = unicodedata.normalize("NFKC", name).strip() if name else name
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

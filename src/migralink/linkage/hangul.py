"""Hangul syllables from jamo, and a coarse phonetic key shared by Latin and Hangul names.

The rule tables in :mod:`.rules` write a name as a string of compatibility jamo in which a
consonant prefixed with ``-`` is a final (받침), following the way the 외래어 표기법
(Korean loanword orthography, 국립국어원; 문교부 고시 제85-11호) writes codas. :func:`compose`
assembles syllables: a vowel without an onset gets ``ㅇ``, a consonant with no vowel gets the
epenthetic ``ㅡ`` (제1장 제1항: a consonant cluster is written with ``ㅡ``), a final with no host
syllable becomes ``ㅇ+ㅡ+final`` (so ``ng`` at the start of a Vietnamese name gives ``응``).

:func:`phonetic_key` then maps Hangul to a Latin-letter key that forgets distinctions which
registers blur (tense/aspirated/plain stops, ㅓ/ㅗ, ㅐ/ㅔ, ㅜ/ㅡ — passports drop the horn of
ư —, glides after ㅈ/ㅊ), so that two spellings of the same name land on the same or a
very close key.
"""

from __future__ import annotations

__all__ = ["compose", "consonant_skeleton", "decompose", "is_hangul", "phonetic_key", "syllable",
           "syllable_key"]

ONSETS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ",
          "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
_BASE = 0xAC00
_LAST = 0xD7A3

# Two-jamo vowel sequences that the rule tables spell with separate letters but Hangul writes
# as one compound vowel when no onset intervenes (e.g. ㅜ+ㅏ is written ㅘ only by the rules
# themselves, so no merging is done here: 외래어 표기법 keeps 우아 apart unless a rule says ㅘ).


def syllable(onset: str, vowel: str, final: str = "") -> str:
    return chr(_BASE + (ONSETS.index(onset) * 21 + VOWELS.index(vowel)) * 28 + FINALS.index(final))


class _Builder:
    """Syllables under construction: a pending onset, the open syllable, the output."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.cur: list[str] | None = None  # [onset, vowel, final]
        self.pending: str | None = None  # an onset consonant waiting for its vowel

    def flush(self) -> None:
        if self.cur is not None:
            self.out.append(syllable(*self.cur))
            self.cur = None

    def flush_pending(self) -> None:
        if self.pending is not None:  # a consonant with no vowel is written with ㅡ
            self.flush()
            self.out.append(syllable(self.pending, "ㅡ"))
            self.pending = None

    def final(self, fin: str) -> None:
        if self.pending is not None:
            self.flush()
            self.cur = [self.pending, "ㅡ", ""]
            self.pending = None
        if self.cur is None or self.cur[2]:
            self.flush()
            self.cur = ["ㅇ", "ㅡ", ""]
        self.cur[2] = fin if fin in FINALS else ""
        self.flush()

    def vowel(self, v: str) -> None:
        self.flush()
        self.cur = [self.pending if self.pending is not None else "ㅇ", v, ""]
        self.pending = None

    def onset(self, c: str) -> None:
        self.flush()
        self.flush_pending()
        self.pending = c

    def space(self) -> None:
        self.flush()
        self.flush_pending()
        if self.out and self.out[-1] != " ":
            self.out.append(" ")


def compose(jamo: str) -> str:
    """Assemble rule output (compatibility jamo, ``-`` before a final) into syllables.

    Spaces are kept as word breaks; any other character is dropped.

    Examples:
        >>> compose("-ㅇㅜㅇㅖ-ㄴ")
        '응우옌'
    """
    b = _Builder()
    i = 0
    while i < len(jamo):
        ch = jamo[i]
        if ch == "-" and i + 1 < len(jamo) and jamo[i + 1] in ONSETS:
            b.final(jamo[i + 1])
            i += 2
            continue
        if ch in VOWELS:
            b.vowel(ch)
        elif ch in ONSETS:
            b.onset(ch)
        elif ch == " ":
            b.space()
        i += 1
    b.flush()
    b.flush_pending()
    return "".join(b.out).strip()


def is_hangul(text: str) -> bool:
    """Whether ``text`` contains at least one precomposed Hangul syllable."""
    return any(_BASE <= ord(c) <= _LAST for c in text)


def decompose(syllable: str) -> tuple[str, str, str]:
    """Split one precomposed syllable into (onset, vowel, final); final may be ``""``."""
    code = ord(syllable) - _BASE
    if not 0 <= code <= _LAST - _BASE:
        raise ValueError(f"not a Hangul syllable: {syllable!r}")
    return ONSETS[code // 588], VOWELS[(code % 588) // 28], FINALS[code % 28]


_ONSET_KEY = dict(zip(ONSETS, ["K", "K", "N", "T", "T", "L", "M", "P", "P", "S", "S", "",
                               "C", "C", "C", "K", "T", "P", "H"], strict=True))
_VOWEL_KEY = dict(zip(VOWELS, ["A", "E", "YA", "YE", "O", "E", "YO", "YE", "O", "WA", "WE",
                               "WE", "YO", "U", "WO", "WE", "WI", "YU", "U", "I", "I"],
                      strict=True))
_FINAL_KEY = {"ㄱ": "K", "ㄴ": "N", "ㄹ": "L", "ㅁ": "M", "ㅂ": "P", "ㅅ": "T", "ㅇ": "NG",
              "ㄷ": "T", "ㅈ": "T", "ㅊ": "T", "ㅌ": "T", "ㅋ": "K", "ㅍ": "P", "ㅎ": "",
              "ㄲ": "K", "ㅆ": "T"}


def syllable_key(syllable: str) -> str:
    """The phonetic key of one Hangul syllable (see :func:`phonetic_key`)."""
    onset, vowel, final = decompose(syllable)
    head = _ONSET_KEY[onset]
    body = _VOWEL_KEY[vowel]
    if head == "C" and body.startswith("Y"):  # 쟈 = 자: glides after ㅈ/ㅊ are not written
        body = body[1:]
    if vowel == "ㅡ" and final and not head:  # 응: the ㅡ only carries the final
        body = ""
    return head + body + _FINAL_KEY.get(final, "")


def _squeeze(key: str) -> str:
    # doubled letters come from ㄹㄹ, 받침+onset (ㅅㅅ) and geminates; registers disagree on them
    out: list[str] = []
    for ch in key:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def phonetic_key(hangul: str, *, sort_syllables: bool = False, open_vowels: bool = False
                 ) -> str:
    """A coarse phonetic key of a Hangul name, without spaces.

    Args:
        hangul: the name in Hangul; non-Hangul characters are ignored.
        sort_syllables: sort the syllable keys, so that swapped name order and different
            splits into words give the same key.
        open_vowels: also write ㅓ/ㅗ like ㅏ (for Vietnamese: a passport prints â, ơ and ô
            as a and o, which 표 16 writes ㅓ, ㅓ, ㅗ, and a as ㅏ).

    Examples:
        >>> phonetic_key("응우옌 티 호아")
        'NGUYENTIHOA'
    """
    keys = [syllable_key(c) for c in hangul if _BASE <= ord(c) <= _LAST]
    if open_vowels:
        keys = [k.replace("O", "A") for k in keys]
    if sort_syllables:
        keys.sort()
    return _squeeze("".join(keys))


def consonant_skeleton(hangul: str) -> str:
    """The consonants of :func:`phonetic_key`, syllable by syllable, sorted, without vowels
    and glides: ``함 라타`` and ``헴 라타`` → ``HMLT``.

    The informal spellings of a register change vowels (ㅐ/ㅔ, ㅓ/ㅗ, a glide dropped:
    ``엔`` for ``옌``, ``루`` for ``류``) far more often than consonants, so a name and its
    respelling share this key where the phonetic key differs; it is a blocking key (coarse:
    ``LI MIN`` and ``LU MAN`` share it), the comparison then scores the pair.
    """
    keys = ["".join(c for c in syllable_key(ch) if c not in "AEIOUYW")
            for ch in hangul if _BASE <= ord(ch) <= _LAST]
    return _squeeze("".join(sorted(k for k in keys if k)))

"""Vietnamese names in passport Latin → Hangul (외래어 표기법 제2장 표 16, 제3장 제7절).

The rewrite tables are in :mod:`.rules`; this module prepares what a passport prints: it
restores vowel marks that quốc ngữ makes certain (``NGUYEN`` is Nguyễn → 응우옌), splits words
that join syllables (``THANHLINH``), and lists the other spellings a bare letter may stand for
(``SON`` → 손 or Sơn 선) as ranked candidates.
"""

from __future__ import annotations

import re
from functools import cache

from migralink.linkage.hangul import compose
from migralink.linkage.rules import (
    VIETNAMESE,
    VIETNAMESE_JAMO,
    apply_rules,
    fold_latin,
    vi_normalise,
)
from migralink.linkage.unihan import readings

__all__ = ["VI_SYLLABLE", "vi_syllables", "vietnamese", "vietnamese_candidates"]

#: the shape of one Vietnamese syllable in ASCII (onset, vowels, coda)
VI_SYLLABLE = re.compile(r"^(ngh|ng|nh|th|tr|ph|kh|gi|qu|ch|[bcdghklmnprstvx])?[aeiouy]+"
                       r"(ng|nh|ch|[mnptc])?$")

# Passport (ASCII) Vietnamese loses the vowel marks. Some are recoverable because quốc ngữ
# has no unmarked form of the cluster (uyên, yên, iê, uê), and ươ is far more frequent in
# names than uô (Trương, Dương, Phương, Hương, Cường): 표 16 then writes 옌, 이에, 으어.
_VI_ASCII = [(re.compile(p), r) for p, r in (
    (r"uye", "uyê"), (r"(?<![aeiou])ye", "yê"), (r"ie", "iê"), (r"ue(?!n)", "uê"),
    (r"(?<!q)uo", "ươ"))]
# one mark restored at a time for the further candidates (â, ơ, ư, ê, uô)
_VI_MARKS = [(re.compile(p), r) for p, r in (
    (r"(?<=[^aeiouy])a(?=[nmptc])", "â"), (r"o(?=[nimptc])", "ơ"),
    (r"(?<=[^aeiouy])u(?=[nc])", "ư"),
    (r"ươ", "uô"), (r"(?<=[^aeiouy])e(?=[nmptc]|$)", "ê"), (r"(?<=[^aeiouy])a(?=[nmptc])", "ă"))]


def _vi_ascii(word: str) -> str:
    w = word.lower()
    if w.isascii():
        for pattern, repl in _VI_ASCII:
            w = pattern.sub(repl, w)
    return w


@cache
def _han_viet() -> frozenset[str]:
    return frozenset(fold_latin(v) for r in readings().values() for v in r.vietnamese)


@cache
def vi_syllables(word: str) -> tuple[str, ...]:
    """Split a passport word that joins Vietnamese syllables (``THANHLINH``) into them:
    the fewest pieces of Vietnamese syllable shape, a piece that is no Hán-Việt reading
    (Unihan ``kVietnamese``) or a vowel after a coda nh/ng/ch counting extra, the longer
    first piece on a tie."""
    w = word.lower()
    if not w.isascii() or VI_SYLLABLE.match(w):
        return (word,)
    hv = _han_viet()
    best: list[tuple[float, tuple[int, ...]] | None] = [None] * (len(w) + 1)
    best[0] = (0.0, ())
    for i in range(len(w)):
        here = best[i]
        if here is None:
            continue
        for j in range(i + 1, min(len(w), i + 7) + 1):
            piece = w[i:j]
            if VI_SYLLABLE.match(piece):
                # vanh·ung is văn·hùng: a coda nh/ng/ch rather starts the next syllable
                glued = i > 0 and piece[0] in "aeiouy" and w[:i].endswith(("nh", "ng", "ch"))
                cost = here[0] + 1 + (0 if piece in hv else 0.5) + (0.6 if glued else 0)
                cand = (cost, (*here[1], -(j - i)))
                old = best[j]
                if old is None or cand < old:
                    best[j] = cand
    end = best[len(w)]
    if end is None:
        return (word,)
    out, i = [], 0
    for neg in end[1]:
        out.append(word[i:i - neg])
        i -= neg
    return tuple(out)


def vietnamese(word: str) -> str:
    return "".join(compose(apply_rules(vi_normalise(_vi_ascii(s)), VIETNAMESE, VIETNAMESE_JAMO))
                   for s in vi_syllables(word))


def vietnamese_candidates(word: str) -> list[str]:
    out = [vietnamese(word)]
    if word.isascii():
        base = _vi_ascii(word)
        alts = [re.sub(r"^d", "đ", base)]
        for pattern, repl in _VI_MARKS:
            alts += [base[:m.start()] + repl + base[m.end():] for m in pattern.finditer(base)]
        out += [compose(apply_rules(vi_normalise(a), VIETNAMESE, VIETNAMESE_JAMO)) for a in alts]
    return list(dict.fromkeys(out))



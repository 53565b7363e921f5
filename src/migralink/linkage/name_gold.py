"""Transliteration accuracy against real Hangul spellings (not against our own rules).

The gold pairs are the official examples shipped with the rule data in
``../shared/data/names`` (국립국어원 examples collected in hangulize's ``test:`` sections):
Vietnamese (6, Latin with diacritics, and the same folded to ASCII as a passport prints it),
Chinese (143 Hanzi names; the Latin input is their pinyin from Unihan ``kMandarin``) and
Russian (124 Cyrillic names; the input is their ICAO 9303 passport Latin). For Chinese names
registered in their Sino-Korean reading the gold is Unihan ``kHangul`` of each character of
the same 143 names (두음법칙 on the first). No real Latin↔Hangul pairs exist in the shared
data for Thai, Filipino, Uzbek, Nepali, Indonesian, Mongolian or Khmer, so no top-1 is
claimed for them (their rules are checked on table examples in the tests only).

The synthetic registers' Hangul names are made by the same rules that read them, so a
retrieval score on them measures robustness to the error model, not transliteration
accuracy; :func:`accuracy` on these pairs is the top-1 figure reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from migralink.linkage.names import hangul_candidates
from migralink.linkage.rules import fold_latin
from migralink.linkage.sino import initial_sound_rule, sino_candidates
from migralink.linkage.unihan import parse_unihan, toneless

__all__ = ["ICAO", "GoldPair", "accuracy", "gold_pairs", "icao_latin", "sino_gold_pairs"]

# ICAO 9303 Cyrillic → Latin, as printed in Russian passports
ICAO = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o",
                 "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e",
                 "iu", "ia"], strict=True))


@dataclass(frozen=True)
class GoldPair:
    """One real name pair: ``latin`` as a register prints it, ``hangul`` the official form."""

    lang: str
    latin: str
    hangul: str
    source: str


def icao_latin(cyrillic: str) -> str:
    """A Cyrillic name in ICAO 9303 passport Latin (stress marks dropped)."""
    return "".join(ICAO.get(c, c) for c in cyrillic.lower().replace("\u0301", ""))


def spec_tests(names_dir: Path, lang: str) -> list[tuple[str, str]]:
    """The ``test:`` pairs of a hangulize rule spec (국립국어원 examples)."""
    text = (names_dir / "hangulize" / "specs" / f"{lang}.hsl").read_text("utf-8")
    return re.findall(r'"([^"]+)"\s*->\s*"([^"]+)"', text.split("\ntest:")[1])


@cache
def _unihan(names_dir: Path) -> dict[str, dict[str, str]]:
    return parse_unihan(names_dir / "unihan" / "Unihan_Readings.txt.bz2")


def _pinyin(names_dir: Path, hanzi: str) -> str:
    fields = _unihan(names_dir)
    return "".join(toneless(fields[c]["kMandarin"].split()[0]) for c in hanzi if c in fields)


def gold_pairs(names_dir: Path) -> list[GoldPair]:
    """Every official example as a Latin → Hangul pair (see the module docstring)."""
    out: list[GoldPair] = []
    for latin, hangul in spec_tests(names_dir, "vie"):
        out.append(GoldPair("vie", latin, hangul, "vie.hsl"))
        ascii_form = unicodedata.normalize("NFKD", latin.replace("đ", "d").replace("Đ", "D"))
        out.append(GoldPair("vie-ascii", "".join(c for c in ascii_form if c.isascii()), hangul,
                            "vie.hsl, folded to ASCII"))
    for hanzi, hangul in spec_tests(names_dir, "chi"):
        out.append(GoldPair("chi", _pinyin(names_dir, hanzi), hangul, "chi.hsl + kMandarin"))
    for cyrillic, hangul in spec_tests(names_dir, "rus"):
        out.append(GoldPair("rus", icao_latin(cyrillic), hangul, "rus.hsl, ICAO Latin"))
    return out


def sino_gold_pairs(names_dir: Path) -> list[GoldPair]:
    """The Chinese official examples as pinyin → Sino-Korean reading (Unihan ``kHangul``)."""
    fields = _unihan(names_dir)
    out = []
    for hanzi, _ in spec_tests(names_dir, "chi"):
        if not all("kHangul" in fields.get(c, {}) for c in hanzi):
            continue
        syl = [fields[c]["kHangul"].split()[0].split(":")[0] for c in hanzi]
        syl[0] = initial_sound_rule(syl[0])
        out.append(GoldPair("chi-sino", _pinyin(names_dir, hanzi), "".join(syl),
                            "chi.hsl Hanzi + kHangul"))
    return out


def _lang(p: GoldPair) -> str:
    return p.lang.split("-")[0]


def accuracy(pairs: list[GoldPair], k: int = 5) -> dict[str, tuple[int, float, float]]:
    """Per gold set (and ``all``): (pairs, top-1 share, top-``k`` share); spaces ignored.

    For ``chi-sino`` the candidates are the ranked Sino-Korean readings of the pinyin.
    """
    hits: dict[str, list[tuple[bool, bool]]] = {}
    for p in pairs:
        gold = p.hangul.replace(" ", "")
        if p.lang == "chi-sino":
            cands = [c for c in sino_candidates(p.latin).strip("|").split("|") if c]
            ranked = _ranked_sino(p.latin, cands)
        else:
            ranked = [c.replace(" ", "") for c in hangul_candidates(p.latin, _lang(p), k)]
        hits.setdefault(p.lang, []).append((ranked[:1] == [gold], gold in ranked[:k]))
    out = {lang: (len(v), sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v))
           for lang, v in hits.items()}
    every = [h for v in hits.values() for h in v]
    out["all"] = (len(every), sum(a for a, _ in every) / len(every),
                  sum(b for _, b in every) / len(every))
    return out


def _ranked_sino(pinyin: str, sorted_candidates: list[str]) -> list[str]:
    # sino_candidates keeps readings as sorted syllables (order-free matching); the ranked
    # readings in name order come from the most frequent reading first
    from migralink.linkage.sino import sino_korean

    best = sino_korean(pinyin).replace(" ", "")
    ranked = [best] if best else []
    key = "".join(sorted(best))
    ranked += [c for c in sorted_candidates if c != key]
    return ranked if fold_latin(pinyin) else []

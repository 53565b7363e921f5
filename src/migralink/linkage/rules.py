"""Ordered rewrite rules from a Latin spelling to Hangul jamo, one table per language.

Each table is a list of ``(regex, replacement)`` pairs applied in order to the whole
lower-cased word (as the 외래어 표기법 tables are read: longest and most specific spelling
first). Upper-case letters and ``X`` are internal markers. The replacement alphabet is
compatibility jamo with ``-`` before a final, assembled by :func:`.hangul.compose`.

Sources, typed up here (no code copied):

* Vietnamese — 외래어 표기법 제2장 표 16 (베트남어 자모와 한글 대조표) and 제3장 제7절
  (베트남어의 표기); read against the rule data of hangulize ``specs/vie.hsl`` (MIT).
* Chinese — 외래어 표기법 제2장 표 5 (중국어의 주음 부호와 한글 대조표) with 제3장 제7절의
  중국어 표기 세칙 (ㅈ,ㅉ,ㅊ 뒤 이중 모음은 단모음으로, 제3항); read against ``specs/chi.hsl``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["Rules", "apply_rules", "fold_latin"]

Rules = list[tuple[re.Pattern[str], str]]


def compile_rules(pairs: list[tuple[str, str]], vowels: str, consonants: str = "") -> Rules:
    """Compile rule pairs; ``@`` in a pattern stands for the vowel class, ``%`` for the
    consonant (initial) class."""
    return [(re.compile(p.replace("@", f"[{vowels}]").replace("%", f"[{consonants}]")), r)
            for p, r in pairs]


def apply_rules(word: str, *tables: Rules) -> str:
    """Apply each table's rules in order to ``word``."""
    for table in tables:
        for pattern, repl in table:
            word = pattern.sub(repl, word)
    return word


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters of ``text`` (diacritics and punctuation removed).

    ``đ`` becomes ``d`` (Vietnamese), apostrophes of Uzbek ``o‘``/``g‘`` are dropped.
    """
    text = text.replace("đ", "d").replace("Đ", "D").replace("ı", "i")
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if c.isascii() and (c.isalpha() or c == " ")).lower()


# --- Vietnamese (표 16) ---------------------------------------------------------------------
# Vowel letters with their quality marks survive; tone marks are dropped first.
_VI_KEEP = {"ă": "ă", "â": "â", "ê": "ê", "ô": "o", "ơ": "ơ", "ư": "ư", "đ": "đ"}


def vi_normalise(word: str) -> str:
    """Lower-case and drop tone marks, keeping ă â ê ơ ư đ (ô is written like o)."""
    out: list[str] = []
    for ch in word.lower():
        base = unicodedata.normalize("NFD", ch)
        letter = base[0]
        marks = base[1:]
        if ch == "đ":
            out.append("đ")
            continue
        quality = {"\u0306": "ă", "\u0302": {"a": "â", "e": "ê", "o": "ô"}.get(letter, letter),
                   "\u031b": {"o": "ơ", "u": "ư"}.get(letter, letter)}
        kept = letter
        for m in marks:
            if m == "\u0306" and letter == "a":
                kept = quality[m]
            elif m in ("\u0302", "\u031b"):
                kept = str(quality[m])
        out.append(_VI_KEEP.get(kept, kept))
    return "".join(c for c in out if c.isalpha() or c in "ăâêơưđ")


_VI_V = "aAeEioOuUy"
VIETNAMESE = compile_rules([
    ("ă", "A"), ("â", "O"), ("đ", "D"), ("ê", "E"), ("ơ", "O"), ("ư", "U"),
    ("ch", "C"), ("c", "k"), ("j", "d"), ("kh(?=@)", "K"), ("ngh(?=[eEi])", "N"), ("ng", "N"),
    ("nh(?=@)", "nY"), ("anh", "ain"), ("nh", "n"), ("gi", "d"), ("gh", "g"), ("ph(?=@)", "f"),
    ("qua", "kWa"), ("q", "k"), ("th(?=@)", "T"), ("tr", "C"), ("dz(?=@)", "d"), ("z(?=@)", "d"),
    ("ia", "iO"), ("ya", "yO"), ("ua", "uO"), ("Ua", "UO"), ("A", "a"), ("y(?=@)", "Y"),
    ("y", "i"),
    ("C(?=@)", "XC"), ("(?<=@)C", "CX"), ("^k", "Xk"), ("k(?=[aAeEioOuUylrW])", "Xk"),
    ("(?<=@)k", "kX"), ("m(?=@)", "Xm"), ("(?<=@)m", "mX"), ("n(?=[aAeEioOuUyY])", "Xn"),
    ("(?<=@)n", "nX"), ("N", "NX"), ("^p", "Xp"), ("p(?=[aAeEioOuUylr])", "Xp"),
    ("(?<=@)p", "pX"), ("^t", "Xt"), ("t(?=[aAeEioOuUyl])", "Xt"), ("(?<=@)t", "tX"),
], _VI_V)
VIETNAMESE_JAMO = compile_rules([
    ("^l", "ㄹ"), ("(?<=X)l(?=@)", "ㄹ"), ("l(?=@)", "-ㄹㄹ"), ("l", "-ㄹ"), ("b", "ㅂ"),
    ("XC", "ㅉ"), ("CX", "-ㄱ"), ("C", "ㅉ"), ("d", "ㅈ"), ("D", "ㄷ"), ("f", "ㅍ"), ("g", "ㄱ"),
    ("h(?=@)", "ㅎ"), ("Xk", "ㄲ"), ("kX", "-ㄱ"), ("k", "ㄲ"), ("K", "ㅋ"), ("Xm", "ㅁ"),
    ("mX", "-ㅁ"), ("Xn", "ㄴ"), ("nX", "-ㄴ"), ("NX", "-ㅇ"), ("Xp", "ㅃ"), ("pX", "-ㅂ"),
    ("p", "ㅃ"), ("r", "ㄹ"), ("s", "ㅅ"), ("Xt", "ㄸ"), ("tX", "-ㅅ"), ("t", "ㄸ"), ("T", "ㅌ"),
    ("v", "ㅂ"), ("x", "ㅆ"), ("z", "ㅋ"), ("Wa", "ㅘ"), ("Ya", "ㅑ"), ("Ye", "ㅒ"), ("YE", "ㅖ"),
    ("Yi", "ㅣ"), ("Yo", "ㅛ"), ("YO", "ㅕ"), ("Yu", "ㅠ"), ("YU", "ㅠ"), ("a", "ㅏ"), ("e", "ㅐ"),
    ("i", "ㅣ"), ("o", "ㅗ"), ("O", "ㅓ"), ("u", "ㅜ"), ("U", "ㅡ"), ("h", ""),
], _VI_V)

# --- Chinese pinyin (표 5) ------------------------------------------------------------------
# % is the class of initials (y and w are spelling glides, not initials)
CHINESE = compile_rules([
    ("ü", "v"), ("v", "yu"),
    ("(?<=c|h|r|s|z)i(?![aeoun])", "i,"),
    ("(?<=[jqx])ue", "yue"), ("(?<=[jqx])uan", "yuan"), ("(?<=[jqx])un", "yun"),
    ("(?<=[jqx])u", "yu"),
    ("(?<=%)iong", "yong"), ("(?<=%)iao", "yao"), ("(?<=%)iang", "yang"),
    ("(?<=%)ian", "yan"), ("(?<=%)ia", "ya"), ("(?<=%)ie", "ye"),
    ("(?<=%)iou", "you"), ("(?<=%)iu", "you"), ("(?<=%)ing", "ying"),
    ("(?<=%)in", "yin"), ("(?<=%)i(?!,)", "yi"),
    ("(?<=%)uai", "wai"), ("(?<=%)uang", "wang"), ("(?<=%)uan", "wan"),
    ("(?<=%)ua", "wa"), ("(?<=%)uo", "wo"), ("(?<=%)ong", "ung"),
    ("(?<=[bpmfdtnlgkhrzcs])u", "wu"), ("(?<=%)r(?![aeiouyw])", "er"),
], "aeiou", "bpmfdtnlgkhjqxrzcs")
CHINESE_JAMO = compile_rules([
    ("yue", "ㅞ"), ("yuan", "ㅟㅏ-ㄴ"), ("yun", "ㅟ-ㄴ"), ("yu", "ㅟ"),
    ("wang", "ㅘ-ㅇ"), ("weng", "ㅝ-ㅇ"), ("ung", "ㅜ-ㅇ"), ("wan", "ㅘ-ㄴ"), ("wen", "ㅝ-ㄴ"),
    ("un", "ㅜ-ㄴ"), ("wai", "ㅘㅣ"), ("wei", "ㅞㅣ"), ("wa", "ㅘ"), ("wo", "ㅝ"), ("ui", "ㅜㅣ"),
    ("(?<=j|q|h|c)yong", "ㅜ-ㅇ"), ("(?<=j|q|h|c)yang", "ㅏ-ㅇ"), ("(?<=j|q|h|c)yan", "ㅔ-ㄴ"),
    ("(?<=j|q|h|c)you", "ㅜ"), ("(?<=j|q|h|c)yao", "ㅏㅗ"), ("(?<=j|q|h|c)ya", "ㅏ"),
    ("(?<=j|q|h|c)ye", "ㅔ"),
    ("yong", "ㅠ-ㅇ"), ("yang", "ㅑ-ㅇ"), ("yan", "ㅖ-ㄴ"), ("ying", "ㅣ-ㅇ"), ("yin", "ㅣ-ㄴ"),
    ("you", "ㅠ"), ("yao", "ㅑㅗ"), ("ya", "ㅑ"), ("yo", "ㅛ"), ("ye", "ㅖ"),
    ("ang", "ㅏ-ㅇ"), ("eng", "ㅓ-ㅇ"), ("an", "ㅏ-ㄴ"), ("en", "ㅓ-ㄴ"), ("er", "ㅓ-ㄹ"),
    ("ng", "-ㅇ"), ("ai", "ㅏㅣ"), ("ei", "ㅔㅣ"), ("ao", "ㅏㅗ"), ("ou", "ㅓㅜ"),
    ("a", "ㅏ"), ("o", "ㅗ"), ("e", "ㅓ"), ("i,", "ㅡ"), ("yi", "ㅣ"), ("i", "ㅣ"), ("wu", "ㅜ"),
    ("zh", "ㅈ"), ("ch", "ㅊ"), ("sh", "ㅅ"), ("r", "ㄹ"), ("z", "ㅉ"), ("c", "ㅊ"), ("s", "ㅆ"),
    ("b", "ㅂ"), ("p", "ㅍ"), ("m", "ㅁ"), ("f", "ㅍ"), ("d", "ㄷ"), ("t", "ㅌ"), ("n", "ㄴ"),
    ("l", "ㄹ"), ("g", "ㄱ"), ("k", "ㅋ"), ("h", "ㅎ"), ("j", "ㅈ"), ("q", "ㅊ"), ("x", "ㅅ"),
], "aeiou")

_PINYIN_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|iao|ian|uai|uan|ang|eng|ing|ong|van|ai|ao|an|ei|en|er|ia|ie|in|"
    r"iu|ou|ua|ue|ui|un|uo|ve|a|e|i|o|u|v)(?:n(?![aeiouv])|ng(?![aeiouv]))?"
)


def split_pinyin(word: str) -> list[str]:
    """Split a pinyin word (``xiaoming``) into syllables (``xiao``, ``ming``), greedily."""
    word = word.replace("'", "")
    out: list[str] = []
    i = 0
    while i < len(word):
        m = _PINYIN_SYLLABLE.match(word, i)
        if m is None or m.end() == i:
            out.append(word[i:])
            break
        out.append(m.group(0))
        i = m.end()
    return out

"""Latin spellings of Thai, Filipino, Indonesian, Uzbek, Russian, Nepali, Mongolian and Khmer
names to Hangul, through a small phoneme alphabet.

A per-language grapheme table turns the romanised spelling into phonemes (longest spelling
first); one shared converter then writes the phonemes in Hangul following 외래어 표기법
제1장 (표기의 원칙) and the correspondences of 표 1 (국제 음성 기호와 한글 대조표):

* 제3항/표 1 주: a voiceless stop after a short vowel at the end of a word or before a
  consonant is written as a final (ㅂ, ㅅ, ㄱ) in languages whose stops are unreleased —
  표 14 (말레이인도네시아어: 어말의 p, t, k는 받침으로) and 표 15 (타이어: 어말 k, p, t/s/ch
  → ㄱ, ㅂ, ㅅ); elsewhere (Russian 표 19, Uzbek, Mongolian, Nepali) it takes ``ㅡ``.
* Thai unaspirated k, p, t, c are ㄲ, ㅃ, ㄸ, ㅉ and the aspirated kh, ph, th, ch ㅋ, ㅍ, ㅌ, ㅊ
  (표 15; 제1장 제4항의 예외 as the table itself makes for Thai and Vietnamese).
* ``l`` between vowels or after a consonant before a vowel is ``ㄹㄹ`` (표 1 주 l 항).
* ``sh`` [ʃ] before a vowel is 샤/셰/시/쇼/슈, before a consonant 슈, at the end 시 (표 1).
* Russian (표 19, read through the ICAO passport transliteration): final voiced consonants
  are devoiced (Иванов → 이바노프), initial ``e`` is 예, ``ii``/``iy`` at the end is ``ㅣ``.
* ``ng`` is always the final ㅇ (응 at the start of a word), ``h`` before a consonant or at
  the end is not written (Thai, Indonesian, Khmer).

Where no official table exists (Filipino, Uzbek, Nepali, Mongolian, Khmer) the table of the
closest listed language was followed, and the choices are documented in ``docs/linkage.md``.
"""

from __future__ import annotations

import re

from migralink.linkage.hangul import compose

__all__ = ["LANGUAGES", "latin_to_hangul"]

VOWEL = {"a": "ㅏ", "e": "ㅔ", "i": "ㅣ", "o": "ㅗ", "u": "ㅜ", "E": "ㅐ", "O": "ㅓ", "U": "ㅡ"}
Y_VOWEL = {"a": "ㅑ", "e": "ㅖ", "i": "ㅣ", "o": "ㅛ", "u": "ㅠ", "E": "ㅒ", "O": "ㅕ", "U": "ㅡ"}
W_VOWEL = {"a": "ㅘ", "e": "ㅞ", "i": "ㅟ", "o": "ㅝ", "u": "ㅜ", "E": "ㅙ", "O": "ㅝ", "U": "ㅢ"}
# onset jamo of each consonant phoneme; P T K C are Thai unaspirated (tense) stops,
# x the velar fricative [x] (Russian х, Mongolian/Uzbek kh/x), S [ʃ], Z [ʒ], Q [ts], J [dʒ]
ONSET = {"p": "ㅍ", "b": "ㅂ", "t": "ㅌ", "d": "ㄷ", "k": "ㅋ", "g": "ㄱ", "P": "ㅃ", "T": "ㄸ",
         "K": "ㄲ", "C": "ㅉ", "c": "ㅊ", "J": "ㅈ", "Q": "ㅊ", "Z": "ㅈ", "x": "ㅎ", "s": "ㅅ",
         "S": "ㅅ", "z": "ㅈ", "f": "ㅍ", "v": "ㅂ", "h": "ㅎ", "m": "ㅁ", "n": "ㄴ", "l": "ㄹ",
         "r": "ㄹ"}
UNRELEASED = {"p": "ㅂ", "t": "ㅅ", "k": "ㄱ", "P": "ㅂ", "T": "ㅅ", "K": "ㄱ"}
DEVOICE = {"b": "p", "d": "t", "g": "k", "v": "f", "z": "s", "Z": "S"}


def _table(pairs: str) -> list[tuple[str, str]]:
    # later entries override earlier ones, so a language can refine the common table
    items = dict(p.split("=", 1) for p in pairs.split())
    return sorted(items.items(), key=lambda ab: -len(ab[0]))


_COMMON = ("ng=N ny=ny sh=S ch=c zh=Z ph=f kh=x th=t ts=Q j=J c=k q=k x=ks y=y w=w "
           "a=a e=e i=i o=o u=u b=b d=d f=f g=g h=h k=k l=l m=m n=n p=p r=r s=s t=t v=v z=z")

LANGUAGES: dict[str, dict[str, object]] = {
    # 표 15 (타이어): RTGS spelling
    "tha": {"graphemes": _table("rn=n ng=N kh=k ph=p th=t ch=c k=K p=P t=T j=C c=C ae=E oe=O ue=U "
                                "ai=ai ao=ao y=y w=w a=a e=e i=i o=o u=u b=b d=d f=f h=h "
                                "l=l m=m n=n r=r s=s"),
            "unreleased": True, "final_ln": True, "final_s": True},
    # 표 14 (말레이인도네시아어)
    "ind": {"graphemes": _table(_COMMON + " sy=S dj=J tj=c oe=u kh=x c=c"), "unreleased": True},
    "fil": {"graphemes": _table(_COMMON + " ll=ly qu=k ñ=ny j=h z=s v=b ph=f"),
            "unreleased": False},
    # 표 19 (러시아어), ICAO Latin
    # ng is н+г (Калининград), дж/дз are ж/з, тч is ч, ый is ы (Белый → 벨리), ия is и+я
    "rus": {"graphemes": _table(_COMMON + " ng=ng shch=S iu=yu ia=ya ie=ye yu=yu ya=ya ye=ye "
                                "kh=x ts=Q zh=Z y=i ii=i iy=i yi=i dzh=J dz=z tch=c iia=iya "
                                "iie=iye iiu=iyu Y=y"),
            "unreleased": False, "devoice": True, "initial_e": True, "coda_before_voiceless": True,
            "palatal_i": True},
    "uzb": {"graphemes": _table(_COMMON + " o'=o g'=g x=x q=k kh=x yu=yu ya=ya ye=ye"),
            "unreleased": False, "devoice": "final", "initial_e": True},
    "nep": {"graphemes": _table(_COMMON + " bh=b dh=d gh=g jh=J kh=k th=t ph=p chh=c aa=a ee=i "
                                "oo=u"), "unreleased": False},
    "mon": {"graphemes": _table(_COMMON + " nkh=Nx kh=x ts=Q ch=c j=J zh=J aa=a ee=e ii=i "
                                "oo=o uu=u ö=O ü=u ai=ai"), "unreleased": False},
    "khm": {"graphemes": _table(_COMMON + " kh=k ph=p th=t ch=c ey=ei ea=ea ou=u"),
            "unreleased": True, "final_ln": False, "final_s": True},
    "lat": {"graphemes": _table(_COMMON), "unreleased": False},
}

_VOWELS = set(VOWEL)


def _tokens(word: str, graphemes: list[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(word):
        for spelling, phones in graphemes:
            if word.startswith(spelling, i):
                out.extend(phones)
                i += len(spelling)
                break
        else:
            i += 1  # a letter the language table does not know: not written
    return out


def _is_vowel(ph: list[str], i: int) -> bool:
    return 0 <= i < len(ph) and ph[i] in _VOWELS


_VOICELESS = "ptkfsSxcQ"


def _prepare(ph: list[str], spec: dict[str, object]) -> list[str]:
    if spec.get("initial_e") and ph[:1] == ["e"]:
        ph = ["y", *ph]
    if spec.get("initial_e"):  # 표 19: е after a vowel is 예 (Алексеев → 알렉세예프)
        out: list[str] = []
        for i, p in enumerate(ph):
            if p == "e" and i > 0 and ph[i - 1] in _VOWELS:
                out.append("y")
            out.append(p)
        ph = out
    if spec.get("devoice"):
        # 표 19 주: voiced consonants at the end or before a voiceless one are devoiced
        # Uzbek names keep the voicing inside a word (Shavkat → 샤브카트, NIKL 용례)
        inner = spec["devoice"] != "final"
        ph = [DEVOICE[p] if p in DEVOICE and (
            i == len(ph) - 1 or (inner and ph[i + 1] in _VOICELESS)) else p
            for i, p in enumerate(ph)]
        ph = ["p" if p == "f" and i + 1 < len(ph) and ph[i + 1] in _VOICELESS else p
              for i, p in enumerate(ph)]
        merged: list[str] = []
        for p in ph:  # t + s is the affricate ц (Петрозаводск → 페트로자보츠크)
            if p == "s" and merged and merged[-1] == "t":
                merged[-1] = "Q"
            else:
                merged.append(p)
        ph = merged
    return ph


_DOUBLE = re.compile(r"([b-df-hj-lp-tv-z])\1")


def _undouble(word: str) -> str:
    """Write doubled consonants once, except m and n between vowels (Анна → 안나, 감마)."""
    return _DOUBLE.sub(lambda m: m.group(0) if m.group(1) in "mn" else m.group(1), word)


def _sonorant(ph: list[str], i: int, spec: dict[str, object], nxt_vowel: bool,
              after_vowel: bool) -> str | None:
    """Jamo for ng, m, n, l (and Thai final r); ``None`` for any other phoneme."""
    c = ph[i]
    if c == "N":
        return "-ㅇ"
    if c in "mn":
        before_l = i + 2 < len(ph) and ph[i + 1] == "l" and (
            _is_vowel(ph, i + 2) or (ph[i + 2] in "yw" and _is_vowel(ph, i + 3)))
        if nxt_vowel or before_l:  # 치믈랸스크, 제믈랴: m before ㄹㄹ takes ㅡ (표 19 ㄹ 항)
            return ONSET[c]
        # a final m/n after a consonant closes the ㅡ syllable (Акмеизм → 아크메이즘)
        return "-" + ONSET[c] if after_vowel or i == len(ph) - 1 else ONSET[c]
    if c == "l":
        if nxt_vowel:
            return "ㄹ" if i == 0 or ph[i - 1] == " " else "-ㄹㄹ"
        return "-ㄴ" if spec.get("final_ln") and after_vowel else "-ㄹ"
    if c == "r" and not nxt_vowel and spec.get("final_ln") and after_vowel:
        return "-ㄴ"
    return None


def _consonant(ph: list[str], i: int, spec: dict[str, object]) -> str:
    """Jamo for consonant phoneme ``ph[i]`` (onset, final, or with epenthetic ㅡ)."""
    c = ph[i]
    nxt_vowel = _is_vowel(ph, i + 1) or (i + 1 < len(ph) and ph[i + 1] in "yw"
                                         and _is_vowel(ph, i + 2))
    after_vowel = _is_vowel(ph, i - 1)
    sonorant = _sonorant(ph, i, spec, nxt_vowel, after_vowel)
    if sonorant is not None:
        return sonorant
    if c == "h" and not nxt_vowel:
        return ""
    if nxt_vowel:
        return ONSET[c]
    if c == "S":  # 표 19: ш before a consonant is 시 (Шишков → 시시코프); 표 1 [ʃ]: 슈
        return "ㅅㅣ" if i == len(ph) - 1 or spec.get("palatal_i") else "ㅅㅠ"
    if c == "c" and spec.get("palatal_i"):
        return "ㅊㅣ"  # 표 19: ч before a consonant or at the end is 치 (Манечка → 마네치카)
    before_voiceless = i + 1 < len(ph) and ph[i + 1] in "ptkfsSxcQ"
    if c in UNRELEASED and ((after_vowel and spec.get("unreleased")) or (
            i > 0 and spec.get("coda_before_voiceless") and before_voiceless
            and ph[i - 1] not in UNRELEASED)):
        # 표 19: к, п, т before a voiceless consonant are finals, not word-initially
        # (Аксаков → 악사코프, Курбский → 쿠릅스키, Псков → 프스코프)
        return "-" + UNRELEASED[c]
    if spec.get("final_s") and after_vowel and c in "dcsC" and i == len(ph) - 1:
        return "-ㅅ"  # 표 15: final t, d, ch, s of Thai and Khmer are all written ㅅ
    if c in "cJ" and i == len(ph) - 1:
        return ONSET[c] + "ㅣ"  # 표 1: [ʧ], [ʤ] at the end are 치, 지
    return ONSET[c]


def _vowel_with_glide(ph: list[str], i: int, out: list[str]) -> None:
    glide = ph[i - 1] if i > 0 and ph[i - 1] in "yw" else ""
    onset_before = i > 1 and glide and ph[i - 2] in ONSET and ph[i - 2] not in "lmnrN"
    v = ph[i]
    if glide == "y":
        if onset_before and ph[i - 2] in "cJzZQC":
            out.append(VOWEL[v])  # 자, 초: no glide after ㅈ/ㅊ (제3장 표기 세칙)
        else:
            out.append(Y_VOWEL[v])
    elif glide == "w":
        out.append(W_VOWEL[v])
    elif i > 0 and ph[i - 1] == "S":
        out.append(Y_VOWEL[v] if v != "e" else "ㅖ")
    else:
        out.append(VOWEL[v])


def latin_to_hangul(word: str, lang: str) -> str:
    """Write one romanised word (already ASCII-folded, lower case) in Hangul.

    Args:
        word: the word, e.g. ``"somchai"``.
        lang: a key of :data:`LANGUAGES` (``"lat"`` is the generic fallback).
    """
    spec = LANGUAGES.get(lang, LANGUAGES["lat"])
    graphemes = spec["graphemes"]
    assert isinstance(graphemes, list)
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        word = word[:-1] + "i"  # Ly, Rithy, Srey: a final y after a consonant is the vowel i
    ph = _prepare(_tokens(_undouble(word) if lang != "tha" else word, graphemes),
                  spec)
    if spec.get("devoice") and word.endswith(("grad", "gorod")) and ph[-1:] == ["t"]:
        ph[-1] = "d"  # -град, -город are written as words of their own (Волгоград → 볼고그라드)
    out: list[str] = []
    for i, p in enumerate(ph):
        if p in _VOWELS:
            _vowel_with_glide(ph, i, out)
        elif p in "yw":
            if not _is_vowel(ph, i + 1):
                out.append("ㅣ" if p == "y" else "ㅜ")
        elif p in ONSET or p == "N":
            out.append(_consonant(ph, i, spec))
    return compose("".join(out))


# ICAO 9303 passport Latin loses ь, ъ and ё (and writes ю after и like ю): the spellings a
# Russian name may have had, most likely first (표 19: ь before a vowel is 이, at the end 이
# after р/т/д…, ё is 요). Each variant changes one place of the passport spelling.
_RUS_VARIANTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<=[^aeiouy])e"), "Yo"),             # Пётр, Фёдор, Артём
    (re.compile(r"(?<=[^aeiouy])i(?=[aeu])"), "iY"),    # Илья, Татьяна, Дьяково (ья)
    (re.compile(r"(?<=[^aeiouy])e"), "iYe"),            # Премьер (ье)
    (re.compile(r"(?<=[^aeiouy])e(?=[^aeiouy]*$)"), "iYo"),  # Соловьёв (ьё)
    (re.compile(r"(?<=[bdfgkprstvxz])$"), "i"),         # Игорь, Тверь (final ь)
    (re.compile(r"(?<=[^aeiouy])iu"), "i-u"),           # Гиппиус (и+у, not ю)
    (re.compile(r"^l(?=[^aeiouy])"), "li"),             # Льбовна
]


def russian_variants(word: str, limit: int = 8) -> list[str]:
    """Hangul spellings of one ICAO-romanised Russian word, most likely first.

    The first is :func:`latin_to_hangul` of the word as written; the others restore one
    letter the passport spelling cannot show (ь, ё, и before у), in the order of
    ``_RUS_VARIANTS``.
    """
    out = [latin_to_hangul(word, "rus")]
    for pattern, repl in _RUS_VARIANTS:
        for m in pattern.finditer(word):
            alt = word[:m.start()] + repl + word[m.end():]
            h = latin_to_hangul(alt, "rus")  # Y is the glide й (the table reads y as ы)
            if h and h not in out:
                out.append(h)
            if len(out) >= limit:
                return out
    return out

"""Korean and English numerals as numbers: 250만, 이백오십만, 2.5백만, 1억 4천만, 2.5 million.

Korean groups digits by 10^4 (만, 억, 조) and, inside a group, by 십/백/천; written
numbers mix Arabic digits with these units freely ("2.5백만", "1억 4천만 명"). The parser
reads a run of digits, Sino-Korean digit syllables and units left to right, keeping the
part below 만 apart so that each large unit multiplies everything written before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NumberMention", "find_numbers", "parse_korean_number"]

_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6,
           "칠": 7, "팔": 8, "구": 9}
_SMALL = {"십": 10, "백": 100, "천": 1000}
_LARGE = {"만": 10**4, "억": 10**8, "조": 10**12}
_EN_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "m": 10**6,
             "mn": 10**6, "k": 10**3, "bn": 10**9}

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?"
# a numeral: Arabic digits and/or unit syllables, large groups optionally space-separated
# ("1억 4천만"). Hangul digit words are accepted only together with a unit, so that the
# syllable 이 (also a particle) alone is never read as 2.
# The digits are one atomic group: a run of n digits inside the repeated token could
# otherwise be split 2^(n-1) ways, each tried again when no 만/억/조 follows ("십만 " and
# eighteen 1s took 36 s; a 30-character request would hold a server thread for days).
_KO_TOKEN = rf"(?:(?>{_ARABIC})|[영공일이삼사오육칠팔구십백천만억조])"
_KO_NUMERAL = re.compile(
    rf"(?<![\d.])(?:{_ARABIC})(?:\s?[십백천만억조]+(?:\s?(?:{_ARABIC})?[십백천]*[만억조])*"
    # the part below the last unit, in digits: "8만 9000", "9만 2천 787" (a figure of a
    # year, a day or a percentage after it is not part of it: "250만 2020년")
    rf"(?:\s?\d+[십백천](?![만억조]))*(?:\s?\d{{1,4}}(?![\d,.])(?!\s?[년월일시분세살%개위번차호]))?)?"
    rf"|(?<![가-힣])[일이삼사오육칠팔구]?[십백천][일이삼사오육칠팔구십백천]*[만억조]"
    rf"(?:\s?{_KO_TOKEN}*[만억조])*"
    rf"|(?<![가-힣])[일이삼사오육칠팔구][만억조](?:\s?{_KO_TOKEN}*[만억조])*"
)
_EN_NUMERAL = re.compile(
    rf"(?<![\w.])({_ARABIC})\s?(thousand|million|billion|mn|bn|m|k)?\b", re.IGNORECASE
)
_EN_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10, "half a": 0.5}
#: "one million", "half a million": a spelt-out count before a scale word.
_EN_WORD_NUMERAL = re.compile(
    r"\b(half an?|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s(thousand|million"
    r"|billion)\b", re.IGNORECASE)
#: Vague quantities ("수십만", "수백만 명", "millions of", "hundreds of thousands"): found so
#: that the claim is spotted, but flagged, since no figure can be compared with them.
_VAGUE = re.compile(
    r"(?<![가-힣])(?:수|몇)\s?(?:십|백|천)?\s?(?:만|억)|\b(?:several|many|tens of|hundreds of)"
    r"\s(?:thousand|million)s?\b|\b(?:thousands|millions) of\b", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMention:
    """One number found in a text.

    Attributes:
        value: the number (2,500,000 for "250만").
        start: offset of its first character.
        end: offset after its last character.
        text: the characters as written.
    """

    value: float
    start: int
    end: int
    text: str
    vague: bool = False


def _vague_value(text: str) -> float:
    """The lowest figure a vague quantity can mean: 수백만 → 2,000,000."""
    low = text.lower()
    scale = (10**8 if "억" in text else 10**6 if "million" in low or "백만" in text
             else 10**5 if "십만" in text else 10**7 if "천만" in text else 10**4)
    if "십만" in text or "백만" in text or "천만" in text:
        return 2.0 * scale
    if low.startswith(("tens of", "hundreds of")):
        return (10.0 if low.startswith("tens") else 100.0) * (10**3 if "thousand" in low
                                                             else 10**6)
    return 2.0 * scale


def parse_korean_number(text: str) -> float:
    """The value of a Korean (or mixed) numeral: ``"이백오십만"`` → 2,500,000.

    Raises:
        ValueError: ``text`` holds no numeral.
    """
    tokens = re.findall(rf"{_ARABIC}|[영공일이삼사오육칠팔구십백천만억조]", text.replace(" ", ""))
    if not tokens:
        raise ValueError(f"no numeral in {text!r}")
    total = 0.0
    group = 0.0  # the part below 만 of the group being read
    current: float | None = None
    last_large = 10**13  # each large unit must be smaller than the one before: 1억 4천만
    for token in tokens:
        if token in _DIGITS:
            current = float(_DIGITS[token])
        elif token in _SMALL:
            group += (1.0 if current is None else current) * _SMALL[token]
            current = None
        elif token in _LARGE:
            if _LARGE[token] >= last_large or (total and not group and current is None):
                raise ValueError(f"not a well-formed numeral: {text!r}")  # 250만만, 1만억
            last_large = _LARGE[token]
            group += current or 0.0
            total += (group or 1.0) * _LARGE[token]
            group, current = 0.0, None
        else:
            current = float(token.replace(",", ""))
    return total + group + (current or 0.0)


def find_numbers(text: str) -> list[NumberMention]:
    """Every numeral in ``text`` (Korean, Arabic, English scale words), left to right."""
    found: list[NumberMention] = []
    taken: set[int] = set()
    for match in _KO_NUMERAL.finditer(text):
        raw = match.group(0).rstrip()
        try:
            value = parse_korean_number(raw)
        except ValueError:
            continue
        found.append(NumberMention(value, match.start(), match.start() + len(raw), raw))
        taken.update(range(match.start(), match.start() + len(raw)))
    for match in _EN_NUMERAL.finditer(text):
        if match.start() in taken:
            scale = match.group(2)
            if not scale:
                continue
            # "2.5 million": the Korean pass read only "2.5"; replace it
            found = [m for m in found if m.start != match.start()]
        number = float(match.group(1).replace(",", ""))
        scale = (match.group(2) or "").lower()
        value = number * _EN_SCALE.get(scale, 1)
        found.append(NumberMention(value, match.start(), match.end(), match.group(0)))
    for match in _EN_WORD_NUMERAL.finditer(text):
        word, scale = match.group(1).lower(), match.group(2).lower()
        found.append(NumberMention(float(_EN_WORDS[word] * _EN_SCALE[scale]), match.start(),
                                   match.end(), match.group(0)))
    for match in _VAGUE.finditer(text):
        span = range(match.start(), match.end())
        found = [m for m in found if m.start not in span]
        found.append(NumberMention(_vague_value(match.group(0)), match.start(), match.end(),
                                   match.group(0), vague=True))
    return sorted(found, key=lambda m: m.start)

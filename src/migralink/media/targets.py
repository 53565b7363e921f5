"""The group a hostile text is aimed at, where the text names it.

Four groups, as human-rights monitors report them: a **nationality** (중국인, 짱깨, 쪽바리,
베트남 …), an **ethnicity or race** (흑인, 깜둥이, 조선족, 혼혈 …), **migrants in general**
(외국인, 이주민, 외노자, 난민, 다문화 …) and **North Korean defectors** (탈북자, 새터민 …).
The most specific group named wins; a text naming none gets no target.

Names that are also the end or the inside of other Korean words match only where a word
begins (:data:`WORD_START`): "삶이란" (the particle ~이란) is not Iran, "연예인도" not India.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["TARGETS", "WORD_START", "Target", "target_of", "target_spans", "widened_targets"]

Target = Literal["nationality", "ethnicity", "migrants", "nk_defectors"]

#: Names that are also the end or the inside of other Korean words, and the form
#: :data:`TARGETS` holds them in (found in session 7 by listing the training texts these
#: names alone matched: 141 through the particle ~이란, 96 through ~인도 as in 연예인도):
#: not after a Hangul syllable, so "이란 사람들", "인도인", "(국적)", "3국적" match and
#: 삶이란, 연예인도, 이국적, 다국적, 외국국적, 상황인, 미남미녀, 여우한테 do not; ~이란다 is
#: an ending, not Iran. 인종 keeps 다인종 and drops only 초인종. A rule, not a parser: the
#: particle after a space, a digit or a closing bracket ("그만 이란건가", "(disposable)이란")
#: still reads as Iran.
#: Shipped since session 7b (out of fold and every evaluation figure in docs/media.md).
WORD_START: dict[str, str] = {
    "황인": r"(?<![가-힣])황인",
    "인종": r"(?<!초)인종",
    "남미": r"(?<![가-힣])남미",
    "우한": r"(?<![가-힣])우한",
    "인도": r"(?<![가-힣])인도(?![가-힣]*(?:적|주의|네시|양))",
    "이란": r"(?<![가-힣])이란(?!다)",
    "국적": r"(?<![가-힣])국적",
}

_W = WORD_START

#: (group, pattern), most specific first.
TARGETS: tuple[tuple[Target, re.Pattern[str]], ...] = (
    ("nk_defectors", re.compile(r"탈북|북한\s?이탈|새터민|탈북민|북한\s?(?:사람|놈|것들)|북괴")),
    ("ethnicity", re.compile(
        r"흑인|깜둥|깜댕|깜씨|껌둥|껌딩|시껌|시커먼|니거|니그로|흑형|흑누나|흑빠|백인|백형|"
        + _W["황인"] + r"|혼혈|튀기|조선족|짱꼴라|유색인|아랍인|무슬림|이슬람|똥남아|코시안|"
        + _W["인종"] + r"|동양인|똥양|서양인|서양\s?(?:놈|새끼|코쟁이)|코쟁이|"
        r"아시아\s?(?:인|계|피)|아시안|" + _W["남미"] + r"|백마|열등\s?민족|민족|혈통|피부색",
        re.IGNORECASE)),
    ("nationality", re.compile(
        r"중국|짱깨|짱개|짱께|쭝국|중궈|떼놈|뙤놈|중공|" + _W["우한"]
        + r"|일본|쪽바리|왜놈|쪽국|섬숭이|니뽄|니혼징|스시녀|미국|양놈|양키|양기|"
        r"버거\s?(?:놈|형)|영국|프랑스|독일|이탈리아|스페인|캐나다|호주|" + _W["인도"]
        + r"|베트남|필리핀|태국|몽골|우즈벡|러시아|파키스탄|방글라데시|인도네시아|캄보디아|"
        r"네팔|스리랑카|미얀마|예멘|시리아|아프간|아프가니스탄|아프카니스탄|" + _W["이란"]
        + r"|이라크|터키|동남아|아프리카|" + _W["국적"]
        + r"|(?:너네|니네|느그|자기네|지네)\s?나라", re.IGNORECASE)),
    ("migrants", re.compile(
        r"외국인|외국놈|외국\s?새끼|외노자|이주민|이주\s?노동자|이민자|난민|다문화|불법\s?체류|"
        r"불체자|외국\s?노동자|이방인|migrants?|immigrants?|refugees?|foreigners?",
        re.IGNORECASE)),
)


def widened_targets() -> tuple[tuple[Target, re.Pattern[str]], ...]:
    """:data:`TARGETS` (word-start guards included) with every name of the generated
    lexicon (:mod:`migralink.media.groups`: the world's countries, KoSBi's groups).

    Tried in session 7 (out of fold and on every evaluation set) and not shipped: it did
    not raise APEACH Racism. :func:`target_of` does not use it."""
    from migralink.media.groups import generated_patterns

    generated = generated_patterns()
    out = []
    for group, pattern in TARGETS:
        text = pattern.pattern
        if group in generated:
            text += "|" + generated[group]
        out.append((group, re.compile(text, re.IGNORECASE)))
    return tuple(out)


def target_of(text: str) -> Target | None:
    """The most specific group ``text`` names, or None."""
    for group, pattern in TARGETS:
        if pattern.search(text):
            return group
    return None


def target_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a group (character offsets)."""
    return [(m.start(), m.end()) for _, pattern in TARGETS for m in pattern.finditer(text)]

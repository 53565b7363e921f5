"""The group a hostile text is aimed at, where the text names it.

Four groups, as human-rights monitors report them: a **nationality** (중국인, 짱깨, 쪽바리,
베트남 …), an **ethnicity or race** (흑인, 깜둥이, 조선족, 혼혈 …), **migrants in general**
(외국인, 이주민, 외노자, 난민, 다문화 …) and **North Korean defectors** (탈북자, 새터민 …).
The most specific group named wins; a text naming none gets no target.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["TARGETS", "WORD_START", "Target", "target_of", "target_spans", "widened_targets"]

Target = Literal["nationality", "ethnicity", "migrants", "nk_defectors"]

#: (group, pattern), most specific first.
TARGETS: tuple[tuple[Target, re.Pattern[str]], ...] = (
    ("nk_defectors", re.compile(r"탈북|북한\s?이탈|새터민|탈북민|북한\s?(?:사람|놈|것들)|북괴")),
    ("ethnicity", re.compile(
        r"흑인|깜둥|깜댕|깜씨|껌둥|껌딩|시껌|시커먼|니거|니그로|흑형|흑누나|흑빠|백인|백형|황인|"
        r"혼혈|튀기|조선족|짱꼴라|유색인|아랍인|무슬림|이슬람|똥남아|코시안|인종|동양인|똥양|"
        r"서양인|서양\s?(?:놈|새끼|코쟁이)|코쟁이|아시아\s?(?:인|계|피)|아시안|남미|백마|"
        r"열등\s?민족|민족|혈통|피부색", re.IGNORECASE)),
    ("nationality", re.compile(
        r"중국|짱깨|짱개|짱께|쭝국|중궈|떼놈|뙤놈|중공|우한|일본|쪽바리|왜놈|쪽국|섬숭이|니뽄|"
        r"니혼징|스시녀|미국|양놈|양키|양기|버거\s?(?:놈|형)|영국|프랑스|독일|이탈리아|"
        r"스페인|캐나다|호주|인도(?![가-힣]*(?:적|주의|네시|양))|베트남|필리핀|태국|몽골|우즈벡|"
        r"러시아|파키스탄|방글라데시|인도네시아|캄보디아|네팔|스리랑카|미얀마|예멘|시리아|"
        r"아프간|아프가니스탄|아프카니스탄|이란|이라크|터키|동남아|아프리카|국적|"
        r"(?:너네|니네|느그|자기네|지네)\s?나라", re.IGNORECASE)),
    ("migrants", re.compile(
        r"외국인|외국놈|외국\s?새끼|외노자|이주민|이주\s?노동자|이민자|난민|다문화|불법\s?체류|"
        r"불체자|외국\s?노동자|이방인|migrants?|immigrants?|refugees?|foreigners?",
        re.IGNORECASE)),
)


#: Names of :data:`TARGETS` that are also the end of Korean words, and the guarded form
#: (found by listing the training texts these names alone matched): 상황인, 초인종,
#: 미남미녀, 여우한테, 연예인도, 삶이란, 이국적. Used by :func:`widened_targets` only
#: (session 7: not shipped, see docs/media.md).
WORD_START: dict[str, str] = {
    "황인": r"(?<![가-힣])황인",
    "인종": r"(?<!초)인종",
    "남미": r"(?<![가-힣])남미",
    "우한": r"(?<![가-힣])우한",
    "인도(?!": r"(?<![가-힣])인도(?!",
    "이란": r"(?<![가-힣])이란(?!다)",
    "국적": r"(?<![가-힣])국적",
}


def widened_targets() -> tuple[tuple[Target, re.Pattern[str]], ...]:
    """:data:`TARGETS` with the :data:`WORD_START` guards and every name of the generated
    lexicon (:mod:`migralink.media.groups`: the world's countries, KoSBi's groups).

    Tried in session 7 (out of fold and on every evaluation set) and not shipped: it did
    not raise APEACH Racism. :func:`target_of` does not use it."""
    from migralink.media.groups import generated_patterns

    generated = generated_patterns()
    out = []
    for group, pattern in TARGETS:
        text = pattern.pattern
        for name, guarded in WORD_START.items():
            # each guarded name is one alternative of the hand-written pattern
            text = text.replace("|" + name, "|" + guarded, 1)
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

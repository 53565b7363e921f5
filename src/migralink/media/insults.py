"""An insult count from an independent list: korcen's race and belittling words.

The words are the ``RACE_PROFANITY_PATTERNS`` (빨갱이 left out: a political slur, "commie")
and ``BELITTLE_PROFANITY_PATTERNS`` lists of korcen 1.0.3 (a keyword-based Korean
profanity filter by Tanat05, https://github.com/Tanat05/korcen; its wheel's LICENSE file is
Apache-2.0, its README says MIT), copied here so that nothing is installed for them. As
korcen does, the words are searched in the lower-cased text with its whitespace removed
("짱 깨" counts). A third input of the stack since session 8 (``TrainConfig.insults``,
on by default: docs/media.md); the model files record the words a model was trained
with, so the shipped ``hostility.json`` holds these words too (attribution: README,
docs/media.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["INSULTS", "insult_counts"]

#: korcen's race words (but 빨갱이), then its belittling words, in korcen's order.
INSULTS: tuple[str, ...] = (
    "깜둥이", "흑형", "조센진", "짱개", "짱깨", "짱께", "짱게", "쪽바리", "쪽파리", "니그로",
    "코쟁이", "칭총", "칭챙총", "섬숭이", "왜놈", "짱꼴라", "섬짱깨",
    "10련", "따까리", "장애년", "찐따년", "싸가지", "창년", "썅년", "버러지", "고아년", "개간년",
    "종간나", "도구년", "걸래년", "씹년", "개걸레", "창녀", "머저리", "씹쓰래기", "씹쓰레기",
    "씹장생", "씹자식", "운지", "급식충", "틀딱충", "조센징", "매국노", "똥꼬충", "진지충",
    "듣보잡", "개찐따", "한남충", "정신병자", "중생아", "돌팔이", "김치녀", "폰팔이", "틀딱년",
    "같은년", "개돼중", "쓰글년", "썩을년", "썩글년", "씹할", "거지새끼", "거지쉐뀌", "거지쉑이",
    "거지쎄끼", "거지쒜리", "걸래가튼", "걸래넘", "걸래놈", "걸레가튼", "걸레년", "그지새끼",
    "그지새키", "그지색", "기집년", "까진년", "깔보", "난잡년", "빡대가리", "더러운년", "돌아이",
    "또라이", "장애려", "샹놈", "김치남", "혜지련", "한유남충", "페미나치", "페미년", "꼴페미",
)

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words)))


def insult_counts(texts: Sequence[str], words: Sequence[str] = INSULTS) -> list[int]:
    """How many of ``words`` each text holds (lower case, whitespace removed)."""
    pattern = _pattern(tuple(words))
    return [len(pattern.findall(_SPACE.sub("", t.lower()))) for t in texts]

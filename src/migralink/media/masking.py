"""Neutral group names masked, for the hostile stage (session 9).

In the training comments the plain names of some groups (흑인, 백인, 동양인, 중국인 …)
occur almost only in hostile texts, so the n-gram *hostile* stage learns the name itself
as hostility, and a sentence that merely describes a group ("흑인들은 백인이나 황인에
비해 피부색이 어둡다") scores as an insult. With ``TrainConfig(mask_names=True)`` that
stage reads the text with every group name of :data:`~migralink.media.targets.TARGETS`
replaced by a placeholder, except the names that are slurs in themselves (짱깨, 쪽바리,
깜둥이, 양키, 외노자 … and any match holding 놈 or 것들), so that it judges what is said
about a group, not which group is named. The *about* stage, the target, the spans' group
name, the encoder and the insult input still read the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from migralink.media.targets import TARGETS

__all__ = ["PLACEHOLDER", "SLURS", "mask_names", "masked_rows"]

#: What a neutral group name is replaced with (in no vocabulary: the name just drops out).
PLACEHOLDER = "□"

#: A match of a group pattern holding one of these is a slur and stays in the text.
SLURS = re.compile(
    r"깜둥|깜댕|깜씨|껌둥|껌딩|시껌|시커먼|니거|니그로|흑형|흑누나|흑빠|백형|튀기|짱꼴라|똥남아|"
    r"똥양|코쟁이|서양\s?(?:놈|새끼)|백마|열등|짱깨|짱개|짱께|쭝국|중궈|떼놈|뙤놈|중공|쪽바리|왜놈|"
    r"쪽국|섬숭이|니뽄|니혼징|스시녀|양놈|양키|양기|버거|외국놈|외국\s?새끼|외노자|불체자|북괴|놈|"
    r"것들|(?:너네|니네|느그|자기네|지네)\s?나라")


def _keep_slur(match: re.Match[str]) -> str:
    return match.group(0) if SLURS.search(match.group(0)) else PLACEHOLDER


def mask_names(text: str) -> str:
    """``text`` with its neutral group names replaced by :data:`PLACEHOLDER` (the groups
    of :data:`TARGETS` in their order; slurs kept)."""
    for _, pattern in TARGETS:
        text = pattern.sub(_keep_slur, text)
    return text


def masked_rows(x: sp.csr_matrix, texts: Sequence[str],
                featurise: Callable[[Sequence[str]], sp.csr_matrix]) -> sp.csr_matrix:
    """The feature rows of ``texts`` with their names masked, given their rows ``x`` as
    written: only the texts that masking changes are featurised again (most texts name no
    group), so the result equals ``featurise`` of every masked text."""
    masked = [mask_names(t) for t in texts]
    changed = [i for i, (a, b) in enumerate(zip(texts, masked, strict=True)) if a != b]
    if not changed:
        return x
    order: np.ndarray[Any, Any] = np.arange(len(texts))
    order[changed] = len(texts) + np.arange(len(changed))
    extra = featurise([masked[i] for i in changed])
    return sp.csr_matrix(sp.vstack([x, extra]).tocsr()[order])

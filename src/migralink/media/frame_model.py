"""A trained primary-frame classifier: character n-grams plus the lexicon's cue counts.

The lexicon (:mod:`migralink.media.framing`) misses frames argued without its cue words;
a linear model on character n-grams learns them from the double-annotated paragraphs
(``tests/media/framing``). Features: TF-IDF of character 1-3-grams inside words
(sublinear tf, l2 norm; n-grams seen in at least two paragraphs) beside the lexicon's
cue count per frame (log1p). Model: multinomial logistic regression, balanced class
weights. The shipped model is two plain files in ``data/`` (``frames.json``: classes,
vocabulary, settings; ``frames.npz``: idf, coefficients, intercepts): no pickle.
Inference is numpy only; training needs scikit-learn. Rebuild deterministically with
``python -m tests.media.framing.rebuild`` (needs ../shared/data).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from migralink.errors import ConfigError
from migralink.media.features import normalise
from migralink.media.framing import FRAMES, frames_of

__all__ = [
    "NONE",
    "FrameModel",
    "fit_frame_model",
    "lexicon_primary",
    "load_frame_model",
    "ngrams",
    "write_frame_model",
]

#: The label of a paragraph with no frame.
NONE = "none"
MODEL_JSON = "frames.json"
MODEL_NPZ = "frames.npz"
_LOW, _HIGH = 1, 3
_MIN_DF = 2
_C = 10.0
_CUE_WEIGHT = 0.5


def ngrams(text: str) -> list[str]:
    """Character 1-3-grams of each word of the normalised text, words padded by a space."""
    grams: list[str] = []
    for word in normalise(text).split():
        padded = f" {word} "
        for n in range(_LOW, _HIGH + 1):
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


def lexicon_primary(text: str) -> str:
    """The lexicon's primary frame, ``none`` when no cue occurs."""
    return frames_of(text).primary or NONE


def _cues(texts: Sequence[str]) -> np.ndarray[Any, Any]:
    out = np.zeros((len(texts), len(FRAMES)), dtype=np.float64)
    for i, text in enumerate(texts):
        for j, frame in enumerate(FRAMES):
            out[i, j] = math.log1p(sum(1 for _ in frame.cues.finditer(text)))
    return out


@dataclass(frozen=True)
class FrameModel:
    """A fitted primary-frame classifier (see the module docstring).

    Attributes:
        classes: the labels, in the order of the coefficient rows.
        vocabulary: n-gram → column.
        idf: inverse document frequency per n-gram column.
        coef: weights, one row per class (n-gram columns, then one per frame's cues).
        intercept: bias per class.
        cue_weight: scale of the cue-count columns.
    """

    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray[Any, Any]
    coef: np.ndarray[Any, Any]
    intercept: np.ndarray[Any, Any]
    cue_weight: float

    def features(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """The dense feature matrix of ``texts`` (few, short paragraphs: dense is fine)."""
        x = np.zeros((len(texts), len(self.idf)), dtype=np.float64)
        for i, text in enumerate(texts):
            for gram, count in Counter(ngrams(text)).items():
                j = self.vocabulary.get(gram)
                if j is not None:
                    x[i, j] = (1.0 + math.log(count)) * self.idf[j]
            norm = float(np.linalg.norm(x[i]))
            if norm > 0:
                x[i] /= norm
        return np.hstack([x, self.cue_weight * _cues(texts)])

    def probabilities(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """Class probabilities, one row per text, columns in ``classes`` order."""
        z = self.features(texts) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def primary(self, texts: Sequence[str]) -> list[str]:
        """The most probable primary frame of each text (``none``: no frame)."""
        if not texts:
            return []
        return [self.classes[int(k)] for k in self.probabilities(texts).argmax(axis=1)]


def fit_frame_model(texts: Sequence[str], labels: Sequence[str]) -> FrameModel:
    """Fit the classifier on paragraphs and their primary frames (deterministic).

    Raises:
        ConfigError: fewer than two classes, or texts and labels of different lengths.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(texts) != len(labels) or len(set(labels)) < 2:
        raise ConfigError(title="cannot fit a frame model on these labels",
                          hint="give one primary frame per paragraph, at least two frames")
    vec = TfidfVectorizer(analyzer=ngrams, min_df=_MIN_DF, sublinear_tf=True,
                          lowercase=False, dtype=np.float64)
    x = vec.fit_transform(texts).toarray()
    x = np.hstack([x, _CUE_WEIGHT * _cues(texts)])
    clf = LogisticRegression(C=_C, class_weight="balanced", max_iter=5000, tol=1e-8)
    clf.fit(x, list(labels))
    classes = tuple(str(c) for c in clf.classes_)
    coef, intercept = clf.coef_, clf.intercept_
    if len(classes) == 2:  # binary: sklearn keeps one row for the second class
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    vocab = {str(g): int(j) for g, j in vec.vocabulary_.items()}
    return FrameModel(classes, vocab, np.asarray(vec.idf_, dtype=np.float64),
                      np.asarray(coef, dtype=np.float64),
                      np.asarray(intercept, dtype=np.float64), _CUE_WEIGHT)


def write_frame_model(model: FrameModel, folder: Path) -> None:
    """Write the model as ``frames.json`` and ``frames.npz`` in ``folder``."""
    grams = [""] * len(model.idf)
    for gram, j in model.vocabulary.items():
        grams[j] = gram
    meta = {"classes": list(model.classes), "vocabulary": grams,
            "cue_weight": model.cue_weight, "frames": [f.key for f in FRAMES],
            "ngrams": [_LOW, _HIGH], "min_df": _MIN_DF, "C": _C}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MODEL_JSON).write_text(json.dumps(meta, ensure_ascii=False, indent=0) + "\n",
                                     encoding="utf-8")
    with (folder / MODEL_NPZ).open("wb") as f:
        np.savez_compressed(f, idf=model.idf.astype(np.float32),
                            coef=model.coef.astype(np.float32),
                            intercept=model.intercept.astype(np.float32))
    _load.cache_clear()


def load_frame_model(folder: Path | None = None) -> FrameModel:
    """The shipped frame model (or one written by :func:`write_frame_model` to ``folder``).

    Raises:
        ConfigError: the files are missing or do not match each other or the codebook.
    """
    return _load(str(folder or Path(str(resources.files("migralink.media") / "data"))))


@lru_cache(maxsize=4)
def _load(folder: str) -> FrameModel:
    js, npz = Path(folder) / MODEL_JSON, Path(folder) / MODEL_NPZ
    if not js.is_file() or not npz.is_file():
        raise ConfigError(title=f"no frame model in {folder}",
                          hint="rebuild it with 'python -m tests.media.framing.rebuild'")
    meta = json.loads(js.read_text(encoding="utf-8"))
    arrays = np.load(npz, allow_pickle=False)
    idf = arrays["idf"].astype(np.float64)
    coef = arrays["coef"].astype(np.float64)
    intercept = arrays["intercept"].astype(np.float64)
    classes = tuple(meta["classes"])
    width = len(meta["vocabulary"]) + len(FRAMES)
    if (meta["frames"] != [f.key for f in FRAMES] or len(idf) != len(meta["vocabulary"])
            or coef.shape != (len(classes), width) or len(intercept) != len(classes)):
        raise ConfigError(title=f"the frame model in {folder} does not fit the codebook",
                          hint="rebuild it with 'python -m tests.media.framing.rebuild'")
    vocab = {g: j for j, g in enumerate(meta["vocabulary"])}
    return FrameModel(classes, vocab, idf, coef, intercept, float(meta["cue_weight"]))

"""The shipped hostility classifier: loading it and scoring texts (CPU, numpy only).

Two linear models share one feature space (:mod:`migralink.media.features`):
``hostile`` (hateful or offensive towards anyone) and ``about`` (about migrants,
foreigners, a race or a nationality). A text is hostile towards migrants when both hold:
``raw = P(hostile) × max(P(about), named group)`` (since session 9 the *hostile* model
reads the text with its neutral group names masked, :mod:`migralink.media.masking`, so
that naming a group is not itself hostility; the model's JSON says so). When the model has an
:class:`EncoderStack`, a third linear model reads the multilingual sentence encoder's
vector (P(hostile towards a group) from meaning, not spelling: "흑인들은 무식하게 힘만
쓴다" has no insult in it; trained on the texts that name or are about a group) and a
logistic stack joins the n-gram logit, the encoder's logit times ``max(P(about), named
group)`` (off topic it says nothing) and, where a group is named, a capped count of
korcen's race and belittling insults (:mod:`migralink.media.insults`; the shipped model
since session 8; the model files say which of these a model uses and list its insult
words, so a model is scored as it was trained). (A *joint* variant of that stage, with
the TF-IDF n-grams beside the vector and gated by ``max(P(about), named group)``, can be
trained and loaded; it is not shipped.) The result is mapped to a
calibrated probability (Platt scaling fitted on out-of-fold scores) and compared with the
threshold chosen on those scores. The weights are arrays in ``data/hostility.npz`` and
the settings in ``data/hostility.json``: no pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from migralink.errors import ConfigError
from migralink.media.features import ENCODER_WIDTH, Block, encode, normalise, tokens_of
from migralink.media.insults import insult_counts
from migralink.media.masking import masked_rows
from migralink.media.pieces import SCORED, Decision, scorable_pieces, status_of
from migralink.media.targets import target_of, target_spans

__all__ = ["Decision", "EncoderStack", "HostilityModel", "forget_loaded", "insult_input",
           "join_scores", "load_model", "model_dir"]

MODEL_NPZ = "hostility.npz"
MODEL_JSON = "hostility.json"
#: How many of the strongest n-grams are turned into spans.
_SPAN_FEATURES = 8
#: Pieces of long texts scored per call (each at most pieces.PIECE_CHARS characters).
_PIECES = 64


@dataclass(frozen=True)
class EncoderStack:
    """The joint stage (n-grams and sentence encoder in one regression) and the stack
    that joins it to the n-gram score.

    Attributes:
        coef: weights of the joint stage over the encoder's vector (times ``scale``).
        bias: its intercept.
        weights: (n-gram logit, joint logit, intercept) of the stack, fitted on
            out-of-fold scores of the texts that name or are about a group.
        ngram_coef: weights of the joint stage over the TF-IDF n-grams (None: the stage
            reads the encoder's vector alone, as models before session 5 did).
        scale: the factor on the encoder's vector beside the TF-IDF rows.
        gated: the stage's probability is multiplied by max(P(about), group named),
            since it was trained on texts about a group only and says nothing elsewhere.
        gate_encoder: in the stack, the encoder's logit is multiplied by that gate
            (shipped since session 8): off topic it neither raises nor lowers the score.
        insult_weight: the stack's weight on min(insults, 2) × [the text names a group],
            insults counted with ``insults`` (:mod:`migralink.media.insults`; shipped
            since session 8; 0: no such input, as in models before it).
        insults: the insult words the model was trained with.
    """

    coef: np.ndarray[Any, np.dtype[np.float32]]
    bias: float
    weights: tuple[float, float, float]
    ngram_coef: np.ndarray[Any, np.dtype[np.float32]] | None = None
    scale: float = 1.0
    gated: bool = False
    gate_encoder: bool = False
    insult_weight: float = 0.0
    insults: tuple[str, ...] = ()

    @property
    def needs_gate(self) -> bool:
        """Whether :meth:`combine` needs the about gate."""
        return self.gated or self.gate_encoder

    def encoder_probability(self, vectors: np.ndarray[Any, Any],
                            x: sp.csr_matrix | None = None,
                            gate: np.ndarray[Any, Any] | None = None) -> np.ndarray[Any, Any]:
        """The encoder stage's probability from ``vectors`` (and the TF-IDF rows ``x``
        and the about gate when the stage uses them)."""
        z = self.scale * (vectors @ self.coef) + self.bias
        if self.ngram_coef is not None:
            if x is None:
                raise ValueError("the joint stage needs the n-gram rows")
            z = z + x @ self.ngram_coef
        p = _sigmoid(z)
        if self.gated:
            if gate is None:
                raise ValueError("the gated stage needs the about gate")
            p = p * gate
        return np.asarray(p)

    def combine(self, raw: np.ndarray[Any, Any], vectors: np.ndarray[Any, Any],
                x: sp.csr_matrix | None = None,
                gate: np.ndarray[Any, Any] | None = None,
                insult: np.ndarray[Any, Any] | None = None) -> np.ndarray[Any, Any]:
        """The stacked probability from n-gram scores ``raw``, encoder ``vectors``, the
        TF-IDF rows ``x``, the about gate and the insult input (each needed only when
        the stack uses it)."""
        return join_scores(raw, self.encoder_probability(vectors, x, gate), self.weights,
                           gate if self.gate_encoder else None,
                           insult if self.insult_weight else None, self.insult_weight)


def join_scores(raw: np.ndarray[Any, Any], p_encoder: np.ndarray[Any, Any],
                weights: tuple[float, float, float],
                encoder_gate: np.ndarray[Any, Any] | None = None,
                insult: np.ndarray[Any, Any] | None = None,
                insult_weight: float = 0.0) -> np.ndarray[Any, Any]:
    """The stack: a logistic function of the n-gram and encoder logits (the latter times
    ``encoder_gate`` when given) and, with a weight, of the insult input."""
    w_raw, w_encoder, intercept = weights
    z_encoder = _logit(p_encoder)
    if encoder_gate is not None:
        z_encoder = z_encoder * encoder_gate
    z = w_raw * _logit(raw) + w_encoder * z_encoder + intercept
    if insult is not None:
        z = z + insult_weight * insult
    return np.asarray(_sigmoid(z))


def insult_input(texts: Sequence[str], words: Sequence[str],
                 named: np.ndarray[Any, Any] | None = None) -> np.ndarray[Any, Any]:
    """The stack's insult input: min(insults, 2) where the text names a group, else 0
    (``named``: whether each text names a group, when already known)."""
    counts = np.minimum(np.array(insult_counts(texts, words), dtype=np.float64), 2.0)
    return np.asarray(counts * (_named(texts) if named is None else named))


def _words(value: object, folder: str) -> tuple[str, ...]:
    """The insult words of a model's JSON: a list of non-empty strings (an empty word
    would match between every two letters, and a string would be read letter by letter)."""
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip()
                                              for w in value):
        raise ConfigError(title=f"the hostility model in {folder} is inconsistent",
                          hint="its insult words must be a list of non-empty strings; "
                          "retrain it")
    return tuple(value)


def _named(texts: Sequence[str]) -> np.ndarray[Any, Any]:
    return np.array([target_of(t) is not None for t in texts], dtype=np.float64)


@dataclass(frozen=True)
class HostilityModel:
    """The two linear models, their feature blocks, calibration and threshold."""

    blocks: tuple[Block, ...]
    hostile_coef: np.ndarray[Any, np.dtype[np.float32]]
    about_coef: np.ndarray[Any, np.dtype[np.float32]]
    hostile_bias: float
    about_bias: float
    platt: tuple[float, float]
    threshold: float
    meta: dict[str, Any]
    stack: EncoderStack | None = None
    mask_names: bool = False

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The stacked TF-IDF rows of ``texts`` (normalised first)."""
        clean = [normalise(t) for t in texts]
        return sp.hstack([b.transform(tokens_of(b.name, clean)) for b in self.blocks]).tocsr()

    def hostile_rows(self, x: sp.csr_matrix, texts: Sequence[str]) -> sp.csr_matrix:
        """The rows the *hostile* stage reads: ``x`` itself or, when the model masks
        names (:mod:`migralink.media.masking`; session 9), the rows of the texts with
        their neutral group names masked."""
        return masked_rows(x, texts, self.features) if self.mask_names else x

    def ngram_scores(self, x: sp.csr_matrix, texts: Sequence[str],
                     named: np.ndarray[Any, Any] | None = None,
                     x_hostile: sp.csr_matrix | None = None) -> np.ndarray[Any, Any]:
        """``P(hostile) × max(P(about), group named)`` for feature rows ``x``
        (``x_hostile``: the hostile stage's rows, when already computed)."""
        xh = self.hostile_rows(x, texts) if x_hostile is None else x_hostile
        p_hostile = _sigmoid(xh @ self.hostile_coef + self.hostile_bias)
        return np.asarray(p_hostile * self.about_gate(x, texts, named))

    def about_gate(self, x: sp.csr_matrix, texts: Sequence[str],
                   named: np.ndarray[Any, Any] | None = None) -> np.ndarray[Any, Any]:
        """``max(P(about), group named)``: whether a text is about a group at all
        (``named``: whether each text names a group, when already known)."""
        p_about = _sigmoid(x @ self.about_coef + self.about_bias)
        return np.asarray(np.maximum(p_about, _named(texts) if named is None else named))

    def raw_scores(self, x: sp.csr_matrix, texts: Sequence[str],
                   vectors: np.ndarray[Any, Any] | None = None,
                   x_hostile: sp.csr_matrix | None = None) -> np.ndarray[Any, Any]:
        """The n-gram score, joined to the encoder's by the stack when the model has one
        (``vectors``: the texts' encoder vectors, computed here when not given;
        ``x_hostile``: the hostile stage's rows, when already computed)."""
        named = _named(texts)  # one target_of pass, for the gate and the insult input
        raw = self.ngram_scores(x, texts, named, x_hostile)
        if self.stack is None:
            return raw
        if vectors is None:
            vectors = encode([normalise(t) for t in texts])
        gate = self.about_gate(x, texts, named) if self.stack.needs_gate else None
        insult = (insult_input(texts, self.stack.insults, named)
                  if self.stack.insult_weight else None)
        return self.stack.combine(raw, vectors, x, gate, insult)

    def calibrated(self, raw: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Platt-scaled probabilities of raw scores."""
        a, b = self.platt
        return np.asarray(_sigmoid(a * _logit(raw) + b))

    def classify(self, texts: Sequence[str | None]) -> list[Decision]:
        """A decision for every text: an empty text, or one with (almost) no Hangul, gets
        its status and no score (:mod:`migralink.media.pieces`); a long text is scored
        in pieces and is as hostile as its most hostile piece."""
        status = [status_of(t) for t in texts]
        parts = [(i, p) for i, t in enumerate(texts) if t is not None and status[i] == SCORED
                 for p in scorable_pieces(t)]
        # texts of ordinary length are scored in one call, as they always were; pieces of
        # long texts in calls of _PIECES, so that memory stays bounded
        step = len(parts) if len(parts) == sum(s == SCORED for s in status) else _PIECES
        best: dict[int, Decision] = {}
        for start in range(0, len(parts), max(step, 1)):
            group = parts[start:start + max(step, 1)]
            for (i, _), decision in zip(group, self._decide([p for _, p in group]),
                                        strict=True):
                if i not in best or (decision.score or 0.0) > (best[i].score or 0.0):
                    best[i] = decision
        return [Decision(best[i].hostile, best[i].score, target_of(t or ""),
                         best[i].spans)
                if i in best else Decision(None, None, target_of(t or ""), (), status[i])
                for i, t in enumerate(texts)]

    def _decide(self, texts: Sequence[str]) -> list[Decision]:
        """A scored decision for every text (each short enough to score at once)."""
        if not texts:
            return []
        x = self.features(texts)
        xh = self.hostile_rows(x, texts)
        scores = self.calibrated(self.raw_scores(x, texts, x_hostile=xh))
        decisions = []
        for i, text in enumerate(texts):
            score = float(scores[i])
            hostile = int(score >= self.threshold)
            spans = self._spans(xh.getrow(i), text) if hostile else ()
            decisions.append(Decision(hostile, score, target_of(text), spans))
        return decisions

    def _spans(self, row: sp.csr_matrix, text: str) -> tuple[str, ...]:
        """Words of ``text`` holding the n-grams that pushed the hostility score most
        (``row``: the text's row as the hostile stage reads it)."""
        clean = normalise(text)
        offset = 0
        grams: list[tuple[float, str]] = []
        for block in self.blocks:
            size = len(block.idf)
            if block.name != "jamo":  # jamo n-grams do not map back onto the text
                inverse = _inverse(block)
                for j, value in zip(row.indices, row.data, strict=True):
                    if offset <= j < offset + size:
                        weight = float(value * self.hostile_coef[j])
                        if weight > 0:
                            gram = inverse[j - offset].split("/")[0].replace("_", " ").strip()
                            if len(gram) >= 2:
                                grams.append((weight, gram))
            offset += size
        words: list[str] = []
        for _, gram in sorted(grams, reverse=True)[:_SPAN_FEATURES]:
            for word in clean.split():
                if gram in word and word not in words:
                    words.append(word)
        named = [clean[s:e] for s, e in target_spans(clean)]
        return tuple(dict.fromkeys(words[:3] + named[:1]))


def _sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def _logit(p: Any) -> Any:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


@lru_cache(maxsize=8)
def _inverse(block: Block) -> list[str]:
    """The n-gram of every column of a block (blocks hash by identity)."""
    inverse = [""] * len(block.idf)
    for gram, j in block.vocabulary.items():
        inverse[j] = gram
    return inverse


def model_dir() -> Path:
    """The folder of the shipped model inside the package."""
    return _model_dir()


def _model_dir() -> Path:
    return Path(str(resources.files("migralink.media") / "data"))


def load_model(folder: Path | None = None) -> HostilityModel:
    """The shipped model (or one written by ``migralink media train`` to ``folder``).

    Raises:
        ConfigError: the model files are missing or do not match each other.
    """
    return _load(str(folder or _model_dir()))


def forget_loaded() -> None:
    """Drop the loaded models, so that a model written since is read afresh."""
    _load.cache_clear()


@lru_cache(maxsize=4)
def _load(folder: str) -> HostilityModel:
    npz, js = Path(folder) / MODEL_NPZ, Path(folder) / MODEL_JSON
    if not npz.is_file() or not js.is_file():
        raise ConfigError(title=f"no hostility model in {folder}",
                          hint="rebuild it with 'migralink media train' (needs ../shared/data)")
    meta = json.loads(js.read_text(encoding="utf-8"))
    arrays = np.load(npz, allow_pickle=False)
    blocks = tuple(
        Block(name, {str(g): i for i, g in enumerate(arrays[f"{name}_vocab"])},
              arrays[f"{name}_idf"].astype(np.float32))
        for name in meta["blocks"]
    )
    width = sum(len(b.idf) for b in blocks)
    hostile, about = arrays["hostile_coef"].astype(np.float32), arrays["about_coef"].astype(
        np.float32)
    stack = None
    if meta.get("encoder_stack"):
        coef = arrays["encoder_coef"].astype(np.float32) if "encoder_coef" in arrays else None
        if coef is None or len(coef) != ENCODER_WIDTH:
            raise ConfigError(title=f"the hostility model in {folder} is inconsistent",
                              hint="its encoder weights are missing or of the wrong width; "
                              "retrain it")
        info = meta["encoder_stack"]
        w = info["weights"]
        joint = arrays["joint_coef"].astype(np.float32) if "joint_coef" in arrays else None
        if info.get("joint") and (joint is None or len(joint) != len(hostile)):
            raise ConfigError(title=f"the hostility model in {folder} is inconsistent",
                              hint="its joint-stage weights are missing or do not match its "
                              "vocabularies; retrain it")
        stack = EncoderStack(coef, float(info["bias"]), (float(w[0]), float(w[1]), float(w[2])),
                             joint if info.get("joint") else None,
                             float(info.get("scale", 1.0)), bool(info.get("gated", False)),
                             bool(info.get("gate_encoder", False)),
                             float(info.get("insult_weight", 0.0)),
                             _words(info.get("insults", []), folder))
        if stack.insult_weight and not stack.insults:
            raise ConfigError(title=f"the hostility model in {folder} is inconsistent",
                              hint="its stack weighs insults but lists no insult words; "
                              "retrain it")
    if len(hostile) != width or len(about) != width:
        raise ConfigError(title=f"the hostility model in {folder} is inconsistent",
                          hint="its weights do not match its vocabularies; retrain it")
    return HostilityModel(blocks, hostile, about, float(meta["hostile_bias"]),
                          float(meta["about_bias"]), (float(meta["platt"][0]),
                                                      float(meta["platt"][1])),
                          float(meta["threshold"]), meta, stack,
                          bool(meta.get("hostile_masks_names", False)))


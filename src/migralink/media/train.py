"""Training the hostility classifier from ../shared/data/media, deterministically.

``migralink media train`` calls :func:`train`: it reads the corpora whose licences allow
shipping a model (:func:`~migralink.media.corpora.training_rows`), builds the feature
vocabularies (document frequency, ties broken by the n-gram itself), fits the two
logistic regressions (liblinear, fixed seed), calibrates the product score with Platt
scaling on out-of-fold scores, picks the threshold that maximises out-of-fold F1, scores
the held-out evaluation sets and writes ``hostility.npz`` + ``hostility.json``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from migralink.media.corpora import Labelled, evaluation_sets, neutral_sentences, training_rows
from migralink.media.features import BLOCKS, Block, encode, normalise, tokens_of
from migralink.media.model import (
    MODEL_JSON,
    MODEL_NPZ,
    HostilityModel,
    forget_loaded,
    load_model,
)

__all__ = ["TrainConfig", "build_block", "evaluate", "train"]


@dataclass(frozen=True)
class TrainConfig:
    """Settings of a training run (they are written into the model's JSON).

    Attributes:
        max_features: the largest vocabulary of each block (char, jamo, morph).
        min_df: an n-gram must occur in this many training texts.
        c: inverse regularisation strength of both logistic regressions.
        folds: folds of the out-of-fold scores used for calibration and threshold.
        seed: seed of liblinear's coordinate order.
        encoder: add the multilingual sentence encoder's vectors as features.
        neutral_fp: the highest share of on-topic, non-hostile training texts (out of
            fold) the threshold may flag; it is raised above the best-F1 threshold until
            this holds, so that reporting on migrants is not read as hostility.
    """

    max_features: tuple[int, int, int] = (40_000, 30_000, 15_000)
    min_df: int = 2
    c: float = 1.0
    folds: int = 3
    seed: int = 17
    neutral_fp: float = 0.05
    encoder: bool = False

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        """The config written by :meth:`to_json`."""
        data = json.loads(text)
        data["max_features"] = tuple(data["max_features"])
        return cls(**data)

    def to_json(self) -> str:
        """The config as JSON."""
        return json.dumps(asdict(self))


def build_block(name: str, grams: Sequence[list[str]], max_features: int,
                min_df: int) -> Block:
    """A block's vocabulary (most frequent n-grams, ties by n-gram) and smooth idf."""
    df: Counter[str] = Counter()
    for row in grams:
        df.update(set(row))
    kept = sorted((g for g, n in df.items() if n >= min_df), key=lambda g: (-df[g], g))
    kept = sorted(kept[:max_features])
    n = len(grams)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in kept], dtype=np.float32)
    return Block(name, {g: i for i, g in enumerate(kept)}, idf)


def _fit(x: sp.csr_matrix, y: np.ndarray[Any, Any], config: TrainConfig) -> tuple[
        np.ndarray[Any, Any], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=config.c, class_weight="balanced", solver="liblinear",
                               max_iter=5000, random_state=config.seed)
    model.fit(x, y)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def _platt(raw: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    logit = np.log(np.clip(raw, 1e-6, 1 - 1e-6) / np.clip(1 - raw, 1e-6, 1)).reshape(-1, 1)
    model = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000).fit(logit, y)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def _best_threshold(scores: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> float:
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(0.05, 0.96, 0.01):
        f1 = _f1(y, scores >= threshold)
        if f1 > best_f1:
            best, best_f1 = float(round(threshold, 2)), f1
    return best


def _f1(y: np.ndarray[Any, Any], predicted: np.ndarray[Any, Any]) -> float:
    tp = float(np.sum(predicted & (y == 1)))
    fp = float(np.sum(predicted & (y == 0)))
    fn = float(np.sum(~predicted & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _model(blocks: tuple[Block, ...], x: sp.csr_matrix, rows: list[Labelled],
           config: TrainConfig, platt: tuple[float, float] = (1.0, 0.0),
           threshold: float = 0.5, meta: dict[str, Any] | None = None) -> HostilityModel:
    hostile, hb = _fit(x, np.array([r.hostile for r in rows]), config)
    about, ab = _fit(x, np.array([r.about for r in rows]), config)
    return HostilityModel(blocks, hostile, about, hb, ab, platt, threshold, meta or {},
                          config.encoder)


def _file_digests(media: Path) -> dict[str, str]:
    names = ("kmhas/kmhas_valid.txt", "kmhas/kmhas_test.txt", "kosbi/kosbi_valid.json",
             "kosbi/kosbi_test.json", "kocohub-beep/labeled/train.tsv",
             "kocohub-beep/labeled/dev.tsv",
             "denney-korea-corpora/immigrant_interviews/immigrant_interview.csv",
             "denney-korea-corpora/nkmigrants_interviews/nkmigrants_interviews.csv")
    return {n: hashlib.sha256((media / n).read_bytes()).hexdigest() for n in names}


def train(media: Path, out: Path, config: TrainConfig | None = None,
          rows: list[Labelled] | None = None, evaluate_sets: bool = True) -> dict[str, Any]:
    """Train, calibrate, evaluate and write the model to ``out``; returns its metadata.

    Args:
        media: ``../shared/data/media``.
        out: the folder to write ``hostility.npz`` and ``hostility.json`` to.
        config: the settings (defaults: :class:`TrainConfig`).
        rows: train on these rows instead of the full training corpora (tests).
        evaluate_sets: score the held-out evaluation sets and the neutral set.
    """
    config = config or TrainConfig()
    full = rows is None
    rows = training_rows(media) if rows is None else rows
    clean = [normalise(r.text) for r in rows]
    grams = {name: tokens_of(name, clean) for name in BLOCKS}
    blocks = tuple(build_block(name, grams[name], size, config.min_df)
                   for name, size in zip(BLOCKS, config.max_features, strict=True))
    parts = [b.transform(grams[b.name]) for b in blocks]
    if config.encoder:
        parts.append(sp.csr_matrix(encode(clean)))
    x = sp.hstack(parts).tocsr()
    labels = np.array([r.label for r in rows])
    texts = [r.text for r in rows]
    oof = np.zeros(len(rows))
    folds = np.arange(len(rows)) % config.folds
    for k in range(config.folds):
        train_idx, test_idx = np.where(folds != k)[0], np.where(folds == k)[0]
        part = _model(blocks, x[train_idx], [rows[i] for i in train_idx], config)
        oof[test_idx] = part.raw_scores(x[test_idx], [texts[i] for i in test_idx])
    platt = _platt(oof, labels)
    final = _model(blocks, x, rows, config, platt)
    calibrated = final.calibrated(oof)
    threshold = _best_threshold(calibrated, labels)
    on_topic = np.array([r.about == 1 and r.hostile == 0 for r in rows])
    while on_topic.any() and threshold < 0.95 and float(
            np.mean(calibrated[on_topic] >= threshold)) > config.neutral_fp:
        threshold = round(threshold + 0.01, 2)
    meta: dict[str, Any] = {
        "blocks": list(BLOCKS), "encoder": config.encoder,
        "hostile_bias": final.hostile_bias,
        "about_bias": final.about_bias, "platt": list(platt), "threshold": threshold,
        "config": asdict(config), "training_rows": len(rows),
        "training_positives": int(labels.sum()),
        "training_corpora": sorted({r.corpus for r in rows}),
        "out_of_fold_f1": round(_f1(labels, calibrated >= threshold), 4),
        "out_of_fold_on_topic_fp": round(float(np.mean(calibrated[on_topic] >= threshold)), 4)
        if on_topic.any() else None,
    }
    if full:
        meta["training_files_sha256"] = _file_digests(media)
    model = HostilityModel(blocks, final.hostile_coef, final.about_coef, final.hostile_bias,
                           final.about_bias, platt, threshold, meta, config.encoder)
    _write(model, out, meta)
    if evaluate_sets:  # scored as shipped (float16 weights), not as held in memory
        meta["evaluation"] = evaluate(load_model(out), media)
        _write(model, out, meta)
    return meta


def evaluate(model: HostilityModel, media: Path) -> dict[str, Any]:
    """F1 (with precision and recall) on every held-out set; false positives on neutral."""
    results: dict[str, Any] = {}
    for name, rows in evaluation_sets(media).items():
        decisions = model.classify([r.text for r in rows])
        y = np.array([r.label for r in rows])
        predicted = np.array([d.hostile == 1 for d in decisions])
        tp = int(np.sum(predicted & (y == 1)))
        results[name] = {
            "rows": len(rows), "positives": int(y.sum()), "f1": round(_f1(y, predicted), 4),
            "precision": round(tp / max(int(predicted.sum()), 1), 4),
            "recall": round(tp / max(int(y.sum()), 1), 4),
        }
    neutral = neutral_sentences(media)
    flagged = sum(d.hostile for d in model.classify(neutral))
    results["neutral_nationality"] = {"rows": len(neutral), "false_positives": flagged,
                                      "false_positive_rate": round(flagged / len(neutral), 4)}
    return results


def _write(model: HostilityModel, out: Path, meta: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    for block in model.blocks:
        vocab = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
        arrays[f"{block.name}_vocab"] = np.array(vocab, dtype=np.str_)
        arrays[f"{block.name}_idf"] = block.idf.astype(np.float16)
    arrays["hostile_coef"] = model.hostile_coef.astype(np.float16)
    arrays["about_coef"] = model.about_coef.astype(np.float16)
    tmp_npz, tmp_json = out / (MODEL_NPZ + ".tmp.npz"), out / (MODEL_JSON + ".tmp")
    np.savez_compressed(tmp_npz, **arrays)  # type: ignore[arg-type]
    tmp_json.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    tmp_npz.replace(out / MODEL_NPZ)  # both files replaced only once both are written
    tmp_json.replace(out / MODEL_JSON)
    forget_loaded()

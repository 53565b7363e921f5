"""The estimators of the hostility classifier's training (:mod:`migralink.media.train`).

Every fit is deterministic: liblinear with a fixed seed for the n-gram stages, lbfgs for
the encoder stage, the stack and the Platt scaling; the threshold is read off a fixed grid.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from migralink.media.evaluation import f1_score

if TYPE_CHECKING:
    from migralink.media.train import TrainConfig

__all__ = ["GRID", "best_threshold", "encoder_scale", "fit_dense", "fit_encoder", "fit_ngrams",
           "fit_platt", "stack_weights"]


def fit_ngrams(x: sp.csr_matrix, y: np.ndarray[Any, Any], config: TrainConfig,
         weights: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=config.c, class_weight="balanced", solver="liblinear",
                               max_iter=5000, random_state=config.seed)
    model.fit(x, y, sample_weight=weights)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def fit_dense(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], config: TrainConfig,
              weights: np.ndarray[Any, Any] | None = None) -> tuple[np.ndarray[Any, Any], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=config.encoder_c, class_weight="balanced", solver="lbfgs",
                               max_iter=3000)
    model.fit(x, y, sample_weight=weights)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def fit_encoder(vectors: np.ndarray[Any, Any], x: sp.csr_matrix, labels: np.ndarray[Any, Any],
                 on_topic: np.ndarray[Any, Any], config: TrainConfig,
                 weights: np.ndarray[Any, Any] | None = None) -> tuple[
                     np.ndarray[Any, Any] | None, np.ndarray[Any, Any], float]:
    """The encoder stage, as (n-gram weights or None, encoder weights, intercept): the
    final label on the texts that name or are about a group (all texts when those hold
    one class). Trained there, it learns which meaning turns talk about a group into
    hostility towards it ("흑인들은 … 무식하다"); P(hostile) over all texts had learnt
    insults again (out-of-fold on-topic F1 0.605 → 0.621 with the label). With
    ``config.joint`` the n-grams sit beside the vector in the same regression (tried in
    session 5, not shipped: see :class:`TrainConfig`). ``weights``: the rows' sample
    weights (None: all 1; since session 10 the descriptive texts naming a group weigh
    ``config.descriptive_weight``)."""
    mask = on_topic if len(set(labels[on_topic].tolist())) == 2 else np.ones_like(on_topic)
    if not config.joint:
        coef, bias = fit_dense(vectors[mask], labels[mask], config,
                               None if weights is None else weights[mask])
        return None, coef, bias
    width = x.shape[1]
    joint = sp.hstack([x[mask], sp.csr_matrix(vectors[mask] * config.joint_scale)]).tocsr()
    coef, bias = fit_ngrams(joint, labels[mask], replace(config, c=config.encoder_c),
                      np.ones(int(mask.sum())) if weights is None else weights[mask])
    return coef[:width], coef[width:], bias


def encoder_scale(config: TrainConfig) -> float:
    """The factor on the encoder's vector (1: the vector-only stage is fitted unscaled)."""
    return config.joint_scale if config.joint else 1.0


def stack_weights(raw: np.ndarray[Any, Any], p_encoder: np.ndarray[Any, Any],
                   y: np.ndarray[Any, Any], encoder_gate: np.ndarray[Any, Any] | None = None,
                   insult: np.ndarray[Any, Any] | None = None) -> tuple[
                       tuple[float, float, float], float]:
    """The stack's weights (n-gram logit, encoder logit, intercept) and the insult
    input's weight (0 without it), fitted on out-of-fold scores (of the on-topic texts);
    the encoder's logit is multiplied by ``encoder_gate`` when given."""
    from sklearn.linear_model import LogisticRegression

    def logit(p: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        p = np.clip(p, 1e-6, 1 - 1e-6)
        return np.asarray(np.log(p / (1 - p)))

    z_encoder = logit(p_encoder) if encoder_gate is None else logit(p_encoder) * encoder_gate
    columns = [logit(raw), z_encoder] + ([insult] if insult is not None else [])
    model = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    model.fit(np.column_stack(columns), y)
    coef = model.coef_[0]
    return ((float(coef[0]), float(coef[1]), float(model.intercept_[0])),
            float(coef[2]) if insult is not None else 0.0)


def fit_platt(raw: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    logit = np.log(np.clip(raw, 1e-6, 1 - 1e-6) / np.clip(1 - raw, 1e-6, 1)).reshape(-1, 1)
    model = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000).fit(logit, y)
    return float(model.coef_[0][0]), float(model.intercept_[0])


#: The thresholds tried (calibrated scores).
GRID = [round(float(t), 3) for t in np.arange(0.02, 0.96, 0.005)]


def best_threshold(scores: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> float:
    best, best_f1 = 0.5, -1.0
    for threshold in GRID:
        f1 = f1_score(y, scores >= threshold)
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best

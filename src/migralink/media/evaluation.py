"""How a hostility model is scored: F1, precision and recall on every held-out set of
:func:`~migralink.media.corpora.evaluation_sets`, false positives on the two neutral sets
(the figures ``hostility.json`` records under ``evaluation``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from migralink.media.corpora import (
    evaluation_sets,
    neutral_check_sentences,
    neutral_sentences,
)
from migralink.media.model import HostilityModel

__all__ = ["evaluate", "f1_score"]


def f1_score(y: np.ndarray[Any, Any], predicted: np.ndarray[Any, Any]) -> float:
    """F1 of the boolean ``predicted`` against 0/1 labels ``y`` (0 when none is right)."""
    tp = float(np.sum(predicted & (y == 1)))
    fp = float(np.sum(predicted & (y == 0)))
    fn = float(np.sum(~predicted & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(model: HostilityModel, media: Path) -> dict[str, Any]:
    """F1 (with precision and recall) on every held-out set; false positives on neutral."""
    results: dict[str, Any] = {}
    for name, rows in evaluation_sets(media).items():
        decisions = model.classify([r.text for r in rows])
        y = np.array([r.label for r in rows])
        predicted = np.array([d.hostile == 1 for d in decisions])
        tp = int(np.sum(predicted & (y == 1)))
        results[name] = {
            "rows": len(rows), "positives": int(y.sum()), "f1": round(f1_score(y, predicted), 4),
            "precision": round(tp / max(int(predicted.sum()), 1), 4),
            "recall": round(tp / max(int(y.sum()), 1), 4),
        }
    for name, neutral in (("neutral_nationality", neutral_sentences(media)),
                          ("neutral_check", neutral_check_sentences(media))):
        flagged = sum(d.hostile == 1 for d in model.classify(neutral))
        results[name] = {"rows": len(neutral), "false_positives": flagged,
                         "false_positive_rate": round(flagged / len(neutral), 4)}
    return results

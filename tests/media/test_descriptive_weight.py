"""Session 10: the encoder regression weighs the training texts that name a group and
describe it (not hostile at all) ``TrainConfig.descriptive_weight`` times (8; 1.0 gives
session 9's model). docs/media.md; the experiments in docs/media-classifier-history.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from migralink.media.corpora import Labelled, training_rows
from migralink.media.features import encode, normalise
from migralink.media.fitting import fit_dense, fit_encoder
from migralink.media.model import load_model
from migralink.media.targets import target_of
from migralink.media.train import TrainConfig, train


@pytest.fixture(scope="module")
def rows(media: Path) -> list[Labelled]:
    return training_rows(media)


def _descriptive(r: Labelled) -> bool:
    return not r.label and not r.hostile and target_of(r.text) is not None


def _small(weight: float, joint: bool = False) -> TrainConfig:
    return TrainConfig(max_features=(1000, 1000, 300), folds=2, joint=joint, gated=joint,
                       descriptive_weight=weight)


def test_the_default_weighs_the_descriptive_texts_eight_times() -> None:
    assert TrainConfig().descriptive_weight == 8.0


def test_the_descriptive_rows_are_the_non_hostile_texts_naming_a_group(
        rows: list[Labelled]) -> None:
    descriptive = [r for r in rows if _descriptive(r)]
    assert len(descriptive) == 1594
    by_corpus = {c: sum(r.corpus == c for r in descriptive) for c in ("kmhas", "kosbi",
                                                                        "denney", "beep")}
    assert by_corpus == {"kmhas": 505, "kosbi": 632, "denney": 457, "beep": 0}


def test_the_shipped_model_records_its_weight_and_rows() -> None:
    meta = load_model().meta
    assert meta["config"]["descriptive_weight"] == 8.0
    assert meta["encoder_descriptive_weighted"] == 1594


def test_unit_weights_fit_as_no_weights() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(80, 6))
    y = (x[:, 0] + 0.5 * rng.normal(size=80) > 0).astype(int)
    config = TrainConfig()
    plain, plain_bias = fit_dense(x, y, config)
    ones, ones_bias = fit_dense(x, y, config, np.ones(80))
    assert np.array_equal(plain, ones)
    assert plain_bias == ones_bias
    weighted, _ = fit_dense(x, y, config, np.where(y == 0, 8.0, 1.0))
    assert not np.array_equal(plain, weighted)


def test_fit_encoder_passes_the_weights_of_the_on_topic_rows_only() -> None:
    """The weights are indexed like the rows, and only the on-topic rows' weights reach
    the regression (an off-topic row's weight changes nothing)."""
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(60, 4)).astype(np.float32)
    labels = (vectors[:, 1] > 0).astype(int)
    on_topic = np.arange(60) % 3 != 0
    config = TrainConfig()
    w = np.ones(60)
    w[~on_topic] = 50.0
    _, a, a_bias = fit_encoder(vectors, None, labels, on_topic, config)
    _, b, b_bias = fit_encoder(vectors, None, labels, on_topic, config, w)
    assert np.array_equal(a, b)
    assert a_bias == b_bias
    w[on_topic & (labels == 0)] = 8.0
    _, c, c_bias = fit_encoder(vectors, None, labels, on_topic, config, w)
    # the negatives weigh more: their probability falls
    negatives = vectors[on_topic & (labels == 0)]

    def p(coef: np.ndarray[Any, Any], bias: float) -> float:
        return float(np.mean(1 / (1 + np.exp(-(negatives @ coef + bias)))))

    assert p(c, c_bias) < p(a, a_bias)


def test_a_weighted_model_trains_and_differs_from_the_unweighted_one(
        rows: list[Labelled], media: Path, tmp_path: Path) -> None:
    positives = [r for r in rows if r.label][:40]
    descriptive = [r for r in rows if _descriptive(r)][::20][:60]
    off_topic = [r for r in rows if not r.about and target_of(r.text) is None][::400][:40]
    small = positives + descriptive + off_topic
    meta = train(media, tmp_path / "w", _small(8.0), rows=small, evaluate_sets=False)
    assert meta["encoder_descriptive_weighted"] == len(descriptive)
    assert meta["config"]["descriptive_weight"] == 8.0
    plain = train(media, tmp_path / "p", _small(1.0), rows=small, evaluate_sets=False)
    assert "encoder_descriptive_weighted" not in plain
    weighted, unweighted = load_model(tmp_path / "w"), load_model(tmp_path / "p")
    assert weighted.stack is not None
    assert unweighted.stack is not None
    # the n-gram stages are the same; only the encoder regression (and what is fitted
    # on its scores) moves
    assert np.array_equal(weighted.hostile_coef, unweighted.hostile_coef)
    assert not np.array_equal(weighted.stack.coef, unweighted.stack.coef)
    # the encoder's own P on the descriptive texts falls when they weigh more
    vectors = encode([normalise(r.text) for r in descriptive])
    assert np.mean(weighted.stack.encoder_probability(vectors)) < np.mean(
        unweighted.stack.encoder_probability(vectors))
    scores = [d.probability for d in weighted.classify([r.text for r in small])]
    assert np.mean(scores[:40]) > np.mean(scores[40:])


def test_the_joint_stage_takes_the_weights_too(rows: list[Labelled], media: Path,
                                               tmp_path: Path) -> None:
    positives = [r for r in rows if r.label][:30]
    descriptive = [r for r in rows if _descriptive(r)][::40][:30]
    off_topic = [r for r in rows if not r.about and target_of(r.text) is None][::400][:30]
    small = positives + descriptive + off_topic
    a = train(media, tmp_path / "a", _small(8.0, joint=True), rows=small,
              evaluate_sets=False)
    b = train(media, tmp_path / "b", _small(1.0, joint=True), rows=small,
              evaluate_sets=False)
    assert a["encoder_descriptive_weighted"] == len(descriptive)
    assert a["encoder_stack"]["weights"] != b["encoder_stack"]["weights"]

"""The stack inputs added in session 8 (shipped since): the insult input, the gated
encoder logit in the stack and the BEEP! rows that name a group left out (docs/media.md;
the experiments in docs/media-classifier-history.md)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from migralink.errors import ConfigError
from migralink.media.corpora import Labelled, training_rows
from migralink.media.features import encode, normalise
from migralink.media.insults import INSULTS, insult_counts
from migralink.media.model import (
    MODEL_JSON,
    MODEL_NPZ,
    forget_loaded,
    insult_input,
    join_scores,
    load_model,
)
from migralink.media.targets import target_of
from migralink.media.train import TrainConfig, train


@pytest.fixture(scope="module")
def rows(media: Path) -> list[Labelled]:
    return training_rows(media, beep_named=True)


def test_insults_are_counted_as_korcen_counts_them() -> None:
    # whitespace removed, lower case; 빨갱이 (a political slur) is not on the list
    assert insult_counts(["짱 깨 들은 꺼져", "조센징들 또라이", "빨갱이 새끼", "오늘 날씨"]) == [
        1, 2, 0, 0]
    assert "빨갱이" not in INSULTS
    assert len(set(INSULTS)) == len(INSULTS)


def test_the_insult_input_counts_only_where_a_group_is_named() -> None:
    texts = ["또라이 또라이 또라이", "중국 또라이 또라이 또라이", "중국 사람", "일본 또라이"]
    assert [target_of(t) is not None for t in texts] == [False, True, True, True]
    assert insult_input(texts, INSULTS).tolist() == [0.0, 2.0, 0.0, 1.0]


def test_the_insult_input_separates_real_training_rows(rows: list[Labelled]) -> None:
    """On the training texts that name a group, the insult input is set for far more of
    the texts hostile towards a group than of the others (what its stack weight rests on)."""
    named = [r for r in rows if target_of(r.text) is not None]
    values = insult_input([r.text for r in named], INSULTS)
    labels = np.array([r.label for r in named])
    share_positives = float(np.mean(values[labels == 1] > 0))
    share_negatives = float(np.mean(values[labels == 0] > 0))
    assert share_positives > 0.2
    assert share_positives > 4 * share_negatives


def test_a_gated_encoder_logit_says_nothing_where_the_gate_is_closed() -> None:
    raw = np.array([0.2, 0.7, 0.05])
    weights = (0.4, 0.6, -1.5)
    closed = np.zeros(3)
    low = join_scores(raw, np.array([0.01, 0.01, 0.01]), weights, closed)
    high = join_scores(raw, np.array([0.99, 0.99, 0.99]), weights, closed)
    assert np.array_equal(low, high)
    assert np.allclose(low, join_scores(raw, np.full(3, 0.5), weights))
    opened = join_scores(raw, np.array([0.99, 0.99, 0.99]), weights, np.ones(3))
    assert np.all(opened > low)


def test_beep_rows_naming_a_group_are_left_out(media: Path, rows: list[Labelled]) -> None:
    kept = training_rows(media)
    assert kept == training_rows(media, beep_named=False)
    dropped = [r for r in rows if r.corpus == "beep" and target_of(r.text) is not None]
    assert len(dropped) == 153
    assert sum(r.hostile for r in dropped) == 115
    assert kept == [r for r in rows if not (r.corpus == "beep" and target_of(r.text))]
    assert all(r.label == 0 for r in dropped)  # they were negatives by construction


def test_the_session8_stack_trains_loads_and_needs_its_words(rows: list[Labelled],
                                                            media: Path,
                                                            tmp_path: Path) -> None:
    positives = [r for r in rows if r.label][:40]
    on_topic = [r for r in rows if not r.label and target_of(r.text)][::100][:60]
    off_topic = [r for r in rows if not r.about and target_of(r.text) is None][::400][:40]
    small = positives + on_topic + off_topic
    config = TrainConfig(max_features=(1000, 1000, 300), folds=2, gate_encoder=True,
                         insults=True)
    meta = train(media, tmp_path / "s", config, rows=small, evaluate_sets=False)
    stack = meta["encoder_stack"]
    assert stack["gate_encoder"] is True
    assert stack["insults"] == list(INSULTS)
    assert stack["insult_weight"] != 0.0
    model = load_model(tmp_path / "s")
    assert model.stack is not None
    assert model.stack.gate_encoder
    assert model.stack.insults == INSULTS
    scores = [d.probability for d in model.classify([r.text for r in small])]
    assert np.mean(scores[:40]) > np.mean(scores[40:])
    # a model whose stack weighs insults but lost the word list is refused
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / MODEL_NPZ).write_bytes((tmp_path / "s" / MODEL_NPZ).read_bytes())
    data = json.loads((tmp_path / "s" / MODEL_JSON).read_text(encoding="utf-8"))
    # a model whose stack weighs insults but lost the word list, or whose list is
    # damaged (an empty word matches everywhere; a string would be read letter by
    # letter), is refused rather than scored
    for words in ([], ["깜둥이", ""], "깜둥이짱깨", [1, 2]):
        data["encoder_stack"]["insults"] = words
        (broken / MODEL_JSON).write_text(json.dumps(data, ensure_ascii=False),
                                         encoding="utf-8")
        forget_loaded()
        with pytest.raises(ConfigError, match="inconsistent"):
            load_model(broken)


def test_the_default_configuration_is_the_shipped_model(media: Path) -> None:
    config = TrainConfig()
    assert not config.beep_named
    assert config.gate_encoder
    assert config.insults
    model = load_model()
    assert TrainConfig.from_json(json.dumps(model.meta["config"])) == config
    assert model.meta["training_rows"] == len(training_rows(media))
    # the model carries what it was trained with, and is scored with it
    shipped = model.meta["encoder_stack"]
    assert shipped["gate_encoder"] is True
    assert shipped["insult_weight"] > 0
    assert shipped["insults"] == list(INSULTS)
    assert model.stack is not None
    assert model.stack.gate_encoder
    assert model.stack.insults == INSULTS
    assert model.stack.insult_weight == shipped["insult_weight"]


def test_the_shipped_model_scores_with_its_insult_input_and_gate() -> None:
    """The shipped model's score holds the insult input where a group is named (and only
    there), and the encoder's logit times the about gate."""
    model = load_model()
    assert model.stack is not None
    texts = ["중국 또라이들 또라이", "중국 사람들", "또라이 또라이"]
    x = model.features(texts)
    vectors = encode([normalise(t) for t in texts])
    raw, gate = model.ngram_scores(x, texts), model.about_gate(x, texts)
    insult = insult_input(texts, model.stack.insults)
    assert insult.tolist() == [2.0, 0.0, 0.0]
    shipped = model.raw_scores(x, texts, vectors)
    assert np.allclose(shipped, model.stack.combine(raw, vectors, x, gate, insult))
    without = replace(model.stack, insult_weight=0.0).combine(raw, vectors, x, gate)
    assert shipped[0] > without[0]
    assert shipped[1:] == pytest.approx(without[1:])
    ungated = replace(model.stack, gate_encoder=False).combine(raw, vectors, x, gate, insult)
    assert not np.allclose(shipped[2], ungated[2])  # off topic the gate is below 1

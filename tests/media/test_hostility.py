"""The hostility classifier: features, targets, the shipped model and a small training."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from migralink.errors import ConfigError
from migralink.media.corpora import (
    evaluation_sets,
    neutral_check_sentences,
    neutral_sentences,
    training_rows,
)
from migralink.media.features import jamo, normalise
from migralink.media.model import MODEL_JSON, MODEL_NPZ, HostilityModel, load_model, model_dir
from migralink.media.targets import target_of
from migralink.media.train import TrainConfig, train

#: The neutral-sentence false-positive rate the issue allows.
MAX_NEUTRAL_FP = 0.05


@pytest.fixture(scope="module")
def model() -> HostilityModel:
    return load_model()


def test_jamo_and_normalisation() -> None:
    assert jamo("짱깨") == "ㅉㅏㅇㄲㅐ"
    assert jamo("외국인 A") == "ㅇㅚㄱㅜㄱㅇㅣㄴ A"
    assert normalise("ㅋㅋㅋㅋㅋ 진짜!!!! https://t.co/x") == "ㅋㅋ 진짜!!  "


@pytest.mark.parametrize(("text", "group"), [
    ("짱깨들 다 나가라", "nationality"), ("깜둥이는 싫다", "ethnicity"),
    ("외노자들 때문에", "migrants"), ("탈북자들은 세금 도둑", "nk_defectors"),
    ("오늘 날씨가 좋다", None),
])
def test_target_groups(text: str, group: str | None) -> None:
    assert target_of(text) == group


def test_the_shipped_model_is_small_and_plain_arrays() -> None:
    folder = model_dir()
    size = (folder / MODEL_NPZ).stat().st_size + (folder / MODEL_JSON).stat().st_size
    assert size < 6 * 2**20
    with np.load(folder / MODEL_NPZ, allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)


def test_decisions_carry_score_target_and_spans(model: HostilityModel) -> None:
    hostile, calm = model.classify(["짱깨들은 더러우니까 전부 추방해야 한다",
                                    "베트남 출신 유학생들이 지역 축제에서 전통 음식을 소개했다."])
    assert hostile.hostile == 1
    assert hostile.target == "nationality"
    assert hostile.spans
    assert any("짱깨" in s for s in hostile.spans)
    assert calm.hostile == 0
    assert calm.probability < hostile.probability


@pytest.mark.parametrize("sentences", [neutral_sentences, neutral_check_sentences])
def test_neutral_sentences_about_nationalities_are_rarely_flagged(
        model: HostilityModel, media: Path, sentences: Callable[[Path], list[str]]) -> None:
    neutral = sentences(media)
    assert len(neutral) >= 300
    flagged = sum(d.hostile == 1 for d in model.classify(neutral))
    assert flagged / len(neutral) <= MAX_NEUTRAL_FP


def test_the_two_neutral_sets_share_no_sentence(media: Path) -> None:
    assert not set(neutral_sentences(media)) & set(neutral_check_sentences(media))


def test_origin_rows_naming_a_nationality_train_as_positives(media: Path) -> None:
    """K-MHaS Origin rows count when they name any foreign group (일본, 백인, 태국 …), not
    only the README's keywords; Origin rows about 홍어 (regional hate) stay negatives."""
    labels = {r.text: r.label for r in training_rows(media) if r.corpus == "kmhas"}
    assert labels["백인은다죽여야한다"] == 1
    assert labels["태국애들 모국어 글자 봤냐 ? 그게 사람이 읽고 쓴다는게 신기하더라 미개 ;"] == 1
    assert labels["마포구는 손혜원아님 정청래야 즉 답없는 홍어 멀티지역이지!!!"] == 0


def test_the_shipped_model_stacks_the_sentence_encoder(model: HostilityModel) -> None:
    assert model.stack is not None
    w_ngrams, w_encoder, _ = model.stack.weights
    assert w_ngrams > 0  # both stages push towards hostility
    assert w_encoder > 0


def test_a_model_without_its_encoder_weights_is_refused(tmp_path: Path) -> None:
    folder = model_dir()
    (tmp_path / MODEL_JSON).write_bytes((folder / MODEL_JSON).read_bytes())
    with np.load(folder / MODEL_NPZ, allow_pickle=False) as arrays:
        kept = {k: arrays[k] for k in arrays.files if k != "encoder_coef"}
    np.savez(tmp_path / MODEL_NPZ, **kept)
    with pytest.raises(ConfigError, match="inconsistent"):
        load_model(tmp_path)


def test_the_reported_f1_is_what_the_shipped_model_scores(
        model: HostilityModel, media: Path) -> None:
    """F1, precision and recall in ``hostility.json`` (rounded to 4 places) are what the
    shipped model scores on the held-out sets (K-MHaS Race, 5,974 rows, left out for time)."""
    reported = model.meta["evaluation"]
    sets = evaluation_sets(media)
    for name in ("apeach_nationality", "apeach_racism", "kosbi_race_ethnicity_nationality",
                 "kmhas_origin_keyword"):
        rows = sets[name]
        predicted = np.array([d.hostile for d in model.classify([r.text for r in rows])])
        y = np.array([r.label for r in rows])
        tp = int(np.sum((predicted == 1) & (y == 1)))
        scored = {"rows": len(rows), "positives": int(y.sum()),
                  "f1": 2 * tp / (int(predicted.sum()) + int(y.sum())),
                  "precision": tp / int(predicted.sum()), "recall": tp / int(y.sum())}
        for key, value in scored.items():
            assert value == pytest.approx(reported[name][key], abs=5e-5), (name, key)


def test_the_issue_targets_held_as_shipped(model: HostilityModel) -> None:
    """APEACH Nationality and Racism both meet the issue's 0.772 (Racism since session 10's
    weighted encoder regression: 0.7750, by one sentence; 0.7692 before); both neutral sets
    stay under the 5 % limit. The figures are checked against the model by the test above."""
    reported = model.meta["evaluation"]
    assert reported["apeach_nationality"]["f1"] >= 0.772
    assert reported["apeach_racism"]["f1"] >= 0.772
    for name in ("neutral_nationality", "neutral_check"):
        assert reported[name]["false_positive_rate"] <= MAX_NEUTRAL_FP
    # out of fold, on training text: comments that name no group are almost never flagged
    assert model.meta["out_of_fold_off_topic_flagged"] < 0.005


def test_a_small_training_is_deterministic(media: Path, tmp_path: Path) -> None:
    rows = training_rows(media)
    positives = [r for r in rows if r.label][:40]
    others = [r for r in rows if not r.label][::300][:120]
    small = positives + others
    config = TrainConfig(max_features=(2000, 2000, 500), folds=2)
    first = train(media, tmp_path / "a", config, rows=small, evaluate_sets=False)
    second = train(media, tmp_path / "b", config, rows=small, evaluate_sets=False)
    assert first == second
    a, b = load_model(tmp_path / "a"), load_model(tmp_path / "b")
    assert np.array_equal(a.hostile_coef, b.hostile_coef)
    assert a.blocks[0].vocabulary == b.blocks[0].vocabulary
    saved = json.loads((tmp_path / "a" / MODEL_JSON).read_text(encoding="utf-8"))
    assert saved["training_rows"] == len(small)
    # it learned something: the training positives score above the negatives on average
    scores = [d.probability for d in a.classify([r.text for r in small])]
    assert np.mean(scores[:40]) > np.mean(scores[40:])


def test_training_where_every_text_naming_a_group_is_hostile(media: Path,
                                                             tmp_path: Path) -> None:
    """The stack is fitted on all texts when the on-topic ones hold one class only."""
    rows = training_rows(media)
    positives = [r for r in rows if r.label][:20]
    off_topic = [r for r in rows if not r.about and target_of(r.text) is None][::400][:60]
    config = TrainConfig(max_features=(1000, 1000, 300), folds=2)
    train(media, tmp_path, config, rows=positives + off_topic, evaluate_sets=False)
    small = load_model(tmp_path)
    assert small.stack is not None
    scores = [d.probability for d in small.classify([r.text for r in positives + off_topic])]
    assert np.all(np.isfinite(scores))
    assert np.mean(scores[:20]) > np.mean(scores[20:])


def test_the_joint_stage_trains_loads_and_needs_its_weights(media: Path,
                                                           tmp_path: Path) -> None:
    """The joint variant (n-grams beside the encoder's vector, gated by the about stage;
    tried in session 5, not shipped) round-trips through the files, and a model that
    lost its n-gram weights is refused rather than scored without them."""
    rows = training_rows(media)
    positives = [r for r in rows if r.label][:30]
    on_topic = [r for r in rows if not r.label and r.about][::200][:40]
    off_topic = [r for r in rows if not r.about and target_of(r.text) is None][::400][:40]
    small = positives + on_topic + off_topic
    config = TrainConfig(max_features=(1000, 1000, 300), folds=2, joint=True, gated=True)
    meta = train(media, tmp_path / "j", config, rows=small, evaluate_sets=False)
    assert meta["encoder_stack"]["joint"]
    assert meta["encoder_stack"]["gated"]
    joint = load_model(tmp_path / "j")
    assert joint.stack is not None
    assert joint.stack.ngram_coef is not None
    assert joint.stack.scale == 2.0
    scores = [d.probability for d in joint.classify([r.text for r in small])]
    assert np.mean(scores[:30]) > np.mean(scores[30:])
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / MODEL_JSON).write_bytes((tmp_path / "j" / MODEL_JSON).read_bytes())
    with np.load(tmp_path / "j" / MODEL_NPZ, allow_pickle=False) as arrays:
        kept = {k: arrays[k] for k in arrays.files if k != "joint_coef"}
    np.savez(broken / MODEL_NPZ, **kept)
    with pytest.raises(ConfigError, match="inconsistent"):
        load_model(broken)

"""Session 9: the hostile stage on texts with the neutral group names masked, its own
regularisation, and the ambiguous K-MHaS rows left out of the stack, the calibration and
the threshold's population (docs/media.md; the experiments in
docs/media-classifier-history.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from migralink.media.corpora import Labelled, training_rows
from migralink.media.masking import PLACEHOLDER, mask_names, masked_rows
from migralink.media.model import load_model
from migralink.media.targets import target_of
from migralink.media.train import TrainConfig, train


@pytest.fixture(scope="module")
def rows(media: Path) -> list[Labelled]:
    return training_rows(media)


@pytest.mark.parametrize(("text", "masked"), [
    ("흑인들은 키가 크다", f"{PLACEHOLDER}들은 키가 크다"),
    ("중국인 관광객이 늘었다", f"{PLACEHOLDER}인 관광객이 늘었다"),
    ("외국인 노동자와 이주민", f"{PLACEHOLDER} 노동자와 {PLACEHOLDER}"),
    ("백인이랑 동양인", f"{PLACEHOLDER}이랑 {PLACEHOLDER}"),
    # slurs stay: they are hostility in themselves
    ("짱깨들 꺼져", "짱깨들 꺼져"),
    ("쪽바리 깜둥이 외노자", "쪽바리 깜둥이 외노자"),
    ("북한 놈들", "북한 놈들"),
    ("외국놈 새끼", "외국놈 새끼"),
    # what names no group is untouched, word-start guards included
    ("오늘 날씨 좋다", "오늘 날씨 좋다"),
    ("연예인도 사람이다", "연예인도 사람이다"),
])
def test_neutral_names_are_masked_and_slurs_kept(text: str, masked: str) -> None:
    assert mask_names(text) == masked


def test_masked_rows_equal_featurising_every_masked_text() -> None:
    model = load_model()
    texts = ["흑인들은 키가 크다", "오늘 날씨 좋다", "짱깨들 꺼져", "중국 사람들 시끄럽다",
             "외국인 노동자 임금"]
    x = model.features(texts)
    got = masked_rows(x, texts, model.features)
    want = model.features([mask_names(t) for t in texts])
    assert got.shape == want.shape
    assert abs(got - want).max() == 0.0
    # rows of texts that masking leaves alone are the rows as written
    assert abs(got[1] - x[1]).max() == 0.0
    assert abs(got[2] - x[2]).max() == 0.0
    assert abs(got[0] - x[0]).max() > 0.0
    same = ["오늘 날씨 좋다"]
    assert masked_rows(model.features(same), same, model.features).nnz == model.features(
        same).nnz


def test_the_ambiguous_rows_are_hostile_kmhas_rows_naming_a_group(
        rows: list[Labelled]) -> None:
    ambiguous = [r for r in rows if r.corpus == "kmhas" and r.hostile and not r.label
                 and target_of(r.text) is not None]
    assert len(ambiguous) == 266


def test_a_masked_model_trains_loads_and_reads_masked_rows(rows: list[Labelled],
                                                           media: Path,
                                                           tmp_path: Path) -> None:
    positives = [r for r in rows if r.label][:40]
    ambiguous = [r for r in rows if r.corpus == "kmhas" and r.hostile and not r.label
                 and target_of(r.text) is not None][:20]
    on_topic = [r for r in rows if not r.label and target_of(r.text)][::100][:60]
    off_topic = [r for r in rows if not r.about and target_of(r.text) is None][::400][:40]
    small = positives + ambiguous + on_topic + off_topic
    config = TrainConfig(max_features=(1000, 1000, 300), folds=2, mask_names=True,
                         hostile_c=0.5, ambiguous_out=True)
    meta = train(media, tmp_path / "m", config, rows=small, evaluate_sets=False)
    assert meta["hostile_masks_names"] is True
    assert meta["ambiguous_left_out"] == sum(
        r.corpus == "kmhas" and r.hostile and not r.label and target_of(r.text) is not None
        for r in small) >= 20
    assert 0.0 <= meta["out_of_fold_all_on_topic_negatives_flagged"] <= 1.0
    assert meta["config"]["hostile_c"] == 0.5
    model = load_model(tmp_path / "m")
    assert model.mask_names
    texts = [r.text for r in small]
    x = model.features(texts)
    xh = model.hostile_rows(x, texts)
    changed = [i for i, t in enumerate(texts) if mask_names(t) != t]
    unchanged = [i for i in range(len(texts)) if i not in changed]
    assert changed
    assert unchanged
    assert abs(xh[unchanged] - x[unchanged]).max() == 0.0
    assert sp.linalg.norm(xh[changed] - x[changed]) > 0.0
    # the n-gram score reads the masked rows (and equals it when they are passed in)
    assert np.allclose(model.ngram_scores(x, texts), model.ngram_scores(x, texts, None, xh))
    scores = [d.probability for d in model.classify(texts)]
    assert np.mean(scores[:40]) > np.mean(scores[60:])
    # the same rows without masking give another model
    plain = train(media, tmp_path / "p",
                  TrainConfig(max_features=(1000, 1000, 300), folds=2, mask_names=False,
                              hostile_c=None, ambiguous_out=False),
                  rows=small, evaluate_sets=False)
    assert "hostile_masks_names" not in plain
    assert "ambiguous_left_out" not in plain
    assert not load_model(tmp_path / "p").mask_names


def test_the_default_configuration_masks_names_and_leaves_the_ambiguous_rows_out() -> None:
    config = TrainConfig()
    assert config.mask_names
    assert config.ambiguous_out
    assert config.hostile_c == 0.5
    model = load_model()
    assert model.mask_names
    assert model.meta["hostile_masks_names"] is True
    assert model.meta["ambiguous_left_out"] == 266

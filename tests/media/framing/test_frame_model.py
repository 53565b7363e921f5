"""The trained frame classifier: cross-validated against the lexicon, and reproducible."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from migralink.errors import ConfigError
from migralink.media import load_frame_model
from migralink.media.frame_model import fit_frame_model, write_frame_model
from tests.media.framing.rebuild import cross_validate, gold, report


@pytest.fixture(scope="module")
def data() -> tuple[list[str], list[str]]:
    return gold()


def test_cross_validated_classifier_beats_the_lexicon_on_the_same_folds(
    data: tuple[list[str], list[str]],
) -> None:
    texts, labels = data
    model, lexicon = cross_validate(texts, labels)
    print("\n" + report(model, lexicon))
    assert set(model.per_label) == set(lexicon.per_label) == set(labels)
    assert model.macro_f1 > lexicon.macro_f1
    assert model.accuracy > lexicon.accuracy


def test_shipped_model_reproduces_from_its_rebuild(
    data: tuple[list[str], list[str]], tmp_path: Path,
) -> None:
    texts, labels = data
    shipped = load_frame_model()
    write_frame_model(fit_frame_model(texts, labels), tmp_path)
    rebuilt = load_frame_model(tmp_path)
    assert rebuilt.classes == shipped.classes
    assert rebuilt.vocabulary == shipped.vocabulary
    np.testing.assert_allclose(rebuilt.coef, shipped.coef, atol=1e-3)
    np.testing.assert_allclose(rebuilt.intercept, shipped.intercept, atol=1e-3)
    assert rebuilt.primary(texts) == shipped.primary(texts)


def test_numpy_inference_matches_the_fitted_sklearn_features(
    data: tuple[list[str], list[str]],
) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from migralink.media.frame_model import ngrams

    texts, labels = data
    model = fit_frame_model(texts, labels)
    vec = TfidfVectorizer(analyzer=ngrams, min_df=2, sublinear_tf=True, lowercase=False)
    expected = vec.fit_transform(texts).toarray()
    assert vec.vocabulary_ == model.vocabulary
    got = model.features(texts)[:, : len(model.idf)]
    np.testing.assert_allclose(got, expected, atol=1e-9)
    probs = model.probabilities(texts[:5])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_public_surface_frames_and_errors(tmp_path: Path) -> None:
    model = load_frame_model()
    primary = model.primary(["외국인 노동자 없으면 공장이 멈추고 농촌 일자리도 못 채운다",
                             "다문화 가정 자녀들이 학교에 적응하고 이웃과 어울려 산다"])
    assert primary == ["economic", "integration_life"]
    assert model.primary([]) == []
    with pytest.raises(ConfigError, match="no frame model"):
        load_frame_model(tmp_path)
    with pytest.raises(ConfigError, match="cannot fit"):
        fit_frame_model(["a", "b"], ["economic", "economic"])

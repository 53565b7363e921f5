"""The group lexicon from independent lists and KoBBQ's stereotype sentences (session 7:
both tried, neither shipped; they rebuild the variants docs/media.md reports; the
word-start guards tried with them shipped in session 7b, see test_targets.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migralink.media.corpora import neutral_check_sentences
from migralink.media.groups import GROUPS_JSON, build
from migralink.media.model import model_dir
from migralink.media.stereotypes import PREDICATES, stereotype_rows
from migralink.media.targets import TARGETS, target_of, widened_targets
from migralink.media.train import TrainConfig, train


def _widened(text: str) -> str | None:
    for group, pattern in widened_targets():
        if pattern.search(text):
            return group
    return None


def test_the_committed_lexicon_is_what_the_lists_give(shared: Path) -> None:
    committed = json.loads((model_dir() / GROUPS_JSON).read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(build(shared), ensure_ascii=False))
    names = committed["names"]
    assert len(names["nationality"]) > 200  # the world's countries, not a hand list
    assert "케냐" in names["nationality"]
    assert "유럽인" in names["ethnicity"]
    assert "대한민국" not in names["nationality"]  # Korea is not a foreign group


@pytest.mark.parametrize(("text", "group"), [
    ("케냐인은 다 그렇다", "nationality"), ("칠레 사람들이 왔다", "nationality"),
    ("나이지리아 출신이다", "nationality"), ("대만놈들", "nationality"),
    ("유럽인들은", "ethnicity"), ("아시아사람", "ethnicity"), ("북한인들", "nk_defectors"),
    ("결혼 이주 여성들", "migrants"), ("이란 애들", "nationality"),
    # the words a bare name is also part of name no group
    ("정말 대만족입니다", None), ("그건 수단인데", None), ("같은 상황인데", None),
    ("연예인도 군대 가야지", None), ("삶이란 게", None), ("이국적인 얼굴", None),
    ("아시아 최초의 우승", None), ("FT아일랜드 콘서트", None), ("여우한테 홀렸다", None),
])
def test_the_widened_patterns(text: str, group: str | None) -> None:
    assert _widened(text) == group


def test_target_of_keeps_the_shipped_patterns() -> None:
    """The lexicon is not wired into target_of: the shipped model was trained and is
    scored with TARGETS (their word-start guards shipped in session 7b, the lexicon not);
    the widened set is TARGETS with the lexicon after them."""
    assert target_of("케냐인은 다 그렇다") is None
    assert target_of("짱깨들 다 나가라") == "nationality"
    assert [g for g, _ in TARGETS] == [g for g, _ in widened_targets()]
    for (_, shipped), (_, widened) in zip(TARGETS, widened_targets(), strict=True):
        assert widened.pattern.startswith(shipped.pattern)


def test_stereotype_sentences_pair_voiced_and_reported(media: Path) -> None:
    rows = stereotype_rows(media)
    assert rows == stereotype_rows(media)
    voiced = [r for r in rows if r.label == 1]
    reported = [r for r in rows if r.label == 0]
    assert len(voiced) == len(reported) > 300
    assert all(r.hostile == 1 and r.about == 1 for r in voiced)
    assert all(r.hostile == 0 and r.text.endswith("건 편견이다") for r in reported)
    assert {r.text.split("들은 ", 1)[1] for r in voiced} == set(PREDICATES.values())
    assert not any(r.text.startswith(("한국인", "북한 주민")) for r in rows)
    # KoBBQ's contexts are the second neutral set: no text is shared
    texts = {r.text for r in rows}
    check = neutral_check_sentences(media)
    assert not any(t in c or c in t for t in texts for c in check)


def test_training_with_stereotypes_keeps_figures_on_the_corpora(media: Path,
                                                                tmp_path: Path) -> None:
    from migralink.media.corpora import training_rows

    rows = training_rows(media)
    small = [r for r in rows if r.label][:30] + [r for r in rows if not r.label][::400][:90]
    config = TrainConfig(max_features=(1000, 1000, 300), folds=2, stereotypes=True,
                         stereotype_weight=1.0)
    meta = train(media, tmp_path, config, rows=small, evaluate_sets=False)
    assert meta["training_rows"] == len(small) + len(stereotype_rows(media))
    assert meta["config"]["stereotypes"]
    assert 0.0 <= meta["out_of_fold_off_topic_flagged"] <= 1.0

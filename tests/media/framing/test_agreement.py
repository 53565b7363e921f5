"""Two independent annotations of 320 paragraphs with the framing codebook; Cohen's κ.

The annotators worked alone, from docs/media.md's guide, without the lexicon's output and
without seeing each other's file (annotator A from the top, B from the bottom). This test
checks that the two files are complete and valid, prints the agreement, and holds the
lexicon to what the annotators agree on — so a change of codebook, sample or lexicon that
loses agreement shows here.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from migralink.media.framing import FRAMES, frames_of
from tests.media.framing.rebuild import gold
from tests.media.framing.sample import SHARED_MEDIA, paragraphs

HERE = Path(__file__).parent
KEYS = {f.key for f in FRAMES} | {"none"}


def _read(name: str) -> dict[str, tuple[str, frozenset[str]]]:
    with (HERE / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = {r["id"]: (r["primary"], frozenset(x for x in r["others"].split(";") if x))
           for r in rows}
    assert len(out) == len(rows), f"{name} names an id twice"
    return out


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's κ of two raters' labels on the same items."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca.keys() | cb.keys()) / (n * n)
    return (observed - expected) / (1 - expected)


@pytest.fixture(scope="module")
def coded() -> tuple[dict[str, tuple[str, frozenset[str]]], ...]:
    return _read("annotator_a.csv"), _read("annotator_b.csv")


def test_kappa_by_hand() -> None:
    # two raters, 10 items: 7 agreements; marginals give p_e = 0.5 -> κ = 0.4
    a = ["x"] * 5 + ["y"] * 5
    b = ["x"] * 4 + ["y"] + ["x"] * 2 + ["y"] * 3
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_both_annotators_coded_every_sampled_paragraph(
    coded: tuple[dict[str, tuple[str, frozenset[str]]], ...],
) -> None:
    ids = {i for i, _ in paragraphs(SHARED_MEDIA)}
    assert len(ids) >= 300
    for one in coded:
        assert set(one) == ids
        for primary, others in one.values():
            assert primary in KEYS
            assert others <= KEYS - {"none"}
            assert primary not in others


def test_agreement_is_reported_and_well_above_chance(
    coded: tuple[dict[str, tuple[str, frozenset[str]]], ...],
) -> None:
    a, b = coded
    ids = sorted(a)
    kappa = cohen_kappa([a[i][0] for i in ids], [b[i][0] for i in ids])
    presence = {}
    for key in sorted(KEYS - {"none"}):
        ra = [key in {a[i][0], *a[i][1]} for i in ids]
        rb = [key in {b[i][0], *b[i][1]} for i in ids]
        presence[key] = cohen_kappa([str(x) for x in ra], [str(x) for x in rb])
    print(f"\nprimary frame: Cohen's kappa {kappa:.3f} on {len(ids)} paragraphs")
    for key, k in presence.items():
        print(f"  presence of {key}: kappa {k:.3f}")
    # Landis & Koch: above 0.4 is "moderate"; a codebook whose annotators agree less
    # than that cannot be used to evaluate or train a frame classifier
    assert kappa > 0.4


def test_lexicon_against_the_agreed_paragraphs(
    coded: tuple[dict[str, tuple[str, frozenset[str]]], ...],
) -> None:
    a, b = coded
    texts = dict(paragraphs(SHARED_MEDIA))
    agreed = {i: a[i][0] for i in a if a[i][0] == b[i][0]}
    hits = 0
    for pid, frame in agreed.items():
        tags = frames_of(texts[pid])
        hits += (tags.primary or "none") == frame
    accuracy = hits / len(agreed)
    print(f"\nlexicon primary-frame accuracy on {len(agreed)} agreed paragraphs: {accuracy:.3f}")
    # better than always answering the commonest agreed frame
    baseline = Counter(agreed.values()).most_common(1)[0][1] / len(agreed)
    print(f"majority-class baseline: {baseline:.3f}")
    assert accuracy > baseline


def test_every_disagreement_is_adjudicated_and_the_lexicon_is_scored_on_all(
    coded: tuple[dict[str, tuple[str, frozenset[str]]], ...],
) -> None:
    a, b = coded
    adjudicated = _read("adjudicated.csv")
    assert set(adjudicated) == {i for i in a if a[i][0] != b[i][0]}
    for pid, (primary, others) in adjudicated.items():
        assert primary in KEYS, pid
        assert others <= KEYS - {"none"}, pid
    # the adjudicator picks one of the two codings unless both are argued against in the note
    third = [pid for pid, (p, _) in adjudicated.items() if p not in {a[pid][0], b[pid][0]}]
    assert len(third) <= len(adjudicated) // 10
    texts, labels = gold()
    assert len(labels) == len(a)
    hits = sum((frames_of(t).primary or "none") == g for t, g in zip(texts, labels, strict=True))
    accuracy = hits / len(labels)
    baseline = Counter(labels).most_common(1)[0][1] / len(labels)
    print(f"\nlexicon primary-frame accuracy on all {len(labels)} paragraphs (agreed or "
          f"adjudicated): {accuracy:.3f}; majority class {baseline:.3f}")
    assert accuracy > baseline

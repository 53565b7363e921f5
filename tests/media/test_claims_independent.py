"""The claim checker scored blind on a gold file written by an independent annotator.

`data/claims_independent/` was written by an annotator who never read the checker's code
or its own gold (NOTES.md there): real sentences from ../shared/data/media and variants,
each claim ruled by hand against the official tables. The checker's rules were then
improved on the odd-numbered rows only; the even-numbered rows stayed unseen, so their
figures are the honest ones. Floors below are the measured figures less a margin for
rounding: a change that loses ground fails here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from migralink.media import Checker

GOLD = Path(__file__).parent / "data" / "claims_independent" / "claims.csv"
RULINGS = ("accurate", "roughly_accurate", "misleading", "wrong")


@dataclass(frozen=True)
class Blind:
    """Spotting and verdict figures on one half of the file."""

    f1: float
    verdicts: float
    claims: int
    uncited: int


def _score(checker: Checker, held_out: bool) -> Blind:
    with GOLD.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (int(r["id"][1:]) % 2 == 0) == held_out]
    tp = fp = fn = claims = right = uncited = 0
    for row in rows:
        rulings = checker.check_text(row["text"])
        gold = row["claim"] == "1"
        tp += bool(rulings) and gold
        fp += bool(rulings) and not gold
        fn += (not rulings) and gold
        if not gold:
            continue
        claims += 1
        verdict = rulings[0].verdict if rulings else "cannot_check"
        right += verdict == row["verdict"]
        uncited += verdict in RULINGS and not rulings[0].citations
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return Blind(2 * precision * recall / (precision + recall), right / claims, claims, uncited)


def test_the_file_is_complete_and_valid() -> None:
    with GOLD.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["claim"] in {"0", "1"}, r["id"]
        assert (r["verdict"] in {*RULINGS, "cannot_check"}) == (r["claim"] == "1"), r["id"]


@pytest.mark.parametrize(("held_out", "f1_floor", "verdict_floor"),
                         [(False, 0.99, 0.96), (True, 0.97, 0.90)])
def test_blind_scores(checker: Checker, held_out: bool, f1_floor: float,
                      verdict_floor: float) -> None:
    s = _score(checker, held_out)
    half = "held-out (even ids)" if held_out else "development (odd ids)"
    print(f"\n{half}: spotting F1 {s.f1:.3f}, verdict accuracy {s.verdicts:.3f} "
          f"on {s.claims} claims")
    assert s.uncited == 0
    assert s.f1 >= f1_floor
    assert s.verdicts >= verdict_floor

"""Scoring the claim checker on a labelled file, shared by the claim tests.

A labelled row says whether a sentence holds a numeric claim about migrants and, if so,
which dataset the main citation must come from (None when no series can test it) and
the verdict. The checker's first ruling on the sentence is compared with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migralink.media import Checker, Ruling

RULINGS = ("accurate", "roughly_accurate", "misleading", "wrong")


@dataclass(frozen=True)
class Gold:
    """One labelled sentence."""

    id: str
    text: str
    claim: bool
    dataset: str | None
    verdict: str | None


@dataclass
class Scores:
    """Spotting, linking and verdict scores with the rows that failed each."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    claims: int = 0
    linked: int = 0
    ruled: int = 0
    rulings: list[Ruling] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def f1(self) -> float:
        """Spotting F1 (a sentence is spotted when the checker finds any claim in it)."""
        if self.tp == 0:
            return 0.0
        precision, recall = self.tp / (self.tp + self.fp), self.tp / (self.tp + self.fn)
        return 2 * precision * recall / (precision + recall)

    @property
    def linking(self) -> float:
        """Share of gold claims whose main citation names the gold dataset."""
        return self.linked / self.claims if self.claims else 0.0

    @property
    def verdicts(self) -> float:
        """Share of gold claims given the gold verdict."""
        return self.ruled / self.claims if self.claims else 0.0

    def summary(self) -> str:
        """One line of figures."""
        return (f"spotting F1 {self.f1:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn}); "
                f"linking {self.linking:.3f}; verdicts {self.verdicts:.3f} "
                f"({self.claims} claims)")


def score(checker: Checker, rows: list[Gold]) -> Scores:
    """Scores of ``checker`` on ``rows``.

    A missed claim counts as an abstention (cannot_check, no dataset); an abstention
    that names the series it tried counts as linking nothing when gold links nothing.
    """
    s = Scores()
    for row in rows:
        rulings = checker.check_text(row.text)
        found = bool(rulings)
        s.tp += found and row.claim
        s.fp += found and not row.claim
        s.fn += (not found) and row.claim
        if found != row.claim:
            s.failures.append(f"{row.id} spot {'FP' if found else 'FN'}: {row.text[:80]}")
        if not row.claim:
            continue
        s.claims += 1
        ruling = rulings[0] if rulings else None
        verdict = ruling.verdict if ruling else "cannot_check"
        dataset = ruling.dataset if ruling else None
        if verdict == "cannot_check" and row.dataset is None:
            dataset = None
        s.linked += dataset == row.dataset
        s.ruled += verdict == row.verdict
        if dataset != row.dataset or verdict != row.verdict:
            s.failures.append(f"{row.id} got {verdict}/{dataset}, gold {row.verdict}/"
                              f"{row.dataset}: {row.text[:80]}")
        if ruling is not None and verdict in RULINGS:
            s.rulings.append(ruling)
    return s


def test_a_perfect_and_an_empty_checker_score_as_expected(checker: Checker) -> None:
    rows = [Gold("a", "불법체류자 40만", True, "moj_undocumented", "accurate"),
            Gold("b", "오늘 날씨가 좋다", False, None, None)]
    perfect = score(checker, rows)
    assert (perfect.f1, perfect.linking, perfect.verdicts) == (1.0, 1.0, 1.0)
    wrong = score(checker, [Gold("c", "오늘 날씨가 좋다", True, "moj_undocumented", "wrong")])
    assert (wrong.f1, wrong.linking, wrong.verdicts) == (0.0, 0.0, 0.0)
    assert len(wrong.failures) == 2

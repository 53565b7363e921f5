"""Measured quality against known truth: pairwise precision, recall, F1 and blocking recall.

Used by the tests and ``bench/linkage.py`` on FEBRL and the synthetic registers; a real
linkage has no truth and relies on the estimates of :mod:`.quality` instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from migralink.linkage.spec import LinkageSpec

__all__ = ["PairScore", "blocking_pairs", "pair_set", "score_pairs"]


@dataclass(frozen=True)
class PairScore:
    """Pairwise precision, recall and F1 of predicted against true pairs."""

    predicted: int
    true: int
    hits: int

    @property
    def precision(self) -> float:
        """Share of predicted pairs that are true."""
        return self.hits / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of true pairs that were predicted."""
        return self.hits / self.true if self.true else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pair_set(links: pl.DataFrame, uid: str = "rec_id", *, ordered: bool = False
             ) -> set[tuple[str, str]]:
    """The ``(left id, right id)`` pairs of a links frame (sorted within a pair if not
    ``ordered``, as for deduplication)."""
    pairs = zip(links[f"{uid}_l"].to_list(), links[f"{uid}_r"].to_list(), strict=True)
    if ordered:
        return {(str(a), str(b)) for a, b in pairs}
    return {(str(min(a, b)), str(max(a, b))) for a, b in pairs}


def score_pairs(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> PairScore:
    """Compare two pair sets."""
    return PairScore(len(predicted), len(truth), len(predicted & truth))


def blocking_pairs(left: pl.DataFrame, right: pl.DataFrame, spec: LinkageSpec
                   ) -> pl.DataFrame:
    """All distinct candidate pairs the spec's blocking rules generate (left × right), in
    DuckDB: the set whose recall bounds the recall of the whole linkage."""
    con = duckdb.connect()
    try:
        con.register("l_in", left.to_arrow())
        con.register("r_in", right.to_arrow())
        uid = spec.unique_id
        union = " UNION ".join(
            f"SELECT l.{uid} AS {uid}_l, r.{uid} AS {uid}_r FROM l_in AS l JOIN r_in AS r ON {rule}"
            for rule in spec.blocking_rules)
        out = pl.from_arrow(con.sql(union).arrow())
        assert isinstance(out, pl.DataFrame)
        return out
    finally:
        con.close()

"""Ruling on numeric claims about migrants with the official figures of the evidence base.

The scale (see docs/media.md for the full rules):

* **accurate**: within 5 % of the official figure (or a hedged bound that holds tightly);
* **roughly accurate**: within 15 %, or a bound ("넘는", "over") that holds but understates;
* **misleading**: the number is another population's figure (stay foreigners quoted as
  workers), or it is 15-35 % off;
* **wrong**: more than 35 % off;
* **cannot be checked**: no series of the evidence base measures what the claim counts
  (refugees, crime, a place abroad), or the figure falls between what the data bound.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from migralink.errors import MigralinkError
from migralink.evidence import Evidence
from migralink.media.claims import Claim, find_claims
from migralink.media.series import (
    PopulationSpec,
    SeriesQuery,
    narrowed,
    population_spec,
    share_denominator,
)
from migralink.store import DatasetInfo

__all__ = ["CheckRules", "Checker", "Citation", "Ruling", "Verdict"]

Verdict = Literal["accurate", "roughly_accurate", "misleading", "wrong", "cannot_check"]

VERDICT_LABELS: dict[str, str] = {
    "accurate": "정확 (accurate)", "roughly_accurate": "대체로 정확 (roughly accurate)",
    "misleading": "오해 소지 (misleading)", "wrong": "틀림 (wrong)",
    "cannot_check": "이 자료로 확인 불가 (cannot be checked with these data)",
}


@dataclass(frozen=True)
class CheckRules:
    """Thresholds of the scale, as relative distances from the official figure."""

    accurate: float = 0.05
    roughly: float = 0.15
    misleading: float = 0.35
    #: a number within this of another population's figure is read as that figure
    confusion: float = 0.10
    #: a lower bound ("넘는 100만") holds tightly when the figure is at most this multiple
    tight_bound: float = 1.25


@dataclass(frozen=True)
class Citation:
    """One official figure a ruling rests on."""

    dataset: str
    version: int
    period: str
    value: float
    source_files: tuple[str, ...]
    publisher: str
    title: str
    measures: str
    query: str
    region: str = "00"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        data = asdict(self)
        data["source_files"] = list(self.source_files)
        return data


@dataclass(frozen=True)
class Ruling:
    """The verdict on one claim, with the figures it rests on and why."""

    claim: Claim
    verdict: Verdict
    explanation: str
    citations: tuple[Citation, ...] = ()
    tried: tuple[str, ...] = field(default_factory=tuple)

    @property
    def dataset(self) -> str | None:
        """The dataset of the main citation (None when nothing was linked)."""
        return self.citations[0].dataset if self.citations else None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "sentence": self.claim.sentence, "claim": self.claim.as_dict(),
            "verdict": self.verdict, "verdict_label": VERDICT_LABELS[self.verdict],
            "explanation": self.explanation,
            "citations": [c.as_dict() for c in self.citations], "tried": list(self.tried),
        }


class Checker:
    """Checks claims against one evidence base.

    Args:
        evidence: an open evidence base (read-only is enough).
        rules: the thresholds of the scale.
    """

    def __init__(self, evidence: Evidence, rules: CheckRules | None = None) -> None:
        self.evidence = evidence
        self.rules = rules or CheckRules()
        self.infos: dict[str, DatasetInfo] = {d.id: d for d in evidence.datasets()}

    @classmethod
    def open(cls, path: str | Path) -> Checker:
        """A checker on the evidence base at ``path`` (opened read-only)."""
        from migralink.evidence import open_evidence

        return cls(open_evidence(path, read_only=True))

    def check_text(self, text: str) -> list[Ruling]:
        """A ruling for every claim found in ``text`` (none when no claim is found)."""
        return [self.rule(claim) for claim in find_claims(text)]

    def rule(self, claim: Claim) -> Ruling:
        """The ruling on one parsed claim."""
        from migralink.media.ruling import rule_claim

        return rule_claim(self, claim)

    # -- reading figures ---------------------------------------------------------------

    def period_for(self, query: SeriesQuery, wanted: str | None) -> str | None:
        """The dataset period that answers ``wanted`` (None: the latest), if it has one."""
        info = self.infos.get(query.dataset)
        if info is None or not info.periods:
            return None
        periods = sorted(info.periods)
        if wanted is None:
            return periods[-1]
        if wanted in periods:
            return wanted
        year = wanted[:4]
        same_year = [p for p in periods if p[:4] == year]
        if not same_year:
            return None
        december = f"{year}-12"
        return december if december in same_year else same_year[-1]

    def figure(self, query: SeriesQuery, period: str, region: str) -> Citation | None:
        """The value of ``query`` for one period and region, as a citation (None if empty)."""
        info = self.infos[query.dataset]
        by = (query.sum_dim,) if query.sum_dim else ()
        filters = dict(query.filters)
        # a world table (UN DESA) names Korea as a region code, not as the whole
        place = filters.pop("region", None) or (None if region == "00" else region)
        try:
            result = self.evidence.query(
                query.dataset, period=period, region=place, filters=filters, by=by,
            )
        except MigralinkError:
            return None
        if result.incomplete:  # rows of its source were rejected: the total is short
            return None
        frame = result.frame
        if query.sum_dim:
            frame = frame.filter(frame[query.sum_dim].is_in(list(query.sum_codes)))
        if frame.is_empty() or frame["value"].null_count() == frame.height:
            return None
        value = float(frame["value"].sum())
        originals = tuple(s for s in info.sources if not s.endswith(".parquet"))
        return Citation(
            dataset=info.id, version=result.version, period=period, value=value,
            source_files=originals or info.sources, publisher=info.publisher,
            title=info.title_ko, measures=query.measures, query=query.describe(),
            region=region,
        )

    def first_figure(self, spec_queries: tuple[SeriesQuery, ...], wanted: str | None,
                     region: str, tried: list[str]) -> Citation | None:
        """The first candidate query that answers the period and area, noting the others.

        An undated claim about a province or city gets the latest figure any candidate
        holds (Jeju's 2023 table before MOIS 2019), as undated national claims do.
        """
        if wanted is None and region != "00" and len(spec_queries) > 1:
            answers = [c for q in spec_queries
                       if (c := self.first_figure((q,), None, region, tried)) is not None]
            return max(answers, key=lambda c: c.period, default=None)
        for query in spec_queries:
            if query.dataset not in self.infos:
                tried.append(f"{query.dataset}: not in this evidence base")
                continue
            if region != "00" and not query.regional:
                tried.append(f"{query.dataset}: national figures only")
                continue
            period = self.period_for(query, wanted)
            if period is None:
                info = self.infos[query.dataset]
                tried.append(f"{query.dataset}: covers {min(info.periods)}–{max(info.periods)},"
                             f" not {wanted}")
                continue
            found = self.figure(query, period, region)
            if found is None:
                tried.append(f"{query.dataset}: no figure for {period}, region {region}")
                continue
            return found
        return None

    def spec_for(self, claim: Claim) -> PopulationSpec | None:
        """The population spec a claim's population maps to (narrowed by nationality or
        residence status when the claim names one inside the population)."""
        if claim.population == "nationality":
            return population_spec(claim.population, claim.nationalities)
        spec = population_spec(claim.population)
        if spec is None or spec.no_series:
            return spec
        dims = {d.id: tuple(d.dimensions) for d in self.infos.values()}
        if claim.nationalities:
            spec = narrowed(spec, "nationality", claim.nationalities,
                            f"nationality {'+'.join(claim.nationalities)}", dims)
        if claim.status:
            # students' tables split D-4 into D-4-1 (language) and D-4-7
            codes = (claim.status, f"{claim.status}-1", f"{claim.status}-7") \
                if claim.status == "D-4" else (claim.status,)
            spec = narrowed(spec, "residence_status", codes, f"status {claim.status}", dims)
        return spec

    def denominator(self, period: str) -> Citation | None:
        """All stay foreigners in ``period`` (the denominator of shares of foreigners)."""
        query = share_denominator()
        chosen = self.period_for(query, period)
        return self.figure(query, chosen, "00") if chosen else None

"""The linkage specification: a typed, frozen value that round-trips through JSON.

A spec says what to compare and how, independently of the engine (DuckDB or Spark):

* ``blocking_rules`` — SQL conditions on ``l.`` and ``r.`` columns that generate candidate
  pairs (a pair is compared if any rule holds);
* ``training_rules`` — the blocking rules of the EM training sessions;
* ``deterministic_rules`` and ``deterministic_recall`` — the rules used to estimate the
  prior probability that two random records match;
* ``comparisons`` — one :class:`Comparison` per field, with the kind of comparison and its
  similarity thresholds (levels are built in :mod:`.comparisons`);
* ``threshold`` — the match probability at and above which a pair is a link;
* ``one_to_one`` — each input holds at most one record per person (a register keyed by
  registration number), so a record keeps only its single best link (Splink's
  ``cluster_using_single_best_links``): a namesake scored above the threshold beside the
  true match is dropped. Only for ``link_only``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, get_args

from migralink.errors import ConfigError

__all__ = ["ISO_DATE", "Comparison", "ComparisonKind", "LinkType", "LinkageSpec"]

ISO_DATE = "%Y-%m-%d"

ComparisonKind = Literal["exact", "jaro_winkler", "levenshtein", "date", "xscript_name", "dice",
                         "bloom_name"]
LinkType = Literal["link_only", "dedupe_only", "link_and_dedupe"]


@dataclass(frozen=True)
class Comparison:
    """How one field is compared.

    Attributes:
        column: the input column (for ``xscript_name`` the full-name column; the keys are
            derived from it and from ``nationality_column``; for ``dice`` the encoded column).
        kind: ``exact``; ``jaro_winkler`` / ``levenshtein`` with ``thresholds`` (similarity
            ≥ t, resp. distance ≤ t, in decreasing strictness); ``date`` (ISO ``YYYY-MM-DD``:
            exact, day/month swapped, one edit, else); ``xscript_name`` (Latin ↔ Hangul
            phonetic keys, Jaro-Winkler ``thresholds``); ``dice`` (Bloom-filter Dice ≥ t);
            ``bloom_name`` (a name released by :func:`.pprl.encode_register`: exact levels on
            its keyed key tokens, then Dice ≥ t of its filter).
        thresholds: similarity or distance cut-offs, strictest first.
        term_frequency: adjust the exact-match level for the value's frequency.
        nationality_column: the column choosing the transliteration rules (xscript only).
        date_formats: the strftime formats a text date may be written in (``date`` only;
            empty = ISO ``%Y-%m-%d``). Every value must read in one of them, and not as two
            different dates; values are compared as ISO text.
    """

    column: str
    kind: ComparisonKind = "exact"
    thresholds: tuple[float, ...] = ()
    term_frequency: bool = False
    nationality_column: str | None = None
    date_formats: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.date_formats and self.kind != "date":
            raise ConfigError(f"date_formats apply to date comparisons, not {self.column!r} "
                              f"({self.kind})", hint="remove date_formats from it")
        if any("%" not in f for f in self.date_formats):
            raise ConfigError(f"date_formats of {self.column!r} must be strftime formats",
                              hint="write e.g. [\"%Y-%m-%d\", \"%d/%m/%Y\"]")
        if self.kind not in get_args(ComparisonKind):
            raise ConfigError(f"unknown comparison kind {self.kind!r} for column {self.column!r}",
                              hint=f"use one of {', '.join(get_args(ComparisonKind))}")
        graded = ("jaro_winkler", "xscript_name", "dice", "bloom_name", "levenshtein")
        if self.kind in graded and not self.thresholds:
            raise ConfigError(f"comparison {self.column!r} ({self.kind}) needs thresholds",
                              hint="give e.g. thresholds [0.92, 0.8]")
        if self.kind in ("jaro_winkler", "xscript_name", "dice", "bloom_name") and any(
            not 0 < t <= 1 for t in self.thresholds
        ):
            raise ConfigError(f"similarity thresholds of {self.column!r} must be in (0, 1]")


@dataclass(frozen=True)
class LinkageSpec:
    """A complete, reproducible linkage model specification (see module docstring)."""

    comparisons: tuple[Comparison, ...]
    blocking_rules: tuple[str, ...]
    training_rules: tuple[str, ...]
    deterministic_rules: tuple[str, ...] = ()
    deterministic_recall: float = 0.8
    link_type: LinkType = "link_only"
    unique_id: str = "rec_id"
    threshold: float = 0.9
    u_max_pairs: float = 2e6
    seed: int = 42
    ignore_columns: tuple[str, ...] = ()
    name: str = "linkage"
    extra: dict[str, str] = field(default_factory=dict)
    one_to_one: bool = False

    def __post_init__(self) -> None:
        problems = []
        if not self.comparisons:
            problems.append("no comparisons")
        if not self.blocking_rules:
            problems.append("no blocking rules")
        if not self.training_rules:
            problems.append("no training (EM) blocking rules")
        if not 0 < self.threshold < 1:
            problems.append(f"threshold {self.threshold} is not a probability in (0, 1)")
        if not 0 < self.deterministic_recall <= 1:
            problems.append("deterministic_recall must be in (0, 1]")
        if self.one_to_one and self.link_type != "link_only":
            problems.append("one_to_one applies to link_only (registers free of duplicates)")
        if self.link_type not in get_args(LinkType):
            problems.append(f"link_type {self.link_type!r} is not one of {get_args(LinkType)}")
        if problems:
            raise ConfigError(f"linkage spec {self.name!r} is invalid: {'; '.join(problems)}",
                              hint="fix the spec file", details=problems)

    def to_json(self) -> str:
        """The spec as JSON text."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, raw: dict[str, object]) -> LinkageSpec:
        """Build a spec from parsed JSON; unknown keys are an error."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ConfigError(f"unknown linkage spec keys: {', '.join(unknown)}",
                              hint=f"known keys are {', '.join(sorted(known))}")
        data = dict(raw)
        comps = data.pop("comparisons", [])
        if not isinstance(comps, list):
            raise ConfigError("'comparisons' must be a list of objects")
        try:
            comparisons = tuple(
                Comparison(**{**c, "thresholds": tuple(c.get("thresholds", ())),
                              "date_formats": tuple(c.get("date_formats", ()))})
                for c in comps
            )
            tuples = {k: tuple(v) for k, v in data.items()
                      if isinstance(v, list)}
            return cls(comparisons=comparisons, **{**data, **tuples})  # type: ignore[arg-type]
        except TypeError as exc:
            raise ConfigError(f"linkage spec does not match its schema: {exc}",
                              hint="compare with docs/linkage.md") from exc

    @classmethod
    def from_json(cls, text: str) -> LinkageSpec:
        """Parse a spec from JSON text."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"linkage spec is not JSON: {exc}") from exc
        if not isinstance(raw, dict):
            raise ConfigError("linkage spec must be a JSON object")
        return cls.from_dict(raw)

    @classmethod
    def load(cls, path: Path) -> LinkageSpec:
        """Read a spec file."""
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read linkage spec {path}: {exc.strerror}",
                              hint="check the --spec path") from exc
        return cls.from_json(text)

"""The quality report of a linkage run without truth: what a reviewer needs to trust it.

* a match-weight histogram of the scored candidate pairs;
* estimated precision and recall at the threshold from the model's own match probabilities
  (precision = mean probability of the links; recall = expected true pairs among the links
  over expected true pairs among all scored pairs — both are estimates, not measurements);
* m and u of every comparison level;
* a clerical-review sample: pairs drawn across match-weight bands around the threshold,
  written as CSV with both records side by side.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from migralink.linkage.engine import LinkResult
from migralink.linkage.spec import LinkageSpec

__all__ = ["LevelParams", "QualityReport", "clerical_frame", "clerical_sample", "quality_report"]


@dataclass(frozen=True)
class LevelParams:
    """m and u of one comparison level (``None`` when the level was never trained)."""

    comparison: str
    level: str
    m: float | None
    u: float | None


@dataclass(frozen=True)
class QualityReport:
    """Estimated quality of one run (see module docstring)."""

    threshold: float
    links: int
    scored_pairs: int
    est_precision: float
    est_recall: float
    histogram: list[tuple[float, int]]
    parameters: list[LevelParams]
    untrained: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return asdict(self)

    def lines(self) -> list[str]:
        """A short human-readable summary."""
        out = [f"links at p >= {self.threshold}: {self.links:,} of {self.scored_pairs:,} scored",
               f"estimated precision {self.est_precision:.4f}, recall {self.est_recall:.4f}"]
        if self.untrained:
            out.append("untrained levels (defaults used): " + "; ".join(self.untrained))
        return out


def _parameters(model: dict[str, Any]) -> list[LevelParams]:
    out = []
    for comp in model.get("comparisons", []):
        for lv in comp["comparison_levels"]:
            if lv.get("is_null_level"):
                continue
            out.append(LevelParams(comp["output_column_name"], lv["label_for_charts"],
                                   lv.get("m_probability"), lv.get("u_probability")))
    return out


def quality_report(result: LinkResult, spec: LinkageSpec, bins: int = 20) -> QualityReport:
    """Build the report of a run."""
    scores = result.scores
    p = scores["match_probability"].to_numpy()
    w = scores["match_weight"].to_numpy()
    at = p >= spec.threshold
    if spec.one_to_one:  # the links are the single best ones, not every pair at the threshold
        uid = [f"{spec.unique_id}_l", f"{spec.unique_id}_r"]
        linked = result.links.select(uid).with_columns(pl.lit(True).alias("__link"))
        at = (scores.select(uid).join(linked, on=uid, how="left", maintain_order="left")
              ["__link"].fill_null(False).to_numpy())
    expected_all = float(p.sum())
    precision = float(p[at].mean()) if at.any() else 0.0
    recall = float(p[at].sum() / expected_all) if expected_all > 0 else 0.0
    hist: list[tuple[float, int]] = []
    if len(w):
        lo, hi = math.floor(float(w.min())), math.ceil(float(w.max()))
        counts, edges = np.histogram(w, bins=bins, range=(lo, max(hi, lo + 1)))
        hist = [(float(e), int(c)) for e, c in zip(edges[:-1], counts, strict=True)]
    params = _parameters(result.model)
    untrained = [f"{x.comparison}: {x.level}" for x in params if x.m is None]
    return QualityReport(spec.threshold, int(at.sum()), len(p), precision, recall, hist,
                         params, untrained)


def clerical_sample(result: LinkResult, frames: dict[str, pl.DataFrame], spec: LinkageSpec,
                    path: Path, *, per_band: int = 20, seed: int = 0) -> int:
    """Write a clerical-review CSV (:func:`clerical_frame`), replaced atomically.

    Returns:
        The number of pairs written.
    """
    out = clerical_frame(result, frames, spec, per_band=per_band, seed=seed)
    tmp = path.with_name(path.name + ".tmp")
    out.write_csv(tmp)
    tmp.replace(path)
    return out.height


def clerical_frame(result: LinkResult, frames: dict[str, pl.DataFrame], spec: LinkageSpec, *,
                   per_band: int = 20, seed: int = 0) -> pl.DataFrame:
    """A clerical-review sample: pairs from five match-weight bands around the threshold.

    Args:
        result: the run.
        frames: the prepared inputs by display name (for a dedupe, the one input).
        spec: the spec (unique id, threshold).
        per_band: pairs drawn per band.
        seed: sampling seed.

    Returns:
        Both records of each pair side by side, the band, an empty ``reviewer_decision``.
    """
    uid = spec.unique_id
    t = math.log2(spec.threshold / (1 - spec.threshold))
    bands = [(-math.inf, t - 4), (t - 4, t - 1), (t - 1, t + 1), (t + 1, t + 4), (t + 4, math.inf)]
    parts = []
    for lo, hi in bands:
        band = result.scores.filter((pl.col("match_weight") >= lo) & (pl.col("match_weight") < hi))
        parts.append(band.sample(min(per_band, band.height), seed=seed)
                     .with_columns(pl.lit(f"[{lo:.0f}, {hi:.0f})").alias("weight_band")))
    sample = pl.concat(parts) if parts else result.scores.head(0)
    records = pl.concat([f.select(pl.all().cast(pl.String)) for f in frames.values()],
                        how="diagonal")
    return (sample.join(records, left_on=f"{uid}_l", right_on=uid, how="left")
            .join(records, left_on=f"{uid}_r", right_on=uid, how="left", suffix="_right")
            .with_columns(pl.lit("").alias("reviewer_decision")))

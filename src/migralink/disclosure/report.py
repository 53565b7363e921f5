"""What disclosure control did to a table, for people (``to_text``) and JSON (``to_dict``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["DisclosureReport"]


@dataclass(frozen=True)
class DisclosureReport:
    """The record of one protected table.

    Attributes:
        cells: cells in the released table.
        primary: cells suppressed because their count is sensitive (``CONF_STATUS`` A).
        secondary: cells suppressed to protect those (``CONF_STATUS`` D).
        public: the table was flagged as already published.
        protected: whether any protection was applied (``False`` for a public table
            released as it is).
        audit: ``"lp"`` when every suppressed cell's interval was checked by linear
            programming, ``"skipped"`` when the table was too big, ``"none"`` when no
            cell is suppressed.
        audit_note: why the audit was skipped, or how many rounds it took.
        unprotected: suppressed cells whose interval stayed narrower than required
            (there was no cell left to suppress next to them).
        rounding_base: the base of controlled rounding, if any.
        dp_epsilon: the privacy budget spent by the DP release, if any.
        dp_mechanism: the DP mechanism.
        dp_scale: the scale of its noise.
        timings: seconds spent in each step (``prepare``, ``dp``, ``rounding``,
            ``primary``, ``secondary``, ``audit``, ``output``).
    """

    cells: int
    primary: int = 0
    secondary: int = 0
    public: bool = False
    protected: bool = True
    audit: str = "none"
    audit_note: str = ""
    unprotected: int = 0
    rounding_base: int | None = None
    dp_epsilon: float | None = None
    dp_mechanism: str | None = None
    dp_scale: float | None = None
    timings: tuple[tuple[str, float], ...] = field(default=())

    @property
    def suppressed(self) -> int:
        """Cells suppressed, whatever the rule."""
        return self.primary + self.secondary

    def seconds(self, step: str) -> float:
        """Seconds spent in ``step`` (0 if the step did not run)."""
        return dict(self.timings).get(step, 0.0)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values."""
        return {
            "cells": self.cells,
            "primary": self.primary,
            "secondary": self.secondary,
            "suppressed": self.suppressed,
            "public": self.public,
            "protected": self.protected,
            "audit": self.audit,
            "audit_note": self.audit_note,
            "unprotected": self.unprotected,
            "rounding_base": self.rounding_base,
            "dp_epsilon": self.dp_epsilon,
            "dp_mechanism": self.dp_mechanism,
            "dp_scale": self.dp_scale,
            "timings": dict(self.timings),
        }

    def to_text(self) -> str:
        """A few lines for a person: what was suppressed, perturbed and checked."""
        if not self.protected:
            return (f"{self.cells:,} cells released as published: a public table is not "
                    "suppressed (set protect_public to protect it)")
        share = self.suppressed / self.cells if self.cells else 0.0
        lines = [
            f"{self.cells:,} cells; {self.suppressed:,} suppressed ({share:.1%}): "
            f"{self.primary:,} primary (small counts), {self.secondary:,} secondary",
        ]
        if self.audit == "lp":
            lines.append(f"every suppressed cell audited by linear programming ({self.audit_note})")
        elif self.audit == "skipped":
            lines.append(f"linear-programming audit skipped: {self.audit_note}")
        if self.unprotected:
            lines.append(f"WARNING: {self.unprotected:,} suppressed cells stay narrower than "
                         "the protection level")
        if self.rounding_base is not None:
            lines.append(f"finest cells rounded to multiples of {self.rounding_base}, "
                         "margins added up from them")
        if self.dp_epsilon is not None:
            lines.append(f"differential privacy: epsilon {self.dp_epsilon:g} spent, "
                         f"{self.dp_mechanism}, scale {self.dp_scale:g}")
        return "\n".join(lines)

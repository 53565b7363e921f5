"""``/api/v1/media``: the claim checker and the hostile-content monitor.

The checker reads the same evidence base as the rest of the API (read-only) and answers
with rulings that cite the dataset, version, period, value and source file they rest on.
"""

# No "from __future__ import annotations": FastAPI reads the parameter annotations.

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from migralink.api.errors import NotFoundError
from migralink.api.state import ERRORS, state_of

__all__ = ["media_router"]

#: Longest text the checker takes in one request (a long article; more is split by callers).
MAX_TEXT = 20_000
#: Texts shown by the API are cut to this many characters: excerpts, never whole comments.
EXCERPT = 60


def _excerpt(text: str, spans: list[str]) -> str:
    """At most ``EXCERPT`` characters around the first span (or the start)."""
    at = text.find(spans[0]) if spans else -1
    start = max(0, at - EXCERPT // 3) if at >= 0 else 0
    cut = text[start:start + EXCERPT]
    return ("…" if start else "") + cut + ("…" if start + EXCERPT < len(text) else "")


def _monitor(request: Request) -> dict[str, Any]:
    import polars as pl

    from migralink.disclosure.gate import publish_query
    from migralink.evidence import open_evidence
    from migralink.media.monitor import MONITOR_DATASET
    from migralink.store import QuerySpec

    with open_evidence(state_of(request).config.db, read_only=True) as ev:
        if MONITOR_DATASET not in {d.id for d in ev.datasets()}:
            raise NotFoundError(title="no hostility monitor in the evidence base",
                                hint="store one with 'migralink media monitor FILE'")
        keys = ["period", "source", "target"]
        result = publish_query(ev.gateway, QuerySpec(
            dataset=MONITOR_DATASET, by=("source", "target")))
        hostile = publish_query(ev.gateway, QuerySpec(
            dataset=MONITOR_DATASET, by=("source", "target"), measure="hostile"))
    wide = result.frame.select(*keys, pl.col("value").alias("texts")).join(
        hostile.frame.select(*keys, pl.col("value").alias("hostile")), on=keys,
        how="left").sort(keys)
    wide = wide.with_columns(
        pl.when(pl.col("texts") > 0).then(pl.col("hostile") / pl.col("texts"))
        .otherwise(None).alias("share"))
    return {"dataset": MONITOR_DATASET, "version": result.version,
            "rows": wide.to_dicts()}


def _check(request: Request, text: str) -> dict[str, Any]:
    from migralink.media import Checker

    checker = Checker.open(state_of(request).config.db)
    try:
        rulings = checker.check_text(text)
    finally:
        checker.evidence.close()
    return {"text": text, "claims": len(rulings), "rulings": [r.as_dict() for r in rulings]}


def media_router() -> APIRouter:
    """The media routes."""
    router = APIRouter(prefix="/media", tags=["media"], responses=ERRORS)

    @router.get("/check", summary="Rule on numeric claims about migrants in a text")
    def check(
        request: Request,
        text: Annotated[str, Query(min_length=1, max_length=MAX_TEXT,
                                   description="Korean or English text")],
    ) -> dict[str, Any]:
        """Find numeric claims about migrants in ``text`` and rule on each with the
        official figures: accurate, roughly_accurate, misleading, wrong or cannot_check."""
        return _check(request, text)

    @router.get("/monitor", summary="Hostile texts by month, source and target group")
    def monitor(request: Request) -> dict[str, Any]:
        """Counts of texts and hostile texts, and the share, from the stored monitor
        (``media_hostility``), as released by the release gate."""
        return _monitor(request)

    @router.get("/classify", summary="Classify short texts for hostility towards migrants")
    def classify(
        text: Annotated[list[str], Query(min_length=1, max_length=100,
                                         description="texts (repeat the parameter)")],
    ) -> dict[str, Any]:
        """Decision, calibrated score, target group and spans for each text; the text
        itself comes back only as a short excerpt."""
        from migralink.media.model import load_model

        decisions = load_model().classify([t[:MAX_TEXT] for t in text])
        return {"results": [
            {**d.as_dict(), "excerpt": _excerpt(t, list(d.spans))}
            for t, d in zip(text, decisions, strict=True)]}

    return router

"""``/api/v1/media``: the claim checker and the hostile-content monitor.

The checker reads the same evidence base as the rest of the API (read-only) and answers
with rulings that cite the dataset, version, period, value and source file they rest on.
"""

# No "from __future__ import annotations": FastAPI reads the parameter annotations.

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from migralink.api.state import ERRORS, state_of

__all__ = ["media_router"]

#: Longest text the checker takes in one request (a long article; more is split by callers).
MAX_TEXT = 20_000


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

    return router

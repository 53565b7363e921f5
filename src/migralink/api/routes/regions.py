"""``/api/v1/regions``: region names, levels and parents for pages and search.

A compact list (a few thousand bytes compressed) of every province, local government and
district valid since 2013, so that a page needs no boundary file to name a region, to
go up from a district to its city and province, or to find a region by name.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from migralink.api.models import CodeList
from migralink.api.responses import Payload, json_payload
from migralink.api.routes.menu import region_levels, warm
from migralink.api.state import ERRORS, state_of

__all__ = ["regions_router"]


def regions_router() -> APIRouter:
    """The region list the dashboard reads (names in Korean and English)."""
    router = APIRouter(prefix="/regions", tags=["codes"], responses=ERRORS)
    warm()  # the menu's code lists: a first visitor should not wait for them

    @router.get("", response_model=CodeList, summary="Provinces, local governments, districts")
    async def regions(request: Request) -> Response:
        """Every sido, sigungu (local government) and gu (district of a city) valid on
        31 December of some year since 2013: code, names, level, parent, the province,
        the local government it belongs to, and its first and last year."""

        def build(_: Any) -> Payload:
            frame = region_levels()
            return json_payload({"codelist": "regions", "total": frame.height,
                                 "rows": frame.to_dicts()})

        return await state_of(request).respond(request, build)

    return router

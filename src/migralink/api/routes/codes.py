"""``/api/v1/codes`` (code lists) and ``/api/v1/boundaries`` (GeoJSON by year)."""

from __future__ import annotations

import importlib
import importlib.util
import json
from typing import Annotated, Any, Literal

import polars as pl
from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from migralink.api.errors import NotFoundError
from migralink.api.models import CodeList, example
from migralink.api.responses import Payload, json_payload
from migralink.api.state import ERRORS, state_of

__all__ = ["boundaries_router", "codes_router"]

#: The module that ships boundary files (written by the dashboard's build step).
GEO_MODULE = "migralink.web.geo"

Year = Annotated[int | None, Query(
    ge=1900, le=2100, description="Units valid on 31 December of this year (기준연도)",
    openapi_examples={"2024": example(2024, "units of 2024"), "all": example(None, "history")},
)]


def _code_list(name: str, frame: pl.DataFrame, year: int | None = None) -> Payload:
    body: dict[str, Any] = {"codelist": name}
    if year is not None:
        body["year"] = year
    body.update(total=frame.height, rows=frame.to_dicts())
    return json_payload(body)


def codes_router() -> APIRouter:
    """Regions, nationalities and residence statuses, as ``migralink codes`` lists them."""
    router = APIRouter(prefix="/codes", tags=["codes"], responses=ERRORS)

    @router.get("/regions", response_model=CodeList, summary="Regions and their history")
    async def regions(request: Request, year: Year = None) -> Response:
        """MOIS regions (행정구역) with their validity; with `year`, the units valid on 31
        December of that year (Gangwon is 42 until 2023 and 51 after)."""

        def build(_: Any) -> Payload:
            from migralink.codes import region_list

            frame = region_list(year)
            if frame.is_empty():
                raise NotFoundError(title=f"no regions were valid on 31 December {year}",
                                    hint="the code history starts in 1988")
            return _code_list("regions", frame, year)

        return await state_of(request).respond(request, build)

    @router.get("/nationalities", response_model=CodeList, summary="Nationalities")
    async def nationalities(request: Request) -> Response:
        """Nationalities (국적): ISO 3166-1 alpha-3 and the ministries' own categories
        (`CHN-KR`, 한국계 중국인)."""
        from migralink.codes import nationality_table

        return await state_of(request).respond(
            request, lambda _: _code_list("nationalities", nationality_table()))

    @router.get("/statuses", response_model=CodeList, summary="Residence statuses")
    async def statuses(request: Request) -> Response:
        """Residence statuses (체류자격) with their policy groups."""
        from migralink.codes import status_table

        return await state_of(request).respond(
            request, lambda _: _code_list("statuses", status_table()))

    return router


def _geo() -> Any:
    """The dashboard's geo module (``boundaries``, ``vintages``), or ``None`` if absent."""
    if importlib.util.find_spec("migralink.web") is None:
        return None
    if importlib.util.find_spec(GEO_MODULE) is None:
        return None
    return importlib.import_module(GEO_MODULE)


def _geojson(level: str, year: int | None) -> Payload:
    geo = _geo()
    if geo is None or not geo.vintages() or not geo.boundaries_path(level, year).is_file():
        raise NotFoundError(
            title=f"no boundaries for {level} {year or '(latest)'}",
            hint=f"the boundary files ship with migralink's dashboard ({GEO_MODULE}); "
            f"this installation has none for {level}",
        )
    # a year before the first vintage is drawn on the first, no year on the latest
    text = json.dumps(geo.boundaries(level, year), ensure_ascii=False, separators=(",", ":"))
    return Payload(text.encode("utf-8"), "application/geo+json")


def boundaries_router() -> APIRouter:
    """Administrative boundaries as GeoJSON, on the units of a given year."""
    router = APIRouter(prefix="/boundaries", tags=["boundaries"], responses=ERRORS)

    @router.get(
        "/{level}", summary="Boundaries as GeoJSON",
        responses={200: {"content": {"application/geo+json": {"schema": {"type": "object"}}},
                         "description": "A GeoJSON FeatureCollection"}},
    )
    async def boundaries(
        request: Request,
        level: Annotated[Literal["sido", "sigungu"], Path(
            description="시도 (provinces and metropolitan cities) or 시군구 (local "
            "governments)")],
        year: Year = None,
    ) -> Response:
        """The boundaries (경계) as a GeoJSON FeatureCollection, drawn on the newest
        shipped vintage not after `year` (the first one for earlier years, the latest
        without `year`; its `vintage` says which). Features carry the MOIS `code`, names,
        `level` and `parent`, so that observations join them by region code."""
        return await state_of(request).respond(request, lambda _: _geojson(level, year))

    return router

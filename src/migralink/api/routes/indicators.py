"""``/api/v1/indicators``: the indicator catalogue and the computed indicators.

Computed indicators are stored in the evidence base as the dataset ``indicators`` and
read through the same query path as any dataset (and so the same caching and
disclosure control).
"""

# No "from __future__ import annotations": FastAPI reads the parameter annotations,
# and those built from the configuration (page sizes) must be values, not strings.

import importlib
import importlib.util
from dataclasses import replace
from typing import Annotated, Any, Literal

import polars as pl
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from migralink.api.config import ApiConfig
from migralink.api.errors import NotFoundError
from migralink.api.models import CodeList, ObservationPage, example
from migralink.api.observations import Format, Page, answer, render
from migralink.api.protection import Disclosure
from migralink.api.readers import Reading
from migralink.api.responses import Payload, json_payload
from migralink.api.routes.menu import menu
from migralink.api.state import ERRORS, state_of
from migralink.codes import NATIONAL, resolve_region
from migralink.codes.hierarchy import is_national
from migralink.errors import QueryError
from migralink.store import QueryResult, QuerySpec
from migralink.store.catalogue_read import measures_of
from migralink.store.sql import obs_table_name

__all__ = ["INDICATORS_DATASET", "indicators_router"]

#: The dataset the indicator engine writes its results to.
INDICATORS_DATASET = "indicators"
INDICATORS_MODULE = "migralink.indicators"


def _catalogue() -> Any:
    if importlib.util.find_spec(INDICATORS_MODULE) is None:
        raise NotFoundError(title="no indicator catalogue in this installation",
                            hint=f"the catalogue ships with {INDICATORS_MODULE}")
    return importlib.import_module(INDICATORS_MODULE).catalogue_frame()


def _region_code(text: str) -> str:
    """A region's MOIS code from a code, ``kostat:NN`` or a name (400 if unknown)."""
    if is_national(text):
        return NATIONAL
    return str(resolve_region(text))


def _indicator_rows(view: Reading, spec: QuerySpec, region: str | None,
                    breakdown: str | None, fmt: Format, page: Page,
                    disclosure: Disclosure) -> Payload:
    if INDICATORS_DATASET not in view.snapshot.datasets:
        raise NotFoundError(
            title="no computed indicators in the evidence base",
            hint="compute and store them first (migralink.indicators: the dataset "
            "'indicators')",
        )
    result = _every_level(view, spec, disclosure)
    frame = result.frame
    # Region and breakdown are filtered here rather than by the query: a region filter
    # sums a region's sub-units where the region itself is absent (a sum of rates means
    # nothing), and the breakdown codes are not in the catalogue's code table.
    if region is not None:
        frame = frame.filter(pl.col("region") == _region_code(region))
    if breakdown is not None:
        known = sorted(frame.get_column("breakdown_dim").unique().drop_nulls().to_list())
        if breakdown not in known:
            raise QueryError(title=f"no indicator here is broken down by {breakdown!r}",
                             hint=f"breakdowns: {', '.join(known) or 'none'}")
        frame = frame.filter(pl.col("breakdown_dim") == breakdown)
    return render(QueryResult(result.dataset, result.version, frame, result.notes), fmt, page)


def _rolled_up(view: Reading) -> bool:
    """Whether the store rolls the indicators up to one region level per query: it does
    when their measure is recorded as a count (additive), which indicator values are not."""
    version = view.snapshot.datasets[INDICATORS_DATASET].version
    # the catalogue answers for a file from before measures were recorded too
    return measures_of(view.gateway, INDICATORS_DATASET, version)[0].additive


def _every_level(view: Reading, spec: QuerySpec, disclosure: Disclosure) -> QueryResult:
    """Every stored row, whatever its level: indicator values are never added up, so a
    query by region must not keep one level only (sido, local governments, districts and
    the nation are all published as computed)."""
    if not _rolled_up(view):
        return answer(view, spec, disclosure)
    by = tuple(d for d in spec.by if d != "region")
    asks = [replace(spec, level=level) for level in ("sido", "sigungu", "district")]
    parts: list[QueryResult] = []
    failures: list[QueryError] = []
    for ask in (*asks, replace(spec, region=NATIONAL, by=by)):
        try:  # an indicator need not exist at every level
            found = answer(view, ask, disclosure)
        except QueryError as error:
            failures.append(error)
            continue
        if "region" not in found.frame.columns:  # the nation's row
            found = QueryResult(found.dataset, found.version, found.frame.with_columns(
                pl.lit(NATIONAL).alias("region")), found.notes)
        parts.append(found)
    if not parts:
        raise failures[0]
    frames = [p.frame for p in parts if p.frame.height]
    columns = max((p.frame.columns for p in parts), key=len)
    frame = pl.concat([f.select([c for c in columns if c in f.columns]) for f in frames]
                      or [parts[0].frame], how="diagonal_relaxed").unique(
        subset=[c for c in columns if c not in ("value", "status", "conf_status", "level")],
        keep="first", maintain_order=True)
    # a level the store filled by adding rows up (a rank summed to a province) is dropped:
    # only regions stored for that indicator are answered
    stored = pl.DataFrame(view.gateway.rows(
        "SELECT DISTINCT indicator, region FROM "
        f"{obs_table_name(INDICATORS_DATASET, parts[0].version)}"),
        schema=["indicator", "region"], orient="row")
    frame = frame.join(stored, on=["indicator", "region"], how="semi")
    return QueryResult(parts[0].dataset, parts[0].version, frame, parts[0].notes)


def indicators_router(config: ApiConfig) -> APIRouter:
    """The indicator routes."""
    router = APIRouter(prefix="/indicators", tags=["indicators"], responses=ERRORS)

    @router.get("/catalogue", response_model=CodeList, summary="The indicator catalogue")
    async def catalogue(request: Request) -> Response:
        """Every declared indicator (지표 목록): id, Korean and English names, kind,
        unit, numerator and denominator, breakdowns, levels, GCM objectives and SDG
        targets, definitions and caveats."""

        def build(_: Reading) -> Payload:
            frame = _catalogue()
            return json_payload({"codelist": "indicators", "total": frame.height,
                                 "rows": frame.to_dicts()})

        return await state_of(request).respond(request, build)

    @router.get("/menu", summary="What can be mapped: measures, levels, years, sources")
    async def menu_of(request: Request) -> Response:
        """Every measure the dashboard offers (published counts and computed indicators)
        with, for each level (`sido`, `sigungu` = local governments, `gu` = districts),
        the years its data hold and the number of units covered; the groups it is broken
        down by; its colour scale; and the provenance of every dataset it cites. Read
        from the stored data, so that nothing is offered that would be empty."""
        state = state_of(request)
        return await state.respond(request, lambda view: json_payload(
            menu(view, state.disclosure)))

    @router.get("", response_model=ObservationPage, summary="Computed indicators")
    async def indicators(
        request: Request,
        id: Annotated[str | None, Query(
            max_length=100, description="Indicator id (지표), from the catalogue; without "
            "it every indicator", openapi_examples={"share": example("foreign_share", "one")},
        )] = None,
        region: Annotated[str | None, Query(
            max_length=200, description="Region: MOIS code, kostat:NN, or name; without "
            "it every region", openapi_examples={"ansan": example("안산시", "Ansan")})] = None,
        period: Annotated[list[str] | None, Query(
            max_length=50, description="Period(s): 2024, 2024-12; repeat for several")] = None,
        breakdown: Annotated[str | None, Query(
            max_length=200, description="A breakdown (세부 구분) as stored: its dimensions "
            "joined by `+` in alphabetical order (`sex`, `group+sex`); without it the "
            "totals", openapi_examples={"sex": example("sex", "by sex")})] = None,
        measure: Annotated[Literal["value", "numerator", "denominator"], Query(
            description="The indicator's value, or the counts it was made of")] = "value",
        format: Annotated[Format, Query(description="json, csv or parquet")] = "json",
        limit: Annotated[int | None, Query(ge=1, le=config.max_limit)] = None,
        offset: Annotated[int, Query(ge=0, le=2**53)] = 0,
    ) -> Response:
        """Indicator values (지표 값) by indicator, region and period, with their status
        and conf_status, read from the stored dataset `indicators` through the same query
        path as any dataset."""
        state = state_of(request)
        region, breakdown = region or None, breakdown or None  # an empty value is no value
        filters: list[tuple[str, str]] = []
        if id is not None:
            filters.append(("indicator", id))
        # Every dimension without a stored total is kept, so that no indicator value is
        # ever added to another: one stored row per answer row.
        by = ("indicator", "region",
              *(("breakdown_dim", "breakdown_code") if breakdown else ()))
        spec = QuerySpec(dataset=INDICATORS_DATASET, periods=tuple(period or ()),
                         filters=tuple(filters), by=by, measure=measure)
        default = state.config.default_limit if format == "json" else None
        page = Page(limit if limit is not None else default, offset, request.url.path,
                    tuple(request.query_params.multi_items()))
        return await state.respond(request, lambda view: _indicator_rows(
            view, spec, region, breakdown, format, page, state.disclosure))

    return router

"""``/api/v1/datasets``: the catalogue and the observations of each dataset."""

# No "from __future__ import annotations": FastAPI reads the parameter annotations,
# and those built from the configuration (page sizes) must be values, not strings.

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from migralink.api.catalogue import dataset_detail, dataset_list
from migralink.api.config import ApiConfig
from migralink.api.models import DatasetDetail, DatasetSummary, ObservationPage, example
from migralink.api.observations import Format, Page, answer, parse_by, parse_filters, render
from migralink.api.protection import is_protected
from migralink.api.readers import Reading
from migralink.api.responses import Payload, json_payload
from migralink.api.state import ERRORS, state_of
from migralink.store import QuerySpec, query_lang

__all__ = ["datasets_router"]

_INT32 = 2**31 - 1  # DuckDB stores versions as INTEGER
_TEXT = 200  # longest free-text parameter: region names and codes are far shorter

DatasetId = Annotated[str, Path(
    description="Dataset id (데이터셋 식별자), as listed by /api/v1/datasets",
    max_length=_TEXT, openapi_examples={"stay": example("moj_stay_status", "stay foreigners")},
)]
Version = Annotated[int | None, Query(
    ge=1, le=_INT32, description="Dataset version (버전); the latest when absent",
    openapi_examples={"latest": example(None, "the latest version"),
                      "first": example(1, "version 1")},
)]

_DOWNLOADS = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
}


def datasets_router(config: ApiConfig) -> APIRouter:
    """The dataset routes; page sizes come from ``config``."""
    router = APIRouter(prefix="/datasets", tags=["datasets"], responses=ERRORS)

    @router.get("", response_model=list[DatasetSummary], summary="List the datasets")
    async def datasets(request: Request) -> Response:
        """Every dataset (데이터셋 목록) with its latest version, sources, periods and
        dimensions, as `migralink datasets --format json` prints them. `protected` marks
        register-derived data served through disclosure control."""
        return await state_of(request).respond(
            request, lambda view: json_payload(dataset_list(view)))

    @router.get("/{dataset}", response_model=DatasetDetail, summary="Describe a dataset")
    async def dataset(request: Request, dataset: DatasetId, version: Version = None
                      ) -> Response:
        """Provenance and structure (출처와 구조): publisher, licence, every version with
        its creation time, observations and periods, every source file with its sha256,
        and the dimensions of the version asked for with their codes and labels."""
        state = state_of(request)
        return await state.respond(request, lambda view: json_payload(
            dataset_detail(view, dataset, version, state.disclosure)))

    @router.get(
        "/{dataset}/observations", response_model=ObservationPage,
        summary="Query the observations of a dataset",
        responses={200: {"content": _DOWNLOADS,
                         "description": "A page of rows (JSON) or a download (CSV, Parquet)"}},
    )
    async def observations(
        request: Request,
        dataset: DatasetId,
        period: Annotated[list[str] | None, Query(
            max_length=50, description="Period(s) to keep (기간): `2024`, `2024-12`; a year "
            "also selects its months and quarters. Repeat for several.",
            openapi_examples={"year": example(["2024"], "the year 2024")},
        )] = None,
        region: Annotated[str | None, Query(
            max_length=_TEXT, description="Region (지역): a MOIS code (`41`), `kostat:31`, "
            "or a Korean or English name (`경기도`, `Ansan-si`). Without it: the nation.",
            openapi_examples={"name": example("경기도", "Gyeonggi-do by name"),
                              "code": example("41", "Gyeonggi-do by MOIS code")},
        )] = None,
        filter: Annotated[list[str] | None, Query(
            max_length=20, description="`dimension:code` (필터), e.g. "
            "`residence_status:E-9`; a published label is accepted where it resolves. "
            "Repeat for several dimensions.",
            openapi_examples={"e9": example(["residence_status:E-9"], "E-9 workers")},
        )] = None,
        by: Annotated[str | None, Query(
            max_length=_TEXT, description="Dimensions to keep (분류), comma-separated; the "
            "others are summed over (published totals are read, not re-added).",
            openapi_examples={"status": example("residence_status", "by residence status")},
        )] = None,
        boundaries: Annotated[int | None, Query(
            ge=1900, le=2100, description="Read regions on the boundaries of 31 December of "
            "this year (행정구역 기준연도); split units are estimated (status E).",
            openapi_examples={"2024": example(2024, "the boundaries of 2024")},
        )] = None,
        level: Annotated[Literal["sido", "sigungu", "district"] | None, Query(
            description="Region level of the rows (implies `by` region): provinces, "
            "local governments (a city with districts is one), or districts; by default "
            "sigungu where the data have it. Rows never mix levels.",
        )] = None,
        measure: Annotated[str | None, Query(
            max_length=_TEXT, description="Measure (측정값) of a dataset with several, "
            "e.g. `numerator` of `indicators`; its main one when absent. The rows carry "
            "it as `value`.",
            openapi_examples={"numerator": example("numerator", "the numerators")},
        )] = None,
        version: Version = None,
        format: Annotated[Format, Query(
            description="`json` (paged), `csv` or `parquet` (downloads: every row unless "
            "limit or offset are given)")] = "json",
        limit: Annotated[int | None, Query(
            ge=1, le=config.max_limit,
            description=f"Rows per page (default {config.default_limit} for JSON)")] = None,
        offset: Annotated[int, Query(ge=0, le=2**53, description="Rows to skip")] = 0,
    ) -> Response:
        """Observations (관측값) with the filters of `migralink query`: dimensions neither
        in `by` nor filtered are summed over, a city and its districts are never counted
        twice. Every row carries `status` (OBS_STATUS) and `conf_status` (CONF_STATUS);
        register-derived data are protected by disclosure control. `X-Total-Count` and
        a `Link: rel="next"` header accompany every format."""
        state = state_of(request)
        spec = QuerySpec(
            dataset=dataset, version=version, periods=query_lang.parse_periods(period),
            region=region, filters=parse_filters(filter or ()), by=parse_by(by),
            boundaries=boundaries, level=level, measure=query_lang.parse_measure(measure),
        )
        default = state.config.default_limit if format == "json" else None
        page = Page(limit if limit is not None else default, offset, request.url.path,
                    tuple(request.query_params.multi_items()))
        def build(view: Reading) -> Payload:
            payload = render(answer(view, spec, state.disclosure), format, page)
            # protected data: no shared cache keeps it
            return replace(payload, private=is_protected(view.gateway, dataset))

        return await state.respond(request, build)

    return router

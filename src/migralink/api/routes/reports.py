"""``/api/v1/regions/{region}/profile`` and ``/api/v1/datasets/{id}/export``.

A region's evidence profile (PDF or HTML, Korean or English) and a dataset in the
formats statistics offices read (SDMX-CSV 2.0 and its structure, a Frictionless Data
Package as a zip, Parquet typed by the structure, CSV). Both read through the release
path (:func:`migralink.exports.release`), with the server's disclosure policy.
"""

# No "from __future__ import annotations": FastAPI reads the parameter annotations.

import io
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from starlette.responses import Response

from migralink.api.errors import NotFoundError
from migralink.api.readers import Reading
from migralink.api.responses import Payload
from migralink.api.state import ERRORS, state_of

__all__ = ["reports_router"]

_MEDIA = {
    "sdmx": "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
    "sdmx-structure": "application/vnd.sdmx.structure+xml; version=2.1",
    "datapackage": "application/zip",
    "parquet": "application/vnd.apache.parquet",
    "csv": "text/csv; charset=utf-8",
}
ExportFormat = Literal["sdmx", "sdmx-structure", "datapackage", "parquet", "csv"]


def _attachment(name: str) -> tuple[tuple[str, str], ...]:
    return (("Content-Disposition", f'attachment; filename="{name}"'),)


def _profile_data(view: Reading) -> Any:
    from migralink.reports import load_profile_data

    return view.snapshot.derived(("profile-data",), lambda: load_profile_data(view.gateway))


def reports_router() -> APIRouter:
    """The profile and export routes."""
    router = APIRouter(responses=ERRORS)
    _profile_route(router)
    _export_route(router)
    return router


def _profile_route(router: APIRouter) -> None:
    @router.get("/regions/{region}/profile", tags=["codes"],
                summary="A region's evidence profile (PDF or HTML)",
                response_class=Response, responses={200: {"content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "text/html": {"schema": {"type": "string"}}}}})
    async def profile(
        request: Request,
        region: Annotated[str, PathParam(max_length=200, description="A province or local "
                                         "government: code (41270) or name (안산시)")],
        lang: Annotated[Literal["ko", "en"], Query(description="Language")] = "ko",
        format: Annotated[Literal["pdf", "html"], Query(description="pdf or html")] = "pdf",
        period: Annotated[str | None, Query(max_length=20, description="Reference year; "
                                            "the latest when absent")] = None,
    ) -> Response:
        """The printable evidence profile of a province or local government (지역 근거
        프로필): key figures against its province and the nation, rank among peers,
        trends, composition, similar areas, segregation, what is missing and why,
        definitions, sources with sha256 and disclosure notes."""
        from migralink.reports import render_profile

        def build(view: Reading) -> Payload:
            done = render_profile(_profile_data(view), region, period=period or None,
                                  lang=lang, format=format)
            disposition = "inline" if format == "html" else "attachment"
            return Payload(done.content, done.media_type, (
                ("Content-Disposition", f'{disposition}; filename="{done.filename}"'),))

        return await state_of(request).respond(request, build)


def _export(view: Reading, dataset: str, format: str, version: int | None,
            policy: Any) -> Payload:
    from migralink.exports import export_as

    if dataset not in view.snapshot.datasets:
        raise NotFoundError(title=f"no dataset {dataset!r} in the evidence base",
                            hint="see /api/v1/datasets for the datasets")
    with tempfile.TemporaryDirectory(prefix="migralink-export-") as tmp:
        folder = Path(tmp)
        if format in ("sdmx", "sdmx-structure"):
            files = export_as(view.gateway, dataset, "sdmx", folder / f"{dataset}.csv",
                              policy=policy, version=version).files
            chosen = files[0] if format == "sdmx" else files[1]
            return Payload(chosen.read_bytes(), _MEDIA[format], _attachment(chosen.name))
        if format == "datapackage":
            files = export_as(view.gateway, dataset, "datapackage", folder / dataset,
                              policy=policy, version=version).files
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in files:
                    archive.write(file, f"{dataset}/{file.name}")
            return Payload(buffer.getvalue(), _MEDIA[format],
                           _attachment(f"{dataset}-datapackage.zip"))
        suffix = "parquet" if format == "parquet" else "csv"
        files = export_as(view.gateway, dataset, format, folder / f"{dataset}.{suffix}",
                          policy=policy, version=version).files
        return Payload(files[0].read_bytes(), _MEDIA[format], _attachment(files[0].name))


def _export_route(router: APIRouter) -> None:
    @router.get("/datasets/{dataset}/export", tags=["datasets"],
                summary="A dataset as SDMX-CSV, Data Package, Parquet",
                response_class=Response)
    async def export(
        request: Request,
        dataset: Annotated[str, PathParam(max_length=200, description="Dataset id")],
        format: Annotated[ExportFormat, Query(
            description="sdmx (SDMX-CSV 2.0), sdmx-structure (its DSD and code lists, "
            "SDMX-ML 2.1), datapackage (Frictionless, zip), parquet or csv")] = "sdmx",
        version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    ) -> Response:
        """Every cell of a dataset version as it may be published (disclosure control
        applied: a suppressed cell is empty in every format), in a format statistics
        offices load."""
        state = state_of(request)

        def build(view: Reading) -> Payload:
            from migralink.api.protection import is_protected

            payload = _export(view, dataset, format, version, state.disclosure.policy)
            # protected data: shared caches must not keep it
            return replace(payload, private=is_protected(view.gateway, dataset))

        return await state.respond(request, build)

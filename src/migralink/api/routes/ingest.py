"""``POST /api/v1/ingest``: files uploaded and ingested, only when a token is configured.

The server reads through read-only connections; a write needs the file to itself
(DuckDB: one writer or many readers). So an ingestion waits for the requests in flight,
closes the server's read handle, opens a short-lived writable
:class:`~migralink.evidence.Evidence`, ingests each file atomically, and closes it; the
next request reopens the file read-only and sees the new versions (new ETags).
"""

from __future__ import annotations

import hmac
import tempfile
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from migralink.api.errors import AuthError, error_response
from migralink.api.models import ErrorBody, IngestReport
from migralink.api.responses import json_payload
from migralink.api.state import ApiState, state_of
from migralink.errors import InputError, MigralinkError
from migralink.evidence import Evidence

__all__ = ["ingest_router"]

_bearer = HTTPBearer(auto_error=False, description="The token in MIGRALINK_API_TOKEN")


def _check_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    expected = state_of(request).config.token or ""
    given = credentials.credentials if credentials else ""
    # constant-time comparison: the time taken must not reveal how much of a guess matched
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise AuthError(title="ingestion needs the server's bearer token",
                        hint="send 'Authorization: Bearer <MIGRALINK_API_TOKEN>'")


def _safe_name(name: str | None) -> str:
    base = FilePath(name or "").name  # never a path: the upload lands in our folder
    if not base or base in (".", ".."):
        raise InputError(title="an uploaded file has no name",
                         hint="the file name chooses the mapping; send it as published")
    return base


def _ingest(state: ApiState, uploads: list[tuple[str, bytes]], mapping: tuple[str, bytes]
            | None, allow_rejects: bool) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="migralink-upload-") as tmp:
        folder = FilePath(tmp)
        paths = []
        for name, data in uploads:
            path = folder / name
            path.write_bytes(data)
            paths.append(path)
        mapping_path = None
        if mapping is not None:
            mapping_path = folder / "mapping" / mapping[0]
            mapping_path.parent.mkdir()
            mapping_path.write_bytes(mapping[1])
        db = state.config.db
        try:
            with state.store.writing(), Evidence(db) as ev:
                results = ev.ingest(paths, mapping=mapping_path, allow_rejects=allow_rejects,
                                    quarantine_dir=db.parent / "quarantine")
        except MigralinkError as exc:
            if exc.location is not None and exc.location.file:
                # the client knows its file by the name it sent, not our temporary folder
                exc.location = replace(exc.location, file=FilePath(exc.location.file).name)
            raise
    return [{**vars(r), "notes": list(r.notes)} for r in results]


def ingest_router() -> APIRouter:
    """The ingestion route (added to the app only when ingestion is enabled)."""
    router = APIRouter(tags=["ingest"])

    @router.post(
        "/ingest", response_model=IngestReport, summary="Ingest published files",
        dependencies=[Depends(_check_token)],
        responses={401: {"model": ErrorBody, "description": "Missing or wrong token"},
                   422: {"model": ErrorBody, "description": "A file that fails validation"},
                   503: {"model": ErrorBody, "description": "Another writer holds the file"}},
    )
    async def ingest(
        request: Request,
        files: Annotated[list[UploadFile], File(
            description="Files exactly as published (CSV, xlsx, xls); the name chooses "
            "the mapping")],
        mapping: Annotated[UploadFile | None, File(
            description="A mapping (TOML) describing the table, for a new table")] = None,
        allow_rejects: Annotated[bool, Form(
            description="Land the good rows and keep rejected ones in ml_quarantine")
        ] = False,
    ) -> Response:
        """Ingest files (수집): each lands whole or not at all, as `migralink ingest`.
        Requires `Authorization: Bearer <token>`."""
        uploads = [(_safe_name(f.filename), await f.read()) for f in files]
        spec = (_safe_name(mapping.filename), await mapping.read()) if mapping else None
        state = state_of(request)
        results = await run_in_threadpool(_ingest, state, uploads, spec, allow_rejects)
        payload = json_payload({"results": results})
        return Response(payload.body, media_type=payload.media_type,
                        headers={"Cache-Control": "no-store"})

    return router


def absent_ingest() -> Response:
    """What ``/api/v1/ingest`` answers when ingestion is off: the 404 error shape."""
    return error_response(404, "not_found_error", "no such address in the API",
                          "ingestion is off: the server has no token (MIGRALINK_API_TOKEN)")

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
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from migralink.api.errors import AuthError, error_response
from migralink.api.models import ErrorBody, IngestReport
from migralink.api.responses import json_payload
from migralink.api.state import ApiState, state_of
from migralink.errors import DisclosureError, InputError, MigralinkError
from migralink.evidence import Evidence

__all__ = ["MAX_UPLOAD_BYTES", "UploadGuard", "ingest_router"]

#: The largest request body ``POST /api/v1/ingest`` reads. The published tables are a
#: few MB at most; anything far larger is refused before it is spooled to disk.
MAX_UPLOAD_BYTES = 64 * 2**20

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


#: The longest file name taken, in UTF-8 bytes: file systems stop at 255, and the
#: upload is written to disk under its own name.
_MAX_NAME_BYTES = 200


def _safe_name(name: str | None) -> str:
    base = FilePath(name or "").name  # never a path: the upload lands in our folder
    if not base or base in (".", ".."):
        raise InputError(title="an uploaded file has no name",
                         hint="the file name chooses the mapping; send it as published")
    if len(base.encode()) > _MAX_NAME_BYTES:
        raise InputError(title=f"an uploaded file's name is {len(base.encode())} bytes long",
                         hint=f"send it under a name of at most {_MAX_NAME_BYTES} bytes "
                         "(UTF-8), as published")
    return base


def _distinct(names: list[str]) -> None:
    """Two uploads of one name would be written to one file: the first would be lost."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(title=f"two uploaded files are both named {name!r}",
                             hint="send one file per name; send a revised table in "
                             "another request, after the first")
        seen.add(name)


def _ingest(state: ApiState, uploads: list[tuple[str, bytes]], mapping: tuple[str, bytes]
            | None, allow_rejects: bool, allow_shrink: bool) -> list[dict[str, Any]]:
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
                _refuse_protected_ids(ev, mapping_path)
                results = ev.ingest(paths, mapping=mapping_path, allow_rejects=allow_rejects,
                                    allow_shrink=allow_shrink,
                                    quarantine_dir=db.parent / "quarantine")
        except MigralinkError as exc:
            _scrub(exc, folder, db.parent)
            raise
    return [{**vars(r), "notes": list(r.notes)} for r in results]


class UploadGuard:
    """ASGI layer in front of ``POST {prefix}ingest``: the token first, then the size.

    FastAPI reads a multipart body before any dependency runs, so the bearer token and
    the size cap are checked here, before a byte of the body is read: without the
    token the answer is 401 at once; a ``Content-Length`` above the cap is 413; a
    body that grows beyond the cap while streaming (chunked) is cut off with 413.

    Args:
        app: the application behind.
        path: the ingestion path.
        token: the server's token (``None``: ingestion is off and the route absent).
        limit: the largest body, in bytes.
    """

    def __init__(self, app: ASGIApp, path: str, token: str | None,
                 limit: int = MAX_UPLOAD_BYTES) -> None:
        self.app, self.path, self.token, self.limit = app, path, token, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse an unauthenticated or oversized upload before reading it."""
        if (scope["type"] != "http" or scope["method"] != "POST"
                or scope["path"] != self.path or not self.token):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode(), self.token.encode()):
            answer = error_response(401, "auth_error",
                                    "ingestion needs the server's bearer token",
                                    "send 'Authorization: Bearer <MIGRALINK_API_TOKEN>'",
                                    headers={"WWW-Authenticate": "Bearer"})
            await answer(scope, receive, send)
            return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen, refused = 0, False

        async def counted() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:  # answer now; the app sees the client go away
                refused = True
                await _too_large(self.limit)(scope, receive, send)
                return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, guarded)


def _too_large(limit: int) -> Response:
    return error_response(413, "input_error", "the upload is too large",
                          f"send files of at most {limit // 2**20} MB in one request")


def _scrub(exc: MigralinkError, folder: FilePath, home: FilePath) -> None:
    """Leave no server path in an error: the client knows its files by their names."""
    if exc.location is not None and exc.location.file:
        exc.location = replace(exc.location, file=FilePath(exc.location.file).name)
    def clean(text: str) -> str:
        text = text.replace(f"{folder}/mapping/", "").replace(f"{folder}/", "")
        # the command line's flags are form fields here
        text = text.replace("--allow-rejects", "allow_rejects=true (a form field)")
        text = text.replace("--allow-shrink", "allow_shrink=true (a form field)")
        return text.replace(str(folder), "<upload>").replace(f"{home}/", "<server>/")

    exc.title, exc.hint = clean(exc.title), clean(exc.hint)
    exc.details = [clean(line) for line in exc.details]


def _refuse_protected_ids(ev: Evidence, mapping: FilePath | None) -> None:
    """A published table never takes the id of a protected dataset (its protection)."""
    if mapping is None:
        return
    from migralink.disclosure import sensitivity
    from migralink.sources import load_mapping
    from migralink.store.catalogue_rows import dataset_ids

    dataset = load_mapping(mapping).meta.id
    exists = dataset in dataset_ids(ev.gateway)
    if exists and sensitivity(ev.gateway, dataset) == "protected":
        raise DisclosureError(
            title=f"the mapping's dataset id {dataset!r} is a protected dataset",
            hint="a published table cannot write over protected data: give the mapping "
            "another dataset id",
        )


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
        allow_shrink: Annotated[bool, Form(
            description="Land a version that lacks cells the previous one held (the "
            "publisher really dropped them)")] = False,
    ) -> Response:
        """Ingest files (수집): each lands whole or not at all, as `migralink ingest`.
        Requires `Authorization: Bearer <token>`."""
        uploads = [(_safe_name(f.filename), await f.read()) for f in files]
        _distinct([name for name, _ in uploads])
        spec = (_safe_name(mapping.filename), await mapping.read()) if mapping else None
        state = state_of(request)
        results = await run_in_threadpool(_ingest, state, uploads, spec, allow_rejects,
                                          allow_shrink)
        payload = json_payload({"results": results})
        return Response(payload.body, media_type=payload.media_type,
                        headers={"Cache-Control": "no-store"})

    return router


def absent_ingest() -> Response:
    """What ``/api/v1/ingest`` answers when ingestion is off: the 404 error shape."""
    return error_response(404, "not_found_error", "no such address in the API",
                          "ingestion is off: the server has no token (MIGRALINK_API_TOKEN)")

"""The one JSON error shape of the API, produced here and nowhere else.

Every error a client can meet — an unknown dataset, a bad parameter, a refused token, a
file that fails validation, a bug — leaves the server as::

    {"error": {"type": "query_error", "title": "...", "hint": "...",
               "location": {...} | null, "status": 400, "details": [...]}}

with the same status in the HTTP response. ``type`` is the error's
:attr:`~migralink.errors.MigralinkError.kind` for library errors, so that a client can
branch on it; ``title`` and ``hint`` are the same sentences the CLI prints.

The errors the API adds to the library's tree::

    MigralinkError
    ├── NotFoundError          no such dataset, version, code list or boundary file (404)
    ├── AuthError              a write request without the right bearer token (401)
    └── StoreError
        └── StoreBusyError     another process holds the database for writing (503)
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from migralink.errors import (
    CodeError,
    ConfigError,
    DisclosureError,
    FetchError,
    InputError,
    MigralinkError,
    QueryError,
    StoreError,
)

__all__ = [
    "AuthError",
    "NotFoundError",
    "StoreBusyError",
    "error_response",
    "install_error_handlers",
    "status_of",
]

log = logging.getLogger("migralink.api")


class NotFoundError(MigralinkError):
    """The resource named by the path does not exist (HTTP 404)."""


class AuthError(MigralinkError):
    """A write request came without the configured bearer token (HTTP 401)."""


class StoreBusyError(StoreError):
    """Another process holds the evidence base for writing; retry shortly (HTTP 503)."""


# Most specific first: the first class an error is an instance of gives its status.
_STATUS: tuple[tuple[type[MigralinkError], int], ...] = (
    (NotFoundError, 404),
    (AuthError, 401),
    (StoreBusyError, 503),
    (QueryError, 400),
    (CodeError, 400),
    (InputError, 422),  # an uploaded file that cannot be read or breaks a rule
    (DisclosureError, 403),  # the table cannot be published under the policy
    (ConfigError, 400),  # at run time only an uploaded mapping can be a bad configuration
    (FetchError, 502),
    (StoreError, 500),
)
_HTTP_TYPES = {404: "not_found_error", 405: "method_not_allowed", 401: "auth_error",
               400: "request_error"}


def status_of(error: MigralinkError) -> int:
    """The HTTP status of a library error."""
    return next((status for cls, status in _STATUS if isinstance(error, cls)), 400)


def error_response(
    status: int,
    type_: str,
    title: str,
    hint: str = "",
    location: dict[str, Any] | None = None,
    details: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error shape as a response; errors are never cached."""
    body = {
        "error": {
            "type": type_,
            "title": title,
            "hint": hint,
            "location": location,
            "status": status,
            "details": details or [],
        }
    }
    return Response(
        json.dumps(body, ensure_ascii=False),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def _library_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, MigralinkError)
    status = status_of(exc)
    location = None
    if exc.location is not None:
        location = {k: v for k, v in vars(exc.location).items() if v is not None}
    headers = {}
    if status == 503:
        headers["Retry-After"] = "1"  # an ingestion holds the lock for seconds, not minutes
    elif status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="migralink"'
    if status == 503:
        log.warning("%s: %s", exc.kind, exc)
    elif status >= 500:
        log.error("%s: %s", exc.kind, exc, extra={"details": exc.details})
    return error_response(status, exc.kind, exc.title, exc.hint, location, exc.details, headers)


def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if status == 404:
        title, hint = "no such address", "see /api/v1/docs for the API's endpoints"
    elif status == 405:
        title, hint = "this address does not take that method", "see /api/v1/docs"
    elif status == 400:  # a body FastAPI could not parse (a multipart without boundary)
        title = str(exc.detail)
        hint = ("send the files as multipart/form-data, e.g. curl -F files=@table.csv"
                if "multipart" in title.lower() or "boundary" in title.lower()
                else "see /api/v1/docs for what this address takes")
    else:
        title, hint = str(exc.detail), "see /api/v1/docs"
    headers = dict(exc.headers or {})
    return error_response(status, _HTTP_TYPES.get(status, "http_error"), title, hint,
                          headers=headers)


def _validation_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # a file part sent without a file name reads as text ("Expected UploadFile, received
    # <class 'str'>"): say what to send instead
    problems = [{**p, "msg": "a file part without a file name (send it as a file, e.g. "
                 "curl -F files=@table.csv)"} if "UploadFile" in str(p.get("msg", "")) else p
                for p in exc.errors()]
    first = problems[0] if problems else {}
    where = [str(part) for part in first.get("loc", ())]
    location = {"in": where[0], "parameter": ".".join(where[1:])} if where else None
    name = location["parameter"] if location else "the request"
    details = [
        f"{'.'.join(str(p) for p in item.get('loc', ()))}: {item.get('msg', '')}"
        for item in problems
    ]
    return error_response(
        422, "request_error", f"{name}: {first.get('msg', 'invalid request')}",
        "see /api/v1/docs for the parameters and their allowed values", location, details,
    )


def _unexpected_error(_: Request, exc: Exception) -> Response:
    # not logged here: Starlette re-raises the exception after this answer is sent, and
    # the server logs it with its traceback
    return error_response(
        500, "internal_error", "the server failed to answer this request",
        "this is a bug in migralink; please report it with the address you asked for",
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every error of ``app`` through the one shape."""
    app.add_exception_handler(MigralinkError, _library_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)

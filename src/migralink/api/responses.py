"""Answering a GET: ETag, ``If-None-Match``, the response cache, ``Cache-Control``.

An ETag here does not hash the body: it hashes what the body is a function of — the
catalogue of the evidence base (:attr:`Snapshot.fingerprint`), the server's version and
configuration, and the request (path and sorted query). So a repeated request is served
from memory, and ``If-None-Match`` is answered ``304`` from it, with the answer's own
``Cache-Control`` (a body too large to keep is computed again before its ``304``).

Two layers share that key. :class:`CacheFront` is an ASGI layer in front of routing:
when the server holds the file open and the answer is known, it replies before any
parameter is parsed (the request was validated when the answer was first computed).
Otherwise the route validates its parameters and calls :class:`Responder`, which opens
the snapshot in a worker thread, computes the payload, and keeps it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from migralink.api.config import ApiConfig
from migralink.api.readers import LruCache, Reading, Snapshot, StoreAccess

__all__ = ["CacheFront", "Payload", "Responder", "json_payload"]

# A cached body larger than this is not kept: a big download is rare and would push
# many small answers out of the cache.
_MAX_CACHED_BODY = 1 << 20


@dataclass(frozen=True)
class Payload:
    """A successful answer before it becomes a response."""

    body: bytes
    media_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    #: protected data: shared caches must not keep it (``Cache-Control: private``)
    private: bool = False


def json_payload(data: Any, headers: tuple[tuple[str, str], ...] = ()) -> Payload:
    """``data`` as UTF-8 JSON (Korean text is kept as it is, not escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return Payload(text.encode("utf-8"), "application/json", headers)


def _canonical(scope: Scope) -> str:
    """Path and query with the parameters sorted: the same question, the same key."""
    query = scope.get("query_string", b"").decode("latin-1")
    items = sorted(parse_qsl(query, keep_blank_values=True))
    path: str = scope["path"]
    # re-encoded: a decoded "&" or "=" inside a value must not read as a separator
    # (``period=2024%26region%3D1`` is not ``period=2024&region=1``)
    return quote(path) + "?" + urlencode(items)


def _matches(headers: Headers, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag``; called only once the answer is known
    to exist (``*`` matches any existing answer, never a 404 or an error)."""
    header = headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    # weak comparison (RFC 9110 §13.1.2): W/"x" matches "x"
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags


class Responder:
    """Turns a ``build`` function into a cached, validated response.

    Args:
        store: the evidence base.
        config: the server's configuration (part of every ETag).
        version: the migralink version (part of every ETag: code lists ship with it).
    """

    def __init__(self, store: StoreAccess, config: ApiConfig, version: str) -> None:
        self.store = store
        self.max_age = config.max_age
        self.cache = LruCache(config.response_cache)
        self._seed = hashlib.sha256(f"{version}\n{config.to_json()}".encode()).hexdigest()

    def etag(self, snapshot: Snapshot, scope: Scope) -> str:
        """The ETag of the request in ``scope`` against ``snapshot``."""
        key = f"{self._seed}\n{snapshot.fingerprint}\n{_canonical(scope)}"
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

    def known(self, scope: Scope) -> Response | None:
        """A ``304`` or the cached answer, if the file is held open and it is known."""
        snapshot = self.store.current
        if snapshot is None:
            return None
        return self._known(scope, self.etag(snapshot, scope))

    async def __call__(self, request: Request, build: Callable[[Reading], Payload]) -> Response:
        """Answer ``request`` by running ``build`` in a worker thread (or from cache)."""
        return await run_in_threadpool(self._compute, request.scope, build)

    def _known(self, scope: Scope, etag: str) -> Response | None:
        # only an answer in the cache is known to exist and to be public or private:
        # a 304 says both (``If-None-Match: *`` on a missing address is a 404, and a
        # 304 of protected data is ``private`` as its 200 was)
        payload: Payload | None = self.cache.get(etag)
        return None if payload is None else self._response(payload, etag, scope)

    def _compute(self, scope: Scope, build: Callable[[Reading], Payload]) -> Response:
        with self.store.reading() as view:
            etag = self.etag(view.snapshot, scope)
            answer = self._known(scope, etag)
            if answer is not None:
                return answer
            payload = build(view)
        if len(payload.body) <= _MAX_CACHED_BODY:
            self.cache.put(etag, payload)
        return self._response(payload, etag, scope)

    def _headers(self, etag: str, private: bool = False) -> dict[str, str]:
        scope = "private" if private else "public"
        return {"ETag": etag, "Cache-Control": f"{scope}, max-age={self.max_age}"}

    def _response(self, payload: Payload, etag: str, scope: Scope) -> Response:
        """The answer, or ``304`` with the same caching headers where the client has it."""
        if _matches(Headers(scope=scope), etag):
            return Response(status_code=304, headers=self._headers(etag, payload.private))
        return Response(payload.body, media_type=payload.media_type,
                        headers={**self._headers(etag, payload.private),
                                 **dict(payload.headers)})


class CacheFront:
    """ASGI layer: answer known GETs under ``prefix`` before routing and validation.

    Args:
        app: the application behind.
        responder: whose cache and ETags are used.
        prefix: the paths it looks at (the API's).
    """

    def __init__(self, app: ASGIApp, responder: Responder, prefix: str) -> None:
        self.app = app
        self.responder = responder
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Reply from cache when possible; otherwise pass the request on."""
        if (scope["type"] == "http" and scope["method"] == "GET"
                and scope["path"].startswith(self.prefix)):
            answer = self.responder.known(scope)
            if answer is not None:
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)

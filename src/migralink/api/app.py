"""The application: :func:`create_app` assembles the routes, :func:`serve` runs them."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Depends, FastAPI, Request
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.routing import Match, Mount

from migralink import __version__
from migralink.api.catalogue import dataset_list
from migralink.api.config import ApiConfig
from migralink.api.errors import error_response, install_error_handlers
from migralink.api.params import HeadAsGet, single_values
from migralink.api.protection import Disclosure
from migralink.api.readers import StoreAccess
from migralink.api.responses import CacheFront, Responder
from migralink.api.routes.codes import boundaries_router, codes_router
from migralink.api.routes.datasets import datasets_router
from migralink.api.routes.docs import add_docs
from migralink.api.routes.indicators import indicators_router
from migralink.api.routes.ingest import UploadGuard, absent_ingest, ingest_router
from migralink.api.routes.regions import regions_router
from migralink.api.state import ApiState
from migralink.errors import ConfigError, MigralinkError

__all__ = ["API_PREFIX", "create_app", "serve"]

#: Every route of this version of the API lives under this prefix.
API_PREFIX = "/api/v1"
#: The dashboard's package: when installed, it is mounted at ``/`` (see :func:`_mount_web`).
WEB_MODULE = "migralink.web"

_DESCRIPTION = """\
The migralink evidence base over HTTP (이주 정책 근거 자료 API): official statistics on
migration in Korea, harmonised in one versioned cube, with their provenance.

* **datasets**: the catalogue, every version and source file (sha256), and observations
  with the filters of `migralink query` — as JSON pages, CSV or Parquet.
* **indicators**: the indicator catalogue and computed indicators.
* **codes** and **boundaries**: regions with their history, nationalities, residence
  statuses; boundaries as GeoJSON for a given year.

Every answer has an `ETag` and `Cache-Control`; send `If-None-Match` to get `304`.
Every error has one shape: `{"error": {"type", "title", "hint", "location", "status",
"details"}}`. Register-derived data are protected by disclosure control: each row
carries `conf_status` (SDMX CONF_STATUS), and suppressed values are null.
"""

_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_TAGS = [
    {"name": "datasets", "description": "Datasets, versions, provenance and observations"},
    {"name": "indicators", "description": "Indicators (지표) and their catalogue"},
    {"name": "codes", "description": "Code lists (코드 목록)"},
    {"name": "boundaries", "description": "Administrative boundaries (행정구역 경계)"},
    {"name": "ingest", "description": "Ingestion (only with a token)"},
]


def _warm(store: StoreAccess) -> None:
    """Open the evidence base and list its datasets once (a busy file is left for later)."""
    with contextlib.suppress(MigralinkError), store.reading() as view:
        dataset_list(view)


def create_app(config: ApiConfig) -> FastAPI:
    """The API (and the dashboard, when installed) for one evidence base.

    Raises:
        ConfigError: the database file does not exist.
    """
    if not config.db.is_file():
        raise ConfigError(
            title=f"the evidence base {config.db} does not exist",
            hint="build it first: 'migralink sample load --db FILE' or 'migralink ingest'",
        )
    store = StoreAccess(config.db, config.release_after)
    state = ApiState(config, store, Responder(store, config, __version__),
                     Disclosure(config.disclosure_policy))

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if config.release_after is None:
            # a server that never lets go of the file opens it and reads its catalogue
            # before it answers, not on the first visitor's /api/v1/datasets (0.2-0.5 s)
            await asyncio.to_thread(_warm, store)
        yield
        store.close()  # let go of the file when the server stops

    app = FastAPI(
        title="migralink API", version=__version__, description=_DESCRIPTION,
        # the documentation pages are served offline by add_docs below
        openapi_url=f"{API_PREFIX}/openapi.json", docs_url=None, redoc_url=None,
        openapi_tags=_TAGS, lifespan=lifespan,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
        dependencies=[Depends(single_values)],
    )
    app.state.migralink = state
    app.add_middleware(CacheFront, responder=state.respond, prefix=f"{API_PREFIX}/")
    app.add_middleware(HeadAsGet, prefix=f"{API_PREFIX}/")  # before the cache: HEAD is GET
    # the token and the size cap of uploads, checked before a byte of the body is read
    app.add_middleware(UploadGuard, path=f"{API_PREFIX}/ingest",
                       token=config.token if config.ingest_enabled else None)
    # outermost, so that cached answers are compressed too (GeoJSON: 447 KB -> 107 KB);
    # level 5, because level 9 takes 7x as long for 2% less
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    install_error_handlers(app)
    app.include_router(datasets_router(config), prefix=API_PREFIX)
    app.include_router(indicators_router(config), prefix=API_PREFIX)
    app.include_router(codes_router(), prefix=API_PREFIX)
    app.include_router(boundaries_router(), prefix=API_PREFIX)
    app.include_router(regions_router(), prefix=API_PREFIX)
    app.include_router(importlib.import_module("migralink.api.routes.media").media_router(), prefix=API_PREFIX)  # noqa: E501
    app.include_router(importlib.import_module("migralink.api.routes.reports").reports_router(), prefix=API_PREFIX)  # noqa: E501
    if config.ingest_enabled:
        app.include_router(ingest_router(), prefix=API_PREFIX)
    add_docs(app, API_PREFIX)
    _add_api_fallback(app, config)
    # HOOK (dashboard): migralink.web.mount(app, config), last, at "/": routes added
    # before it (the API's) take priority.
    _mount_web(app, config)
    return app


def _add_api_fallback(app: FastAPI, config: ApiConfig) -> None:
    """Answer unknown ``/api/...`` addresses with the error shape, before the dashboard.

    The dashboard is mounted at ``/`` and would otherwise answer them itself.
    """

    async def fallback(request: Request) -> Response:
        allowed = [  # the methods another route takes at this path
            method for method in _METHODS if any(
                route is not fallback_route
                and not isinstance(route, Mount)  # the dashboard at / takes anything
                and route.matches({**request.scope, "method": method})[0] is Match.FULL
                for route in app.router.routes)
        ]
        if allowed:
            return error_response(405, "method_not_allowed",
                                  "this address does not take that method",
                                  f"it takes {', '.join(allowed)}",
                                  headers={"Allow": ", ".join(allowed)})
        if request.url.path == f"{API_PREFIX}/ingest" and not config.ingest_enabled:
            return absent_ingest()
        return error_response(404, "not_found_error", "no such address in the API",
                              f"see {API_PREFIX}/docs for the endpoints")

    app.add_api_route("/api/{rest:path}", fallback, include_in_schema=False, methods=_METHODS)
    fallback_route = app.router.routes[-1]


def _mount_web(app: FastAPI, config: ApiConfig) -> None:
    """Hook for the dashboard: ``migralink.web.mount(app, config)`` if it is installed.

    The module-existence check (rather than catching ``ImportError``) keeps a broken
    dashboard loud: only its absence is silent.
    """
    if importlib.util.find_spec(WEB_MODULE) is None:
        return
    mount: Any = getattr(importlib.import_module(WEB_MODULE), "mount", None)
    if callable(mount):
        mount(app, config)


def serve(config: ApiConfig, host: str = "127.0.0.1", port: int = 8000, **uvicorn: Any) -> None:
    """Run the API with uvicorn until interrupted (what ``migralink serve`` calls).

    Args:
        config: the server's configuration.
        host: the address to listen on; loopback by default.
        port: the port.
        **uvicorn: further ``uvicorn.run`` options (``log_level``, ``workers``...).
    """
    import uvicorn as server

    server.run(create_app(config), host=host, port=port, **uvicorn)

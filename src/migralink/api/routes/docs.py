"""API documentation that works offline: Swagger UI from this server.

FastAPI's default pages load their scripts from a CDN, so they are blank without the
internet. The assets here come from the ``fastapi-offline`` package (PyPI; MIT, bundling
Swagger UI under Apache-2.0), served by the app itself at ``/api/v1/docs/assets/``; the
page is at ``/api/v1/docs`` and at ``/docs``, the path the README and the serve banner
name. ReDoc is not offered: its bundle loads a logo from its vendor's CDN.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from migralink.api.errors import error_response
from migralink.errors import ConfigError

__all__ = ["ASSETS_PACKAGE", "add_docs"]

#: The PyPI package whose files hold the Swagger UI and ReDoc bundles.
ASSETS_PACKAGE = "fastapi_offline"


def _assets() -> Path | None:
    spec = importlib.util.find_spec(ASSETS_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).with_name("static")


def add_docs(app: FastAPI, prefix: str) -> None:
    """Serve the documentation page and its assets from ``app``.

    Args:
        app: the application (created with ``docs_url=None, redoc_url=None``).
        prefix: the API prefix (``/api/v1``), where ``openapi.json`` is.
    """
    assets = f"{prefix}/docs/assets"
    folder = _assets()
    openapi = f"{prefix}/openapi.json"
    title = app.title
    if folder is None:  # the API works without its browsable page; the page says why
        async def missing() -> Response:
            error = ConfigError(
                title=f"the API documentation's files ({ASSETS_PACKAGE}) are not installed",
                hint=f"pip install {ASSETS_PACKAGE}; the document itself is at {openapi}")
            return error_response(503, "config_error", error.title, error.hint)

        for path in (f"{prefix}/docs", "/docs"):
            app.add_api_route(path, missing, include_in_schema=False, methods=["GET"])
        return
    app.mount(assets, StaticFiles(directory=folder), name="docs-assets")

    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi, title=f"{title} — Swagger UI",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon.png",
            # no badge from the public validator: nothing leaves this server
            swagger_ui_parameters={"validatorUrl": None})

    for path in (f"{prefix}/docs", "/docs"):
        app.add_api_route(path, swagger, include_in_schema=False, methods=["GET"])

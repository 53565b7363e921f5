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
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from migralink.errors import ConfigError

__all__ = ["ASSETS_PACKAGE", "add_docs"]

#: The PyPI package whose files hold the Swagger UI and ReDoc bundles.
ASSETS_PACKAGE = "fastapi_offline"


def _assets() -> Path:
    spec = importlib.util.find_spec(ASSETS_PACKAGE)
    if spec is None or spec.origin is None:
        raise ConfigError(title=f"the API documentation assets ({ASSETS_PACKAGE}) are missing",
                          hint="install the project's dependencies: pip install -e .")
    return Path(spec.origin).with_name("static")


def add_docs(app: FastAPI, prefix: str) -> None:
    """Serve the documentation page and its assets from ``app``.

    Args:
        app: the application (created with ``docs_url=None, redoc_url=None``).
        prefix: the API prefix (``/api/v1``), where ``openapi.json`` is.
    """
    assets = f"{prefix}/docs/assets"
    app.mount(assets, StaticFiles(directory=_assets()), name="docs-assets")
    openapi = f"{prefix}/openapi.json"
    title = app.title

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

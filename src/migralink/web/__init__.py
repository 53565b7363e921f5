"""The dashboard: a static, bilingual (ko/en) web page served by the API process.

:func:`mount` serves ``static/`` at ``/``; the API calls it when this package is installed
(``migralink.api.create_app``). The page reads only the REST API (``/api/v1/...``), so
everything it shows can be fetched, and checked, by anyone else. It loads nothing from
the network but this server: no CDN, fonts or tiles (see ``docs/web.md``).

The boundaries the map draws ship in :mod:`migralink.web.geo` and are served by the API
(``/api/v1/boundaries/{level}?year=``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["STATIC_DIR", "mount"]

STATIC_DIR = Path(__file__).with_name("static")


def mount(app: FastAPI, config: object = None) -> None:
    """Serve the dashboard at ``/`` of ``app`` (after the API routes, which take priority).

    ``config`` (the API's ``ApiConfig``) is accepted for the API's hook and not needed:
    the page finds the API at ``/api/v1`` of the same origin.
    """
    # imported here so that ``migralink.web.geo`` can be used without the web stack
    import hashlib

    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.staticfiles import StaticFiles

    from migralink.web.bundle import bundle

    script = bundle(STATIC_DIR).encode()
    etag = f'"{hashlib.sha256(script).hexdigest()[:32]}"'

    async def bundled(request: Request) -> Response:
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(script, media_type="text/javascript; charset=utf-8",
                        headers={"ETag": etag, "Cache-Control": "no-cache"})

    app.add_route("/js/bundle.js", bundled, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="dashboard")

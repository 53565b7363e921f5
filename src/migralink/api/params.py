"""What the API takes of a query string beyond FastAPI's validation, and ``HEAD``.

* A parameter that takes one value and is given twice (``region=41&region=11``) is
  refused. FastAPI keeps the last value and drops the other without a word, while the
  response cache sorts the parameters into its key: the first spelling asked decided the
  answer of both.
* ``HEAD`` is answered as ``GET`` without the body (RFC 9110 §9.3.2), for every ``GET``
  address of the API.
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from migralink.errors import QueryError

__all__ = ["HeadAsGet", "single_values"]


def _takes_several(annotation: Any) -> bool:
    return any(get_origin(a) in (list, tuple, set) for a in (annotation, *get_args(annotation)))


def single_values(request: Request) -> None:
    """Refuse a parameter given more than once where the address takes one value.

    Raises:
        QueryError: the first such parameter, with the values given.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    several = {f.alias for f in route.dependant.query_params
               if _takes_several(f.field_info.annotation)}
    items = request.query_params.multi_items()
    for name in dict.fromkeys(k for k, _ in items):
        values = [v for k, v in items if k == name]
        if len(values) > 1 and name not in several:
            raise QueryError(
                title=f"the parameter {name!r} is given {len(values)} times "
                f"({', '.join(repr(v) for v in values[:3])}); it takes one value",
                hint=f"give {name} once"
                + (f" (several values are taken by {', '.join(sorted(several))})"
                   if several else ""),
            )


class HeadAsGet:
    """ASGI layer: a ``HEAD`` under ``prefix`` is routed as ``GET``, its body dropped.

    The headers (``Content-Length`` included) are those of the ``GET``.
    """

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app, self.prefix = app, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer ``HEAD`` as ``GET`` without the body; pass everything else on."""
        if (scope["type"] != "http" or scope["method"] != "HEAD"
                or not scope["path"].startswith(self.prefix)):
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)

"""What every route needs: the configuration, the store, the responder, disclosure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from migralink.api.config import ApiConfig
from migralink.api.models import ErrorBody
from migralink.api.protection import Disclosure
from migralink.api.readers import StoreAccess
from migralink.api.responses import Responder

__all__ = ["ERRORS", "ApiState", "state_of"]


@dataclass(frozen=True)
class ApiState:
    """The server's shared parts, kept in ``app.state.migralink``."""

    config: ApiConfig
    store: StoreAccess
    respond: Responder
    disclosure: Disclosure


def state_of(request: Request) -> ApiState:
    """The :class:`ApiState` of the app serving ``request``."""
    state: ApiState = request.app.state.migralink
    return state


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


#: The error answers every read route can give, for the OpenAPI document.
ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag in If-None-Match is current"},
    400: _error("A parameter the query cannot use (unknown dimension, code or region)"),
    403: _error("Disclosure control refuses the question (protected register data)"),
    404: _error("No such dataset, version, code list or boundary file"),
    422: _error("A parameter of the wrong type or out of range"),
    500: _error("A bug: please report it"),
    503: _error("An ingestion holds the database for writing; retry after Retry-After"),
}

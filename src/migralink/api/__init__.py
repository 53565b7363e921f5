"""The HTTP API of the evidence base (FastAPI on uvicorn), versioned under ``/api/v1``.

Public surface: :class:`ApiConfig` (the typed configuration), :func:`create_app` (the
FastAPI application for one evidence base) and :func:`serve` (run it with uvicorn, what
``migralink serve`` calls). See ``docs/api.md``.
"""

from migralink.api.app import API_PREFIX, create_app, serve
from migralink.api.config import ApiConfig

__all__ = ["API_PREFIX", "ApiConfig", "create_app", "serve"]

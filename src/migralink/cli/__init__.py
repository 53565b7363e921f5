"""The ``migralink`` command: a thin layer that parses, calls the library and prints.

Library errors become one-line messages here (and only here), with a non-zero exit.
The commands live in :mod:`.data` (ingest, datasets, query, export) and :mod:`.publish`
(codes, fetch, indicators, top, serve, sample); importing them registers them.
"""

from __future__ import annotations

from migralink.cli import (  # noqa: F401 - registers the commands
    data,
    linkage,
    media,
    publish,
    report,
    survey,
)
from migralink.cli.apps import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``migralink`` script."""
    app()

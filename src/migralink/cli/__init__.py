"""The ``migralink`` command: a thin layer that parses, calls the library and prints.

Library errors become one-line messages here (and only here), with a non-zero exit.
The commands live in :mod:`.data` (ingest, datasets, query, export) and :mod:`.publish`
(codes, fetch, indicators, top, serve, sample); importing them registers them.
"""

from __future__ import annotations

from migralink.cli import data, media, publish  # noqa: F401 - registers the commands
from migralink.cli import report  # noqa: F401 - registers 'report'
from migralink.cli import linkage  # noqa: F401 - registers 'link' and 'dedupe'
from migralink.cli import survey  # noqa: F401 - registers 'survey'
from migralink.cli.apps import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``migralink`` script."""
    app()

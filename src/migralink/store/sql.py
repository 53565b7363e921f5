"""Pure functions that build the SQL of the evidence base (no connection here).

Keeping SQL construction apart from execution lets it be tested without a database and
lets the gateway report the exact statement that failed. Identifiers are validated and
quoted here; values always travel as parameters.
"""

from __future__ import annotations

import re

__all__ = ["obs_table_name", "quote_ident"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def quote_ident(name: str) -> str:
    """Quote a column or table name after checking it is a plain identifier."""
    if not _IDENT.fullmatch(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return f'"{name}"'


def obs_table_name(dataset_id: str, version: int) -> str:
    """The table holding one version of a dataset's observations."""
    return f"obs_{dataset_id}_v{version}"

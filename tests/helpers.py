"""Test helpers: a snapshot of a whole evidence base, to prove a failure changed nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's full content, ordered, keyed by table name."""
    if not db.exists():
        return {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1"
        ).fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}
    finally:
        con.close()

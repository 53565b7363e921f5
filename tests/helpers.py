"""Test helpers: a snapshot of a whole evidence base, to prove a failure changed nothing."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from tests.conftest import CliResult, run_cli


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


def printed(result: CliResult) -> str:
    """What a command printed (stdout and stderr), on one line."""
    return " ".join((result.stdout + result.stderr).split())


@cache
def _query(db: Path, dataset: str, *args: str) -> tuple[dict[str, Any], ...]:
    result = run_cli("query", dataset, "--db", str(db), "--format", "json", *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["dataset"] == dataset
    return tuple(payload["rows"])


def query(db: Path, dataset: str, *args: str) -> list[dict[str, Any]]:
    """The rows ``migralink query --format json`` returns (each distinct query runs once)."""
    return list(_query(db, dataset, *args))


def one(db: Path, dataset: str, *args: str) -> int:
    """The single value a query returns, which must be a normal (``A``) observation."""
    rows = query(db, dataset, *args)
    assert len(rows) == 1, rows
    assert rows[0]["status"] == "A"
    value: int = rows[0]["value"]
    return value

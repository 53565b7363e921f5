"""The gateway owns the connection: errors carry the SQL, transactions are all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from migralink.errors import StoreError
from migralink.store import Gateway


def test_engine_errors_carry_the_failing_sql(tmp_path: Path) -> None:
    with Gateway(tmp_path / "g.duckdb") as gw:
        with pytest.raises(StoreError) as info:
            gw.execute("SELECT * FROM no_such_table")
        assert info.value.sql == "SELECT * FROM no_such_table"
        assert any("no_such_table" in d for d in info.value.details)
        assert "rejected a statement" in str(info.value)


def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    with Gateway(tmp_path / "g.duckdb") as gw:
        gw.execute("CREATE TABLE t (x INTEGER)")
        def failing_batch() -> None:
            with gw.transaction():
                gw.execute("INSERT INTO t VALUES (1)")
                gw.execute("INSERT INTO t VALUES ('not a number')")

        with pytest.raises(StoreError):
            failing_batch()
        assert gw.scalar("SELECT count(*) FROM t") == 0
        with gw.transaction():
            gw.execute("INSERT INTO t VALUES (2)")
        assert gw.scalar("SELECT sum(x) FROM t") == 2


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "g.duckdb"
    with Gateway(path) as gw:
        gw.execute("CREATE TABLE t (x INTEGER)")
    with Gateway(path, read_only=True) as gw:
        with pytest.raises(StoreError):
            gw.execute("INSERT INTO t VALUES (1)")
        assert gw.rows("SELECT count(*) FROM t") == [(0,)]


def test_opening_a_missing_file_read_only_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="migralink ingest"):
        Gateway(tmp_path / "missing.duckdb", read_only=True)

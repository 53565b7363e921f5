"""Versions: same file is a no-op, a revised file is a new version, old ones stay readable."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

STATUS = "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv"


def _total(db: Path, *extra: str) -> int:
    result = run_cli("query", "moj_stay_status", "--db", str(db), "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return int(json.loads(result.stdout)["rows"][0]["value"])


def test_a_revised_file_makes_a_new_version(tmp_path: Path, shared: Path) -> None:
    db = tmp_path / "ev.duckdb"
    original = shared / STATUS
    assert run_cli("ingest", str(original), "--db", str(db)).exit_code == 0
    again = run_cli("ingest", str(original), "--db", str(db))
    assert "unchanged (version 1)" in again.stdout
    # a revision: one more E-9 holder among the first nationality's men
    lines = original.read_bytes().decode("cp949").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    e9 = header.index("E9(비전문취업)")
    first[e9] = str(int(first[e9]) + 1)
    revised = tmp_path / "rev" / original.name.replace("2026-06-14", "2026-07-01")
    revised.parent.mkdir()
    revised.write_bytes("\r\n".join([lines[0], ",".join(first), *lines[2:]]).encode("cp949"))
    result = run_cli("ingest", str(revised), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert "version 2" in result.stdout
    assert _total(db) == 2_650_784
    assert _total(db, "--version", "1") == 2_650_783
    info = json.loads(run_cli("datasets", "--db", str(db), "--format", "json").stdout)[0]
    assert info["version"] == 2
    assert info["versions"] == 2
    assert info["sources"] == [original.name, revised.name]


def test_files_of_one_table_build_one_series(tmp_path: Path, shared: Path) -> None:
    """A file adding periods carries the earlier ones forward into the new version."""
    db = tmp_path / "ev.duckdb"
    files = [shared / "population/200912_201812_주민등록인구및세대현황_연간.csv",
             shared / "population/201912_202412_주민등록인구및세대현황_연간.csv"]
    result = run_cli("ingest", *map(str, files), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    info = json.loads(run_cli("datasets", "--db", str(db), "--format", "json").stdout)
    (population,) = [d for d in info if d["id"] == "population_sido"]
    assert population["version"] == 2
    assert population["periods"] == [str(y) for y in range(2009, 2025)]

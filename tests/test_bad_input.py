"""Bad input: each case gives its documented message and leaves the database as it was."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.helpers import snapshot

MOIS = "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv"
STATUS = "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    """An evidence base that already holds three datasets of real data (built once)."""
    path = tmp_path_factory.mktemp("bad-input") / "ev.duckdb"
    result = run_cli("ingest", str(shared / STATUS), str(shared / MOIS), "--db", str(path))
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built evidence base for one test."""
    path = tmp_path / "ev.duckdb"
    shutil.copy(built, path)
    return path


def _rewrite_mois(
    shared: Path, target: Path, edit: dict[tuple[str, str, str], dict[str, str]]
) -> Path:
    """Copy the MOIS file with some cells changed: key (SGGCD, 거주외국인별, 성별)."""
    text = (shared / MOIS).read_text(encoding="utf-8")
    # two local governments are enough, and keep the test fast
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["SGGCD"] in ("11110", "41273")]
    assert len(rows) == 56, "the real file has 28 rows for each local government"
    for row in rows:
        change = edit.get((row["SGGCD"], row["거주외국인별"], row["성별"]))
        if change:
            row.update(change)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


GROUPS = ("총인구", "합계", "한국국적을 가지지 않은 자", "외국인근로자", "결혼이민자", "유학생",
          "외국국적동포", "기타외국인", "한국국적을 취득한 자", "외국인주민자녀(출생)")


def _keys(code: str) -> list[tuple[str, str, str]]:
    return [(code, g, s) for g in GROUPS for s in ("계", "남", "여")]


def test_reencoded_to_cp949_is_recognised_as_the_same_data(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    before = snapshot(db)
    copy = tmp_path / "cp949" / Path(MOIS).name
    copy.parent.mkdir()
    copy.write_bytes((shared / MOIS).read_text(encoding="utf-8").encode("cp949"))
    assert copy.read_bytes() != (shared / MOIS).read_bytes()
    result = run_cli("ingest", str(copy), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert "unchanged" in result.stdout
    assert "same observations as" in result.stdout
    assert snapshot(db) == before


def test_parts_that_do_not_add_up_are_refused_with_their_cells(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    before = snapshot(db)
    bad = _rewrite_mois(
        shared, tmp_path / "bad" / Path(MOIS).name,
        {("41273", "외국인근로자", "계"): {"2019": "1"}},  # 안산시 단원구 workers
    )
    result = run_cli("ingest", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert "do not equal the sum of their parts" in result.stderr
    assert "row " in result.stderr
    assert "column" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(db) == before


def test_unknown_region_is_refused_and_quarantined(db: Path, shared: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    bad = _rewrite_mois(
        shared, tmp_path / "unknown" / Path(MOIS).name,
        {(code, group, sex): {"SGGCD": "41279"} for code, group, sex in _keys("41273")},
    )
    result = run_cli("ingest", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert "unknown region code" in result.stderr
    assert "nothing was ingested" in result.stderr
    quarantine = sorted((db.parent / "quarantine").glob("*.quarantine.csv"))
    assert quarantine, "the rejected rows are kept for inspection"
    with quarantine[0].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert all("41279" in r["raw"] for r in rows)
    assert {r["column"] for r in rows} >= {"2019"}
    assert snapshot(db) == before


def test_unknown_region_can_land_with_rejects_kept_in_the_database(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    bad = _rewrite_mois(
        shared, tmp_path / "unknown" / Path(MOIS).name,
        {(code, group, sex): {"SGGCD": "41279"} for code, group, sex in _keys("41273")},
    )
    text = bad.read_text(encoding="utf-8")
    # the two-region copy also drops every other region: --allow-shrink accepts that
    result = run_cli("ingest", str(bad), "--db", str(db), "--allow-rejects", "--allow-shrink")
    assert result.exit_code == 0, result.stderr
    assert "quarantined" in result.stdout
    quarantined = snapshot(db)["ml_quarantine"]
    raw_rows = sum(1 for line in text.splitlines() if ",41279," in line)
    # every melted cell of every rejected row is kept: 5 year columns a row
    assert len(quarantined) >= raw_rows * 5 - 5


def test_empty_file(db: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    empty = tmp_path / Path(STATUS).name
    empty.write_bytes(b"")
    result = run_cli("ingest", str(empty), "--db", str(db))
    assert result.exit_code == 1
    assert "the file is empty (0 bytes)" in result.stderr
    assert str(empty) in result.stderr
    assert snapshot(db) == before


def test_truncated_workbook(db: Path, shared: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    source = shared / "other/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
    truncated = tmp_path / source.name
    truncated.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    result = run_cli("ingest", str(truncated), "--db", str(db))
    assert result.exit_code == 1
    assert "cannot be opened" in result.stderr
    assert "truncated" in result.stderr
    assert snapshot(db) == before


def test_one_bad_file_does_not_stop_the_good_ones_before_it(
    tmp_path: Path, shared: Path
) -> None:
    db = tmp_path / "ev.duckdb"
    empty = tmp_path / "x" / Path(STATUS).name
    empty.parent.mkdir()
    empty.write_bytes(b"")
    shutil.copy(shared / STATUS, tmp_path / Path(STATUS).name)
    result = run_cli("ingest", str(tmp_path / Path(STATUS).name), str(empty), "--db", str(db))
    assert result.exit_code == 1
    assert "moj_stay_status" in snapshot(db)["ml_dataset"][0]

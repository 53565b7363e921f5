"""UN DESA International Migrant Stock 2020 (by sex and destination), sheet "Table 1".

README-stats.md figure 6 (Republic of Korea, M49 410) is read back through ``migralink
query --format json``; the sums are computed here from the workbook with python_calamine,
independently of migralink's reader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import run_cli

FILE = "other/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
YEARS = [str(y) for y in range(1990, 2021, 5)]
SEXES = {"_T": 5, "M": 12, "F": 19}  # first column of each sex block (0-based)


@pytest.fixture(scope="module")
def table(shared: Path) -> list[list[Any]]:
    """Sheet "Table 1": header on row 11, data from row 12."""
    book = CalamineWorkbook.from_path(str(shared / FILE))
    rows: list[list[Any]] = book.get_sheet_by_name("Table 1").to_python(skip_empty_area=False)
    assert rows[10][3:5] == ["Location code", "Type of data"]
    return rows


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    path = tmp_path_factory.mktemp("undesa") / "x.duckdb"
    result = run_cli("ingest", str(shared / FILE), "--db", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    out = " ".join((result.stdout + result.stderr).split())
    assert "→ undesa_migrant_stock version 1" in out
    assert "quarantined" not in out
    return path


def query(db: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("query", "undesa_migrant_stock", "--db", str(db), "--format", "json",
                     *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)["rows"]
    return rows


def test_dataset_structure(db: Path) -> None:
    result = run_cli("datasets", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    (info,) = json.loads(result.stdout)
    assert info["id"] == "undesa_migrant_stock"
    assert info["dimensions"] == ["period", "region", "sex"]
    assert info["periods"] == YEARS
    assert info["licence"].startswith("CC BY 3.0 IGO")


def test_korea_figures(db: Path, table: list[list[Any]]) -> None:
    korea = table[111]  # sheet row 112
    assert (korea[1].strip(), korea[3]) == ("Republic of Korea", 410)
    assert (korea[10], korea[11]) == (1_370_905, 1_728_182)  # cells K112 and L112
    rows = query(db, "--region", "410", "--by", "sex")
    got = {(r["period"], r["sex"]): r["value"] for r in rows}
    assert got[("2020", "_T")] == 1_728_182
    assert got[("2015", "_T")] == 1_370_905
    for i, year in enumerate(YEARS):
        for sex, first in SEXES.items():
            assert got[(year, sex)] == korea[first + i]
        assert got[(year, "_T")] == got[(year, "M")] + got[(year, "F")]
    assert all(r["region"] == "410" for r in rows)


def test_countries_add_up_to_the_world(db: Path, table: list[list[Any]]) -> None:
    """Aggregates are left out; the countries' sum is the published WORLD row."""
    world = table[11]
    assert (world[1], world[3]) == ("WORLD", 900)
    countries = [r for r in table[11:] if r[4] != ""]
    assert len(countries) == 232
    totals: dict[str, float] = {}
    for row in query(db, "--by", "region"):
        totals[row["period"]] = totals.get(row["period"], 0) + (row["value"] or 0)
    for i, year in enumerate(YEARS):
        raw = sum(r[5 + i] for r in countries if isinstance(r[5 + i], float))
        assert totals[year] == raw == world[5 + i]
    # the world's sum is not Korea's figure: it was answered as region 00 (전국)
    refused = run_cli("query", "undesa_migrant_stock", "--db", str(db), "--period", "2020")
    assert refused.exit_code == 1
    assert "m49 region codes, not parts of Korea" in refused.stderr
    by_region = query(db, "--period", "2020", "--by", "region")
    assert len(by_region) == 232
    assert {"900", "935", "1833"}.isdisjoint(r["region"] for r in by_region)


def test_missing_cells_stay_missing(db: Path) -> None:
    """South Sudan (728) has '..' before 2010: no value, not zero."""
    rows = {r["period"]: r for r in query(db, "--region", "728")}
    assert rows["2005"]["value"] is None
    assert rows["2005"]["status"] == "M"
    assert rows["2020"]["value"] == 882_252

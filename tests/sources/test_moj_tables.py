"""The national MOJ tables (shared/data/moj_stay_foreigners), ingested through their mappings.

Every figure of README-stats.md "Figures to verify" 1, 2, 3, 8 and 9 is read back through
``migralink query --format json``; other figures are computed here straight from the raw
files with the csv module, independently of migralink's reader, and compared with what
the query returns.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import run_cli
from tests.helpers import one, printed, query

FOLDER = "moj_stay_foreigners"
STATUS = "moj_foreign_resident_status_2024_2026-06-14.csv"
LONGTERM = "moj_foreign_stay_data_2024_2026-06-14.csv"
MONTHLY_NAT = "moj_foreign_resident_monthly_nationality_2026-07-01.csv"
MONTHLY_STATUS = "approved_fileData_15100016_2026-06-23.csv"
STUDENTS_MONTHLY = "moe_foreign_student_region_2026-06-23.csv"
STUDENTS_ANNUAL = "moj_foreign_student_stay_2024_2026-06-14.csv"
UNDOCUMENTED = "approved_fileData_15112636_2026-06-18.csv"
NAT_BY_NATIONALITY = "moj_naturalization_by_nationality_2026-07-01.csv"
NAT_BY_TYPE = "moj_naturalization_by_type_2026-07-01.csv"

#: The files that ingest without a single rejected row.
CLEAN = {
    STATUS: "moj_stay_status",
    LONGTERM: "moj_stay_longterm",
    MONTHLY_NAT: "moj_stay_monthly_nationality",
    MONTHLY_STATUS: "moj_stay_monthly_status",
    STUDENTS_ANNUAL: "moj_students_annual",
    UNDOCUMENTED: "moj_undocumented",
    NAT_BY_NATIONALITY: "moj_naturalisations_by_nationality",
    NAT_BY_TYPE: "moj_naturalisations_by_type",
}

#: Lines of the monthly student file where 아이슬란드 유학D2 is printed twice, 1 and 4.
ICELAND_LINES = {16615: 1, 16616: 4, 16964: 1, 16965: 4}


# --- raw files, read without migralink ------------------------------------------------


def raw_rows(path: Path, encoding: str) -> list[list[str]]:
    """Header and rows of a portal CSV, decoded as the README says."""
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def number(cell: str) -> int:
    return int(cell.replace(",", ""))


def monthly_sums(rows: list[list[str]], value_col: int) -> dict[str, int]:
    """Sum of the value column per ``YYYY-MM`` (년, 월 in the first two columns)."""
    sums: Counter[str] = Counter()
    for row in rows[1:]:
        if row[value_col].strip():
            sums[f"{row[0]}-{int(row[1]):02d}"] += number(row[value_col])
    return dict(sums)


# --- the evidence base -----------------------------------------------------------------


@pytest.fixture(scope="module")
def moj(shared: Path) -> Path:
    return shared / FOLDER


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, moj: Path) -> tuple[Path, str, str]:
    """All nine MOJ files ingested: eight clean, then the monthly student file.

    Returns the database and what the two ingest runs printed.
    """
    path = tmp_path_factory.mktemp("moj") / "x.duckdb"
    clean = run_cli("ingest", *(str(moj / name) for name in CLEAN), "--db", str(path))
    assert clean.exit_code == 0, clean.stdout + clean.stderr
    students = run_cli("ingest", str(moj / STUDENTS_MONTHLY), "--db", str(path))
    assert students.exit_code == 0, students.stdout + students.stderr
    return path, printed(clean), printed(students)


@pytest.fixture(scope="module")
def db(ingested: tuple[Path, str, str]) -> Path:
    return ingested[0]


def datasets(db: Path) -> dict[str, dict[str, Any]]:
    result = run_cli("datasets", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return {d["id"]: d for d in json.loads(result.stdout)}


# --- structure -------------------------------------------------------------------------


def test_each_file_lands_in_its_dataset(ingested: tuple[Path, str, str]) -> None:
    _, clean, students = ingested
    for dataset in CLEAN.values():
        assert f"→ {dataset} version 1" in clean
    assert "quarantined" not in clean
    assert "→ moj_students_monthly version 1 (17,835 observations)" in students
    assert "2 cell(s) printed on 4 rows under the same labels were added up" in students


def test_each_dataset_has_its_dimensions_and_provenance(db: Path) -> None:
    found = datasets(db)
    expected = {
        "moj_stay_status": ["nationality", "sex", "residence_status"],
        "moj_stay_longterm": ["nationality", "sex", "residence_status"],
        "moj_stay_monthly_nationality": ["nationality"],
        "moj_stay_monthly_status": ["residence_status"],
        "moj_students_annual": ["residence_status"],
        "moj_undocumented": ["residence_status"],
        "moj_naturalisations_by_nationality": ["acquisition_type", "nationality"],
        "moj_naturalisations_by_type": ["acquisition_type", "stage"],
        "moj_students_monthly": ["nationality", "residence_status"],
    }
    for dataset, dims in expected.items():
        info = found[dataset]
        assert info["dimensions"] == ["period", "region", *dims]
        assert info["version"] == 1
        assert info["publisher"].startswith("법무부")
        assert info["source_url"].startswith("https://www.data.go.kr/data/")
        assert info["licence"]
    assert found["moj_stay_monthly_status"]["periods"][0] == "2022-01"
    assert found["moj_stay_monthly_status"]["periods"][-1] == "2026-05"
    assert len(found["moj_stay_monthly_nationality"]["periods"]) == 53
    assert found["moj_undocumented"]["periods"] == [str(y) for y in range(2010, 2023)]
    assert found["moj_naturalisations_by_type"]["periods"] == [str(y) for y in range(2011, 2025)]


# --- moj_stay_status (README figures 1 and 2) ------------------------------------------


def test_status_file_figures(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / STATUS, "cp949")
    header, body = rows[0], rows[1:]
    assert (len(header), len(body)) == (41, 400)
    raw_total = sum(number(c) for row in body for c in row[3:])
    assert raw_total == 2_650_783
    assert one(db, "moj_stay_status") == raw_total
    kr_chinese = sum(number(c) for row in body[:2] for c in row[3:])
    assert [row[1] for row in body[:2]] == ["한국계중국인", "한국계중국인"]
    assert kr_chinese == 643_277
    assert one(db, "moj_stay_status", "--filter", "nationality=CHN-KR") == kr_chinese
    for column, code, figure in (
        ("E9(비전문취업)", "E-9", 337_279),
        ("F6(결혼이민)", "F-6", 148_376),
        ("F4(재외동포)", "F-4", 555_968),
    ):
        raw = sum(number(row[header.index(column)]) for row in body)
        assert raw == figure
        assert one(db, "moj_stay_status", "--filter", f"residence_status={code}") == figure


def test_status_file_sexes_and_statuses(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / STATUS, "cp949")
    by_sex = query(db, "moj_stay_status", "--by", "sex")
    raw_sex = Counter[str]()
    for row in rows[1:]:
        raw_sex[row[2]] += sum(number(c) for c in row[3:])
    # one row (미국) counts 9 persons of the third sex (제3의성): code _O, not folded away
    assert raw_sex["제3의성"] == 9
    assert {r["sex"]: r["value"] for r in by_sex} == {
        "M": raw_sex["남성"], "F": raw_sex["여성"], "_O": raw_sex["제3의성"]
    }
    statuses = query(db, "moj_stay_status", "--by", "residence_status")
    assert len(statuses) == 38  # every visa column lands on its own code
    column_sums = sorted(sum(number(r[i]) for r in rows[1:]) for i in range(3, 41))
    assert sorted(r["value"] for r in statuses) == column_sums


# --- moj_stay_longterm -------------------------------------------------------------------


def test_longterm_file(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / LONGTERM, "cp949")
    header, body = rows[0], rows[1:]
    assert (len(header), len(body)) == (32, 380)
    assert sum(number(c) for row in body for c in row[3:]) == 1_488_353
    assert one(db, "moj_stay_longterm") == 1_488_353
    statuses = query(db, "moj_stay_longterm", "--by", "residence_status")
    codes = {r["residence_status"] for r in statuses}
    assert len(codes) == 29
    assert not codes & {"F-4", "B-1", "C-3"}  # long-term statuses only
    assert {"E-8", "G-1", "OTHER"} <= codes
    column_sums = sorted(sum(number(r[i]) for r in body) for i in range(3, 32))
    assert sorted(r["value"] for r in statuses) == column_sums
    e9 = sum(number(r[header.index("E9(비전문취업)")]) for r in body)
    assert one(db, "moj_stay_longterm", "--filter", "residence_status=E-9") == e9


# --- moj_stay_monthly_status (README figures 1 and 3) ---------------------------------


def test_monthly_status_totals(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / MONTHLY_STATUS, "utf-8-sig")
    raw = monthly_sums(rows, 3)
    figures = {
        "2022-12": 2_245_912,
        "2023-12": 2_507_584,
        "2024-12": 2_650_783,  # = the end-2024 total of the status file
        "2026-05": 2_870_191,
    }
    for period, figure in figures.items():
        assert raw[period] == figure
        assert one(db, "moj_stay_monthly_status", "--period", period) == figure
    by_month = {r["period"]: r["value"] for r in query(db, "moj_stay_monthly_status")}
    assert by_month == raw
    assert len(by_month) == 53


def test_monthly_status_spellings_land_on_one_code(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / MONTHLY_STATUS, "utf-8-sig")[1:]
    spellings = {row[2] for row in rows}
    assert len(spellings) > 100  # the same 35 statuses, spelled three or more ways
    assert {"B1사증면제", "B1(사증면제)", "사증면제B1"} <= spellings
    result = query(db, "moj_stay_monthly_status", "--by", "residence_status")
    codes = {r["residence_status"] for r in result}
    assert len(codes) == 35
    # each month prints 35 labels and they land on 35 distinct codes (nothing merged)
    cells = query(db, "moj_stay_monthly_status", "--period", "2023", "--by", "residence_status")
    assert len(cells) == 12 * 35
    assert len({(r["period"], r["residence_status"]) for r in cells}) == 12 * 35
    labels_2023 = Counter(f"{r[0]}-{r[1]}" for r in rows if r[0] == "2023")
    assert set(labels_2023.values()) == {35}
    spelled = {
        "B-1": {"B1사증면제", "B1(사증면제)", "사증면제B1"},
        # G-1 (G1(기타), G1기타, 기타G1) and the residual 기타 / 기타(other) stay apart
        "G-1": {"G1(기타)", "G1기타", "기타G1"},
        "OTHER": {"기타", "기타(other)"},
        # E-2 is also printed 회화강사E2 and 회화지도E2
        "E-2": {"E2(회화)", "E2회화", "회화강사E2", "회화지도E2"},
    }
    for code, labels in spelled.items():
        assert labels <= spellings
        raw: Counter[str] = Counter()
        for row in rows:
            if row[2] in labels:
                raw[f"{row[0]}-{int(row[1]):02d}"] += int(row[3])
        assert len(raw) == 53  # one of the spellings in every month
        cells = query(db, "moj_stay_monthly_status", "--filter", f"residence_status={code}")
        assert {r["period"]: r["value"] for r in cells} == dict(raw)


def test_monthly_status_december_2024_matches_the_status_file(db: Path) -> None:
    monthly = query(db, "moj_stay_monthly_status", "--period", "2024-12", "--by",
                    "residence_status")
    for code, figure in (("E-9", 337_279), ("F-6", 148_376), ("F-4", 555_968)):
        assert [r["value"] for r in monthly if r["residence_status"] == code] == [figure]


def test_period_year_returns_its_twelve_months(db: Path) -> None:
    rows = query(db, "moj_stay_monthly_status", "--period", "2024")
    assert [r["period"] for r in rows] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert rows[-1]["value"] == 2_650_783


# --- moj_stay_monthly_nationality (README figure 3) ------------------------------------


def test_monthly_nationality_totals(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / MONTHLY_NAT, "utf-8-sig")
    raw = monthly_sums(rows, 3)
    for period, figure in (("2022-12", 2_245_912), ("2023-12", 2_507_584),
                           ("2024-12", 2_650_782)):
        assert raw[period] == figure
        assert one(db, "moj_stay_monthly_nationality", "--period", period) == figure
    by_month = {r["period"]: r["value"] for r in query(db, "moj_stay_monthly_nationality")}
    # 2022-04 prints 미상 twice (1 and 1): two records, both counted, as in the status file
    assert by_month.pop("2022-04") == raw.pop("2022-04") == 1_987_250
    assert by_month == raw
    assert one(db, "moj_stay_monthly_nationality", "--period", "2024-12",
               "--filter", "nationality=CHN-KR") == 643_277


def test_monthly_nationality_blank_cells_are_missing(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / MONTHLY_NAT, "utf-8-sig")[1:]
    blanks = [(f"{r[0]}-{int(r[1]):02d}", r[2]) for r in rows if not r[3].strip()]
    assert len(blanks) == 7
    cells = query(db, "moj_stay_monthly_nationality", "--period", "2024", "--by", "nationality")
    missing = [r for r in cells if r["status"] == "M"]
    assert len(missing) == 7
    assert all(r["value"] is None for r in missing)
    assert sorted(r["period"] for r in missing) == sorted(p for p, _ in blanks)
    assert ("2024-05", "MCO") in {(r["period"], r["nationality"]) for r in missing}
    # a blank is not a zero: the month's other cells are all there
    assert len([r for r in cells if r["period"] == "2024-05"]) == len(
        [r for r in rows if (r[0], r[1]) == ("2024", "05")]
    )


# --- moj_students_monthly ------------------------------------------------------------


def test_students_monthly_adds_up_rows_printed_twice(db: Path, moj: Path) -> None:
    raw = raw_rows(moj / STUDENTS_MONTHLY, "utf-8-sig")
    for line, value in ICELAND_LINES.items():  # file line n is list index n - 1
        assert raw[line - 1][2:] == ["아이슬란드", "유학D2", str(value)]
    with duckdb.connect(str(db), read_only=True) as con:
        quarantined = con.execute(
            "SELECT row_number, reason FROM ml_quarantine WHERE dataset_id = ?",
            ["moj_students_monthly"],
        ).fetchall()
    assert quarantined == []
    sums = monthly_sums(raw, 4)
    by_month = {r["period"]: r["value"] for r in query(db, "moj_students_monthly")}
    assert by_month == sums
    iceland = query(db, "moj_students_monthly", "--period", "2026-02", "--filter",
                    "nationality=ISL", "--filter", "residence_status=D-2")
    assert iceland[0]["value"] == 5
    by_status = query(db, "moj_students_monthly", "--period", "2024-12", "--by",
                      "residence_status")
    raw_status: Counter[str] = Counter()
    for row in raw[1:]:
        if (row[0], row[1]) == ("2024", "12"):
            raw_status[row[3]] += int(row[4])
    assert {r["residence_status"]: r["value"] for r in by_status} == {
        "D-2": raw_status["유학D2"], "D-4-1": raw_status["한국어연수D41"],
        "D-4-7": raw_status["외국어연수D47"],
    }
    # the D-2 students of December 2024 are the D-2 column of the monthly status file
    assert raw_status["유학D2"] == 178_519


# --- moj_students_annual ---------------------------------------------------------------


def test_students_annual(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / STUDENTS_ANNUAL, "cp949")
    assert rows[0] == ["년", "구분", "외국인 유학생 수"]
    codes = {"유학D2": "D-2", "한국어연수D41": "D-4-1", "외국어연수D47": "D-4-7"}
    raw = {(r[0], codes[r[1]]): int(r[2]) for r in rows[1:]}
    assert len(raw) == 42
    cells = query(db, "moj_students_annual", "--by", "residence_status")
    assert {(r["period"], r["residence_status"]): r["value"] for r in cells} == raw
    assert raw[("2024", "D-2")] == 85_256  # as published (see the dataset's notes)
    assert one(db, "moj_stay_monthly_status", "--period", "2023-12",
               "--filter", "residence_status=D-2") == raw[("2023", "D-2")]


# --- moj_undocumented (README figure 9) ------------------------------------------------


def test_undocumented_figures(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / UNDOCUMENTED, "cp949")
    header, body = rows[0], rows[1:]
    assert body[-1][0] == "2022"
    assert int(body[-1][header.index("비전문취업(E_9)")]) == 55_171
    assert one(db, "moj_undocumented", "--period", "2022",
               "--filter", "residence_status=E-9") == 55_171
    # no total column or row: a year's total is its row sum (2022: 411,270)
    totals = {r["period"]: r["value"] for r in query(db, "moj_undocumented")}
    assert totals == {r[0]: sum(int(c) for c in r[1:] if c.strip()) for r in body}
    assert totals["2022"] == 411_270
    # 기타(G_1) is G-1, the last, bare 기타 is the residual column
    assert header[-3:] == ["기타(G_1)", "방문취업(H_2)", "기타"]
    assert one(db, "moj_undocumented", "--period", "2022",
               "--filter", "residence_status=G-1") == int(body[-1][-3]) == 12_909
    assert one(db, "moj_undocumented", "--period", "2022",
               "--filter", "residence_status=OTHER") == int(body[-1][-1]) == 20_815
    statuses = query(db, "moj_undocumented", "--period", "2022", "--by", "residence_status")
    assert len(statuses) == len(header) - 1 == 13


def test_undocumented_blank_cells_are_missing(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / UNDOCUMENTED, "cp949")
    header = rows[0]
    blanks = {(r[0], header[i]) for r in rows[1:] for i, c in enumerate(r) if not c.strip()}
    assert blanks == {("2010", "결혼이민(F_6)"), ("2011", "결혼이민(F_6)")}
    f6 = query(db, "moj_undocumented", "--filter", "residence_status=F-6")
    assert [(r["period"], r["value"], r["status"]) for r in f6[:3]] == [
        ("2010", None, "M"), ("2011", None, "M"), ("2012", 335, "A")
    ]
    assert len(f6) == 13


# --- naturalisations (README figure 8) --------------------------------------------------


def test_naturalisations_by_type(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / NAT_BY_TYPE, "utf-8-sig")
    assert rows[4] == ["2011", "귀화", "허가", "16090"]  # file line 5
    assert one(db, "moj_naturalisations_by_type", "--period", "2011",
               "--filter", "acquisition_type=naturalisation", "--filter", "stage=granted") == 16_090
    types = {"귀화": "naturalisation", "국적회복": "restoration"}
    stages = {"신청": "applied", "허가": "granted"}
    raw = {(r[0], types[r[1]], stages[r[2]]): int(r[3]) for r in rows[1:]}
    assert len(raw) == 56
    cells = query(db, "moj_naturalisations_by_type", "--by", "acquisition_type,stage")
    assert {(r["period"], r["acquisition_type"], r["stage"]): r["value"] for r in cells} == raw


def test_naturalisations_by_nationality(db: Path, moj: Path) -> None:
    rows = raw_rows(moj / NAT_BY_NATIONALITY, "utf-8-sig")
    assert rows[0] == ["년", "유형", "국적", "건수"]
    types = {"귀화": "naturalisation", "국적회복": "restoration"}
    raw: defaultdict[tuple[str, str], int] = defaultdict(int)
    for r in rows[1:]:
        raw[(r[0], types[r[1]])] += number(r[3])  # a few cells read "4,225"
    cells = query(db, "moj_naturalisations_by_nationality", "--by", "acquisition_type")
    assert {(r["period"], r["acquisition_type"]): r["value"] for r in cells} == dict(raw)
    assert one(db, "moj_naturalisations_by_nationality", "--period", "2021",
               "--filter", "acquisition_type=naturalisation", "--filter",
               "nationality=VNM") == 4_225
    nationalities = query(db, "moj_naturalisations_by_nationality", "--period", "2011",
                          "--by", "acquisition_type,nationality")
    assert len(nationalities) == sum(1 for r in rows[1:] if r[0] == "2011")
    # the 2011 grants by nationality add up to the 허가 figure of the by-type file
    assert sum(r["value"] for r in nationalities
               if r["acquisition_type"] == "naturalisation") == 16_090


# --- versions ----------------------------------------------------------------------------


def test_ingesting_the_same_file_twice_is_a_no_op(tmp_path: Path, moj: Path) -> None:
    path = tmp_path / "x.duckdb"
    file = str(moj / MONTHLY_STATUS)
    first = run_cli("ingest", file, "--db", str(path))
    assert first.exit_code == 0
    assert "moj_stay_monthly_status version 1" in printed(first)
    second = run_cli("ingest", file, "--db", str(path))
    assert second.exit_code == 0
    assert "moj_stay_monthly_status unchanged" in printed(second)
    info = datasets(path)["moj_stay_monthly_status"]
    assert (info["version"], info["versions"], info["observations"]) == (1, 1, 1855)

"""The sub-national tables: MOJ registered foreigners by 시도 (2018), Seoul districts (2017-Q1),
Jeju and Chungnam foreign residents, NHIS and NPS coverage of foreigners, Busan
multicultural families.

README-stats.md figure 7 and the addendum's figures are read back through ``migralink
query --format json``; the other expected numbers are computed here from the raw files
(csv module, python_calamine), independently of migralink's reader.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import CliResult, run_cli
from tests.helpers import one, query

MOJ_REGISTERED = "moj_registered_foreigners/2018 지역_및_체류자격별_등록외국인_현황.xlsx"
SEOUL = "seoul/01. population_in_Seoul.xls"
JEJU = "mois_foreign_residents/jeju_foreign_resident_status_district_2026-06-23.csv"
CHUNGNAM_TYPE = "mois_foreign_residents/approved_fileData_15047603_2026-06-18.csv"
CHUNGNAM_NAT = "mois_foreign_residents/chungnam_foreign_resident_nationality_2026-06-23.csv"
NHIS = "other/nhis_foreigner_coverage_2022_2026-06-15.csv"
NPS = "other/approved_fileData_3046074_2026-06-22.csv"
BUSAN = "other/mogef_multicultural_family_2024_2026-06-15.csv"

DATASETS = {
    # dataset: (file, dimensions, periods)
    "moj_registered_region_status": (MOJ_REGISTERED, ["residence_status"], ["2018"]),
    "seoul_population_by_district": (SEOUL, ["population_group", "sex"], ["2017-Q1"]),
    "jeju_foreign_residents_district": (JEJU, ["group", "sex"], ["2023"]),
    "chungnam_foreign_residents_type": (CHUNGNAM_TYPE, ["group"], ["2024"]),
    "chungnam_foreign_residents_nationality": (CHUNGNAM_NAT, ["nationality"], ["2024"]),
    "nhis_foreigner_coverage": (
        NHIS, ["insurance_type", "insured_group", "member_role"], ["2022"]),
    "nhis_foreigner_households": (NHIS, ["insured_group"], ["2022"]),
    "nps_foreigner_members_status": (
        NPS, ["residence_status", "coverage_type"], ["2026-06-22"]),
    "busan_multicultural_family": (BUSAN, ["family_member", "sex"], ["2024"]),
}


# --- raw files, read without migralink ------------------------------------------------


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def sheet(path: Path, name: str) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return rows


# --- the evidence base -----------------------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> tuple[Path, str]:
    """Every file in one command, each matched to its mapping by name and header."""
    path = tmp_path_factory.mktemp("subnational") / "x.duckdb"
    files = dict.fromkeys(f for f, _, _ in DATASETS.values())
    result = run_cli("ingest", *(str(shared / f) for f in files), "--db", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    return path, " ".join((result.stdout + result.stderr).split())


@pytest.fixture(scope="module")
def db(ingested: tuple[Path, str]) -> Path:
    return ingested[0]


def cells(db: Path, dataset: str, by: str) -> dict[tuple[str, ...], int]:
    """Every cell of a dataset: (region, *dims in ``by``) → value, at every region level.

    A query by region answers at one level: the levels are asked for one after another.
    """
    keys = ["region", *by.split(",")]
    rows = list(query(db, dataset, "--by", ",".join(keys)))
    for level in ("sido", "sigungu", "district"):
        result = run_cli("query", dataset, "--db", str(db), "--format", "json", "--by",
                         ",".join(keys), "--level", level)
        if result.exit_code == 0:
            rows += json.loads(result.stdout)["rows"]
    return {tuple(r[k] for k in keys): r["value"] for r in rows}


# --- structure -------------------------------------------------------------------------


def test_each_file_lands_in_its_datasets(ingested: tuple[Path, str]) -> None:
    _, out = ingested
    for dataset in DATASETS:
        assert f"→ {dataset} version 1" in out
    assert "quarantined" not in out
    assert "1 row(s) printed twice with the same value kept once" in out  # 러시아(한국계)


def test_datasets_have_their_dimensions_periods_and_provenance(db: Path) -> None:
    result = run_cli("datasets", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    found = {d["id"]: d for d in json.loads(result.stdout)}
    assert set(found) == set(DATASETS)
    for dataset, (_, dims, periods) in DATASETS.items():
        info = found[dataset]
        assert info["dimensions"] == ["period", "region", *dims], dataset
        assert info["periods"] == periods, dataset
        assert info["licence"], dataset
        assert info["source_url"].startswith("https://"), dataset
    assert found["nhis_foreigner_households"]["unit"] == "households"


# --- MOJ registered foreigners by sido, 2018 (addendum) ----------------------------------


def test_registered_foreigners_figures(db: Path, shared: Path) -> None:
    rows = sheet(shared / MOJ_REGISTERED, "데이터")
    header, body = rows[0], rows[1:]
    assert (len(header), len(body)) == (30, 17)
    raw = {row[0]: row for row in body}
    e9 = header.index("비전문취업(E-9)")
    assert raw["경기도"][1] == 408_526
    assert raw["경기도"][e9] == 108_630
    assert raw["서울특별시"][1] == 283_984
    assert raw["제주특별자치도"][1] == 24_841
    ds = "moj_registered_region_status"
    assert one(db, ds, "--region", "경기도", "--filter", "residence_status=E-9") == 108_630
    by_status = cells(db, ds, "residence_status")
    # the published 총계 is kept as the total (_T) of the statuses
    totals = {region: v for (region, status), v in by_status.items() if status == "_T"}
    assert (totals["41"], totals["11"], totals["50"]) == (408_526, 283_984, 24_841)
    assert len(totals) == 17
    # 총계 is the sum of the 28 status columns in every row, and the national figure is
    # the sum of the 17 시도
    for row in body:
        assert row[1] == sum(row[2:]), row[0]
    assert one(db, ds) == sum(row[1] for row in body) == 1_246_626
    assert by_status[("41", "OTHER")] == raw["경기도"][header.index("기타(Others)")]
    assert by_status[("41", "G-1")] == raw["경기도"][header.index("기타(G-1)")]


# --- Seoul districts, 2017-Q1 (addendum) -------------------------------------------------


def test_seoul_district_figures(db: Path, shared: Path) -> None:
    rows = sheet(shared / SEOUL, "YainSoft_Excel1")
    assert rows[3][:2] == ["2017.1/4", "합계"]
    assert rows[3][9] == 270_636
    assert rows[3][6] == 9_926_968
    for line, name, figure in ((23, "영등포구", 34_913), (21, "구로구", 31_387),
                               (22, "금천구", 18_729)):
        assert (rows[line - 1][1], rows[line - 1][9]) == (name, figure)
    ds = "seoul_population_by_district"
    assert one(db, ds, "--region", "영등포구", "--filter",
               "population_group=registered_foreigners") == 34_913
    by_group = cells(db, ds, "population_group")
    foreigners = {region: v for (region, group), v in by_group.items()
                  if group == "registered_foreigners"}
    assert (foreigners["11"], foreigners["11530"], foreigners["11545"]) == (
        270_636, 31_387, 18_729)
    assert by_group[("11", "korean")] == 9_926_968
    # the 25 districts add up to the 합계 row, and 합계 = 한국인 + 등록외국인
    districts = [r for r in rows[4:] if r[1]]
    assert len(districts) == 25
    assert sum(r[9] for r in districts) == 270_636
    assert by_group[("11", "_T")] == by_group[("11", "korean")] + by_group[
        ("11", "registered_foreigners")] == rows[3][3]
    assert len({region for region, _ in by_group}) == 26


# --- Jeju and Chungnam foreign residents -------------------------------------------------


def test_jeju_figures(db: Path, shared: Path) -> None:
    rows = csv_rows(shared / JEJU)
    assert rows[1][:3] == ["제주시", "남", "5096"]  # line 2
    ds = "jeju_foreign_residents_district"
    assert one(db, ds, "--region", "제주시", "--filter", "group=workers", "--filter",
               "sex=M") == 5_096
    raw: Counter[str] = Counter()
    for row in rows[1:]:
        raw[row[0]] += sum(int(c) for c in row[2:9])
    # the province (50) is not printed: a query at sido level rolls it up from the two cities
    assert cells(db, ds, "period") == {
        ("50110", "2023"): raw["제주시"], ("50130", "2023"): raw["서귀포시"],
        ("50", "2023"): raw["제주시"] + raw["서귀포시"]}
    assert one(db, ds, "--region", "50") == sum(raw.values())
    # the province's sum is not the nation's (it was answered as region 00)
    national = run_cli("query", ds, "--db", str(db))
    assert national.exit_code == 1
    assert "covers only 제주특별자치도 (50)" in national.stderr


def test_chungnam_figures(db: Path, shared: Path) -> None:
    types = {row[0]: int(row[1]) for row in csv_rows(shared / CHUNGNAM_TYPE)[1:]}
    got = cells(db, "chungnam_foreign_residents_type", "group")
    assert got == {
        ("44", "workers"): types["외국인근로자"],
        ("44", "marriage_migrants"): types["결혼이민자"],
        ("44", "other_foreigners"): types["기타외국인"],
        ("44", "naturalised"): types["한국 국적을 취득한자"],
        ("44", "children"): types["외국인 주민자녀(출생)"],
    }
    rows = csv_rows(shared / CHUNGNAM_NAT)[1:]
    assert [r[0] for r in rows].count("러시아(한국계)") == 2
    unique = {row[0]: int(row[1]) for row in rows}  # the repeated row counted once
    nationalities = cells(db, "chungnam_foreign_residents_nationality", "nationality")
    assert nationalities[("44", "RUS-KR")] == 1_831
    assert nationalities[("44", "CHN-KR")] == unique["중국(한국계)"] == 24_970
    assert nationalities[("44", "_O")] == unique["기타"]
    assert one(db, "chungnam_foreign_residents_nationality", "--region", "44") == sum(
        unique.values()) == 91_928


# --- NHIS, NPS and Busan -----------------------------------------------------------------


def test_nhis_figures(db: Path, shared: Path) -> None:
    rows = csv_rows(shared / NHIS)
    header, body = rows[0], rows[1:]
    assert len(body) == 17
    persons = [i for i, h in enumerate(header) if "세대수" not in h and i > 0]
    households = [i for i, h in enumerate(header) if "세대수" in h]
    assert (len(persons), len(households)) == (6, 2)
    raw = {row[0]: row for row in body}
    got = cells(db, "nhis_foreigner_coverage", "insurance_type,insured_group,member_role")
    seoul = header.index("직장(외국인 가입자)")
    assert got[("11", "workplace", "foreigners", "subscriber")] == int(raw["서울"][seoul])
    # short names resolve to the codes valid in 2022 (강원 42, 전북 45, not 51 or 52)
    regions = {key[0] for key in got}
    assert len(regions) == 17
    assert {"42", "45", "36"} <= regions
    assert not {"51", "52"} & regions
    assert one(db, "nhis_foreigner_coverage") == sum(
        int(row[i]) for row in body for i in persons)
    assert one(db, "nhis_foreigner_households") == sum(
        int(row[i]) for row in body for i in households)


def test_nps_figures(db: Path, shared: Path) -> None:
    rows = csv_rows(shared / NPS)
    raw = {row[0]: (int(row[1]), int(row[2])) for row in rows[1:]}
    got = cells(db, "nps_foreigner_members_status", "residence_status,coverage_type")
    assert got[("00", "H-2", "workplace")] == raw["방문취업"][0] == 43_417
    assert got[("00", "E-10-1", "workplace")] == raw["내항선원"][0]
    assert got[("00", "OTHER", "individual")] == raw["기타"][1] == 6_503
    assert len(got) == 2 * len(raw) == 30
    assert one(db, "nps_foreigner_members_status") == sum(a + b for a, b in raw.values())


def test_busan_figures(db: Path, shared: Path) -> None:
    rows = csv_rows(shared / BUSAN)
    header, body = rows[0], rows[1:]
    raw = {row[0]: [int(c) for c in row[1:]] for row in body}
    assert len(raw) == 16
    total = header.index("총계") - 1
    assert raw["해운대구"][total] == 2_947
    ds = "busan_multicultural_family"
    assert one(db, ds, "--region", "해운대구") == 2_947
    assert one(db, ds, "--region", "부산") == sum(v[total] for v in raw.values()) == 28_812
    got = cells(db, ds, "family_member,sex")
    children_f = header.index("자녀(여)") - 1
    assert got[("26350", "children", "F")] == raw["해운대구"][children_f]
    # 부산 중구 and 서구 are read under Busan, not Seoul or Incheon
    assert ("26110", "_T", "_T") in got
    assert ("26140", "_T", "_T") in got
    assert all(key[0].startswith("26") for key in got)


def test_a_damaged_total_is_refused(tmp_path: Path, shared: Path) -> None:
    rows = csv_rows(shared / BUSAN)
    rows[1][1] = str(int(rows[1][1]) + 1)  # 중구 총계 one more than 결혼이민자 + 자녀
    damaged = tmp_path / Path(BUSAN).name
    with damaged.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result: CliResult = run_cli("ingest", str(damaged), "--db", str(tmp_path / "x.duckdb"))
    assert result.exit_code == 1
    assert "total(s) of family_member" in " ".join((result.stdout + result.stderr).split())

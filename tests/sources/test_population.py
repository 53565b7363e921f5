"""The MOIS resident registration population tables (shared/data/population).

Six jumin.mois.go.kr downloads feed three datasets: ``population_sido`` (the two
주민등록인구및세대현황 files, 2009-2018 and 2019-2024, one series), ``population_sigungu``
(the three 연령별인구현황 files of 2013-2021: 시도, 시군구 and 읍면동 rows) and
``population_residents_sigungu`` (the 2022-2024 거주자 download, a different population).
README-stats.md figures 4 and 5 and the addendum's 2022-2024 figures are read back through
``migralink query --format json``; the other expected numbers are computed here from the
raw CP949 files with the csv module, independently of migralink's reader.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.helpers import one, printed, query

SIDO_0918 = "200912_201812_주민등록인구및세대현황_연간.csv"
SIDO_1924 = "201912_202412_주민등록인구및세대현황_연간.csv"
AGE_1315 = "201312_201512_연령별인구현황_연간.csv"
AGE_1618 = "201612_201812_연령별인구현황_연간.csv"
AGE_1921 = "201912_202112_연령별인구현황_연간.csv"
RESIDENTS = "202212_202412_연령별인구현황_연간.csv"
CODE = re.compile(r"\((\d{10})\)\s*$")


# --- raw files, read without migralink ------------------------------------------------


def raw_rows(path: Path) -> list[list[str]]:
    """Header and rows of a jumin.mois.go.kr download (CP949, quoted cells)."""
    with path.open(encoding="cp949", newline="") as handle:
        return list(csv.reader(handle))


def number(cell: str) -> int:
    """A quoted count with thousands separators; blank cells count as 0."""
    text = cell.replace(",", "").strip()
    return int(text) if text else 0


def column(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def code10(name_cell: str) -> str:
    found = CODE.search(name_cell)
    assert found, name_cell
    return found.group(1)


# --- the evidence base -----------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(shared: Path) -> Path:
    return shared / "population"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> tuple[Path, str]:
    """The six files, ingested in one command without naming a mapping."""
    path = tmp_path_factory.mktemp("population") / "x.duckdb"
    names = (SIDO_0918, SIDO_1924, AGE_1315, AGE_1618, AGE_1921, RESIDENTS)
    result = run_cli("ingest", *(str(folder / n) for n in names), "--db", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    return path, printed(result)


@pytest.fixture(scope="module")
def db(ingested: tuple[Path, str]) -> Path:
    return ingested[0]


def by_region(db: Path, dataset: str, *periods: str) -> dict[tuple[str, str], int]:
    """(period, region) → value over the periods asked for, at every region level.

    A query by region answers at one level; the nation (no ``--by``), the sido, the
    sigungu and the districts are asked for one after another and put together.
    """
    args = [a for p in periods for a in ("--period", p)]
    rows = list(query(db, dataset, *args))
    for level in ("sido", "sigungu", "district"):
        result = run_cli("query", dataset, "--db", str(db), "--format", "json", *args,
                         "--by", "region", "--level", level)
        if result.exit_code == 0:
            rows += json.loads(result.stdout)["rows"]
    assert {r["period"] for r in rows} == set(periods)
    return {(r["period"], r["region"]): r["value"] for r in rows}


def in_period(values: dict[tuple[str, str], int], period: str) -> dict[str, int]:
    return {region: v for (p, region), v in values.items() if p == period}


SIDO_YEARS = ("2009", "2011", "2012", "2016", "2022", "2024")
SIGUNGU_YEARS = ("2013", "2014", "2016", "2021")


# --- structure -------------------------------------------------------------------------


def test_files_build_three_series(ingested: tuple[Path, str]) -> None:
    _, out = ingested
    for version in (1, 2):
        assert f"→ population_sido version {version}" in out
        assert f"→ population_households_sido version {version}" in out
    for version in (1, 2, 3):
        assert f"→ population_sigungu version {version}" in out
    assert "→ population_residents_sigungu version 1" in out
    assert "quarantined" not in out
    # renamed provinces and branch offices printed outside their validity are noted
    assert "blank or zero cell(s) for units that did not exist" in out


def test_datasets_have_their_dimensions_periods_and_provenance(db: Path) -> None:
    result = run_cli("datasets", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    found = {d["id"]: d for d in json.loads(result.stdout)}
    assert set(found) == {
        "population_sido", "population_households_sido", "population_sigungu",
        "population_residents_sigungu",
    }
    years = {
        "population_sido": range(2009, 2025),
        "population_households_sido": range(2009, 2025),
        "population_sigungu": range(2013, 2022),
        "population_residents_sigungu": range(2022, 2025),
    }
    for dataset, span in years.items():
        info = found[dataset]
        assert info["periods"] == [str(y) for y in span]
        assert info["publisher"].startswith("행정안전부")
        assert info["licence"].startswith("not stated")
        expected = ["period", "region"] if "households" in dataset else [
            "period", "region", "sex"]
        assert info["dimensions"] == expected
    assert found["population_households_sido"]["unit"] == "households"
    assert found["population_sido"]["sources"] == [SIDO_0918, SIDO_1924]


# --- population_sido (README figure 5) ---------------------------------------------------


def test_sido_figures(db: Path, folder: Path) -> None:
    rows = raw_rows(folder / SIDO_1924)
    col = column(rows, "2024년_총인구수")
    assert rows[1][0].startswith("전국")
    assert number(rows[1][col]) == 51_217_221
    assert rows[10][0].startswith("경기도")
    assert number(rows[10][col]) == 13_694_685
    assert one(db, "population_sido", "--period", "2024") == 51_217_221
    assert one(db, "population_sido", "--period", "2024", "--region", "41") == 13_694_685
    # the national row is the sum of the sido rows (renamed provinces' blanks count 0)
    assert sum(number(r[col]) for r in rows[2:]) == 51_217_221
    y2024 = in_period(by_region(db, "population_sido", *SIDO_YEARS), "2024")
    assert y2024["00"] == sum(v for c, v in y2024.items() if c != "00") == 51_217_221
    sexes = {
        r["sex"]: r["value"]
        for r in query(db, "population_sido", "--period", "2024", "--by", "sex")
    }
    assert sexes["_T"] == sexes["M"] + sexes["F"] == 51_217_221
    assert sexes["M"] == number(rows[1][column(rows, "2024년_남자 인구수")])


def test_sido_series_joins_the_two_files(db: Path, folder: Path) -> None:
    values = by_region(db, "population_sido", *SIDO_YEARS)
    old = raw_rows(folder / SIDO_0918)
    for year in ("2009", "2016"):
        col = column(old, f"{year}년_총인구수")
        for row in old[1:]:
            code = code10(row[0])
            region = "00" if code == "1000000000" else code[:2]
            if row[col].strip() not in ("", "0"):
                assert values[(year, region)] == number(row[col]), (year, row[0])
    assert values[("2009", "41")] == 11_460_610
    households = raw_rows(folder / SIDO_1924)
    assert one(db, "population_households_sido", "--period", "2024") == number(
        households[1][column(households, "2024년_세대수")]
    ) == 24_118_928


def test_renamed_provinces_appear_only_while_valid(db: Path) -> None:
    values = by_region(db, "population_sido", *SIDO_YEARS)
    y2022, y2024 = in_period(values, "2022"), in_period(values, "2024")
    assert "42" in y2022
    assert "51" not in y2022
    assert "45" in y2022
    assert "52" not in y2022
    assert "51" in y2024
    assert "42" not in y2024
    assert "52" in y2024
    assert "45" not in y2024
    assert y2024["51"] == 1_517_766
    assert y2024["52"] == 1_738_690
    # 세종 (36) is printed as 0 or blank before it existed (1 July 2012)
    assert "36" not in in_period(values, "2011")
    assert values[("2012", "36")] == 113_117
    # a name reads the code valid in the period asked for
    assert one(db, "population_sido", "--period", "2024", "--region", "강원특별자치도") == (
        1_517_766
    )


# --- population_sigungu (README figure 4) ------------------------------------------------


def test_sigungu_figures(db: Path, folder: Path) -> None:
    rows = raw_rows(folder / AGE_1618)
    col = column(rows, "2016년_계_총인구수")
    gyeonggi, ansan = rows[1292], rows[1535]  # file lines 1293 and 1536
    assert code10(gyeonggi[0]) == "4100000000"
    assert number(gyeonggi[col]) == 12_716_780
    assert code10(ansan[0]) == "4127000000"
    assert number(ansan[col]) == 689_859
    args = ("population_sigungu", "--period", "2016", "--region")
    assert one(db, *args, "41") == 12_716_780
    assert one(db, *args, "41270") == 689_859


def test_region_by_name_code_and_kostat_code_agree(db: Path) -> None:
    args = ("population_sigungu", "--period", "2016", "--region")
    assert one(db, *args, "경기도") == one(db, *args, "kostat:31") == one(db, *args, "41")
    assert one(db, *args, "안산시") == one(db, *args, "41270") == 689_859


def test_ambiguous_region_name_lists_the_candidates(db: Path) -> None:
    result = run_cli("query", "population_sigungu", "--db", str(db), "--period", "2016",
                     "--region", "중구")
    assert result.exit_code == 1
    message = printed(result)
    assert "ambiguous" in message
    for candidate in ("11140 서울특별시 중구", "26110 부산광역시 중구", "28110 인천광역시 중구"):
        assert candidate in message


def test_sigungu_rows_add_up_to_their_sido(db: Path, folder: Path) -> None:
    regions = in_period(by_region(db, "population_sigungu", *SIGUNGU_YEARS), "2016")
    sigungu = [c for c in regions if len(c) == 5 and c.endswith("0") and c.startswith("41")]
    assert len(sigungu) == 31  # 경기도's 28 시 and 3 군 in 2016
    assert sum(regions[c] for c in sigungu) == regions["41"] == 12_716_780
    # a city and its districts: 안산시 = 상록구 + 단원구
    assert regions["41271"] + regions["41273"] == regions["41270"]
    # Seoul's autonomous 구 whose codes end in 5 (광진구 11215, 금천구 11545) are Seoul's
    seoul = [c for c in regions if len(c) == 5 and c.startswith("11")]
    assert {"11215", "11305", "11545"} <= set(seoul)
    assert len(seoul) == 25
    assert sum(regions[c] for c in seoul) == regions["11"]
    # and from the raw file: the 읍면동 rows of 단원구 add up to it
    rows = raw_rows(folder / AGE_1618)
    col = column(rows, "2016년_계_총인구수")
    danwon = sum(number(r[col]) for r in rows[1:] if code10(r[0]).startswith("41273")
                 and not code10(r[0]).endswith("00000"))
    assert danwon == regions["41273"]


def test_national_total_counts_cities_and_districts_once(db: Path, folder: Path) -> None:
    rows = raw_rows(folder / AGE_1618)
    col = column(rows, "2016년_계_총인구수")
    sido_rows = [r for r in rows[1:] if code10(r[0]).endswith("00000000")]
    assert len(sido_rows) == 17
    raw_total = sum(number(r[col]) for r in sido_rows)
    assert raw_total == 51_696_216
    assert one(db, "population_sigungu", "--period", "2016") == raw_total
    # the same as the 전국 row of the 시도 file
    assert by_region(db, "population_sido", *SIDO_YEARS)[("2016", "00")] == raw_total


def test_sigungu_series_spans_the_three_files(db: Path, folder: Path) -> None:
    totals = {
        r["period"]: r["value"]
        for r in query(db, "population_sigungu", "--period", "2013", "--period", "2021")
    }
    for name, year in ((AGE_1315, "2013"), (AGE_1921, "2021")):
        rows = raw_rows(folder / name)
        col = column(rows, f"{year}년_계_총인구수")
        raw = sum(number(r[col]) for r in rows[1:] if code10(r[0]).endswith("00000000"))
        assert totals[year] == raw
    # 청원군 (43710) was merged into 청주시 on 1 July 2014: in 2013 only
    values = by_region(db, "population_sigungu", *SIGUNGU_YEARS)
    assert ("2013", "43710") in values
    assert ("2014", "43710") not in values
    assert values[("2013", "43710")] == 155_002


# --- population_residents_sigungu (addendum) -------------------------------------------


RESIDENT_FIGURES = {
    # region: (file line, 2022, 2023, 2024)
    "11": (2, 9_355_332, 9_314_535, 9_261_703),
    "41": (89, 13_524_342, 13_566_743, 13_629_700),
    "41270": (113, 637_719, 625_644, 616_965),
    "41273": (115, 295_269, 292_829, 291_731),
}
YEARS = ("2022", "2023", "2024")


def test_residents_figures(db: Path, folder: Path) -> None:
    rows = raw_rows(folder / RESIDENTS)
    assert (len(rows[0]), len(rows) - 1) == (208, 332)
    values = by_region(db, "population_residents_sigungu", *YEARS)
    for region, (line, *figures) in RESIDENT_FIGURES.items():
        row = rows[line - 1]
        assert code10(row[0]).startswith(region)
        for year, figure in zip(YEARS, figures, strict=True):
            assert number(row[column(rows, f"{year}년_거주자_총인구수")]) == figure
            assert values[(year, region)] == figure
    got = query(db, "population_residents_sigungu", "--region", "단원구")
    assert [r["value"] for r in got] == list(RESIDENT_FIGURES["41273"][1:])


def test_residents_national_total_is_the_sum_of_the_sido(db: Path, folder: Path) -> None:
    rows = raw_rows(folder / RESIDENTS)
    totals = {r["period"]: r["value"] for r in query(db, "population_residents_sigungu")}
    for year in YEARS:
        col = column(rows, f"{year}년_거주자_총인구수")
        raw = sum(number(r[col]) for r in rows[1:] if code10(r[0]).endswith("00000000"))
        assert totals[year] == raw


def test_residents_are_not_merged_with_the_registered_population(db: Path) -> None:
    residents = by_region(db, "population_residents_sigungu", *YEARS)[("2024", "41")]
    registered = one(db, "population_sido", "--period", "2024", "--region", "41")
    assert (residents, registered) == (13_629_700, 13_694_685)
    sexes = {r["sex"]: r["value"] for r in query(
        db, "population_residents_sigungu", "--period", "2024", "--region", "41", "--by",
        "sex")}
    assert sexes == {"_T": 13_629_700, "M": 6_845_695, "F": 6_784_005}


# --- damaged copies are refused ---------------------------------------------------------


def test_a_national_row_that_does_not_add_up_is_refused(tmp_path: Path, folder: Path) -> None:
    rows = raw_rows(folder / SIDO_1924)
    total, men = column(rows, "2024년_총인구수"), column(rows, "2024년_남자 인구수")
    rows[1][total] = f"{number(rows[1][total]) + 1:,}"  # 전국 total and men, both +1
    rows[1][men] = f"{number(rows[1][men]) + 1:,}"
    damaged = tmp_path / SIDO_1924
    with damaged.open("w", encoding="cp949", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)
    result = run_cli("ingest", str(damaged), "--db", str(tmp_path / "x.duckdb"))
    assert result.exit_code == 1
    message = printed(result)
    assert "region 00 has 51,217,222 but its 17 sub-unit(s) add up to 51,217,221" in message


def test_a_utf8_copy_of_a_cp949_download_lands_the_same_cells(
    db: Path, folder: Path, tmp_path: Path
) -> None:
    # the mapping pins CP949; a copy saved as UTF-8 was refused with the advice to save
    # it as UTF-8 (the README says a re-encoded copy changes nothing)
    copy = tmp_path / "utf8" / SIDO_1924
    copy.parent.mkdir()
    copy.write_text((folder / SIDO_1924).read_bytes().decode("cp949"), encoding="utf-8")
    again = tmp_path / "again.duckdb"
    landed = run_cli("ingest", str(copy), "--db", str(again))
    assert landed.exit_code == 0, landed.stderr
    assert by_region(again, "population_sido", "2019", "2024") == by_region(
        db, "population_sido", "2019", "2024")


def test_a_damaged_region_code_is_named_not_a_broken_total(
    folder: Path, tmp_path: Path
) -> None:
    # one digit changed in 서울's code was reported as "6 region totals do not add up"
    # (the nation against its provinces), never as the code itself
    text = (folder / SIDO_1924).read_bytes().decode("cp949")
    assert text.count("(1100000000)") == 1
    copy = tmp_path / "bad" / SIDO_1924
    copy.parent.mkdir()
    copy.write_bytes(text.replace("(1100000000)", "(1100000009)").encode("cp949"))
    result = run_cli("ingest", str(copy), "--db", str(tmp_path / "x.duckdb"))
    assert result.exit_code == 1
    assert "unknown region code '1100000009'" in result.stderr
    assert "do not equal the sum" not in result.stderr
    assert "row 3" in result.stderr

"""Residence status codes against every status label of the real files."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from migralink.codes.statuses import (
    OTHER,
    is_total_label,
    normalize_status,
    status_group_table,
    status_table,
    try_normalize_status,
)
from migralink.errors import CodeError

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
STAY = SHARED / "moj_stay_foreigners"
KOSIS_XLSX = SHARED / "moj_registered_foreigners" / "2018 지역_및_체류자격별_등록외국인_현황.xlsx"


def _header(path: Path, encoding: str) -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        return next(csv.reader(handle))


def _kosis_rows() -> list[list[object]]:
    sheet = CalamineWorkbook.from_path(str(KOSIS_XLSX)).get_sheet_by_name("데이터")
    return [list(row) for row in sheet.to_python()]


def _column(path: Path, column: str, encoding: str = "utf8") -> list[str]:
    values: list[str] = (
        pl.read_csv(path, encoding=encoding, infer_schema=False)[column].unique().to_list()
    )
    return values


# Each entry: one group of labels that appear side by side (one header, or one file's
# status column); they must all resolve, and to different codes.
LABEL_GROUPS: dict[str, list[str]] = {
    "status_2024_header": _header(
        STAY / "moj_foreign_resident_status_2024_2026-06-14.csv", "cp949"
    )[3:],
    "stay_2024_header": _header(STAY / "moj_foreign_stay_data_2024_2026-06-14.csv", "cp949")[3:],
    "illegal_stay_header": _header(STAY / "approved_fileData_15112636_2026-06-18.csv", "cp949")[1:],
    "students": _column(STAY / "moe_foreign_student_region_2026-06-23.csv", "구분"),
    "student_stay": _column(STAY / "moj_foreign_student_stay_2024_2026-06-14.csv", "구분", "cp949"),
    "kosis_header": [str(v) for v in _kosis_rows()[0][1:]],
    "nps": _column(SHARED / "other" / "approved_fileData_3046074_2026-06-22.csv", "체류자격"),
}


@pytest.mark.parametrize("group", sorted(LABEL_GROUPS))
def test_every_label_resolves_to_a_distinct_code(group: str) -> None:
    labels = [label for label in LABEL_GROUPS[group] if not is_total_label(label)]
    codes = [try_normalize_status(label) for label in labels]
    assert [label for label, code in zip(labels, codes, strict=True) if code is None] == []
    assert len(set(codes)) == len(codes)


def test_monthly_status_file_resolves_month_by_month() -> None:
    frame = pl.read_csv(STAY / "approved_fileData_15100016_2026-06-23.csv", infer_schema=False)
    labels = frame["체류자격"].unique().to_list()
    assert [label for label in labels if try_normalize_status(label) is None] == []
    coded = frame.with_columns(
        code=pl.col("체류자격").map_elements(normalize_status, return_dtype=pl.String)
    )
    # The spelling changes over time; within one month no two labels may share a code.
    per_month = coded.group_by("년", "월", "code").agg(pl.col("체류자격").n_unique().alias("n"))
    assert per_month.filter(pl.col("n") > 1).height == 0
    # README-stats check 3: the monthly totals survive the recoding.
    totals = coded.group_by("년", "월").agg(pl.col("체류외국인수").cast(pl.Int64).sum())
    assert totals.filter((pl.col("년") == "2022") & (pl.col("월") == "12"))[
        "체류외국인수"
    ].to_list() == [2_245_912]


def test_two_kinds_of_other_in_the_illegal_stay_header() -> None:
    header = LABEL_GROUPS["illegal_stay_header"]
    assert [normalize_status(label) for label in header if "기타" in label] == ["G-1", OTHER]
    # README-stats check 9: 불법체류 E-9 in 2022 (last line) is 55,171.
    with (STAY / "approved_fileData_15112636_2026-06-18.csv").open(encoding="cp949") as handle:
        last = list(csv.reader(handle))[-1]
    e9 = [normalize_status(label) for label in header].index("E-9")
    assert last[0] == "2022"
    assert int(last[1 + e9]) == 55_171


def test_kosis_header_points_at_the_published_cell() -> None:
    # README-stats: 경기도 비전문취업(E-9) = 108,630 in the 2018 KOSIS download.
    rows = _kosis_rows()
    e9 = [
        normalize_status(str(label)) if not is_total_label(str(label)) else ""
        for label in rows[0][1:]
    ]
    gyeonggi = next(row for row in rows if row[0] == "경기도")
    assert gyeonggi[1 + e9.index("E-9")] == 108_630


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("E9(비전문취업)", "E-9"),
        ("사증면제B1", "B-1"),
        ("B1사증면제", "B-1"),
        ("B1(사증면제)", "B-1"),
        ("사증면제(B_1)", "B-1"),
        ("비전문취업(E_9)", "E-9"),
        ("E10(선원취업)", "E-10"),
        ("D10구직", "D-10"),
        ("한국어연수D41", "D-4-1"),
        ("외국어연수D47", "D-4-7"),
        ("문화예술(D-1)", "D-1"),
        ("방문취업(H-2)", "H-2"),
        ("기타(G_1)", "G-1"),
        ("기타", OTHER),
        ("기타(Other)", OTHER),
        ("기타(Others)", OTHER),
        ("취재", "D-5"),
        ("주재", "D-7"),
        ("내항선원", "E-10-1"),
        ("Ｅ－９", "E-9"),
        ("E-9", "E-9"),
        ("관광·통과", "B-2"),
        ("Non-professional Employment", "E-9"),
    ],
)
def test_spot_checks(label: str, code: str) -> None:
    assert normalize_status(label) == code


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("E-9", "workers"),
        ("H-2", "workers"),
        ("E-8", "workers"),
        ("F-6", "marriage_migrants"),
        ("D-2", "students"),
        ("D-4-1", "students"),
        ("F-4", "overseas_koreans"),
        ("F-5", "permanent_residents"),
        ("B-1", "others"),
        (OTHER, "others"),
    ],
)
def test_groups(code: str, group: str) -> None:
    table = status_table()
    assert table.filter(pl.col("code") == code)["group"].to_list() == [group]


def test_table_is_consistent() -> None:
    table = status_table()
    assert table["code"].is_unique().all()
    parents = set(table["parent"].drop_nulls())
    assert parents <= set(table["code"])
    assert set(table["group"]) == set(status_group_table()["group"])
    assert set(table["term"].drop_nulls()) == {"short", "long"}
    assert table["citation"].null_count() == 0
    # Every code and every name resolves back to its own row.
    for code, name in table.select("code", "name_ko").iter_rows():
        assert normalize_status(code) == code
        if name != "기타":
            assert normalize_status(name) == code


@pytest.mark.parametrize("label", ["총계", "합계", "계", " 합 계 "])
def test_totals_are_not_statuses(label: str) -> None:
    assert is_total_label(label)
    assert try_normalize_status(label) is None
    with pytest.raises(CodeError, match="total"):
        normalize_status(label)


def test_unknown_label_lists_close_matches() -> None:
    with pytest.raises(CodeError) as raised:
        normalize_status("비전문취엽")
    assert any("E-9" in line for line in raised.value.details)


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("유학(E-9)", "has code E-9 but the name"),
        ("D-4-9", "not in the list"),
        ("E9+H2", "several codes"),
    ],
)
def test_contradictory_labels_are_refused(label: str, message: str) -> None:
    assert try_normalize_status(label) is None
    with pytest.raises(CodeError, match=message):
        normalize_status(label)

"""Nationality codes against every nationality label of the real MOJ and Chungnam files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from migralink.codes.build_nationalities import build_all
from migralink.codes.nationalities import (
    DATA_DIR,
    is_total_label,
    nationality_aliases,
    nationality_table,
    resolve_nationality,
    try_resolve_nationality,
)
from migralink.errors import CodeError

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"

# (file, encoding, nationality column, columns that identify one table cell besides it).
# Read here with polars, independently of the builder's own reader.
FILES = [
    (
        "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv",
        "cp949",
        "국적",
        ["성별"],
    ),
    ("moj_stay_foreigners/moj_foreign_stay_data_2024_2026-06-14.csv", "cp949", "국적", ["성별"]),
    (
        "moj_stay_foreigners/moj_foreign_resident_monthly_nationality_2026-07-01.csv",
        "utf8",
        "국적지역",
        ["년", "월"],
    ),
    (
        "moj_stay_foreigners/moe_foreign_student_region_2026-06-23.csv",
        "utf8",
        "국적지역",
        ["년", "월", "구분"],
    ),
    (
        "moj_stay_foreigners/moj_naturalization_by_nationality_2026-07-01.csv",
        "utf8",
        "국적",
        ["년", "유형"],
    ),
    (
        "mois_foreign_residents/chungnam_foreign_resident_nationality_2026-06-23.csv",
        "utf8",
        "국적",
        [],
    ),
]


def _read(path: str, encoding: str) -> pl.DataFrame:
    return pl.read_csv(SHARED / path, encoding=encoding, infer_schema=False)


@pytest.mark.parametrize(("path", "encoding", "column", "cell"), FILES)
def test_every_label_of_the_real_files_resolves(
    path: str, encoding: str, column: str, cell: list[str]
) -> None:
    labels = _read(path, encoding)[column].unique().to_list()
    unresolved = [
        label
        for label in labels
        if not is_total_label(label) and try_resolve_nationality(label) is None
    ]
    assert unresolved == []


@pytest.mark.parametrize(("path", "encoding", "column", "cell"), FILES)
def test_different_labels_of_one_table_get_different_codes(
    path: str, encoding: str, column: str, cell: list[str]
) -> None:
    # Two spellings of one country in the same month would be summed silently by a
    # reader: the codes must keep apart what the ministry keeps apart.
    frame = _read(path, encoding).with_columns(
        code=pl.col(column).map_elements(resolve_nationality, return_dtype=pl.String)
    )
    clashes = frame.group_by([*cell, "code"]).agg(pl.col(column).n_unique().alias("n"))
    assert clashes.filter(pl.col("n") > 1).height == 0


def test_ethnic_korean_chinese_in_the_status_file_match_the_published_figure() -> None:
    # README-stats check 2: 한국계중국인 (남성 + 여성) = 643,277 at end-2024; the grand
    # total of all nationalities is 2,650,783.
    frame = _read(FILES[0][0], "cp949")
    counts = frame.select(
        pl.col("국적").map_elements(resolve_nationality, return_dtype=pl.String).alias("code"),
        pl.sum_horizontal(pl.all().exclude("대륙", "국적", "성별").cast(pl.Int64)).alias("n"),
    )
    assert counts.filter(pl.col("code") == "CHN-KR")["n"].sum() == 643_277
    assert counts["n"].sum() == 2_650_783


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("한국계중국인", "CHN-KR"),
        ("한국계 중국인", "CHN-KR"),
        ("중국(한국계)", "CHN-KR"),
        ("중국（한국계）", "CHN-KR"),
        (" 중국 ( 한국계 ) ", "CHN-KR"),
        ("러시아(한국계)", "RUS-KR"),
        ("한국계러시아인", "RUS-KR"),
        ("중국", "CHN"),
        ("대만", "TWN"),
        ("타이완", "TWN"),
        ("홍콩", "HKG"),
        ("마카오", "MAC"),
        ("코소보", "XKX"),
        ("무국적", "XXA"),
        ("기타", "_O"),
        ("미상", "_U"),
        ("태국", "THA"),
        ("타이", "THA"),
        ("튀르키예", "TUR"),
        ("터키", "TUR"),
        ("보스니아-헤르체고비나", "BIH"),
        ("CHN", "CHN"),
        ("cn", "CHN"),
        ("CHN-KR", "CHN-KR"),
    ],
)
def test_spot_checks(label: str, code: str) -> None:
    assert resolve_nationality(label) == code


def test_ethnic_korean_rows_keep_their_country() -> None:
    table = nationality_table()
    row = table.filter(pl.col("code") == resolve_nationality("한국계중국인")).row(0, named=True)
    assert (row["iso3"], row["ethnic_korean"]) == ("CHN", True)
    assert table.filter(pl.col("ethnic_korean"))["iso3"].sort().to_list() == ["CHN", "RUS"]


@pytest.mark.parametrize("label", ["총계", "합계", "계", "아시아주", "유럽주", " 오세아니아 주 "])
def test_totals_and_continents_are_not_nationalities(label: str) -> None:
    assert is_total_label(label)
    assert try_resolve_nationality(label) is None
    with pytest.raises(CodeError, match="total or continent"):
        resolve_nationality(label)


def test_unknown_label_lists_close_matches() -> None:
    with pytest.raises(CodeError) as raised:
        resolve_nationality("베트냠")
    assert any("VNM" in line for line in raised.value.details)
    assert "베트냠" in str(raised.value)


def test_table_is_consistent() -> None:
    table = nationality_table()
    assert table["code"].is_unique().all()
    assert set(nationality_aliases()["code"]) <= set(table["code"])
    assert table["name_ko"].null_count() == 0
    iso = table.filter(pl.col("scheme") == "iso3166-1")
    assert (iso["code"] == iso["iso3"]).all()
    assert iso["iso2"].str.len_chars().eq(2).all()


def test_shipped_files_equal_a_fresh_build(tmp_path: Path) -> None:
    build_all(SHARED, tmp_path)
    for name in ("nationalities.csv", "nationality_aliases.csv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name

"""The region code list and the KOSTAT crosswalk against the published MOIS and SGIS files."""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from migralink.codes.build_regions import build_all
from migralink.codes.regions import (
    DATA_DIR,
    ancestor_at_level,
    expand_code,
    is_valid,
    kostat_to_mois,
    mois_to_kostat,
    parent_of,
    region_for_name,
    region_table,
    regions_valid_on,
    resolve_region,
    trim_code,
)
from migralink.errors import CodeError

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
KIKCD_H = SHARED / "codes" / "mois-jscode-20240801" / "KIKcd_H.20240801.xlsx"
LOOKUP = SHARED / "codes" / "tidycensuskr" / "adm_sgis_lookup_2024.csv"
SNAPSHOT = date(2024, 8, 1)
OFFICE = re.compile(r"출장|분소$|지소$")


@cache
def raw_rows() -> tuple[tuple[str, ...], ...]:
    """KIKcd_H as published: code, sido, sigungu, emd, created, abolished."""
    sheet = CalamineWorkbook.from_path(str(KIKCD_H)).get_sheet_by_name("KIKcd_H")
    return tuple(tuple(str(cell) for cell in row) for row in sheet.to_python()[1:])


def raw_live(prefix: str = "") -> list[tuple[str, ...]]:
    """Rows live on the snapshot day (no 말소일자), branch offices left out."""
    return [r for r in raw_rows() if not r[5] and r[0].startswith(prefix)
            and not OFFICE.search(" ".join(r[1:4]))]


@cache
def lookup_rows() -> list[dict[str, str]]:
    with LOOKUP.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_live_sido_are_the_17_of_the_mois_file() -> None:
    raw = {r[0][:2] for r in raw_live() if r[0][2:] == "0" * 8}
    ours = set(regions_valid_on(SNAPSHOT).filter(level="sido")["code"])
    assert len(raw) == 17
    assert ours == raw


def test_every_live_code_of_the_mois_file_is_valid_on_the_snapshot() -> None:
    raw = {r[0] for r in raw_live()}
    ours = regions_valid_on(SNAPSHOT).filter(pl.col("level") != "office")
    ours = ours.filter(pl.col("level") != "country")
    assert set(ours["code10"]) == raw
    assert all(is_valid(code, SNAPSHOT) for code in sorted(raw)[::97])


def test_gyeonggi_sigungu_count_matches_the_raw_file() -> None:
    raw = [r for r in raw_live("41") if r[0][5:] == "00000" and r[0][2:5] != "000"
           and " " not in r[2]]
    ours = regions_valid_on(SNAPSHOT).filter(level="sigungu", parent="41")
    assert ours.height == len(raw)
    assert ours.height > 25


def test_gangwon_51_starts_on_2023_06_11() -> None:
    raw = next(r for r in raw_rows() if r[0] == "5100000000")
    assert raw[4] == "20230611"
    assert not is_valid("51", date(2023, 6, 10))
    assert is_valid("51", date(2023, 6, 11))
    assert is_valid("42", date(2023, 6, 10))
    assert not is_valid("4200000000", date(2023, 6, 11))


def test_hierarchy_of_the_live_units() -> None:
    live = regions_valid_on(SNAPSHOT)
    level = dict(zip(live["code"], live["level"], strict=True))
    expected = {"sido": {"country"}, "sigungu": {"sido"}, "gu": {"sigungu"},
                "emd": {"sigungu", "gu"}}
    for code, kind, parent in live.select("code", "level", "parent").iter_rows():
        if kind in expected:
            assert level[parent] in expected[kind], (code, parent)
    assert parent_of("41271", SNAPSHOT) == "41270"
    assert parent_of("00", SNAPSHOT) is None
    dong = live.filter(parent="41271", level="emd")["code"][0]
    assert ancestor_at_level(dong, "gu", SNAPSHOT) == "41271"
    assert ancestor_at_level(dong, "sigungu", SNAPSHOT) == "41270"
    assert ancestor_at_level(dong, "sido", SNAPSHOT) == "41"
    assert ancestor_at_level("11110", "gu", SNAPSHOT) is None


def test_branch_offices_are_kept_out_of_the_hierarchy() -> None:
    table = region_table()
    office = table.filter(code10="4110500000").row(0, named=True)
    assert office["level"] == "office"
    assert office["parent"] == "41"
    assert not any(p == "4110500000" for p in table["parent"])


def test_history_intervals_do_not_overlap() -> None:
    table = region_table().sort("code", "valid_from")
    previous: dict[str, date | None] = {}
    for code, start, end in table.select("code", "valid_from", "valid_to").iter_rows():
        if code in previous:
            before = previous[code]
            assert before is not None
            assert before <= start, code
        assert end is None or start < end
        previous[code] = end


def test_trim_and_expand() -> None:
    assert trim_code("4127152000") == "4127152000"
    assert trim_code("4127100000") == "41271"
    assert trim_code("4100000000") == "41"
    assert trim_code("1000000000") == "00"
    assert expand_code("41271") == "4127100000"
    assert expand_code("00") == "0000000000"
    assert trim_code(expand_code("00")) == "00"
    with pytest.raises(CodeError):
        expand_code("4127")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("경기도", "41"), ("안산시", "41270"), ("경기도 안산시", "41270"),
        ("안산시 단원구", "41273"), ("경기 안산시 상록구", "41271"), ("Ansan-si", "41270"),
        ("Gyeonggi-do", "41"), ("KR", "00"), ("전국", "00"), ("서울 중구", "11140"),
        ("4127100000", "41271"), ("41271", "41271"), ("1000000000", "00"),
        ("세종특별자치시", "36"), ("강원도", "51"), ("kostat:31", "41"),
        ("kostat:31010", "41110"), ("kostat:32", "51"), ("여주군", "41730"),
        ("인천 남구", "28170"), ("마산시", "48160"), ("부천시원미구", "41192"),
    ],
)
def test_resolve_region(text: str, code: str) -> None:
    assert resolve_region(text) == code


def test_resolve_region_on_a_day() -> None:
    assert resolve_region("춘천시", date(2020, 1, 1)) == "42110"
    assert resolve_region("춘천시") == "51110"
    assert resolve_region("군위군", date(2022, 12, 31)) == "47720"
    assert resolve_region("군위군", date(2023, 12, 31)) == "27720"
    assert resolve_region("kostat:32", date(2018, 3, 1)) == "42"
    assert resolve_region("창원시", date(2009, 1, 1)) == "48110"


def test_ambiguous_name_lists_every_candidate() -> None:
    with pytest.raises(CodeError) as caught:
        resolve_region("중구")
    message = str(caught.value)
    live_junggu = {r[0][:5] for r in raw_live() if r[2] == "중구" and r[0][5:] == "00000"}
    assert len(live_junggu) >= 5
    for code in live_junggu:
        assert code in message
    assert "11140 서울특별시 중구" in message
    assert len(caught.value.details) == len(live_junggu)


def test_unknown_name_has_a_hint() -> None:
    with pytest.raises(CodeError) as caught:
        resolve_region("없는시")
    assert "migralink codes regions --year" in caught.value.hint
    with pytest.raises(CodeError):
        resolve_region("9999999999")


def test_region_for_name() -> None:
    day = date(2020, 6, 30)
    assert region_for_name("제주시", parent="50", day=day) == "50110"
    assert region_for_name("영등포구", parent="11", day=day) == "11560"
    assert region_for_name("서울", parent=None, day=day) == "11"
    assert region_for_name("부산", parent=None, day=day) == "26"
    assert region_for_name("중구", parent="26", day=day) == "26110"
    assert region_for_name("상록구", parent="41", day=day) == "41271"
    assert region_for_name("없는구", parent="26", day=day) is None
    busan = [r for r in raw_live("26") if r[0][5:] == "00000" and r[2]]
    for row in busan:
        assert region_for_name(row[2], parent="26", day=day) == row[0][:5]
    with pytest.raises(CodeError):
        region_for_name("중구", parent=None, day=day)


def test_kostat_crosswalk() -> None:
    assert kostat_to_mois("31", 2018) == "41"
    assert kostat_to_mois("32", 2024) == "51"
    assert kostat_to_mois("32", 2018) == "42"
    assert kostat_to_mois("22520", 2023) == "27720"
    assert kostat_to_mois("22520000", 2023) == "27720"
    assert mois_to_kostat("27720", 2023) == "22520"
    assert mois_to_kostat("51", 2024) == "32"
    with pytest.raises(CodeError):
        kostat_to_mois("22520", 2018)


def test_kostat_crosswalk_agrees_with_the_sgis_lookup() -> None:
    checked = 0
    for row in lookup_rows():
        if row["level"] == "District" and row["sgis_2024"]:
            assert kostat_to_mois(row["sgis_2024"][:5], 2024) == row["adm_2024"], row["name"]
            checked += 1
        if row["level"] == "District" and row["sgis_2018"]:
            code = kostat_to_mois(row["sgis_2018"][:5], 2018)
            assert is_valid(code, date(2018, 12, 31))
            name = region_table().filter(code=code)["name_ko"][0]
            assert name == row["name"], (code, row["name"])
    assert checked > 220


def test_shipped_files_are_what_the_builder_makes(tmp_path: Path) -> None:
    build_all(SHARED, tmp_path)
    for name in ("regions.csv", "region_successions.csv", "kostat_crosswalk.csv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_a_name_typed_without_its_suffix() -> None:
    # people type 수원 for 수원시 and 고성 for 고성군: every live si/gun/gu of the MOIS file
    # resolves by its stem, or the stem is ambiguous and the error lists every unit of
    # that stem, or the stem is another unit's own name (광주 is 광주광역시; 고양시 일산동
    # is a dong), which wins
    units = [(r[0][:5], r[2]) for r in raw_live()
             if r[0][5:] == "00000" and r[0][2:5] != "000" and r[2] and not r[3]]
    stems: dict[str, set[str]] = {}
    for code, name in units:
        if name[-1] in "시군구" and len(name) > 2:
            stems.setdefault(name[:-1], set()).add(code)
    resolved: dict[str, str] = {}
    refused: dict[str, str] = {}
    for stem in stems:
        try:
            resolved[stem] = resolve_region(stem)
        except CodeError as error:
            refused[stem] = str(error)
    for stem, got in resolved.items():
        assert len(got) != 5 or (got in stems[stem] and len(stems[stem]) == 1), (stem, got)
    for stem, message in refused.items():
        assert len(stems[stem]) > 1, message
        assert all(code in message for code in stems[stem]), message
    assert sum(len(got) == 5 for got in resolved.values()) >= 150
    assert len(refused) >= 2
    with pytest.raises(CodeError, match="unknown region"):
        resolve_region("수원구청장")  # not a name: the suffix rule adds nothing
    assert resolve_region("수원") == "41110"
    assert resolve_region("광주") == "29"  # the metropolitan city, as before
    assert resolve_region("경기 광주") == "41610"
    assert resolve_region("안산 단원") == resolve_region("안산시 단원구")
    with pytest.raises(CodeError, match="48820 경상남도 고성군; 51820 강원특별자치도 고성군"):
        resolve_region("goseong")

"""The published files, read here without migralink (csv module, python_calamine).

Every expected number in the indicator tests is computed from these rows by hand, so
that a test compares migralink's indicators with the publisher's own cells.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

MOIS = "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv"
POPULATION_2019 = "population/201912_202112_연령별인구현황_연간.csv"
MOJ_STATUS = "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv"
CHUNGNAM_NAT = "mois_foreign_residents/chungnam_foreign_resident_nationality_2026-06-23.csv"
SEOUL = "seoul/01. population_in_Seoul.xls"

ANSAN_DISTRICTS = ("41271", "41273")  # 상록구, 단원구: the table has no row for 안산시
YEARS = ("2015", "2016", "2017", "2018", "2019")
#: the seven groups of 외국인주민 that add up to 합계 (the five of 한국국적을 가지지 않은 자,
#: then 한국국적을 취득한 자 and 외국인주민자녀(출생))
GROUPS = {
    "workers": "외국인근로자", "marriage_migrants": "결혼이민자", "students": "유학생",
    "overseas_koreans": "외국국적동포", "other_foreigners": "기타외국인",
    "naturalised": "한국국적을 취득한 자", "children": "외국인주민자녀(출생)",
}


@cache
def mois_table(path: Path) -> dict[tuple[str, str, str], dict[str, int]]:
    """(SGGCD, 거주외국인별, 성별) → {year: count}, from the derived MOIS file."""
    table: dict[tuple[str, str, str], dict[str, int]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["SGGCD"], row["거주외국인별"], row["성별"])
            table[key] = {year: int(row[year]) for year in YEARS}
    return table


@cache
def mois_names(path: Path) -> dict[str, str]:
    """SGGCD → SGGNM (경기도 안산시 상록구)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["SGGCD"]: row["SGGNM"] for row in csv.DictReader(handle)}


def mois(shared: Path, codes: tuple[str, ...], label: str, year: str, sex: str = "계") -> int:
    """The sum over ``codes`` of one published cell of the MOIS table."""
    table = mois_table(shared / MOIS)
    return sum(table[(code, label, sex)][year] for code in codes)


def mois_nation(shared: Path, label: str, year: str, sex: str = "계") -> int:
    """The nation: the sum over all 250 rows of the table (there is no national row)."""
    table = mois_table(shared / MOIS)
    return sum(v[year] for (_, lab, sx), v in table.items() if lab == label and sx == sex)


def local_governments(shared: Path, label: str, year: str) -> dict[str, int]:
    """Local government name → count: districts of a city (시 + 구) added to the city."""
    names = mois_names(shared / MOIS)
    table = mois_table(shared / MOIS)
    found: dict[str, int] = defaultdict(int)
    for code, name in names.items():
        parts = name.split()
        if len(parts) == 3 and parts[1].endswith("시") and parts[2].endswith("구"):
            name = " ".join(parts[:2])
        found[name] += table[(code, label, "계")][year]
    return dict(found)


def registered_population(shared: Path, code10: str, column: str) -> int:
    """A cell of the 주민등록 population download (CP949), by 10-digit code and column."""
    with (shared / POPULATION_2019).open(encoding="cp949", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["행정구역"].rstrip().endswith(f"({code10})"):
                return int(row[column].replace(",", ""))
    raise AssertionError(f"{code10} is not in {POPULATION_2019}")


def moj_nationality_counts(shared: Path) -> dict[str, int]:
    """국적 → stay foreigners of every sex and status, from the MOJ CP949 file."""
    counts: dict[str, int] = defaultdict(int)
    with (shared / MOJ_STATUS).open(encoding="cp949", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            counts[row[1]] += sum(int(cell) for cell in row[3:])
    return dict(counts)


def chungnam_nationality_counts(shared: Path) -> dict[str, int]:
    """국적 → 인원수(명); the row printed twice (러시아(한국계)) is counted once."""
    counts: dict[str, int] = {}
    with (shared / CHUNGNAM_NAT).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            counts[row["국적"]] = int(row["인원수(명)"])
    return counts


def seoul_districts(shared: Path) -> list[dict[str, Any]]:
    """The 25 districts of the Seoul sheet: name, total, registered foreigners, by sex."""
    book = CalamineWorkbook.from_path(str(shared / SEOUL))
    rows: list[list[Any]] = book.get_sheet_by_index(0).to_python()
    # columns: 기간, 자치구, 세대, 합계 계/남자/여자, 한국인 계/남자/여자, 등록외국인 계/남자/여자
    return [
        {"name": r[1], "total": int(r[3]), "total_m": int(r[4]), "total_f": int(r[5]),
         "foreign": int(r[9]), "foreign_m": int(r[10]), "foreign_f": int(r[11])}
        for r in rows[3:]
        if r[1] not in ("합계", "")  # the sheet ends with one blank row
    ]

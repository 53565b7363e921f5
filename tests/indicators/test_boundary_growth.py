"""Growth is never measured across a change of a unit's territory.

대구 gained 군위군 from 경상북도 on 2023-07-01 and 청주시 merged with 청원군 on
2014-07-01, keeping their codes: a change between the years around those days would be
the transfer, not growth. A recode alone (인천 남구 → 미추홀구, 강원 42 → 51) changes
no territory.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from migralink.evidence import Evidence
from migralink.indicators import compute_indicators, load_catalogue
from tests.indicators.conftest import pick

SIDO = "population/201912_202412_주민등록인구및세대현황_연간.csv"
DECLARATIONS = """
[[indicator]]
id = "{id}"
kind = "{kind}"
name_ko = "인구 증감률"
name_en = "Population growth"
definition_ko = "인구 증감률"
definition_en = "Population growth"
unit = "percent"
numerator = {{ dataset = "{dataset}", filters = {{ sex = "_T" }} }}
levels = {levels}
gcm = [1]
"""


def _sido_population(shared: Path, name: str, year: str) -> int:
    """A 총인구수 cell of the sido 주민등록 file (CP949), by the row's name."""
    with (shared / SIDO).open(encoding="cp949", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["행정구역"].startswith(name + "  ("):
                return int(row[f"{year}년_총인구수"].replace(",", ""))
    raise AssertionError(f"{name} is not in {SIDO}")


@pytest.fixture(scope="module")
def growth(full_db: Path, tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    path = tmp_path_factory.mktemp("growth") / "growth.toml"
    path.write_text("".join([
        DECLARATIONS.format(id="sido_yoy", kind="yoy_change", dataset="population_sido",
                            levels='["sido", "country"]'),
        DECLARATIONS.format(id="sido_cagr", kind="cagr", dataset="population_sido",
                            levels='["sido", "country"]'),
        DECLARATIONS.format(id="sigungu_yoy", kind="yoy_change", dataset="population_sigungu",
                            levels='["sigungu"]'),
    ]), encoding="utf-8")
    with Evidence(full_db) as ev:
        return compute_indicators(ev, load_catalogue(path, builtin=False))


def _has(frame: pl.DataFrame, indicator: str, region: str, period: str) -> bool:
    return frame.filter(pl.col("indicator") == indicator, pl.col("region") == region,
                        pl.col("period") == period).height > 0


def test_no_growth_across_the_transfer_of_gunwi(growth: pl.DataFrame, shared: Path) -> None:
    # before: 대구 +0.48 % in 2023 (2,363,691 → 2,374,960, 군위's 23,000 people moved in)
    # and 경상북도 -1.78 %, and compound rates 2009/2024 for both
    for region in ("27", "47"):
        assert not _has(growth, "sido_yoy", region, "2023")
        assert not _has(growth, "sido_cagr", region, "2009/2024")
        assert _has(growth, "sido_yoy", region, "2022")
    row = pick(growth, "sido_yoy", "27", "2024")
    assert (row["numerator"], row["denominator"]) == (
        _sido_population(shared, "대구광역시", "2024"),
        _sido_population(shared, "대구광역시", "2023"))
    # the nation and the provinces the change did not touch keep theirs
    nation = pick(growth, "sido_yoy", "00", "2023")
    assert nation["numerator"] == _sido_population(shared, "전국", "2023")
    assert _has(growth, "sido_cagr", "11", "2009/2024")


def test_no_growth_across_the_merger_of_cheongju(growth: pl.DataFrame) -> None:
    # before: 청주시 +23.6 % in 2014 (672,904 → 831,521: 청원군 merged in)
    assert not _has(growth, "sigungu_yoy", "43110", "2014")
    assert _has(growth, "sigungu_yoy", "43110", "2015")


def test_a_recode_alone_keeps_the_growth(computed: pl.DataFrame) -> None:
    # 미추홀구 is 남구 recoded in 2018 (the MOIS table codes every year 28177)
    assert pick(computed, "foreign_residents_yoy", "28177", "2018", group="_T",
                sex="_T")["value"] is not None

"""Growth, composition by group and by residence status, sex ratio, location quotients.

Expected values are computed from the published MOIS table, the MOJ regional workbook
and the MOJ stay file, read here without migralink.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from tests.indicators.conftest import pick
from tests.indicators.raw import ANSAN_DISTRICTS, GROUPS, MOIS, mois, mois_nation, mois_table

ANSAN = "41270"
YEONGAM = "46830"  # 전라남도 영암군, a rural county with many marriage migrants
MOJ_REGISTERED = "moj_registered_foreigners/2018 지역_및_체류자격별_등록외국인_현황.xlsx"


def test_ansan_growth_2015_to_2019(computed: pl.DataFrame, shared: Path) -> None:
    total = {y: mois(shared, ANSAN_DISTRICTS, "합계", y) for y in ("2015", "2018", "2019")}
    yoy = pick(computed, "foreign_residents_yoy", ANSAN, "2019", group="_T", sex="_T")
    assert (yoy["numerator"], yoy["denominator"]) == (total["2019"], total["2018"])
    assert yoy["value"] == pytest.approx(100 * (total["2019"] / total["2018"] - 1))
    change = pick(computed, "foreign_residents_change", ANSAN, "2019", group="_T", sex="_T")
    assert change["value"] == total["2019"] - total["2018"] == 3694
    cagr = pick(computed, "foreign_residents_cagr", ANSAN, "2015/2019", group="_T", sex="_T")
    assert cagr["value"] == pytest.approx(100 * ((total["2019"] / total["2015"]) ** 0.25 - 1))
    assert cagr["value"] == pytest.approx(5.128, abs=1e-3)
    assert computed.filter(pl.col("indicator") == "foreign_residents_yoy",
                           pl.col("period") == "2015").is_empty()  # no year before


def test_growth_of_a_group_and_sex(computed: pl.DataFrame, shared: Path) -> None:
    now = mois(shared, ANSAN_DISTRICTS, "결혼이민자", "2019", "여")
    before = mois(shared, ANSAN_DISTRICTS, "결혼이민자", "2018", "여")
    row = pick(computed, "foreign_residents_yoy", ANSAN, "2019", group="marriage_migrants",
               sex="F")
    assert row["value"] == pytest.approx(100 * (now / before - 1))


def test_composition_by_group_of_ansan(computed: pl.DataFrame, shared: Path) -> None:
    total = mois(shared, ANSAN_DISTRICTS, "합계", "2019")
    for code, label in GROUPS.items():
        row = pick(computed, "composition_by_group", ANSAN, "2019", group=code, sex="_T")
        assert row["value"] == pytest.approx(100 * mois(shared, ANSAN_DISTRICTS, label, "2019")
                                             / total)


def test_composition_adds_up_to_the_total_within_the_published_gaps(
    computed: pl.DataFrame, shared: Path
) -> None:
    shares = computed.filter(pl.col("indicator") == "composition_by_group")
    sums = shares.group_by("period", "region", "level", "sex").agg(
        pl.col("value").sum(), pl.col("numerator").sum(), pl.col("denominator").first(),
        pl.len(),
    )
    assert (sums["len"] == 7).all()
    # where a row is published, its parts miss its total by exactly MOIS's own gap
    table = mois_table(shared / MOIS)
    sexes = {"계": "_T", "남": "M", "여": "F"}
    gaps = {
        (year, code, sexes[sex]): sum(table[(code, g, sex)][year] for g in GROUPS.values())
        - counts[year]
        for (code, label, sex), counts in table.items() if label == "합계"
        for year in counts
    }
    published = sums.filter(pl.col("level").is_in(["gu", "sigungu"]),
                            pl.col("region").is_in([c for _, c, _ in gaps]))
    assert published.height == len(gaps)
    for row in published.iter_rows(named=True):
        gap = gaps[(row["period"], row["region"], row["sex"])]
        assert row["numerator"] - row["denominator"] == gap
        assert row["value"] == pytest.approx(100 + 100 * gap / row["denominator"])
    assert max(abs(g) for g in gaps.values()) <= 10  # a few persons (the mapping's tolerance)


def test_the_caveat_on_cells_printed_as_3_matches_the_table(shared: Path) -> None:
    # the composition and sex-ratio caveats say small counts appear printed as 3: no
    # count cell is 1, 2 or 4, and every gap between a total and its parts has a 3
    table = mois_table(shared / MOIS)
    cells = [v for (_, label, _), counts in table.items() if label != "총인구"
             for v in counts.values()]
    assert len(cells) == 33_750
    assert {n: cells.count(n) for n in range(6)} == {0: 135, 1: 0, 2: 0, 3: 1245, 4: 0,
                                                      5: 133}
    gaps = [[table[(code, g, sex)][year] for g in GROUPS.values()]
            for (code, label, sex), counts in table.items() if label == "합계"
            for year, total in counts.items()
            if sum(table[(code, g, sex)][year] for g in GROUPS.values()) != total]
    assert len(gaps) == 876
    assert all(3 in parts for parts in gaps)


def test_sex_ratio(computed: pl.DataFrame, shared: Path) -> None:
    men = mois(shared, ANSAN_DISTRICTS, "합계", "2019", "남")
    women = mois(shared, ANSAN_DISTRICTS, "합계", "2019", "여")
    row = pick(computed, "sex_ratio_foreign_residents", ANSAN, "2019", group="_T")
    assert row["value"] == pytest.approx(100 * men / women)
    assert row["unit"] == "males per 100 females"
    brides = pick(computed, "sex_ratio_foreign_residents", YEONGAM, "2019",
                  group="marriage_migrants")
    assert brides["value"] == pytest.approx(
        100 * mois(shared, (YEONGAM,), "결혼이민자", "2019", "남")
        / mois(shared, (YEONGAM,), "결혼이민자", "2019", "여")
    )


def test_location_quotient_of_marriage_migrants_in_a_rural_county(
    computed: pl.DataFrame, shared: Path
) -> None:
    county = mois(shared, (YEONGAM,), "결혼이민자", "2019")
    county_population = mois(shared, (YEONGAM,), "총인구", "2019")
    nation = mois_nation(shared, "결혼이민자", "2019")
    nation_population = mois_nation(shared, "총인구", "2019")
    expected = (county / county_population) / (nation / nation_population)
    row = pick(computed, "location_quotient_group", YEONGAM, "2019", group="marriage_migrants")
    assert row["value"] == pytest.approx(expected)
    assert row["value"] > 2  # twice as concentrated as in the nation
    assert (row["numerator"], row["denominator"]) == (county, county_population)
    # against the mix of foreign residents instead of the whole population
    mix = pick(computed, "location_quotient_group_mix", YEONGAM, "2019",
               group="marriage_migrants")
    assert mix["value"] == pytest.approx(
        (county / mois(shared, (YEONGAM,), "합계", "2019"))
        / (nation / mois_nation(shared, "합계", "2019"))
    )


def test_composition_and_quotient_by_residence_status(
    computed: pl.DataFrame, shared: Path
) -> None:
    book = CalamineWorkbook.from_path(str(shared / MOJ_REGISTERED))
    rows: list[list[Any]] = book.get_sheet_by_name("데이터").to_python()
    header = rows[0]
    e9 = next(i for i, h in enumerate(header) if "E-9" in str(h) or "E9" in str(h))
    regions = {r[0]: r for r in rows[1:] if r[0]}
    gyeonggi = regions["경기도"]
    row = pick(computed, "composition_by_status_registered", "41", "2018",
               residence_status="E-9")
    assert row["value"] == pytest.approx(100 * gyeonggi[e9] / gyeonggi[1])
    nation_e9 = sum(r[e9] for r in regions.values())
    nation = sum(r[1] for r in regions.values())
    lq = pick(computed, "location_quotient_status_sido", "41", "2018", residence_status="E-9")
    assert lq["value"] == pytest.approx((gyeonggi[e9] / gyeonggi[1]) / (nation_e9 / nation))
    share = pick(computed, "share_of_national_registered_foreigners", "41", "2018",
                 residence_status="E-9")
    assert share["value"] == pytest.approx(100 * gyeonggi[e9] / nation_e9)


def test_monthly_growth_of_stay_foreigners(computed: pl.DataFrame, shared: Path) -> None:
    path = shared / "moj_stay_foreigners/approved_fileData_15100016_2026-06-23.csv"
    totals: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            month = f"{row['년']}-{int(row['월']):02d}"
            totals[month] = totals.get(month, 0) + int(row["체류외국인수"])
    row = pick(computed, "stay_foreigners_yoy_by_status", "00", "2026-05",
               residence_status="_T")
    assert (row["numerator"], row["denominator"]) == (totals["2026-05"], totals["2025-05"])
    assert row["value"] == pytest.approx(100 * (totals["2026-05"] / totals["2025-05"] - 1))

"""Shares of the population and of the nation, the concentration flag, ranks.

Expected values are computed here from the published MOIS table (the derived KOSIS
file, read with the csv module) and the 주민등록 download, not through migralink.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from migralink.codes.hierarchy import code_level
from tests.indicators.conftest import pick
from tests.indicators.raw import (
    ANSAN_DISTRICTS,
    MOIS,
    local_governments,
    mois,
    mois_nation,
    mois_table,
    registered_population,
)

ANSAN = "41270"


def test_ansan_foreign_share_2019_uses_the_mois_total_population(
    computed: pl.DataFrame, shared: Path
) -> None:
    foreign = mois(shared, ANSAN_DISTRICTS, "합계", "2019")
    population = mois(shared, ANSAN_DISTRICTS, "총인구", "2019")
    row = pick(computed, "foreign_share", ANSAN, "2019")
    assert (row["numerator"], row["denominator"]) == (foreign, population) == (92787, 714650)
    assert row["value"] == pytest.approx(100 * foreign / population)
    assert row["unit"] == "percent"
    assert row["level"] == "sigungu"
    assert row["status"] == "A"
    assert row["sources"] == "mois_foreign_residents_sigungu v1; mois_population_sigungu v1"


def test_districts_keep_their_own_rows(computed: pl.DataFrame, shared: Path) -> None:
    row = pick(computed, "foreign_share", "41273", "2019")
    assert row["level"] == "gu"
    assert row["value"] == pytest.approx(
        100 * mois(shared, ("41273",), "합계", "2019") / mois(shared, ("41273",), "총인구", "2019")
    )


def test_nation_and_province_are_sums_of_the_local_governments(
    computed: pl.DataFrame, shared: Path
) -> None:
    nation = pick(computed, "foreign_share", "00", "2019")
    assert nation["numerator"] == mois_nation(shared, "합계", "2019")
    assert nation["denominator"] == mois_nation(shared, "총인구", "2019")
    table = mois_table(shared / MOIS)
    gyeonggi = sum(v["2019"] for (code, label, sex), v in table.items()
                   if code.startswith("41") and label == "합계" and sex == "계")
    assert pick(computed, "foreign_share", "41", "2019")["numerator"] == gyeonggi


def test_registered_denominator_is_residents_plus_foreign_nationals(
    computed: pl.DataFrame, shared: Path
) -> None:
    foreign = mois(shared, ANSAN_DISTRICTS, "합계", "2019")
    nationals = mois(shared, ANSAN_DISTRICTS, "한국국적을 가지지 않은 자", "2019")
    residents = registered_population(shared, "4127000000", "2019년_계_총인구수")
    row = pick(computed, "foreign_share_registered", ANSAN, "2019", sex="_T")
    assert row["denominator"] == residents + nationals
    assert row["value"] == pytest.approx(100 * foreign / (residents + nationals))
    women = pick(computed, "foreign_share_registered", ANSAN, "2019", sex="F")
    women_residents = registered_population(shared, "4127000000", "2019년_여_총인구수")
    women_nationals = mois(shared, ANSAN_DISTRICTS, "한국국적을 가지지 않은 자", "2019", "여")
    assert women["value"] == pytest.approx(
        100 * mois(shared, ANSAN_DISTRICTS, "합계", "2019", "여")
        / (women_residents + women_nationals)
    )


def test_a_missing_denominator_gives_no_row(computed: pl.DataFrame) -> None:
    # MOIS codes 미추홀구 28177 in every year; the 2015-2017 register still has 남구 28170:
    # no registered-population denominator for 28177 then, so no row (never a guess)
    registered = computed.filter(pl.col("indicator") == "foreign_share_registered",
                                 pl.col("region") == "28177")
    assert sorted(registered["period"].unique().to_list()) == ["2018", "2019"]
    assert computed.filter(pl.col("indicator") == "foreign_share",
                           pl.col("region") == "28177").height == 5


def test_share_of_national_workers_living_in_ansan(computed: pl.DataFrame, shared: Path) -> None:
    workers = mois(shared, ANSAN_DISTRICTS, "외국인근로자", "2019")
    nation = mois_nation(shared, "외국인근로자", "2019")
    row = pick(computed, "share_of_national_foreign_residents", ANSAN, "2019", group="workers")
    assert (row["numerator"], row["denominator"]) == (workers, nation)
    assert row["value"] == pytest.approx(100 * workers / nation)


def test_concentration_flag_matches_the_mois_criterion_everywhere(
    computed: pl.DataFrame, shared: Path
) -> None:
    table = mois_table(shared / MOIS)
    expected = {}
    for (code, label, sex), years in table.items():
        if label == "합계" and sex == "계":
            count, population = years["2019"], table[(code, "총인구", "계")]["2019"]
            expected[code] = float(count >= 10_000 or count / population >= 0.05)
    flags = computed.filter(pl.col("indicator") == "concentration_area",
                            pl.col("period") == "2019", pl.col("region").is_in(list(expected)))
    assert dict(zip(flags["region"], flags["value"], strict=True)) == expected
    assert pick(computed, "concentration_area", ANSAN, "2019")["value"] == 1.0
    assert 0.0 in expected.values()
    # a county flagged by its share alone (under 10,000 foreign residents)
    assert expected["43760"] == 1.0
    assert table[("43760", "합계", "계")]["2019"] < 10_000


def test_ansan_ranks_first_by_foreign_residents(computed: pl.DataFrame, shared: Path) -> None:
    counts = local_governments(shared, "합계", "2019")
    assert max(counts, key=counts.__getitem__) == "경기도 안산시"
    assert pick(computed, "rank_foreign_residents", ANSAN, "2019", peer_group="all")["value"] == 1
    assert pick(computed, "rank_foreign_residents", ANSAN, "2019", peer_group="city")["value"] == 1
    ranks = computed.filter(pl.col("indicator") == "rank_foreign_residents",
                            pl.col("period") == "2019", pl.col("peer_group") == "all")
    assert ranks.height == len(counts) == 229  # local governments, districts rolled up
    counties = {name: n for name, n in counts.items() if name.endswith("군")}
    top_county = max(counties, key=counties.__getitem__)
    codes = {name: code for code, name in _names(shared).items()}
    row = pick(computed, "rank_foreign_residents", codes[top_county], "2019", peer_group="county")
    assert row["value"] == 1
    assert row["numerator"] == counties[top_county]


def test_rank_by_share_among_all_local_governments(computed: pl.DataFrame, shared: Path) -> None:
    foreign, population = (local_governments(shared, label, "2019") for label in ("합계", "총인구"))
    shares = sorted((foreign[n] / population[n] for n in foreign), reverse=True)
    ansan = foreign["경기도 안산시"] / population["경기도 안산시"]
    row = pick(computed, "rank_foreign_share", ANSAN, "2019", peer_group="all")
    assert row["value"] == shares.index(ansan) + 1


def test_rank_is_only_for_local_governments(computed: pl.DataFrame) -> None:
    ranks = computed.filter(pl.col("indicator").str.starts_with("rank_"))
    assert set(ranks["level"].unique()) == {"sigungu"}
    assert all(code_level(c) == "sigungu" for c in ranks["region"].unique())
    assert set(ranks["peer_group"].unique()) == {"all", "city", "county", "district"}


def _names(shared: Path) -> dict[str, str]:
    from tests.indicators.raw import mois_names

    return mois_names(shared / MOIS)

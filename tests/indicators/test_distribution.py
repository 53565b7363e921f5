"""Nationality diversity and segregation indices, by hand and against PySAL.

The national nationality counts are added up here from the MOJ stay file (CP949, csv
module); the Seoul districts are read from the Seoul workbook with python_calamine; the
local governments of a province from the MOIS table. The segregation indices are also
computed by PySAL's ``segregation`` package on the same numbers.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from segregation.singlegroup import Dissim, Interaction, Isolation

from migralink.errors import QueryError
from migralink.indicators import indices
from tests.indicators.conftest import pick
from tests.indicators.raw import (
    chungnam_nationality_counts,
    local_governments,
    moj_nationality_counts,
    seoul_districts,
)


def _shannon(counts: list[int]) -> float:
    total = sum(counts)
    kept = [c for c in counts if c > 0]
    return -sum(c / total * math.log(c / total) for c in kept) / math.log(len(kept))


def _simpson(counts: list[int]) -> float:
    total = sum(counts)
    return 1 - sum((c / total) ** 2 for c in counts)


def _top3(counts: list[int]) -> float:
    return 100 * sum(sorted(counts, reverse=True)[:3]) / sum(counts)


def test_national_nationality_diversity_from_the_moj_file(
    computed: pl.DataFrame, shared: Path
) -> None:
    counts = list(moj_nationality_counts(shared).values())
    assert sum(counts) == 2_650_783
    shannon = pick(computed, "nationality_shannon", "00", "2024")
    assert shannon["value"] == pytest.approx(_shannon(counts))
    assert shannon["denominator"] == sum(counts)
    assert pick(computed, "nationality_simpson", "00", "2024")["value"] == pytest.approx(
        _simpson(counts))
    top3 = pick(computed, "nationality_top3_share", "00", "2024")
    assert top3["value"] == pytest.approx(_top3(counts))
    assert top3["numerator"] == sum(sorted(counts, reverse=True)[:3])


def test_provincial_nationality_diversity_where_the_table_has_it(
    computed: pl.DataFrame, shared: Path
) -> None:
    counts = list(chungnam_nationality_counts(shared).values())
    assert len(counts) == 11
    assert pick(computed, "nationality_shannon_chungnam", "44", "2024")["value"] == (
        pytest.approx(_shannon(counts)))
    assert pick(computed, "nationality_simpson_chungnam", "44", "2024")["value"] == (
        pytest.approx(_simpson(counts)))
    assert pick(computed, "nationality_top3_share_chungnam", "44", "2024")["value"] == (
        pytest.approx(_top3(counts)))
    # one province's table says nothing of the nation: no national row is made up
    rows = computed.filter(pl.col("indicator").str.ends_with("_chungnam"))
    assert rows["region"].unique().to_list() == ["44"]


def test_monthly_diversity_is_computed_for_every_month(computed: pl.DataFrame) -> None:
    monthly = computed.filter(pl.col("indicator") == "nationality_shannon_monthly")
    assert monthly.height >= 50
    assert monthly["value"].is_between(0, 1).all()


def _by_hand(x: list[int], t: list[int]) -> tuple[float, float, float]:
    big_x, big_t = sum(x), sum(t)
    d = 0.5 * sum(abs(xi / big_x - (ti - xi) / (big_t - big_x)) for xi, ti in zip(x, t,
                                                                                 strict=True))
    xpx = sum(xi / big_x * xi / ti for xi, ti in zip(x, t, strict=True))
    xpy = sum(xi / big_x * (ti - xi) / ti for xi, ti in zip(x, t, strict=True))
    return d, xpx, xpy


def _pysal(x: list[int], t: list[int]) -> tuple[float, float, float]:
    frame = pd.DataFrame({"x": x, "t": t})
    return (
        float(Dissim(frame, "x", "t").statistic),
        float(Isolation(frame, "x", "t").statistic),
        float(Interaction(frame, "x", "t").statistic),
    )


def _ours(computed: pl.DataFrame, suffix: str, region: str, period: str,
          **dims: str | None) -> tuple[float, float, float]:
    d, xpx, xpy = (
        float(pick(computed, f"{kind}_{suffix}", region, period, **dims)["value"])
        for kind in ("dissimilarity", "isolation", "exposure")
    )
    return d, xpx, xpy


def test_seoul_segregation_of_registered_foreigners(
    computed: pl.DataFrame, shared: Path
) -> None:
    districts = seoul_districts(shared)
    assert len(districts) == 25
    x = [d["foreign"] for d in districts]
    t = [d["total"] for d in districts]
    ours = _ours(computed, "seoul_registered", "11", "2017-Q1", sex="_T")
    assert ours == pytest.approx(_by_hand(x, t))
    assert ours == pytest.approx(_pysal(x, t))
    assert ours[0] == pytest.approx(0.3593, abs=1e-4)
    women = _ours(computed, "seoul_registered", "11", "2017-Q1", sex="F")
    assert women == pytest.approx(_pysal([d["foreign_f"] for d in districts],
                                         [d["total_f"] for d in districts]))
    row = pick(computed, "dissimilarity_seoul_registered", "11", "2017-Q1", sex="_T")
    assert (row["numerator"], row["denominator"]) == (sum(x), sum(t))


def test_local_governments_within_a_province_against_pysal(
    computed: pl.DataFrame, shared: Path
) -> None:
    foreign = local_governments(shared, "합계", "2019")
    population = local_governments(shared, "총인구", "2019")
    gyeonggi = sorted(n for n in foreign if n.startswith("경기도"))
    assert len(gyeonggi) == 31  # 경기도's cities and counties, districts rolled up
    x = [foreign[n] for n in gyeonggi]
    t = [population[n] for n in gyeonggi]
    ours = _ours(computed, "foreign_residents", "41", "2019", group="_T")
    assert ours == pytest.approx(_pysal(x, t))
    assert ours == pytest.approx(_by_hand(x, t))
    nation = _ours(computed, "foreign_residents", "00", "2019", group="_T")
    assert nation == pytest.approx(_pysal(list(foreign.values()), list(population.values())))


def test_a_province_of_one_local_government_has_no_index(computed: pl.DataFrame) -> None:
    segregation = computed.filter(pl.col("indicator") == "dissimilarity_foreign_residents")
    assert segregation.filter(pl.col("region") == "36").is_empty()  # 세종: one unit
    assert set(segregation["level"].unique()) == {"sido", "country"}


def test_indices_on_a_small_example() -> None:
    x, t = [10, 20, 30], [100, 100, 300]
    assert indices.dissimilarity(x, t) == pytest.approx(0.5 * (5 / 132 + 1 / 6.6 + 5 / 44))
    assert indices.isolation(x, t) + indices.exposure(x, t) == pytest.approx(1)
    assert (indices.dissimilarity(x, t), indices.isolation(x, t), indices.exposure(x, t)) == (
        pytest.approx(_pysal(x, t)))
    assert indices.shannon([1, 1, 0]) == pytest.approx(1)
    assert indices.shannon([5]) == 0
    assert indices.shannon([1, 1], normalised=False) == pytest.approx(math.log(2))
    assert indices.simpson([1, 1]) == pytest.approx(0.5)
    assert indices.top_share([5, 3, 1, 1], 1) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("x", "t"), [([1], [2]), ([3, 1], [2, 5]), ([0, 0], [5, 5]), ([5, 5], [5, 5]), ([1, 1], [0, 5])]
)
def test_indices_refuse_what_they_cannot_measure(x: list[int], t: list[int]) -> None:
    with pytest.raises(QueryError):
        indices.dissimilarity(x, t)


def test_diversity_refuses_no_counts() -> None:
    with pytest.raises(QueryError):
        indices.simpson([0, 0])

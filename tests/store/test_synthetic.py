"""The synthetic register: seeded, made of real codes, skewed enough to have small cells."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from migralink.codes.nationalities import nationality_table
from migralink.codes.regions import region_table
from migralink.codes.statuses import status_table
from migralink.store.synthetic import (
    AGE_GROUPS,
    NATIONALITIES,
    SIGUNGU,
    STATUSES,
    register_description,
    synthetic_register,
    write_register,
)

COLUMNS = ["person_id", "region", "nationality", "residence_status", "sex", "age_group"]


@pytest.fixture(scope="module")
def register() -> pl.DataFrame:
    frame = pl.from_arrow(synthetic_register(200_000, seed=11))
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_the_same_seed_gives_the_same_register() -> None:
    first, again = synthetic_register(5_000, seed=3), synthetic_register(5_000, seed=3)
    assert first.equals(again)
    assert not first.equals(synthetic_register(5_000, seed=4))


def test_columns_types_and_person_ids(register: pl.DataFrame) -> None:
    assert register.columns == COLUMNS
    assert register.height == 200_000
    assert register["person_id"].dtype == pl.Int64
    assert register["person_id"].to_list() == list(range(1, 200_001))
    assert all(register[c].dtype == pl.String for c in COLUMNS[1:])
    assert register.null_count().sum_horizontal().item() == 0


def test_values_come_from_the_module_code_lists(register: pl.DataFrame) -> None:
    expected = {
        "region": set(SIGUNGU), "nationality": set(NATIONALITIES),
        "residence_status": set(STATUSES), "sex": {"M", "F"}, "age_group": set(AGE_GROUPS),
    }
    for column, codes in expected.items():
        seen = set(register[column].unique().to_list())
        assert seen <= codes, column
        # 200,000 persons reach every code, even at the tail of the skewed distributions
        assert seen == codes, column


def test_regions_are_live_sigungu_of_the_shipped_code_list() -> None:
    table = region_table()
    sigungu = table.filter(pl.col("level") == "sigungu")
    assert len(SIGUNGU) == len(set(SIGUNGU)) == 229
    day = date(2024, 8, 1)
    valid = {
        row["code"]
        for row in sigungu.iter_rows(named=True)
        if row["valid_from"] <= day and (row["valid_to"] is None or day < row["valid_to"])
    }
    assert set(SIGUNGU) <= valid
    assert "11215" in SIGUNGU  # 광진구: an autonomous district whose code ends in 5


def test_nationalities_and_statuses_are_codes_of_the_shipped_lists() -> None:
    assert len(NATIONALITIES) == len(set(NATIONALITIES)) == 60
    assert set(NATIONALITIES) <= set(nationality_table()["code"].to_list())
    assert "CHN-KR" in NATIONALITIES
    assert len(STATUSES) == len(set(STATUSES)) == 20
    assert set(STATUSES) <= set(status_table()["code"].to_list())


def test_age_groups_are_five_year_bands() -> None:
    assert AGE_GROUPS[0] == "0-4"
    assert AGE_GROUPS[-2] == "80-84"
    assert AGE_GROUPS[-1] == "85+"
    assert len(AGE_GROUPS) == 18


def test_distributions_are_skewed_so_that_small_cells_exist(register: pl.DataFrame) -> None:
    regions = register["region"].value_counts()["count"].to_list()
    assert max(regions) > 30 * min(regions)
    nationality = register["nationality"].value_counts(sort=True)
    assert nationality["nationality"][0] == "CHN-KR"  # rank 1 of the Zipf weights
    assert nationality["count"][0] > 0.15 * register.height
    cells = register.group_by(COLUMNS[1:]).len()["len"]
    assert (cells < 3).sum() > 0.5 * cells.len()  # most finest cells are tiny
    assert 0.53 < (register["sex"] == "M").sum() / register.height < 0.59


def test_an_empty_register_and_a_negative_size() -> None:
    empty = synthetic_register(0, seed=1)
    assert empty.num_rows == 0
    assert empty.column_names == COLUMNS
    with pytest.raises(ValueError, match="cannot have -1 rows"):
        synthetic_register(-1, seed=1)


def test_parquet_round_trip(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.parquet", 1_000, seed=5)
    read: pa.Table = pq.read_table(path)
    assert read.equals(synthetic_register(1_000, seed=5))


def test_the_description_names_size_seed_and_codes() -> None:
    text = register_description(1_000, 5)
    assert "n=1000" in text
    assert "seed=5" in text
    assert text == register_description(1_000, 5)
    assert text != register_description(1_000, 6)

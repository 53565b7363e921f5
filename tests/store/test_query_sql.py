"""The query SQL builder, tested without a database, then run on a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from migralink.errors import QueryError
from migralink.sources.model import DatasetMeta, DimensionMeta, SourceTable
from migralink.store import Gateway, QuerySpec, run_query, store_table
from migralink.store.query_sql import QueryPlan, build_query
from migralink.store.sql import quote_ident


def test_identifiers_are_checked_before_quoting() -> None:
    assert quote_ident("residence_status") == '"residence_status"'
    with pytest.raises(ValueError, match="not a safe SQL identifier"):
        quote_ident('x"; DROP TABLE ml_dataset; --')


def test_without_region_the_national_total_reads_only_top_rows() -> None:
    sql, params = build_query(QueryPlan(table="obs_x_v1", dimensions=("sex",)))
    assert "WHERE top" in sql
    assert "'00' AS region" in sql
    assert params == []


def test_filters_and_periods_travel_as_parameters() -> None:
    plan = QueryPlan(
        table="obs_x_v1", dimensions=("sex", "nationality"), periods=("2024",),
        region="41", filters=(("sex", "F"),), by=("nationality",),
    )
    sql, params = build_query(plan)
    assert "'F'" not in sql
    assert "'2024'" not in sql
    assert params == ["41", "2024", "2024-", "41", [], ["F"]]  # a list: several codes
    assert 'GROUP BY period, "sex", "nationality"' in sql


def _table(tmp_path: Path, rows: list[tuple[str, str, str, float]]) -> SourceTable:
    frame = pl.DataFrame(
        rows, schema=["period", "region", "sex", "value"], orient="row"
    ).with_columns(
        pl.lit("A").alias("status"),
        pl.int_range(1, len(rows) + 1, dtype=pl.Int64).alias("source_row"),
        pl.lit("c").alias("source_column"),
    )
    return SourceTable(
        meta=DatasetMeta("toy", "장난감", "Toy", "tests", "http://localhost", "none"),
        source_file=tmp_path / "toy.csv",
        source_sha256="0" * 64,
        dimensions=(DimensionMeta("sex"),),
        frame=frame,
        labels={"sex": {"M": "남", "F": "여"}},
        mapping_text="toy",
    )


def test_city_and_districts_are_not_counted_twice(tmp_path: Path) -> None:
    # 안산시 (41270) with its districts 41271 and 41273, and 수원시 given only by district
    rows = [
        ("2019", "41270", "M", 10.0), ("2019", "41271", "M", 4.0), ("2019", "41273", "M", 6.0),
        ("2019", "41111", "M", 3.0), ("2019", "41113", "M", 2.0), ("2019", "41270", "F", 1.0),
        ("2019", "41271", "F", 1.0), ("2019", "41273", "F", 0.0),
    ]
    with Gateway(tmp_path / "t.duckdb") as gw:
        store_table(gw, _table(tmp_path, rows))
        total = run_query(gw, QuerySpec("toy", region="41"))
        assert total.frame.select("region", "value").rows() == [("41", 10 + 3 + 2 + 1)]
        # the toy holds 경기도 only: its sum is not the nation's, and is not labelled so
        with pytest.raises(QueryError, match=r"covers only 경기도 \(41\) in 2019"):
            run_query(gw, QuerySpec("toy"))
        ansan = run_query(gw, QuerySpec("toy", region="41270", by=("sex",)))
        assert dict(zip(ansan.frame["sex"], ansan.frame["value"], strict=True)) == {"F": 1, "M": 10}
        # 수원시 (41110) is absent: its districts are summed
        suwon = run_query(gw, QuerySpec("toy", region="41110"))
        assert suwon.frame["value"].to_list() == [5]
        assert suwon.frame["region"].to_list() == ["41110"]
        # by region answers at one level (issue 8): 수원시 rolled up from its districts
        by_region = run_query(gw, QuerySpec("toy", by=("region",)))
        assert dict(zip(by_region.frame["region"], by_region.frame["value"], strict=True)) == {
            "41110": 5, "41270": 11}
        assert set(by_region.frame["level"]) == {"sigungu"}
        districts = run_query(gw, QuerySpec("toy", level="district")).frame
        assert dict(zip(districts["region"], districts["value"], strict=True)) == {
            "41111": 3, "41113": 2, "41271": 5, "41273": 6}
        sido = run_query(gw, QuerySpec("toy", level="sido")).frame
        assert sido.rows() == [("2019", "41", "sido", 16, "A")]

"""A register aggregated into the cube: every margin stored, and queries that read them.

The expected numbers are computed with Polars from the raw register, independently of the
DuckDB statement under test.
"""

from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from migralink.errors import StoreError, ValidationError
from migralink.sources.model import DatasetMeta, DimensionMeta, SourceTable
from migralink.store import Gateway, QuerySpec, run_query, store_table
from migralink.store.query_sql import QueryPlan, build_query
from migralink.store.register import aggregate_register, cube_insert_sql, fingerprint_sql
from migralink.store.synthetic import (
    REGISTER_DIMENSIONS,
    REGISTER_META,
    register_description,
    synthetic_register,
)
from tests.helpers import snapshot

N, SEED = 30_000, 7
DIMS = [d.id for d in REGISTER_DIMENSIONS]
DS = REGISTER_META.id
BENCH = Path(__file__).resolve().parents[2] / "bench" / "cube.py"


@pytest.fixture(scope="module")
def people() -> pl.DataFrame:
    frame = pl.from_arrow(synthetic_register(N, SEED))
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.col("region").str.slice(0, 2).alias("sido"))


@pytest.fixture(scope="module")
def cube_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cube")
    parquet = folder / "register.parquet"
    pq.write_table(synthetic_register(N, SEED), parquet)
    path = folder / "cube.duckdb"
    with Gateway(path) as gw:
        result = aggregate_register(
            gw, f"read_parquet('{parquet}')", REGISTER_DIMENSIONS, REGISTER_META,
            period="2024", source=register_description(N, SEED),
        )
    assert (result.changed, result.version, result.file) == (
        True, 1, register_description(N, SEED))
    return path


@pytest.fixture
def gw(cube_db: Path) -> Iterator[Gateway]:
    with Gateway(cube_db, read_only=True) as gateway:
        yield gateway


def _expected(
    people: pl.DataFrame, by: tuple[str, ...], filters: dict[str, str], region: str | None
) -> dict[tuple[str, ...], int]:
    """Counts of the raw register; ``by`` region gives sigungu and sido rows."""
    frame = people.filter(*(pl.col(d) == c for d, c in filters.items())) if filters else people
    if region is not None and region != "00":
        frame = frame.filter(pl.col("sido" if len(region) == 2 else "region") == region)
    dims = [d for d in by if d != "region"]
    if "region" not in by:
        if not dims:
            return {(): frame.height}
        counts = frame.group_by(dims).len()
        return {tuple(r[:-1]): r[-1] for r in counts.select(*dims, "len").iter_rows()}
    # by region answers at one level, sigungu by default (issue 8: levels never mix)
    counts = frame.group_by("region", *dims).len()
    return {tuple(r[:-1]): r[-1] for r in counts.select("region", *dims, "len").iter_rows()}


def _answer(gw: Gateway, spec: QuerySpec) -> dict[tuple[str, ...], int]:
    frame = run_query(gw, spec).frame
    assert set(frame["status"].to_list()) == {"A"}
    keys = list(spec.by)
    return {tuple(r[:-1]): r[-1] for r in frame.select(*keys, "value").iter_rows()}


CASES: list[tuple[tuple[str, ...], dict[str, str], str | None]] = [
    ((), {}, None),
    (("sex",), {}, None),
    (("region",), {}, None),
    (("nationality", "age_group"), {"residence_status": "E-9"}, None),
    (("residence_status",), {}, "11"),
    (("age_group",), {"sex": "F"}, "41270"),
    (("region", "sex"), {"nationality": "VNM"}, None),
    (("sex",), {"age_group": "25-29", "nationality": "CHN-KR"}, "00"),
    ((), {"sex": "M", "residence_status": "E-9", "age_group": "30-34"}, "44200"),
]


@pytest.mark.parametrize(("by", "filters", "region"), CASES)
def test_a_query_on_the_cube_equals_counting_the_register(
    gw: Gateway, people: pl.DataFrame, by: tuple[str, ...], filters: dict[str, str],
    region: str | None,
) -> None:
    spec = QuerySpec(DS, region=region, filters=tuple(filters.items()), by=by)
    expected = _expected(people, by, filters, region)
    assert _answer(gw, spec) == expected
    assert sum(expected.values()) > 0


def test_the_cube_has_one_cell_per_group_of_each_of_the_48_grouping_sets(
    gw: Gateway, people: pl.DataFrame
) -> None:
    cells = 0
    for region in (["region"], ["sido"], []):
        for k in range(len(DIMS) + 1):
            for dims in itertools.combinations(DIMS, k):
                keys = [*region, *dims]
                cells += people.group_by(keys).len().height if keys else 1
    assert gw.scalar(f"SELECT count(*) FROM obs_{DS}_v1") == cells
    assert gw.scalar(f"SELECT sum(value) FROM obs_{DS}_v1") == 48 * N


def _margin_errors(gw: Gateway, dim: str) -> tuple[int, int]:
    """(groups checked, groups whose ``_T`` row is not the sum of the other rows)."""
    others = ", ".join(["period", "region", *(d for d in DIMS if d != dim)])
    row = gw.rows(
        "SELECT count(*), count(*) FILTER (WHERE total IS DISTINCT FROM parts) FROM ("
        f"SELECT {others}, sum(value) FILTER (WHERE {dim} <> '_T') AS parts, "
        f"max(value) FILTER (WHERE {dim} = '_T') AS total FROM obs_{DS}_v1 GROUP BY {others})"
    )[0]
    return int(row[0]), int(row[1])


@pytest.mark.parametrize("dim", DIMS)
def test_every_dimension_margin_adds_up(gw: Gateway, dim: str) -> None:
    checked, wrong = _margin_errors(gw, dim)
    assert checked > 1000
    assert wrong == 0


def test_sex_total_is_men_plus_women_in_every_cell(gw: Gateway) -> None:
    frame = gw.polars(f"SELECT * FROM obs_{DS}_v1")
    keys = ["period", "region", "nationality", "residence_status", "age_group"]
    wide = frame.pivot(on="sex", index=keys, values="value").fill_null(0)
    assert wide.height > 1000
    assert (wide["_T"] == wide["M"] + wide["F"]).all()


def test_region_margins_add_up_sigungu_to_sido_to_nation(gw: Gateway) -> None:
    dims = ", ".join(DIMS)
    for child, parent, key in (
        ("length(region) = 5", "length(region) = 2 AND region <> '00'", "left(region, 2)"),
        ("length(region) = 2 AND region <> '00'", "region = '00'", "'00'"),
    ):
        rows = gw.rows(
            f"WITH parts AS (SELECT {key} AS region, {dims}, sum(value) AS v FROM obs_{DS}_v1 "
            f"WHERE {child} GROUP BY ALL), totals AS (SELECT region, {dims}, value AS v "
            f"FROM obs_{DS}_v1 WHERE {parent}) SELECT count(*), count(*) FILTER "
            "(WHERE parts.v IS DISTINCT FROM totals.v) FROM parts FULL JOIN totals "
            f"USING (region, {dims})"
        )[0]
        assert rows[0] > 1000
        assert rows[1] == 0


def test_rows_and_catalogue_of_the_stored_cube(gw: Gateway) -> None:
    sha = hashlib.sha256(register_description(N, SEED).encode()).hexdigest()
    table = f"obs_{DS}_v1"
    # one source for the whole version: named by the catalogue, not repeated in every cell
    assert gw.rows(f"SELECT DISTINCT status, src, source_row, period FROM {table}") == [
        ("A", None, None, "2024")]
    assert gw.scalar("SELECT source_sha256 FROM ml_version WHERE dataset_id = ?", [DS]) == sha
    assert gw.rows(f"SELECT DISTINCT region FROM {table} WHERE top") == [("00",)]
    assert gw.scalar("SELECT totals_stored FROM ml_dataset WHERE id = ?", [DS]) is True
    assert gw.rows(
        "SELECT id, codelist, total_code FROM ml_dimension WHERE dataset_id = ? ORDER BY position",
        [DS],
    ) == [(d.id, d.codelist, "_T") for d in REGISTER_DIMENSIONS]
    assert gw.rows(
        "SELECT code, label FROM ml_code WHERE dataset_id = ? AND dimension = 'sex' ORDER BY 1",
        [DS],
    ) == [("F", "F"), ("M", "M"), ("_T", "Total")]
    source = gw.rows("SELECT source_sha256, rows_read, periods, version FROM ml_source")
    assert source == [(sha, N, ["2024"], 1)]
    version = gw.rows("SELECT observations, periods, source_sha256 FROM ml_version")
    assert version == [(gw.scalar(f"SELECT count(*) FROM {table}"), ["2024"], sha)]


def test_by_a_dimension_leaves_out_its_total_and_by_region_the_nation(gw: Gateway) -> None:
    by_sex = run_query(gw, QuerySpec(DS, by=("sex",))).frame
    assert sorted(by_sex["sex"].to_list()) == ["F", "M"]
    regions = set(run_query(gw, QuerySpec(DS, by=("region",))).frame["region"].to_list())
    assert "00" not in regions
    assert "11" not in regions  # one level only: sigungu by default
    assert "11110" in regions
    sido = run_query(gw, QuerySpec(DS, level="sido")).frame
    assert "11" in set(sido["region"].to_list())
    assert set(sido["level"].to_list()) == {"sido"}


def _store(path: Path, table: pa.Table, period: str, source: str | None = None) -> Any:
    with Gateway(path) as gw:
        gw.register("people", table)
        try:
            return aggregate_register(
                gw, "people", REGISTER_DIMENSIONS, REGISTER_META, period=period, source=source
            )
        finally:
            gw.unregister("people")


def _total(path: Path, period: str, version: int | None = None) -> int:
    with Gateway(path) as gw:
        frame = run_query(gw, QuerySpec(DS, version=version, periods=(period,))).frame
    return int(frame["value"].item())


def test_versions_are_cumulative_and_the_same_register_is_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "v.duckdb"
    first = _store(db, synthetic_register(2_000, 1), "2024", "register 2024")
    again = _store(db, synthetic_register(2_000, 1), "2024", "register 2024")
    assert (first.version, first.changed, again.version, again.changed) == (1, True, 1, False)
    second = _store(db, synthetic_register(1_500, 2), "2025", "register 2025")
    assert second.version == 2
    assert (_total(db, "2024"), _total(db, "2025")) == (2_000, 1_500)
    revised = _store(db, synthetic_register(1_200, 3), "2025", "register 2025, revised")
    assert revised.version == 3
    assert (_total(db, "2024"), _total(db, "2025"), _total(db, "2025", 2)) == (2_000, 1_200, 1_500)
    with Gateway(db) as gw:
        assert gw.scalar("SELECT periods FROM ml_version WHERE version = 3") == ["2024", "2025"]


def test_without_a_source_the_rows_are_fingerprinted(tmp_path: Path) -> None:
    db = tmp_path / "f.duckdb"
    table = synthetic_register(1_000, 4)
    assert _store(db, table, "2024").changed
    assert not _store(db, table.slice(0, 1_000), "2024").changed  # same rows, new object
    sex = table["sex"].to_pylist()
    sex[0] = "F" if sex[0] == "M" else "M"
    changed = table.set_column(table.column_names.index("sex"), "sex", pa.array(sex))
    result = _store(db, changed, "2024")
    assert (result.changed, result.version) == (True, 2)


def _with(table: pa.Table, column: str, value: str | None) -> pa.Table:
    values = table[column].to_pylist()
    values[7] = value
    return table.set_column(table.column_names.index(column), column, pa.array(values))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("sex", None, "sex has values that are not codes"),
        ("nationality", "_T", "'_T'"),
        ("region", "1111", "'1111'"),
        ("region", "99990", "99990"),
    ],
)
def test_a_bad_register_is_refused_and_changes_nothing(
    tmp_path: Path, column: str, value: str | None, message: str
) -> None:
    db = tmp_path / "bad.duckdb"
    _store(db, synthetic_register(500, 5), "2023", "first")
    before = snapshot(db)
    with pytest.raises(ValidationError, match=message):
        _store(db, _with(synthetic_register(500, 6), column, value), "2024", "second")
    assert snapshot(db) == before


def test_an_empty_register_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no rows"):
        _store(tmp_path / "e.duckdb", synthetic_register(0, 1), "2024", "empty")


def _toy(tmp_path: Path) -> SourceTable:
    frame = pl.DataFrame(
        {"period": ["2024"], "region": ["11"], "sex": ["M"], "value": [1.0], "status": ["A"],
         "source_row": [1], "source_column": ["c"]}
    )
    return SourceTable(
        meta=DatasetMeta(DS, "표", "Table", "tests", "http://localhost", "none"),
        source_file=tmp_path / "toy.csv", source_sha256="0" * 64,
        dimensions=(DimensionMeta("sex"),), frame=frame, mapping_text="toy",
    )


def test_refused_datasets_and_dimension_names(tmp_path: Path) -> None:
    with Gateway(tmp_path / "s.duckdb") as gw:
        store_table(gw, _toy(tmp_path))
        gw.register("people", synthetic_register(100, 1))
        with pytest.raises(StoreError, match="holds a published table"):
            aggregate_register(gw, "people", ["sex"], REGISTER_META, period="2025")
        other = DatasetMeta("other", "", "", "", "", "")
        aggregate_register(gw, "people", ["sex"], other, period="2024", source="a")
        with pytest.raises(StoreError, match="has dimensions"):
            aggregate_register(gw, "people", ["sex", "age_group"], other, period="2025")
        with pytest.raises(StoreError, match="reserved or repeated: value"):
            aggregate_register(gw, "people", ["value"], other, period="2025")
        with pytest.raises(StoreError, match="cannot name a dimension"):
            aggregate_register(gw, "people", ["a b"], other, period="2025")
        m49 = DatasetMeta("m", "", "", "", "", "", region_system="m49")
        with pytest.raises(StoreError, match="m49"):
            aggregate_register(gw, "people", ["sex"], m49, period="2025")


def test_the_cube_sql_is_built_without_a_database() -> None:
    sql = cube_insert_sql("obs_x_v1", "read_parquet('r.parquet')", ["sex", "age_group"])
    assert sql.startswith('INSERT INTO "obs_x_v1" SELECT ?::VARCHAR AS period')
    assert sql.endswith('GROUP BY ROLLUP(_sido, region), CUBE("sex", "age_group")')
    assert "FROM read_parquet('r.parquet') AS register" in sql
    assert sql.count("?") == 1  # the period; src stays NULL
    assert cube_insert_sql("t", "people", []).endswith("GROUP BY ROLLUP(_sido, region)")
    assert "FROM (SELECT * FROM p WHERE x) AS register" in fingerprint_sql(
        "SELECT * FROM p WHERE x", ["sex"])


def test_query_plans_of_a_stored_cube_leave_out_margin_rows() -> None:
    plan = QueryPlan(table="t", dimensions=("sex", "age_group"), by=("region", "sex"),
                     totals=(("sex", "_T"), ("age_group", "_T")), totals_stored=True)
    sql, params = build_query(plan)
    assert "region <> '00'" in sql
    assert '"sex" <> ?' in sql
    assert '"age_group" = ?' in sql
    assert params == ["_T", "_T"]
    ordinary, _ = build_query(QueryPlan(table="t", dimensions=("sex",), by=("region", "sex")))
    assert "<>" not in ordinary


def test_the_benchmark_runs_and_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "20000", "--repeat", "1"],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for text in ("20,000 persons", "48 grouping sets", "rows/s", "peak MB",
                 "migralink/DuckDB =", "pandas/DuckDB =", "target < 1.3x"):
        assert text in out
    for method in ("migralink", "duckdb", "duckdb_layout", "pandas"):
        assert any(line.startswith(method + " ") for line in out.splitlines()), method

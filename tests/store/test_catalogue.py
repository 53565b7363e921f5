"""The one catalogue write: lineage, inherited sensitivity, migrations, refusals."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from migralink.errors import StoreError
from migralink.model import DatasetMeta, DatasetRef, DimensionMeta, Measure, SourceTable
from migralink.store import Gateway, QuerySpec, run_query, store_table
from migralink.store.catalogue import (
    NewVersion,
    SourceRecord,
    ensure_schema,
    inputs_of,
    lineage,
    measures_of,
    origin_of,
    root_registers,
    schema_version,
    sensitivity_of,
    write_version,
)
from migralink.store.catalogue_sql import MIGRATIONS, SCHEMA_VERSION
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_META, synthetic_register

SHARES = DatasetMeta(
    "female_share", "여성 비율", "Female share", "migralink", "", "",
    unit="%", measures=(Measure(unit="%", value_kind="share"),
                        Measure("numerator", "분자", "numerator"),
                        Measure("denominator", "분모", "denominator")),
)


def _published(tmp_path: Path, ident: str = "toy") -> SourceTable:
    frame = pl.DataFrame({
        "period": ["2024", "2024"], "region": ["11", "00"], "sex": ["_T", "_T"],
        "value": [10.0, 30.0], "status": ["A", "A"], "source_row": [2, 3],
    })
    return SourceTable(
        meta=DatasetMeta(ident, "표", "Table", "tests", "http://localhost", "none"),
        source_file=tmp_path / "toy.csv", source_sha256="1" * 64,
        dimensions=(DimensionMeta("sex", total="_T"),), frame=frame, mapping_text="toy",
    )


def _shares(gw: Gateway, inputs: tuple[DatasetRef, ...], sha: str = "s") -> NewVersion:
    cube = gw.polars(
        "SELECT period, region, value AS numerator FROM obs_synthetic_register_v1 "
        "WHERE sex = 'F' AND nationality = '_T' AND residence_status = '_T' "
        "AND age_group = '_T'"
    )
    frame = cube.with_columns(pl.lit(1000.0).alias("denominator")).with_columns(
        (pl.col("numerator") / pl.col("denominator") * 100).alias("value"),
        pl.lit("A").alias("status"),
    )
    return NewVersion(
        meta=SHARES, dimensions=(), frame=frame, derived_from=inputs, origin="derived",
        source=SourceRecord("computed", sha, "engine/1"),
    )


def test_a_dataset_derived_from_a_register_cube_is_protected_with_its_inputs(
    tmp_path: Path,
) -> None:
    with Gateway(tmp_path / "s.duckdb") as gw:
        gw.register("people", synthetic_register(2_000, 3))
        cube = aggregate_register(gw, "people", ["sex", "nationality", "residence_status",
                                                 "age_group"], REGISTER_META, period="2024")
        published = store_table(gw, _published(tmp_path))
        assert sensitivity_of(gw, REGISTER_META.id) == "protected"
        assert origin_of(gw, REGISTER_META.id) == "register"
        assert sensitivity_of(gw, "toy") == "public"
        inputs = (DatasetRef(REGISTER_META.id, cube.version), DatasetRef("toy", 1))
        written = write_version(gw, _shares(gw, inputs))
        assert written.sensitivity == "protected"  # asked public, inherits the cube's
        assert sensitivity_of(gw, "female_share") == "protected"
        assert inputs_of(gw, "female_share") == tuple(sorted(inputs))
        # and one level further: a dataset of the shares is protected, its root the cube
        again = NewVersion(
            meta=DatasetMeta("shares_again", "", "", "", "", "",
                             measures=(Measure(value_kind="share"),)),
            dimensions=(), frame=gw.polars(
                "SELECT period, region, value, status::VARCHAR AS status "
                "FROM obs_female_share_v1"),
            derived_from=(DatasetRef("female_share", written.version),), origin="derived",
            source=SourceRecord("copied", "c", "engine/1"),
        )
        assert write_version(gw, again).sensitivity == "protected"
        tree = lineage(gw, "shares_again")
        assert set(tree.inputs) == {DatasetRef("female_share", 1), *inputs}
        assert set(tree.roots) == set(inputs)
        assert tree.registers == (DatasetRef(REGISTER_META.id, cube.version),)
        assert root_registers(gw, "shares_again") == (REGISTER_META.id,)
        assert root_registers(gw, "toy") == ()
        assert lineage(gw, REGISTER_META.id).registers == (
            DatasetRef(REGISTER_META.id, cube.version),)
        assert published.changed
        assert [m.value_kind for m in measures_of(gw, "female_share")] == [
            "share", "count", "count"]
        # each measure is read as itself; only the counts add up over regions
        women = run_query(gw, QuerySpec("female_share", measure="numerator")).frame
        assert women["value"].item() == gw.scalar(
            "SELECT value FROM obs_synthetic_register_v1 WHERE region = '00' AND sex = 'F' "
            "AND nationality = '_T' AND residence_status = '_T' AND age_group = '_T'")
        # shares are read as stored, never rolled up: each sido's own row
        sido = run_query(gw, QuerySpec("female_share", level="sido")).frame
        assert sido.height == gw.scalar(
            "SELECT count(*) FROM obs_female_share_v1 WHERE length(region) = 2 "
            "AND region <> '00'")
        with pytest.raises(StoreError, match="no measure 'persons'"):
            run_query(gw, QuerySpec("female_share", measure="persons"))
        stored = gw.polars("SELECT numerator, denominator, value FROM obs_female_share_v1")
        assert stored.height
        assert ((stored["value"] - stored["numerator"] / 10).abs() < 1e-9).all()


def test_a_published_table_cannot_take_over_a_protected_id(tmp_path: Path) -> None:
    with Gateway(tmp_path / "s.duckdb") as gw:
        gw.register("people", synthetic_register(500, 1))
        aggregate_register(gw, "people", ["sex"], REGISTER_META, period="2024")
        before = gw.rows("SELECT * FROM ml_version ORDER BY ALL")
        with pytest.raises(StoreError, match="is protected"):
            store_table(gw, _published(tmp_path, REGISTER_META.id))
        with pytest.raises(StoreError, match="is protected"):
            write_version(gw, NewVersion(
                meta=DatasetMeta(REGISTER_META.id, "", "", "", "", ""), dimensions=(),
                frame=pl.DataFrame({"period": ["2024"], "region": ["00"], "value": [1.0],
                                    "status": ["A"]}),
                source=SourceRecord("x", "x", "x"), origin="derived",
            ))
        assert gw.rows("SELECT * FROM ml_version ORDER BY ALL") == before


def test_inputs_must_exist(tmp_path: Path) -> None:
    with Gateway(tmp_path / "s.duckdb") as gw:
        store_table(gw, _published(tmp_path))
        new = NewVersion(
            meta=DatasetMeta("d", "", "", "", "", ""), dimensions=(),
            frame=pl.DataFrame({"period": ["2024"], "region": ["00"], "value": [1.0],
                                "status": ["A"]}),
            source=SourceRecord("x", "x", "x"), derived_from=(DatasetRef("toy", 2),),
        )
        with pytest.raises(StoreError, match="toy v2, which is not in the evidence base"):
            write_version(gw, new)


def test_an_old_evidence_base_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with Gateway(path) as gw:  # a file as schema 1 wrote it: no ml_schema
        for ddl in MIGRATIONS[0]:
            gw.execute(ddl)
        gw.execute("INSERT INTO ml_dataset (id, unit, totals_stored) VALUES "
                   "('reg', 'persons', true), ('pub', 'persons', false)")
        gw.execute("INSERT INTO ml_version (dataset_id, version, table_name) VALUES "
                   "('reg', 1, 'obs_reg_v1'), ('pub', 1, 'obs_pub_v1'), ('pub', 2, 'obs_pub_v2')")
        assert schema_version(gw) == 1
        assert sensitivity_of(gw, "reg") == "protected"  # read as migration 2 would write it
    with Gateway(path) as gw:
        ensure_schema(gw)
        assert schema_version(gw) == SCHEMA_VERSION == 2
        assert sensitivity_of(gw, "reg") == "protected"
        assert sensitivity_of(gw, "pub", 1) == "public"
        assert origin_of(gw, "reg") == "register"
        assert measures_of(gw, "pub", 2) == (Measure(unit="persons"),)
        ensure_schema(gw)  # idempotent
        assert gw.scalar("SELECT count(*) FROM ml_schema") == 2
    with Gateway(tmp_path / "new.duckdb") as gw:
        assert schema_version(gw) == 0
        ensure_schema(gw)
        assert [r[0] for r in gw.rows("SELECT version FROM ml_schema ORDER BY 1")] == [1, 2]

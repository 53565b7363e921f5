"""An indicator computed over a register's cube is stored protected, with its inputs."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from migralink.evidence import Evidence
from migralink.indicators import store_indicators
from migralink.model import DatasetRef
from migralink.store.catalogue import inputs_of, lineage, measures_of, sensitivity_of
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_META, synthetic_register


def test_an_indicator_over_a_register_cube_is_protected_with_its_inputs(tmp_path: Path) -> None:
    with Evidence(tmp_path / "ev.duckdb") as ev:
        ev.gateway.register("people", synthetic_register(5_000, 11))
        cube = aggregate_register(ev.gateway, "people", ["sex"], REGISTER_META, period="2024")
        counts = ev.query(REGISTER_META.id, by=["sex"], level="sido", names=False).frame
        wide = counts.pivot(on="sex", index=["period", "region"], values="value")
        computed = wide.select(
            pl.lit("female_share").alias("indicator"), "period", "region",
            pl.lit("sido").alias("level"),
            (pl.col("F") / (pl.col("F") + pl.col("M")) * 100).alias("value"),
            pl.lit("%").alias("unit"), pl.col("F").cast(pl.Float64).alias("numerator"),
            (pl.col("F") + pl.col("M")).cast(pl.Float64).alias("denominator"),
            pl.lit("A").alias("status"),
            pl.lit(f"{REGISTER_META.id} v{cube.version}").alias("sources"),
        )
        stored = store_indicators(ev, computed)
        assert stored.changed
        assert sensitivity_of(ev.gateway, "indicators") == "protected"
        assert inputs_of(ev.gateway, "indicators") == (DatasetRef(REGISTER_META.id, 1),)
        assert lineage(ev.gateway, "indicators").registers == (DatasetRef(REGISTER_META.id, 1),)
        assert [(m.id, m.value_kind) for m in measures_of(ev.gateway, "indicators")] == [
            ("value", "number"), ("numerator", "number"), ("denominator", "number")]
        assert computed.height == 17  # every sido of the synthetic register

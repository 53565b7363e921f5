"""Integration indicators from linked data: stored protected, released through the gate."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from migralink.disclosure.gate import release, sensitivity
from migralink.linkage import LinkResult, make_registers, quality_report
from migralink.linkage.indicators import (
    DATASET,
    coverage_counts,
    released_shares,
    store_coverage,
)
from migralink.linkage.presets import default_spec
from migralink.store.gateway import Gateway


def test_coverage_is_stored_protected_and_released_through_the_gate(tmp_path: Path) -> None:
    reg = make_registers(1500, seed=4)
    a, b = reg.registers["immigration"], reg.registers["employment"]
    # the true links stand in for a run here; test_registers checks the linkage itself
    links = a.join(b, on="person_id").select(pl.col("rec_id").alias("rec_id_l"),
                                             pl.col("rec_id_right").alias("rec_id_r"))
    scores = links.with_columns(pl.lit(20.0).alias("match_weight"),
                                pl.lit(0.99).alias("match_probability"))
    result = LinkResult(scores, scores, pl.DataFrame(), {"comparisons": []})
    quality = quality_report(result, default_spec())
    counts = coverage_counts(a, links, year=2024)
    national = counts.filter((pl.col("region") == "00")
                             & (pl.col("residence_status") == "_T"))
    total = national.filter(pl.col("in_employment_insurance") == "_T")["value"][0]
    linked = national.filter(pl.col("in_employment_insurance") == "linked")["value"][0]
    # employed persons are of working age, unless the register's date of birth is wrong
    assert 0.95 * b.height <= linked <= b.height
    assert total > linked

    gw = Gateway(tmp_path / "ev.duckdb")
    try:
        written = store_coverage(gw, counts, quality, inputs=["immigration", "employment"])
        assert sensitivity(gw, DATASET) == "protected"
        rel = release(gw, DATASET, written.version)
        assert rel.sensitivity == "protected"
        assert rel.cells["value"].null_count() > 0  # small cells are suppressed
        shares = released_shares(rel.cells)
        nat = shares.filter((pl.col("region") == "00") & (pl.col("residence_status") == "_T"))
        assert nat["share"][0] == linked / total
        assert shares.filter(pl.col("linked").is_null())["share"].is_null().all()
    finally:
        gw.close()

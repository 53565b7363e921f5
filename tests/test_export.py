"""Exports carry disclosure control: registers are protected, published aggregates are not."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from migralink.evidence import Evidence
from migralink.sources.model import DatasetMeta
from migralink.store.register import aggregate_register
from migralink.store.synthetic import write_register
from tests.conftest import run_cli

STATUS = "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    folder = tmp_path_factory.mktemp("export")
    register = write_register(folder / "register.parquet", 20_000, 7)
    path = folder / "ev.duckdb"
    meta = DatasetMeta("register_synthetic", "합성 등록부", "Synthetic register", "migralink tests",
                       "http://localhost/", "test data")
    with Evidence(path) as ev:
        ev.ingest([shared / STATUS])
        aggregate_register(ev.gateway, f"read_parquet('{register}')",
                           ["residence_status", "sex"], meta, period="2024")
    return path


def _policy(folder: Path) -> Path:
    """Threshold 5, every suppressed cell published as C: with A and D told apart, this
    thin register has cells that presence alone pins down, and the gate refuses it."""
    path = folder / "policy.json"
    path.write_text(json.dumps({"threshold": 5, "distinguish_statuses": False}), "utf-8")
    return path


def test_register_export_is_protected(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "register.csv"
    result = run_cli("export", "register_synthetic", "--db", str(db), "-o", str(out),
                     "--policy", str(_policy(tmp_path)))
    assert result.exit_code == 0, result.stderr
    frame = pl.read_csv(out, schema_overrides={"region": pl.Utf8, "period": pl.Utf8})
    published = frame.filter(pl.col("conf_status") == "F")
    assert published.filter((pl.col("value") > 0) & (pl.col("value") < 5)).is_empty()
    suppressed = frame.filter(pl.col("conf_status") != "F")
    assert suppressed.height > 0
    assert suppressed["value"].null_count() == suppressed.height  # never shown as zero
    assert set(suppressed["conf_status"].unique()) == {"C"}  # one status: see _policy
    report = json.loads(Path(str(out) + ".disclosure.json").read_text(encoding="utf-8"))
    assert report["public"] is False
    assert report["policy"]["threshold"] == 5
    period = report["periods"]["2024"]
    assert period["suppressed"] == suppressed.height
    assert "suppressed" in Path(str(out) + ".disclosure.txt").read_text(encoding="utf-8")


def test_published_aggregate_is_released_as_published(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "moj.parquet"
    result = run_cli("export", "moj_stay_status", "--db", str(db), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    frame = pl.read_parquet(out)
    assert set(frame["conf_status"].unique()) == {"F"}
    assert frame.filter(pl.col("residence_status") == "E-9")["value"].sum() == 337_279
    assert frame["value"].sum() == 2_650_783


def test_export_refuses_other_formats(db: Path, tmp_path: Path) -> None:
    result = run_cli("export", "moj_stay_status", "--db", str(db), "-o", str(tmp_path / "x.xls"))
    assert result.exit_code == 1
    assert ".csv or .parquet" in result.stderr


def test_query_of_a_register_is_protected_too(db: Path, tmp_path: Path) -> None:
    """What `migralink query` prints of a register is what an export would publish."""
    out = tmp_path / "register.parquet"
    # one register, one policy: the registry refuses a second policy for the same persons
    assert run_cli("export", "register_synthetic", "--db", str(db), "-o", str(out),
                   "--policy", str(_policy(tmp_path))).exit_code == 0
    exported = pl.read_parquet(out)
    result = run_cli("query", "register_synthetic", "--db", str(db), "--by",
                     "region,residence_status", "--format", "json",
                     "--policy", str(_policy(tmp_path)))
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert {r["conf_status"] for r in rows} >= {"F", "C"}
    for row in rows:
        cell = exported.filter(
            (pl.col("region") == row["region"])
            & (pl.col("residence_status") == row["residence_status"])
            & (pl.col("sex") == "_T")
        ).row(0, named=True)
        assert (row["value"], row["conf_status"]) == (cell["value"], cell["conf_status"])
        if row["conf_status"] != "F":
            assert row["value"] is None
    refused = run_cli("query", "register_synthetic", "--db", str(db), "--boundaries", "2018")
    assert refused.exit_code == 1
    assert "protected" in refused.stderr

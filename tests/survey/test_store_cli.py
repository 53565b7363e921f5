"""Survey results through the CLI, into the evidence base, and out of the real API."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from migralink.api import ApiConfig
from migralink.evidence import Evidence
from migralink.survey import DesignSpec, Survey, publishable
from migralink.survey.store import store_estimates
from tests.conftest import run_cli
from tests.servers import running_all
from tests.survey.designs import ATTITUDES, DATASETS, dataset

ESS = ATTITUDES / "ess10_norway.csv"


@pytest.fixture
def ess_design(tmp_path: Path) -> Path:
    path = tmp_path / "ess.json"
    path.write_text(DesignSpec(weights="anweight", strata="stratum",
                               clusters=("psu",)).to_json(), encoding="utf-8")
    return path


def test_cli_estimate_matches_the_python_api(ess_design: Path) -> None:
    result = run_cli("survey", "estimate", str(ESS), "--design", str(ess_design), "--mean",
                     "imwbcnt", "--by", "region", "--na-rm", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    s = Survey.build(dataset("ess"), DesignSpec(weights="anweight", strata="stratum",
                                                clusters=("psu",)))
    want = s.mean("imwbcnt", by="region", na_rm=True)
    assert [r["estimate"] for r in rows] == want["estimate"].to_list()
    assert {r["reliability"] for r in rows} <= {"ok", "caution", "withheld"}
    assert all(r["se"] > 0 and r["df"] == 1375 for r in rows)


def test_cli_errors_are_one_line(ess_design: Path, tmp_path: Path) -> None:
    result = run_cli("survey", "estimate", str(ESS), "--design", str(ess_design),
                     "--mean", "imwbcnt")
    assert result.exit_code == 1
    assert "missing values" in result.stderr
    assert "--na-rm" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"strata": "stratum", "weight": "anweight"}', encoding="utf-8")
    result = run_cli("survey", "estimate", str(ESS), "--design", str(bad), "--mean", "agea")
    assert result.exit_code == 1
    assert "bad.json" in result.stderr
    assert "unknown design keys" in result.stderr


def test_withheld_estimates_are_blank_when_stored(tmp_path: Path) -> None:
    s = Survey.build(dataset("apiclus1"), DesignSpec(clusters=("dnum",), weights="pw",
                                                     fpc=("fpc",)))
    table = s.total("ell0", by="cname")
    assert set(table["reliability"]) >= {"withheld"}
    ev = Evidence(tmp_path / "e.duckdb")
    try:
        written = store_estimates(ev.gateway, table, dataset="survey_api_ell0",
                                  title_ko="시험", title_en="test", period="2000",
                                  source_name="apiclus1.csv", source_sha256="0" * 64,
                                  design_json=s.spec.to_json())
        stored = ev.gateway.polars(f'SELECT * FROM "{written.table_name}"')
    finally:
        ev.close()
    withheld = stored.filter(pl.col("reliability") == "withheld")
    assert withheld.height == (table["reliability"] == "withheld").sum()
    assert withheld["value"].null_count() == withheld.height
    assert set(withheld["status"].cast(pl.Utf8)) == {"M"}
    assert publishable(table).filter(pl.col("reliability") == "withheld")["se"].null_count()


def test_stored_estimates_are_served_with_their_flag(ess_design: Path, tmp_path: Path) -> None:
    db = tmp_path / "survey.duckdb"
    result = run_cli("survey", "estimate", str(ESS), "--design", str(ess_design), "--mean",
                     "imwbcnt", "--by", "region", "--by", "female", "--na-rm", "--format",
                     "csv", "--store", "survey_ess10_imwbcnt", "--db", str(db),
                     "--period", "2020")
    assert result.exit_code == 0, result.stderr
    assert "stored 12 estimates" in result.stderr
    assert "release gate publishes 12 cells" in " ".join(result.stderr.split())
    config = ApiConfig(db=db)
    with running_all((config, tmp_path / "api.log", None)) as (server,), server.client() as c:
        page = c.get("/api/v1/datasets/survey_ess10_imwbcnt/observations", params={
            "by": "statistic,term,survey_region,female,reliability", "period": "2020"})
        assert page.status_code == 200, page.text
        body = page.json()
    rows = body["data"] if "data" in body else body["rows"]
    assert len(rows) == 12
    assert {r["reliability"] for r in rows} == {"ok"}
    assert all(r["value"] is not None for r in rows)
    assert (DATASETS / "apiclus1.csv").exists()

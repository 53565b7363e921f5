"""``migralink link`` and ``migralink dedupe``: outputs, report, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from migralink.linkage import febrl_spec
from tests.conftest import run_cli


def test_dedupe_writes_links_clusters_report_and_clerical_sample(
        febrl3: pl.DataFrame, tmp_path: Path) -> None:
    src = tmp_path / "f3.csv"
    febrl3.head(1500).write_csv(src)
    spec = tmp_path / "spec.json"
    spec.write_text(febrl_spec(link_type="dedupe_only").to_json(), "utf-8")
    out = tmp_path / "out" / "dupes.csv"
    result = run_cli("dedupe", str(src), "--spec", str(spec), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "estimated precision" in result.stdout
    links = pl.read_csv(out)
    assert links.height > 100
    assert (links["match_probability"] >= 0.5).all()
    report = json.loads((tmp_path / "out" / "dupes.report.json").read_text("utf-8"))
    assert report["quality"]["links"] == links.height
    assert {p["comparison"] for p in report["quality"]["parameters"]} >= {"surname", "dob"}
    clerical = pl.read_csv(tmp_path / "out" / "dupes.clerical.csv")
    assert "reviewer_decision" in clerical.columns
    assert clerical["weight_band"].n_unique() >= 3
    assert pl.read_csv(tmp_path / "out" / "dupes.clusters.csv")["rec_id"].n_unique() == 1500


def test_errors_are_one_line_and_name_the_problem(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    pl.DataFrame({"rec_id": ["1", "1"], "surname": ["a", "b"]}).write_csv(src)
    spec = tmp_path / "spec.json"
    spec.write_text(febrl_spec().to_json(), "utf-8")
    missing = run_cli("link", str(src), str(src), "--spec", str(spec), "-o",
                      str(tmp_path / "o.csv"))
    assert missing.exit_code != 0
    assert "columns" in missing.stderr
    assert "missing" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    spec.write_text('{"comparisons": [], "bogus": 1}', "utf-8")
    bad = run_cli("link", str(src), str(src), "--spec", str(spec), "-o", str(tmp_path / "o.csv"))
    assert bad.exit_code != 0
    assert "bogus" in bad.stderr
    assert not (tmp_path / "o.csv").exists()

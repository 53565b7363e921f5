"""Bad survey input through the real CLI: one line naming file, row and column, exit 1.

Every bad file is made at test time from a real data set of ../shared/data/survey by
changing one cell (or cutting the file), so that the row a message names can be
checked against the cell that was changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import run_cli
from tests.survey.designs import DATASETS

STRAT: dict[str, object] = {"weights": "pw", "strata": "stype", "fpc": ["fpc"]}


def _design(tmp_path: Path, spec: Mapping[str, object], name: str = "design.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def _apistrat(tmp_path: Path, name: str, column: str, index: int, value: str) -> Path:
    """apistrat.csv with one cell replaced (index = 0-based data row)."""
    frame = pl.read_csv(DATASETS / "apistrat.csv", infer_schema_length=None)
    cells = frame.get_column(column).cast(pl.Utf8).to_list()
    cells[index] = value
    path = tmp_path / name
    frame.with_columns(pl.Series(column, cells)).write_csv(path)
    return path


def _one_line_error(*args: str) -> str:
    result = run_cli("survey", "estimate", *args)
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return " ".join(lines[0].split())


@pytest.mark.parametrize(("value", "index", "says"), [
    ("inf", 4, "infinite"),
    ("", 0, "missing value"),
    ("abc", 4, "holds text 'abc'"),
    ("-44.21", 4, "negative weight"),
])
def test_bad_weights_name_file_row_and_column(tmp_path: Path, value: str, index: int,
                                              says: str) -> None:
    data = _apistrat(tmp_path, "w_bad.csv", "pw", index, value)
    line = _one_line_error(str(data), "--design", str(_design(tmp_path, STRAT)),
                           "--mean", "api00")
    # data row index+1 is CSV line index+2 (the header is line 1)
    assert f"file w_bad.csv, row {index + 2}, column 'pw'" in line
    assert says in line


def test_all_zero_weights_are_refused(tmp_path: Path) -> None:
    frame = pl.read_csv(DATASETS / "apistrat.csv").with_columns(pl.lit(0.0).alias("pw"))
    data = tmp_path / "w_allzero.csv"
    frame.write_csv(data)
    line = _one_line_error(str(data), "--design", str(_design(tmp_path, STRAT)),
                           "--total", "api00")
    assert "file w_allzero.csv, column 'pw'" in line
    assert "zero in every row" in line


def test_empty_and_ragged_files(tmp_path: Path) -> None:
    design = str(_design(tmp_path, STRAT))
    empty = tmp_path / "s_empty.csv"
    empty.write_bytes(b"")
    line = _one_line_error(str(empty), "--design", design, "--mean", "api00")
    assert "file s_empty.csv" in line
    assert "empty" in line
    text = (DATASETS / "apistrat.csv").read_text(encoding="utf-8").splitlines()
    text[3] += ",surplus"  # CSV line 4 gets one field too many
    ragged = tmp_path / "s_ragged.csv"
    ragged.write_text("\n".join(text) + "\n", encoding="utf-8")
    line = _one_line_error(str(ragged), "--design", design, "--mean", "api00")
    assert "file s_ragged.csv, row 4" in line
    assert "fields but the header has" in line


def test_proportion_and_quantile_variables_are_checked(tmp_path: Path) -> None:
    design = str(_design(tmp_path, STRAT))
    data = str(DATASETS / "apistrat.csv")
    line = _one_line_error(data, "--design", design, "--proportion", "sch.wide")
    assert "file apistrat.csv, row 2, column 'sch.wide'" in line
    assert "holds text 'Yes'" in line
    assert "--mean sch.wide" in line
    line = _one_line_error(data, "--design", design, "--quantile", "nosuch")
    assert "variable 'nosuch' is not in the data" in line
    # a share (meals/100) is not a 0/1 condition: refused, not reported as a proportion
    frac = pl.read_csv(data, infer_schema_length=None).with_columns(
        (pl.col("meals") / 100).alias("frac"))
    path = tmp_path / "frac.csv"
    frac.write_csv(path)
    first = frac.with_row_index().filter((pl.col("frac") != 0) & (pl.col("frac") != 1))
    row = int(first["index"][0]) + 2
    line = _one_line_error(str(path), "--design", design, "--proportion", "frac")
    assert f"file frac.csv, row {row}, column 'frac'" in line
    assert "needs a 0/1 column" in line


def test_proportion_by_domain_refuses_missing_values_like_the_overall_one(
        tmp_path: Path) -> None:
    frame = pl.read_csv(DATASETS / "apistrat.csv", infer_schema_length=None)
    frame = frame.with_columns(
        pl.when(pl.col("snum") % 10 == 0).then(None)
        .otherwise((pl.col("sch.wide") == "Yes").cast(pl.Int64)).alias("sw01"))
    nmiss = frame["sw01"].null_count()
    assert nmiss > 0
    data = tmp_path / "prop_na.csv"
    frame.write_csv(data)
    design = str(_design(tmp_path, STRAT))
    for by in ([], ["--by", "stype"]):
        line = _one_line_error(str(data), "--design", design, "--proportion", "sw01", *by)
        assert f"sw01 has {nmiss} missing values" in line
        assert "--na-rm" in line
    ok = run_cli("survey", "estimate", str(data), "--design", design, "--proportion",
                 "sw01", "--by", "stype", "--na-rm", "--format", "json")
    assert ok.exit_code == 0, ok.stderr
    assert [r["stype"] for r in json.loads(ok.stdout)] == ["E", "H", "M"]


def test_lonely_psu_error_names_the_stratum_value(tmp_path: Path) -> None:
    nh = pl.read_csv(DATASETS / "nhanes.csv", infer_schema_length=None)
    lonely = nh.filter(~((pl.col("SDMVSTRA") == 80) & (pl.col("SDMVPSU") == 2)))
    data = tmp_path / "nh_lonely.csv"
    lonely.write_csv(data)
    design = _design(tmp_path, {"weights": "WTMEC2YR", "strata": "SDMVSTRA",
                                "clusters": ["SDMVPSU"], "nest": True})
    line = _one_line_error(str(data), "--design", str(design), "--mean", "HI_CHOL", "--na-rm")
    assert "stratum 80 (column 'SDMVSTRA') has only one PSU" in line
    jkn = _design(tmp_path, {"weights": "WTMEC2YR", "strata": "SDMVSTRA",
                             "clusters": ["SDMVPSU"], "nest": True,
                             "replicate": {"type": "JKn"}}, "jkn.json")
    line = _one_line_error(str(data), "--design", str(jkn), "--mean", "HI_CHOL", "--na-rm")
    assert "stratum 80 (column 'SDMVSTRA') has only one PSU" in line

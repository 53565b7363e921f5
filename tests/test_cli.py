"""The command line: its contract (formats, fields) and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import run_cli

STATUS = "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    path = tmp_path_factory.mktemp("cli") / "ev.duckdb"
    result = run_cli("ingest", str(shared / STATUS), "--db", str(path))
    assert result.exit_code == 0, result.stderr
    assert "moj_stay_status version 1" in result.stdout
    return path


def test_datasets_json_has_the_contract_fields(db: Path, shared: Path) -> None:
    result = run_cli("datasets", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (info,) = json.loads(result.stdout)
    for key in ("id", "title_ko", "title_en", "publisher", "version", "source_sha256",
                "periods", "dimensions"):
        assert key in info
    import hashlib

    assert info["source_sha256"] == hashlib.sha256((shared / STATUS).read_bytes()).hexdigest()
    assert info["periods"] == ["2024"]
    assert info["dimensions"] == ["period", "region", "nationality", "sex", "residence_status"]


def test_query_json_sums_over_dimensions_not_asked_for(db: Path) -> None:
    result = run_cli("query", "moj_stay_status", "--db", str(db), "--by", "sex",
                     "--format", "json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["dataset"] == "moj_stay_status"
    assert body["version"] == 1
    rows = body["rows"]
    assert {r["sex"] for r in rows} >= {"M", "F"}
    assert all(set(r) == {"period", "region", "sex", "value", "status"} for r in rows)
    assert sum(r["value"] for r in rows) == 2_650_783


def test_query_csv_and_parquet_agree(db: Path, tmp_path: Path) -> None:
    csv_out = run_cli("query", "moj_stay_status", "--db", str(db), "--by", "residence_status",
                      "--format", "csv")
    assert csv_out.exit_code == 0, csv_out.stderr
    target = tmp_path / "q.parquet"
    pq = run_cli("query", "moj_stay_status", "--db", str(db), "--by", "residence_status",
                 "--format", "parquet", "--output", str(target))
    assert pq.exit_code == 0, pq.stderr
    from io import StringIO

    from_csv = pl.read_csv(StringIO(csv_out.stdout), schema_overrides={"period": pl.Utf8,
                                                                        "region": pl.Utf8})
    from_parquet = pl.read_parquet(target)
    assert from_csv.equals(from_parquet)
    e9 = from_parquet.filter(pl.col("residence_status") == "E-9")["value"].item()
    assert e9 == 337_279


def test_filter_accepts_a_published_label(db: Path) -> None:
    by_code = run_cli("query", "moj_stay_status", "--db", str(db), "--filter",
                      "residence_status=F-6", "--format", "json")
    by_label = run_cli("query", "moj_stay_status", "--db", str(db), "--filter",
                       "residence_status=F6(결혼이민)", "--format", "json")
    assert json.loads(by_code.stdout)["rows"][0]["value"] == 148_376
    assert json.loads(by_label.stdout) == json.loads(by_code.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no_such_dataset"], "no dataset 'no_such_dataset'"),
        (["query", "moj_stay_status", "--by", "colour"], "has no dimension 'colour'"),
        (["query", "moj_stay_status", "--filter", "residence_status=Z-9"], "is not a code of"),
        (["query", "moj_stay_status", "--filter", "sex"], "is not DIM=CODE"),
        (["query", "moj_stay_status", "--filter", "체류자격=E-9"],
         "has no dimension '체류자격' to filter on"),
        (["query", "moj_stay_status", "--format", "parquet"], "Parquet needs a file"),
        (["ingest", "nowhere.csv"], "the file does not exist"),
    ],
)
def test_errors_are_one_line_without_traceback(db: Path, args: list[str], message: str) -> None:
    result = run_cli(*args, "--db", str(db))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("typed", "meant"), [
    ("moj stay status", "moj_stay_status"), ("MOJ_STAY_STATUS", "moj_stay_status"),
    ("moj_stay", "moj_stay_status"), ("moj_stay_statu", "moj_stay_status"),
])
def test_a_dataset_id_nearly_typed_is_suggested(db: Path, typed: str, meant: str) -> None:
    result = run_cli("query", typed, "--db", str(db))
    assert result.exit_code == 1
    assert f"did you mean {meant!r}" in " ".join(result.stderr.split())


def test_unknown_file_name_says_how_to_describe_it(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "some_table.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_cli("ingest", str(other), "--db", str(db))
    assert result.exit_code == 1
    assert "--mapping" in result.stderr


def test_codes_commands_list_the_code_lists() -> None:
    statuses = run_cli("codes", "statuses", "--format", "json")
    assert statuses.exit_code == 0, statuses.stderr
    codes = {row["code"] for row in json.loads(statuses.stdout)}
    assert {"E-9", "F-6", "H-2", "D-2"} <= codes
    regions = run_cli("codes", "regions", "--year", "2024", "--format", "csv")
    assert regions.exit_code == 0, regions.stderr
    frame = pl.read_csv(__import__("io").StringIO(regions.stdout), infer_schema_length=0)
    sido = frame.filter(pl.col("level") == "sido")["code"].to_list()
    assert "51" in sido
    assert "42" not in sido
    assert len(sido) == 17


def test_output_files_are_in_the_format_their_name_says(db: Path, tmp_path: Path) -> None:
    # `query -o out.csv` printed the table and wrote nothing (exit 0); `codes -o s.csv`
    # wrote JSON into it; `export --format csv -o x.parquet` wrote CSV into it
    named = tmp_path / "out.csv"
    done = run_cli("query", "moj_stay_status", "--db", str(db), "--by", "residence_status",
                   "-o", str(named))
    assert done.exit_code == 0, done.stderr
    frame = pl.read_csv(named, schema_overrides={"period": pl.Utf8, "region": pl.Utf8})
    assert frame.filter(pl.col("residence_status") == "E-9")["value"].item() == 337_279
    codes = tmp_path / "statuses.csv"
    assert run_cli("codes", "statuses", "-o", str(codes)).exit_code == 0
    assert codes.read_text(encoding="utf-8").startswith("code,name_ko,")
    for args, message in (
        (["query", "moj_stay_status", "--db", str(db), "-o", str(tmp_path / "q.txt")],
         "q.txt: a table cannot be written to a file"),
        (["codes", "statuses", "--format", "json", "-o", str(tmp_path / "s.csv")],
         "--format json does not match the file name s.csv"),
        (["export", "moj_stay_status", "--db", str(db), "--format", "csv", "-o",
          str(tmp_path / "x.parquet")], "--format csv does not match the file name x.parquet"),
    ):
        refused = run_cli(*args)
        assert refused.exit_code != 0, args
        assert message in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "q.txt").exists()
    assert not (tmp_path / "x.parquet").exists()
    assert run_cli("top", "--db", str(db), "--limit", "-3").exit_code != 0

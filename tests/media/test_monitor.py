"""classify and monitor on real comments: columns kept, counts stored through the
catalogue, the monitor served by the real API on loopback; bad input named precisely."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from migralink.api import ApiConfig
from migralink.evidence import Evidence
from migralink.media.monitor import MONITOR_DATASET
from tests.conftest import run_cli
from tests.servers import running_all


@pytest.fixture(scope="module")
def comments(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 real K-MHaS comments (keyword rows first), each given a month and a source."""
    with (shared / "media" / "kmhas" / "kmhas_test.txt").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    picked = [r for r in rows if "중국" in r["document"] or "외국인" in r["document"]][:40]
    picked += [r for r in rows if r["label"] == "8"][:20]
    path = tmp_path_factory.mktemp("monitor") / "comments.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "date", "source"])
        for i, r in enumerate(picked):
            writer.writerow([i, r["document"], f"2020-0{1 + i % 3}-15",
                             "naver" if i % 2 else "daum"])
    return path


def test_classify_keeps_the_columns_and_adds_five(comments: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run_cli("media", "classify", str(comments), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.columns == ["id", "text", "date", "source", "hostile", "score", "target",
                             "spans", "status"]
    assert frame.height == 60
    assert set(frame["hostile"].unique()) <= {"0", "1"}
    assert frame["hostile"].cast(pl.Int64).sum() >= 5
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                             for r in frame.select("id", "text").to_dicts()), encoding="utf-8")
    result = run_cli("media", "classify", str(jsonl))
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 60
    assert isinstance(lines[0]["spans"], list)
    assert [r["hostile"] for r in lines] == frame["hostile"].cast(pl.Int64).to_list()


def test_monitor_stores_counts_and_the_api_serves_shares(
        comments: Path, sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ev.duckdb"
    db.write_bytes(sample_db.read_bytes())
    result = run_cli("media", "monitor", str(comments), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    with Evidence(db, read_only=True) as ev:
        texts = ev.query(MONITOR_DATASET, by=["period"]).frame  # value: the texts
        assert texts["value"].sum() == 60
        assert sorted(texts["period"]) == ["2020-01", "2020-02", "2020-03"]
        hostile = ev.query(MONITOR_DATASET, by=["period"], measure="hostile").frame
        assert 0 < hostile["value"].sum() < 60
    config = ApiConfig(db=db)
    with running_all((config, tmp_path / "server.log", None)) as (server,), \
            server.client() as client:
        body = client.get("/api/v1/media/monitor").json()
        assert body["dataset"] == MONITOR_DATASET
        assert sum(r["texts"] for r in body["rows"]) == 60
        assert sum(r["hostile"] for r in body["rows"]) == hostile["value"].sum()
        assert all(0 <= r["share"] <= 1 for r in body["rows"])
        check = client.get("/api/v1/media/check", params={"text": "불법체류자 40만"}).json()
        assert check["rulings"][0]["citations"][0]["dataset"] == "moj_undocumented"
        page = client.get("/media.html")
        assert page.status_code == 200
        assert "주장 확인" in page.text


def test_bad_input_names_file_row_and_column(tmp_path: Path) -> None:
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("body,date\n안녕,2020-01-01\n", encoding="utf-8")
    result = run_cli("media", "classify", str(no_text))
    assert result.exit_code == 1
    assert "no_text.csv" in result.stderr
    assert "'text'" in result.stderr
    bad_date = tmp_path / "bad_date.csv"
    bad_date.write_text("text,date\n안녕,2020-01-01\n반가워,어제\n", encoding="utf-8")
    result = run_cli("media", "monitor", str(bad_date), "--db", str(tmp_path / "x.duckdb"))
    assert result.exit_code == 1
    assert "row 3" in result.stderr
    assert "'date'" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "a"}\n{"text": \n', encoding="utf-8")
    result = run_cli("media", "classify", str(broken))
    assert result.exit_code == 1
    assert "row 2" in result.stderr


def test_excerpts_are_short() -> None:
    from migralink.api.routes.media import EXCERPT, _excerpt

    text = "가" * 50 + " 짱깨들 " + "나" * 200
    cut = _excerpt(text, ["짱깨들"])
    assert "짱깨들" in cut
    assert len(cut) <= EXCERPT + 2

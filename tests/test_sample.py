"""The bundled sample: reproducible from the published files, and as good as them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from migralink.errors import InputError, QueryError
from migralink.evidence import Evidence
from migralink.indicators import headline
from migralink.sample import build_sample, export_sample, load_sample, sample_dir
from migralink.store.catalogue_read import resolve_version
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory, full_db: Path) -> Path:
    """The sample exported from an evidence base built from every published file."""
    out = tmp_path_factory.mktemp("sample")
    with Evidence(full_db, read_only=True) as ev:
        export_sample(ev.gateway, out)
    return out


def test_build_refuses_a_folder_without_the_published_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="published file"):
        build_sample(tmp_path, tmp_path / "out")


def test_shipped_sample_is_what_the_ingest_code_builds(rebuilt: Path) -> None:
    shipped = sample_dir()
    names = sorted(p.name for p in shipped.glob("*.parquet"))
    assert names == sorted(p.name for p in rebuilt.glob("*.parquet"))
    assert len(names) >= 25
    for name in names:
        assert pl.read_parquet(shipped / name).equals(pl.read_parquet(rebuilt / name)), name
    manifest = json.loads((shipped / "manifest.json").read_text(encoding="utf-8"))
    again = json.loads((rebuilt / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["datasets"] == again["datasets"]
    attribution = (shipped / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "법무부" in attribution
    assert "UN DESA" in attribution or "United Nations" in attribution


def test_sample_answers_like_the_published_files(tmp_path: Path, full_db: Path) -> None:
    db = tmp_path / "sample.duckdb"
    with Evidence(db) as ev, ev.gateway.transaction():
        loaded = load_sample(ev.gateway)
    assert len(loaded) >= 25
    with Evidence(db, read_only=True) as sample, Evidence(full_db, read_only=True) as full:
        assert {d.id for d in sample.datasets()} == {d.id for d in full.datasets()}
        for info in full.datasets():
            if info.id.startswith("bench_"):
                continue
            apart = resolve_version(full.gateway, info.id, None).kept_apart
            a = sample.query(info.id, by=["region", *apart]).frame
            b = full.query(info.id, by=["region", *apart]).frame
            assert a.equals(b), info.id
        e9 = sample.query("moj_stay_status", filters={"residence_status": "E-9"}).frame
        assert e9["value"].item() == 337_279


def test_make_run_headline_table(tmp_path: Path, shared: Path) -> None:
    db = tmp_path / "run.duckdb"
    assert run_cli("sample", "load", "--db", str(db)).exit_code == 0
    with Evidence(db, read_only=True) as ev:
        top = headline(ev, 5)
    first = top.frame.row(0, named=True)
    assert (first["region"], first["foreign_residents"]) == ("41270", 92_787)  # 상록구 + 단원구
    # its share of the population MOIS prints (총인구 of both districts), from the raw file
    path = shared / "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    population = sum(int(r["2019"]) for r in rows
                     if r["SGGCD"] in ("41271", "41273") and r["거주외국인별"] == "총인구")
    before = sum(
        int(r["2018"]) for r in rows
        if r["SGGCD"] in ("41271", "41273") and (r["거주외국인별"], r["성별"]) == ("합계", "계")
    )
    assert first["share_pct"] == pytest.approx(100 * 92_787 / population)
    assert first["yoy_pct"] == pytest.approx(100 * (92_787 - before) / before)
    printed = run_cli("top", "--db", str(db), "--limit", "3")
    assert printed.exit_code == 0
    assert "92,787" in printed.stdout
    assert "안산시" in printed.stdout
    computed = run_cli("indicators", "compute", "--db", str(db))
    assert computed.exit_code == 0, computed.stderr
    assert "indicators version 1" in computed.stdout
    again = run_cli("indicators", "compute", "--db", str(db))
    assert "indicators unchanged" in again.stdout
    listed = run_cli("indicators", "--db", str(db), "--id", "foreign_share", "--region", "안산시",
                     "--period", "2019", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert row["numerator"] == 92_787
    assert row["denominator"] == population
    assert row["value"] == pytest.approx(100 * 92_787 / population)


def test_applications_and_grants_are_never_added_up(tmp_path: Path) -> None:
    # 2024: 24,955 applications and 14,615 grants were answered as 39,570 "cases"
    db = tmp_path / "sample.duckdb"
    with Evidence(db) as ev, ev.gateway.transaction():
        load_sample(ev.gateway)
    with Evidence(db, read_only=True) as ev:
        for by in ([], ["acquisition_type"], ["region"]):
            with pytest.raises(QueryError, match=r"codes of stage \(applied, granted\) are "
                               "different quantities"):
                ev.query("moj_naturalisations_by_type", period="2024", by=by)
        stages = ev.query("moj_naturalisations_by_type", period="2024", by=["stage"]).frame
        granted = ev.query("moj_naturalisations_by_type", period="2024",
                           filters={"stage": "granted"}).frame
    values = dict(zip(stages["stage"], stages["value"], strict=True))
    assert values == {"applied": 24_955, "granted": 14_615}
    assert granted["value"].to_list() == [14_615]

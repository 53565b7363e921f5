"""Storing indicators with provenance, the headline table, and the regional levels."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console

from migralink.errors import QueryError, StoreError
from migralink.evidence import Evidence
from migralink.indicators import compute_indicators, headline, store_indicators
from migralink.indicators.geography import complete, expand
from migralink.model import DatasetRef
from migralink.store.catalogue import inputs_of, measures_of, sensitivity_of
from tests.indicators.raw import ANSAN_DISTRICTS, mois

ANSAN = "41270"


@pytest.fixture
def copy_db(full_db: Path, tmp_path: Path) -> Path:
    """A copy of the full evidence base, to write indicators into."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(full_db, path)
    return path


def test_stored_with_provenance_and_storing_twice_changes_nothing(
    computed: pl.DataFrame, copy_db: Path
) -> None:
    with Evidence(copy_db) as ev:
        first = store_indicators(ev, computed)
        assert first.changed
        assert first.dataset_id == "indicators"
        assert "foreign_share: mois_foreign_residents_sigungu v1; mois_population_sigungu v1" in (
            first.notes)
        [info] = [d for d in ev.datasets() if d.id == "indicators"]
        assert info.dimensions == ("period", "region", "indicator", "breakdown_dim",
                                   "breakdown_code")
        assert [m.id for m in measures_of(ev.gateway, "indicators")] == [
            "value", "numerator", "denominator"]
        # derived from published tables only: public, with every input recorded
        assert sensitivity_of(ev.gateway, "indicators") == "public"
        assert DatasetRef("mois_population_sigungu", 1) in inputs_of(ev.gateway, "indicators")
        notes = ev.gateway.scalar("SELECT notes FROM ml_dataset WHERE id = 'indicators'")
        assert "mois_population_sigungu v1" in notes
        assert "seoul_population_by_district v1" in notes
        share = ev.query("indicators", filters={"indicator": "foreign_share"}, region="안산시",
                         period="2019").frame
        assert share["value"][0] == pytest.approx(pick_value(computed, "foreign_share"))
        counts = ev.query("indicators", filters={"indicator": "foreign_share"},
                          measure="denominator", region=ANSAN, period="2019").frame
        assert counts["value"][0] == 714650
        # counts of different indicators (and levels) are never added up to one figure
        with pytest.raises(QueryError, match=r"numerator .*indicator"):
            ev.query("indicators", measure="numerator", period="2019")
        parts = ev.query("indicators", filters={"indicator": "composition_by_group",
                                                "breakdown_dim": "group+sex"},
                         by=["breakdown_code"], region=ANSAN, period="2019").frame
        assert parts.height == 14  # seven groups, each for men and women
        listed = ev.indicators("foreign_share", region=41270, period=2019)  # the Python API
        assert listed["denominator"].to_list() == [714650]
    with Evidence(copy_db) as ev:
        again = store_indicators(ev, computed)
        assert not again.changed
        assert again.version == first.version
        # storing one indicator again, from the same versions, keeps the others: no-op
        subset = store_indicators(ev, computed.filter(pl.col("indicator") == "foreign_share"))
        assert not subset.changed
        assert ev.gateway.rows(
            "SELECT count(*) FROM ml_version WHERE dataset_id = 'indicators'") == [(1,)]
        assert ev.gateway.rows(
            "SELECT count(*) FROM ml_source WHERE dataset_id = 'indicators'") == [(1,)]


def test_storing_some_indicators_keeps_the_others(computed: pl.DataFrame, copy_db: Path) -> None:
    with Evidence(copy_db) as ev:
        store_indicators(ev, computed.filter(pl.col("indicator").is_in(
            ["foreign_share", "nationality_shannon"])))
        revised = computed.filter(pl.col("indicator") == "foreign_share").with_columns(
            pl.col("value") + 1)
        result = store_indicators(ev, revised)
        assert result.changed
        assert result.version == 2
        kept = ev.query("indicators", filters={"indicator": "nationality_shannon"}).frame
        assert kept.height == 1
        notes = ev.gateway.scalar(
            "SELECT notes FROM ml_source WHERE dataset_id = 'indicators' AND version = 2")
        assert notes == ["foreign_share: mois_foreign_residents_sigungu v1; "
                         "mois_population_sigungu v1",
                         "nationality_shannon: moj_stay_status v1"]


def test_nothing_to_store_is_refused(computed: pl.DataFrame, copy_db: Path) -> None:
    with Evidence(copy_db) as ev, pytest.raises(StoreError, match="no computed indicators"):
        store_indicators(ev, computed.head(0))


def test_an_empty_evidence_base_says_to_ingest_first(tmp_path: Path) -> None:
    # before: "there are no computed indicators to store — pass the frame
    # compute_indicators() returned", which `migralink indicators compute` cannot do
    with Evidence(tmp_path / "empty.duckdb") as ev, pytest.raises(StoreError) as caught:
        store_indicators(ev, compute_indicators(ev))
    assert "migralink ingest" in str(caught.value)


def pick_value(frame: pl.DataFrame, indicator: str) -> float:
    row = frame.filter(pl.col("indicator") == indicator, pl.col("region") == ANSAN,
                       pl.col("period") == "2019")
    return float(row["value"][0])


def test_headline_of_the_local_governments_with_most_foreign_residents(
    full_db: Path, shared: Path
) -> None:
    with Evidence(full_db) as ev:
        table = headline(ev, limit=5)
    assert table.period == "2019"
    assert table.span == "2015/2019"
    assert table.frame.height == 5
    first = table.frame.row(0, named=True)
    assert (first["rank"], first["region"], first["name"]) == (1, ANSAN, "경기도 안산시")
    foreign = mois(shared, ANSAN_DISTRICTS, "합계", "2019")
    assert first["foreign_residents"] == foreign
    assert first["share_pct"] == pytest.approx(
        100 * foreign / mois(shared, ANSAN_DISTRICTS, "총인구", "2019"))
    assert first["yoy_pct"] == pytest.approx(
        100 * (foreign / mois(shared, ANSAN_DISTRICTS, "합계", "2018") - 1))
    assert first["cagr_pct"] == pytest.approx(
        100 * ((foreign / mois(shared, ANSAN_DISTRICTS, "합계", "2015")) ** 0.25 - 1))
    # the largest of the seven groups in Ansan: 기타외국인 (25,802) just above the workers
    assert (first["largest_group"], first["largest_group_ko"], first["largest_group_en"]) == (
        "other_foreigners", "기타외국인", "Other foreigners")
    assert first["largest_group_pct"] == pytest.approx(
        100 * mois(shared, ANSAN_DISTRICTS, "기타외국인", "2019") / foreign)
    console = Console(width=200, record=True)
    console.print(table.table())
    assert "경기도 안산시" in console.export_text()


def test_levels_are_summed_only_from_complete_parts() -> None:
    frame = pl.DataFrame({
        "period": ["2019", "2019", "2019"],
        "region": ["41271", "41273", "41131"],
        "value": [1.0, 2.0, 5.0],
        "status": ["A", "E", "A"],
    })
    levels = expand(frame, ["period"], ["gu", "sigungu", "sido", "country"])
    got = {r: (v, s) for r, v, s in levels.select("region", "value", "status").iter_rows()}
    assert got["41270"] == (3.0, "E")  # 안산시 = 상록구 + 단원구, the weaker status kept
    assert "41130" not in got  # 성남시 has three districts: one is not the city
    assert "41" not in got  # one city is not 경기도
    assert "00" not in got
    assert complete("41270", "gu", frozenset({"41271", "41273"}))
    assert not complete("41270", "gu", frozenset({"41271"}))

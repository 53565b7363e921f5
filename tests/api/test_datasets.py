"""The catalogue and observation routes, against the real server and the library."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pytest

from migralink.evidence import Evidence

OBS = "/api/v1/datasets/{}/observations"


def _library(db: Path, dataset: str, **query: Any) -> list[dict[str, Any]]:
    """What ``Evidence.query(...).as_json()`` gives, with the API's conf_status added."""
    with Evidence(db, read_only=True) as ev:
        rows = ev.query(dataset, names=False, **query).as_json()["rows"]  # codes, as the API
    assert isinstance(rows, list)
    return [{**row, "conf_status": "F"} for row in rows]


def test_list_is_what_the_cli_lists(client: httpx.Client, api_db: Path) -> None:
    listed = client.get("/api/v1/datasets").json()
    with Evidence(api_db, read_only=True) as ev:
        expected = json.loads(json.dumps([d.as_dict() for d in ev.datasets()], default=str))
    assert [{k: v for k, v in d.items() if k != "protected"} for d in listed] == expected
    protected = {d["id"] for d in listed if d["protected"]}
    assert protected == {"register_seoul"}


def test_detail_carries_versions_sources_and_codes(client: httpx.Client) -> None:
    detail = client.get("/api/v1/datasets/moj_stay_status").json()
    assert detail["id"] == "moj_stay_status"
    assert detail["version"] == 1
    assert detail["protected"] is False
    (version,) = detail["versions"]
    assert version["observations"] > 0
    assert version["periods"] == ["2024"]
    assert version["created_at"][:4].isdigit()
    # the sample it was loaded from, and the file as the ministry published it
    sources = {s["file_name"]: s for s in detail["sources"]}
    assert set(sources) == {"moj_stay_status.parquet",
                            "moj_foreign_resident_status_2024_2026-06-14.csv"}
    published = sources["moj_foreign_resident_status_2024_2026-06-14.csv"]
    assert published["sha256"] == (
        "bd8ae1d048ebcff7120e1e4e1d197f4656569b1de872ff00083908639b6a3f4f"  # README-stats.md
    )
    assert all(len(s["sha256"]) == 64 and s["periods"] == ["2024"] for s in detail["sources"])
    dims = {d["id"]: d for d in detail["dimensions"]}
    statuses = {c["code"]: c["label"] for c in dims["residence_status"]["codes"]}
    assert statuses["E-9"]  # the label it was published under
    assert dims["residence_status"]["title_en"]


@pytest.mark.parametrize(
    ("dataset", "params", "query"),
    [
        ("moj_stay_status", {"filter": "residence_status:E-9"},
         {"filters": {"residence_status": "E-9"}}),
        ("moj_stay_status", {"by": "residence_status"}, {"by": ["residence_status"]}),
        ("mois_foreign_residents_sigungu", {"region": "안산시", "period": "2019"},
         {"region": "안산시", "period": "2019"}),
        ("population_sido", {"region": "강원", "boundaries": "2024", "by": "region"},
         {"region": "강원", "boundaries": 2024, "by": ["region"]}),
        ("moj_stay_status", {"version": "1", "by": "sex"}, {"version": 1, "by": ["sex"]}),
    ],
)
def test_observations_are_the_library_s(
    client: httpx.Client, api_db: Path, dataset: str, params: dict[str, str],
    query: dict[str, Any],
) -> None:
    body = client.get(OBS.format(dataset), params={**params, "limit": "10000"}).json()
    assert body["rows"] == _library(api_db, dataset, **query)
    assert body["total"] == len(body["rows"])
    assert body["dataset"] == dataset
    assert body["version"] == 1


def test_headline_numbers(client: httpx.Client) -> None:
    e9 = client.get(OBS.format("moj_stay_status"), params={"filter": "residence_status:E-9"})
    assert [r["value"] for r in e9.json()["rows"]] == [337_279]
    ansan = client.get(OBS.format("mois_foreign_residents_sigungu"),
                       params={"region": "안산시", "period": "2019"})
    assert [r["value"] for r in ansan.json()["rows"]] == [92_787]


def test_boundaries_note_and_recoded_region(client: httpx.Client) -> None:
    body = client.get(OBS.format("population_sido"),
                      params={"region": "42", "boundaries": "2024", "by": "region"}).json()
    assert {r["region"] for r in body["rows"]} == {"51"}  # Gangwon 42 → 51 in 2023
    assert body["notes"] == ["regions read on the boundaries of 31 December 2024",
                             "regions at sido level (level: sido, sigungu or district)"]


def test_pages_walk_every_row_once(client: httpx.Client) -> None:
    everything = client.get(OBS.format("moj_stay_status"),
                            params={"by": "residence_status"}).json()
    url: str | None = OBS.format("moj_stay_status") + "?by=residence_status&limit=7"
    rows: list[dict[str, Any]] = []
    pages = 0
    while url:
        response = client.get(url)
        page = response.json()
        assert page["limit"] == 7
        assert page["offset"] == len(rows)
        assert response.headers["X-Total-Count"] == str(everything["total"])
        assert ("link" in response.headers) == (page["next"] is not None)
        rows += page["rows"]
        url = page["next"]
        pages += 1
    assert rows == everything["rows"]
    assert pages == -(-everything["total"] // 7)


def test_csv_and_parquet_hold_the_json_rows(client: httpx.Client) -> None:
    params = {"by": "residence_status,sex", "limit": "10000"}
    rows = client.get(OBS.format("moj_stay_status"), params=params).json()["rows"]
    csv = client.get(OBS.format("moj_stay_status"), params={**params, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.headers["content-disposition"] == 'attachment; filename="moj_stay_status_v1.csv"'
    from_csv = pl.read_csv(io.BytesIO(csv.content), infer_schema=False)
    assert from_csv.to_dicts() == [{k: str(v) for k, v in r.items()} for r in rows]
    parquet = client.get(OBS.format("moj_stay_status"), params={**params, "format": "parquet"})
    assert parquet.headers["content-type"] == "application/vnd.apache.parquet"
    assert "moj_stay_status_v1.parquet" in parquet.headers["content-disposition"]
    assert pl.read_parquet(io.BytesIO(parquet.content)).to_dicts() == rows


def test_downloads_are_whole_unless_paged(client: httpx.Client) -> None:
    params = {"by": "residence_status", "format": "csv"}
    whole = client.get(OBS.format("moj_stay_status"), params=params)
    total = int(whole.headers["X-Total-Count"])
    assert len(whole.text.strip().splitlines()) == total + 1  # the header line
    paged = client.get(OBS.format("moj_stay_status"), params={**params, "limit": "5"})
    assert len(paged.text.strip().splitlines()) == 6
    assert 'rel="next"' in paged.headers["link"]


def test_code_lists(client: httpx.Client) -> None:
    regions_2024 = client.get("/api/v1/codes/regions", params={"year": "2024"}).json()
    codes_2024 = {r["code"] for r in regions_2024["rows"]}
    assert "51" in codes_2024
    assert "42" not in codes_2024
    assert regions_2024["year"] == 2024
    assert regions_2024["total"] == len(regions_2024["rows"])
    codes_2020 = {r["code"] for r in client.get("/api/v1/codes/regions?year=2020").json()["rows"]}
    assert "42" in codes_2020
    nationalities = client.get("/api/v1/codes/nationalities").json()
    assert "CHN-KR" in {r["code"] for r in nationalities["rows"]}
    statuses = client.get("/api/v1/codes/statuses").json()
    assert "E-9" in {r["code"] for r in statuses["rows"]}


def test_indicator_catalogue_and_values(client: httpx.Client) -> None:
    catalogue = client.get("/api/v1/indicators/catalogue").json()
    ids = {r["id"] for r in catalogue["rows"]}
    assert {"foreign_share", "composition_by_group"} <= ids
    share = client.get("/api/v1/indicators", params={"id": "foreign_share",
                                                       "region": "안산시"}).json()
    assert share["rows"]
    assert {r["region"] for r in share["rows"]} == {"41270"}
    assert all(0 < r["value"] < 100 for r in share["rows"])  # a percentage
    assert {r["conf_status"] for r in share["rows"]} == {"F"}
    parts = client.get("/api/v1/indicators", params={
        "id": "composition_by_group", "region": "41270", "period": "2019",
        "breakdown": "group"}).json()["rows"]
    assert len(parts) > 1
    assert {r["breakdown_dim"] for r in parts} == {"group"}
    counts = client.get("/api/v1/indicators", params={
        "id": "foreign_share", "region": "41270", "period": "2019",
        "measure": "numerator"}).json()["rows"]
    assert [r["value"] for r in counts] == [92_787]  # the foreign residents of Ansan


def test_boundaries_are_geojson_of_the_year_s_units(client: httpx.Client) -> None:
    response = client.get("/api/v1/boundaries/sido", params={"year": "2024"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/geo+json"
    doc = response.json()
    assert doc["type"] == "FeatureCollection"
    codes = {f["properties"]["code"] for f in doc["features"]}
    assert {"11", "41", "51"} <= codes  # Gangwon is 51 on the 2024 units
    assert "42" not in codes
    older = client.get("/api/v1/boundaries/sido", params={"year": "2019"}).json()
    assert "42" in {f["properties"]["code"] for f in older["features"]}
    assert older["vintage"] <= 2019
    latest = client.get("/api/v1/boundaries/sido").json()
    assert latest["vintage"] >= doc["vintage"]


def test_observations_read_any_measure_as_the_library(client: httpx.Client, api_db: Path) -> None:
    # indicators has three measures; each is read as `value`, as the CLI and Python read it
    where = {"filter": ["indicator:foreign_share"], "region": "41270", "period": "2019"}
    got: dict[str, float] = {}
    for measure in ("value", "numerator", "denominator"):
        body = client.get(OBS.format("indicators"), params={**where, "measure": measure})
        assert body.status_code == 200, body.text
        rows = body.json()["rows"]
        assert rows == _library(api_db, "indicators", filters=["indicator=foreign_share"],
                                region="41270", period="2019", measure=measure)
        (got[measure],) = [r["value"] for r in rows]
    assert got["numerator"] == 92_787  # the foreign residents of Ansan, as /indicators says
    assert got["value"] == pytest.approx(100 * got["numerator"] / got["denominator"], rel=1e-6)
    main = client.get(OBS.format("indicators"), params=where).json()["rows"]
    assert [r["value"] for r in main] == [got["value"]]  # no measure: the main one


@pytest.mark.parametrize("measure", ["persons", "value;drop"])
def test_unknown_measure_is_a_400_naming_the_measures(client: httpx.Client, measure: str) -> None:
    response = client.get(OBS.format("indicators"), params={
        "filter": "indicator:foreign_share", "region": "41270", "measure": measure})
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"type", "title", "hint", "location", "status", "details"}
    assert error["type"] == "query_error"
    assert error["status"] == 400
    assert repr(measure) in error["title"]
    if measure == "persons":  # the dataset's own measures, so the user can pick one
        assert "value, numerator, denominator" in error["hint"]


def test_one_province_s_table_is_not_answered_as_the_nation(client: httpx.Client) -> None:
    # Chungnam's table summed over its towns came back as region "00" (전국)
    url = OBS.format("chungnam_foreign_residents_nationality")
    for params in ({}, {"region": "00"}, {"region": "전국"}):
        refused = client.get(url, params=params)
        assert refused.status_code == 400, params
        error = refused.json()["error"]
        assert "covers only 충청남도 (44)" in error["title"]
        assert "region=44" in error["hint"]
    province = client.get(url, params={"region": "44"}).json()["rows"]
    assert {r["region"] for r in province} == {"44"}


def test_an_empty_answer_says_what_to_ask(api_db: Path) -> None:
    # "nothing matches" listed the periods that do hold the region, not why: the level
    # asked, or a breakdown without a printed total
    from tests.conftest import run_cli

    db = str(api_db)
    cases = [
        (["query", "indicators", "--db", db, "--filter", "indicator=composition_by_group",
          "--period", "2019", "--region", "41270"],
         "add --by breakdown_dim,breakdown_code"),
        (["indicators", "--db", db, "--id", "composition_by_group", "--region", "안산시",
          "--period", "2019"], "add --by group"),
        (["query", "population_sigungu", "--db", db, "--region", "41270", "--level", "sido"],
         "is a sigungu, below --level sido: ask --level sigungu"),
    ]
    for args, hint in cases:
        result = run_cli(*args)
        assert result.exit_code == 1, args
        assert hint in result.stderr, result.stderr
    fixed = run_cli("query", "indicators", "--db", db, "--filter",
                    "indicator=composition_by_group", "--period", "2019", "--region", "41270",
                    "--by", "breakdown_dim,breakdown_code", "--format", "json")
    assert json.loads(fixed.stdout)["rows"]

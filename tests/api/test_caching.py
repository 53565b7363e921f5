"""ETag, If-None-Match, Cache-Control; and a new version seen after ingesting beside."""

from __future__ import annotations

from pathlib import Path

import httpx

from migralink.evidence import Evidence
from tests.api.conftest import writer
from tests.servers import Server

OBS = "/api/v1/datasets/moj_stay_status/observations"


def test_answers_carry_an_etag_and_cache_control(client: httpx.Client) -> None:
    for url in ("/api/v1/datasets", OBS, "/api/v1/codes/statuses",
                "/api/v1/indicators/catalogue", "/api/v1/datasets/moj_stay_status"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["etag"].startswith('"')
        assert response.headers["cache-control"] == "public, max-age=300"


def test_if_none_match_gives_304(client: httpx.Client) -> None:
    first = client.get(OBS, params={"by": "sex"})
    etag = first.headers["etag"]
    again = client.get(OBS, params={"by": "sex"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = client.get(OBS, params={"by": "sex"}, headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    stale = client.get(OBS, params={"by": "sex"}, headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200
    assert stale.content == first.content


def test_the_etag_names_the_question_not_its_spelling(client: httpx.Client) -> None:
    one = client.get(OBS, params=[("by", "sex"), ("period", "2024")]).headers["etag"]
    same = client.get(OBS, params=[("period", "2024"), ("by", "sex")]).headers["etag"]
    other = client.get(OBS, params=[("by", "residence_status")]).headers["etag"]
    assert one == same
    assert one != other


def test_errors_are_not_cached(client: httpx.Client) -> None:
    response = client.get("/api/v1/datasets/nope")
    assert response.status_code == 404
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == "no-store"


def test_ingestion_beside_the_server_is_seen_next(ingest_server: Server, tmp_path: Path,
                                                  shared: Path) -> None:
    """Another process writes while the server idles; the next answer has the new version."""
    with ingest_server.client() as client:
        before = client.get("/api/v1/datasets/chungnam_foreign_residents_nationality")
        assert before.status_code == 200
        versions = len(before.json()["versions"])
        revised = tmp_path / "chungnam_foreign_resident_nationality_2026-06-23.csv"
        original = (shared / "mois_foreign_residents" / revised.name).read_text("utf-8")
        revised.write_text(original.replace("24970", "24971"), "utf-8")  # a revision
        writer(ingest_server.db).close()  # wait until the idle server lets go of the file
        with Evidence(ingest_server.db) as ev:  # this test process is the writer
            (result,) = ev.ingest([revised])
        assert result.changed
        after = client.get("/api/v1/datasets/chungnam_foreign_residents_nationality",
                           headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200  # the old ETag no longer matches
        assert after.headers["etag"] != before.headers["etag"]
        assert len(after.json()["versions"]) == versions + 1


def test_if_none_match_star_is_not_modified_only_where_there_is_an_answer(
        client: httpx.Client) -> None:
    # "*" matches an existing answer (RFC 9110 §13.1.2): a missing dataset or a bad
    # parameter is its error, never "304 Not Modified"
    star = {"If-None-Match": "*"}
    assert client.get("/api/v1/datasets/nosuch/observations", headers=star).status_code == 404
    assert client.get("/api/v1/nosuch", headers=star).status_code == 404
    assert client.get(OBS, params={"limit": "0"}, headers=star).status_code == 422
    client.get(OBS, params={"by": "sex"})
    assert client.get(OBS, params={"by": "sex"}, headers=star).status_code == 304


def test_a_parameter_of_one_value_given_twice_is_refused(client: httpx.Client) -> None:
    # FastAPI kept the last value and the cache's key sorted them: the first spelling
    # asked decided both answers
    for query in ("period=2024&by=sex&by=region", "format=json&format=csv"):
        response = client.get(f"{OBS}?{query}")
        assert response.status_code == 400, query
        assert "is given 2 times" in response.json()["error"]["title"]
    several = client.get(f"{OBS}?period=2024&period=2024")  # period takes several
    assert several.status_code == 200


def test_head_is_get_without_the_body(client: httpx.Client) -> None:
    for url in ("/api/v1/datasets", OBS, "/api/v1/codes/statuses"):
        get = client.get(url, headers={"Accept-Encoding": "identity"})
        head = client.head(url, headers={"Accept-Encoding": "identity"})
        assert head.status_code == 200, url
        assert head.content == b""
        assert head.headers["etag"] == get.headers["etag"]
        assert head.headers["content-length"] == str(len(get.content))
    assert client.head("/api/v1/datasets/nosuch").status_code == 404

"""``POST /api/v1/ingest``: present only with a token, and then only for its bearer."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.api.conftest import TOKEN
from tests.servers import Server

NAME = "chungnam_foreign_resident_nationality_2026-06-23.csv"


def _published(shared: Path) -> str:
    return (shared / "mois_foreign_residents" / NAME).read_text("utf-8")


def test_absent_without_a_token(client: httpx.Client) -> None:
    assert "/api/v1/ingest" not in client.get("/api/v1/openapi.json").json()["paths"]
    response = client.post("/api/v1/ingest", files={"files": (NAME, b"x")})
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "not_found_error"


def test_documented_with_a_token(ingest_server: Server) -> None:
    with ingest_server.client() as client:
        doc = client.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/ingest"]["post"]
    assert "401" in operation["responses"]
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_refused_without_the_right_token(ingest_server: Server, shared: Path) -> None:
    files = {"files": (NAME, _published(shared).encode())}
    with ingest_server.client() as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            response = client.post("/api/v1/ingest", files=files, headers=headers)
            assert response.status_code == 401, headers
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.json()["error"]["type"] == "auth_error"


def test_a_revised_file_makes_a_version(ingest_server: Server, shared: Path) -> None:
    revised = _published(shared).replace("24970", "24972").encode()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with ingest_server.client() as client:
        before = client.get("/api/v1/datasets/chungnam_foreign_residents_nationality").json()
        response = client.post("/api/v1/ingest", files={"files": (NAME, revised)}, headers=auth)
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        (result,) = response.json()["results"]
        assert result["dataset_id"] == "chungnam_foreign_residents_nationality"
        assert result["changed"] is True
        assert result["version"] == before["version"] + 1
        after = client.get("/api/v1/datasets/chungnam_foreign_residents_nationality").json()
        assert after["version"] == result["version"]
        assert after["sources"][-1]["file_name"] == NAME
        rows = client.get("/api/v1/datasets/chungnam_foreign_residents_nationality/observations",
                          params={"filter": "nationality:CHN-KR", "region": "44"}).json()["rows"]
        assert [r["value"] for r in rows] == [24_972]
        again = client.post("/api/v1/ingest", files={"files": (NAME, revised)}, headers=auth)
        assert again.json()["results"][0]["changed"] is False  # the same file is a no-op


def test_two_files_of_one_name_or_a_name_too_long_are_refused_whole(
        ingest_server: Server, shared: Path) -> None:
    # the second file of one name used to overwrite the first on disk: the reply said
    # both landed, only the second had
    auth = {"Authorization": f"Bearer {TOKEN}"}
    first = _published(shared).replace("24970", "24975").encode()
    second = _published(shared).replace("24970", "25002").encode()
    with ingest_server.client() as client:
        before = client.get("/api/v1/datasets/chungnam_foreign_residents_nationality").json()
        twice = client.post("/api/v1/ingest", headers=auth,
                            files=[("files", (NAME, first)), ("files", (NAME, second))])
        assert twice.status_code == 422
        assert f"two uploaded files are both named '{NAME}'" in twice.json()["error"]["title"]
        long_name = "y" * 260 + ".csv"  # was a 500 (OSError: file name too long)
        long = client.post("/api/v1/ingest", headers=auth, files={"files": (long_name, first)})
        assert long.status_code == 422
        assert "name is 264 bytes long" in long.json()["error"]["title"]
        after = client.get("/api/v1/datasets/chungnam_foreign_residents_nationality").json()
        assert after["version"] == before["version"]


def test_a_refusal_names_the_form_field_not_the_command_line_flag(
        ingest_server: Server, shared: Path) -> None:
    # the hints told API users to pass --allow-shrink, a flag of the command line, and
    # the API had no way to say it
    auth = {"Authorization": f"Bearer {TOKEN}"}
    lines = _published(shared).splitlines(keepends=True)
    cut = "".join(lines[:-3]).encode()  # the last nationalities gone
    with ingest_server.client() as client:
        refused = client.post("/api/v1/ingest", headers=auth, files={"files": (NAME, cut)})
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert "allow_shrink=true (a form field)" in error["hint"]
        assert "--allow" not in error["title"] + error["hint"]
        doc = client.get("/api/v1/openapi.json").json()
    form = doc["components"]["schemas"]["Body_ingest_api_v1_ingest_post"]["properties"]
    assert {"allow_rejects", "allow_shrink"} <= set(form)


def test_a_malformed_upload_gets_the_documented_error_shape(ingest_server: Server) -> None:
    # a multipart without boundary came back as type "http_error" (not in the documented
    # table) with an empty hint; a file part without a name as "Expected UploadFile"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with ingest_server.client() as client:
        bare = client.post("/api/v1/ingest", content=b"x",
                           headers={**auth, "Content-Type": "multipart/form-data"})
        assert bare.status_code == 400, bare.text
        error = bare.json()["error"]
        assert error["type"] == "request_error"
        assert "multipart/form-data" in error["hint"]
        nameless = client.post("/api/v1/ingest", headers=auth, files={"files": ("", b"x")})
        assert nameless.status_code in (400, 422), nameless.text
        assert "UploadFile" not in nameless.text

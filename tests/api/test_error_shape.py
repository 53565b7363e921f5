"""The one error shape, checked on every error path of the API.

Each case is a real request to a real server that fails in one particular way; every
answer must have the same shape, the HTTP status repeated inside it, ``no-store``, and
the ``type`` that names the failure.
"""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import REGISTER, TOKEN, writer
from tests.servers import Server

KEYS = {"type", "title", "hint", "location", "status", "details"}


def check_shape(response: httpx.Response, status: int, type_: str) -> dict[str, object]:
    """Assert the error shape and return the error object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == KEYS
    assert error["status"] == status
    assert error["type"] == type_
    assert isinstance(error["title"], str)
    assert error["title"]
    assert isinstance(error["hint"], str)
    assert error["location"] is None or isinstance(error["location"], dict)
    assert isinstance(error["details"], list)
    assert all(isinstance(line, str) for line in error["details"])
    return dict(error)


OBS = "/api/v1/datasets/moj_stay_status/observations"

READ_ERRORS = [
    # not found
    ("GET", "/api/v1/datasets/no_such_dataset", 404, "not_found_error"),
    ("GET", "/api/v1/datasets/no_such_dataset/observations", 404, "not_found_error"),
    ("GET", "/api/v1/datasets/moj_stay_status?version=9", 404, "not_found_error"),
    ("GET", f"{OBS}?version=2", 404, "not_found_error"),
    ("GET", "/api/v1/no/such/address", 404, "not_found_error"),
    ("GET", "/api/v1/codes/regions?year=1950", 404, "not_found_error"),
    ("POST", "/api/v1/ingest", 404, "not_found_error"),
    # wrong method
    ("POST", "/api/v1/datasets", 405, "method_not_allowed"),
    ("DELETE", OBS, 405, "method_not_allowed"),
    # validation of parameters (type, range)
    ("GET", f"{OBS}?limit=0", 422, "request_error"),
    ("GET", f"{OBS}?limit=100001", 422, "request_error"),
    ("GET", f"{OBS}?offset=-1", 422, "request_error"),
    ("GET", f"{OBS}?boundaries=twenty", 422, "request_error"),
    ("GET", f"{OBS}?format=xlsx", 422, "request_error"),
    ("GET", "/api/v1/boundaries/province", 422, "request_error"),
    ("GET", "/api/v1/indicators?measure=mean", 422, "request_error"),
    # questions the query cannot answer
    ("GET", f"{OBS}?filter=residence_status", 400, "query_error"),
    ("GET", f"{OBS}?filter=residence_status:Z-99", 400, "query_error"),
    ("GET", f"{OBS}?filter=colour:red", 400, "query_error"),
    ("GET", f"{OBS}?by=colour", 400, "query_error"),
    ("GET", f"{OBS}?boundaries=1950", 400, "query_error"),
    ("GET", f"{OBS}?region=Atlantis", 400, "code_error"),
    ("GET", "/api/v1/indicators?id=no_such_indicator", 400, "query_error"),
    ("GET", "/api/v1/indicators?region=Atlantis", 400, "code_error"),
    ("GET", "/api/v1/indicators?id=foreign_share&breakdown=colour", 400, "query_error"),
    # disclosure control
    (
        "GET", f"/api/v1/datasets/{REGISTER}/observations?boundaries=2024", 403,
        "disclosure_error",
    ),
]


@pytest.mark.parametrize(("method", "url", "status", "type_"), READ_ERRORS)
def test_read_errors(client: httpx.Client, method: str, url: str, status: int, type_: str
                     ) -> None:
    check_shape(client.request(method, url), status, type_)


def test_a_dataset_id_nearly_typed_is_suggested(client: httpx.Client) -> None:
    error = check_shape(client.get("/api/v1/datasets/moj_stay/observations"), 404,
                        "not_found_error")
    assert str(error["hint"]).startswith("did you mean 'moj_stay_status'")


def test_405_names_the_allowed_methods(client: httpx.Client) -> None:
    response = client.post("/api/v1/datasets")
    check_shape(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"


def test_validation_errors_locate_the_parameter(client: httpx.Client) -> None:
    error = check_shape(client.get(f"{OBS}?limit=0"), 422, "request_error")
    assert error["location"] == {"in": "query", "parameter": "limit"}


def test_auth_error(ingest_server: Server) -> None:
    with ingest_server.client() as client:
        response = client.post("/api/v1/ingest", files={"files": ("a.csv", b"a,b\n")})
    check_shape(response, 401, "auth_error")


def test_ingest_input_errors_name_the_uploaded_file(ingest_server: Server) -> None:
    name = "chungnam_foreign_resident_nationality_2026-06-23.csv"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with ingest_server.client() as client:
        broken = client.post("/api/v1/ingest", files={"files": (name, b"garbage,here\n1,2\n")},
                             headers=auth)
        unknown = client.post("/api/v1/ingest", files={"files": ("whatever.csv", b"a,b\n1,2\n")},
                              headers=auth)
        missing = client.post("/api/v1/ingest", headers=auth)
    error = check_shape(broken, 422, "input_error")
    # the header lacks the mapping's expected column: the error names it (row 1 = header)
    assert error["location"] == {"file": name, "row": 1, "column": "국적"}
    check_shape(unknown, 422, "input_error")
    check_shape(missing, 422, "request_error")


def test_busy_while_another_process_writes(ingest_server: Server) -> None:
    with ingest_server.client() as client:
        assert client.get("/api/v1/datasets").status_code == 200
        with writer(ingest_server.db):  # this process holds the write lock
            response = client.get("/api/v1/datasets")
        check_shape(response, 503, "store_busy_error")
        assert response.headers["retry-after"] == "1"
        assert client.get("/api/v1/datasets").status_code == 200  # free again


def test_store_and_unexpected_errors(fragile: Server) -> None:
    """Damage the file between requests: a missing table, then a broken catalogue."""
    with fragile.client() as client:
        with writer(fragile.db) as con:
            con.execute("DROP TABLE obs_moj_stay_status_v1")
        check_shape(client.get(OBS), 500, "store_error")
        with writer(fragile.db) as con:
            con.execute("UPDATE ml_version SET observations = NULL")
        error = check_shape(client.get("/api/v1/datasets"), 500, "internal_error")
        assert "Traceback" not in str(error)  # nothing of the server's insides

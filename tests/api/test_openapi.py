"""The OpenAPI document, and schemathesis against it on the real server.

Schemathesis reads the published document and sends generated requests (the documented
examples first, then random and boundary values) to every GET operation; each answer
must not be a server error and must match the schema the document declares for its
status — the error shape included. Bounded: a fixed number of examples per operation.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.servers import Server

# Examples per operation: enough to reach every parameter's edges and the documented
# examples, few enough to keep the run within seconds.
MAX_EXAMPLES = 15
# Seconds a request may take: the first media request loads the classifier (seconds on a
# busy machine); latency is measured in bench/, this test is about the answer's shape.
TIMEOUT = 120


GET_PATHS = (
    "/api/v1/datasets", "/api/v1/datasets/{dataset}", "/api/v1/datasets/{dataset}/observations",
    "/api/v1/indicators", "/api/v1/indicators/catalogue", "/api/v1/codes/regions",
    "/api/v1/codes/nationalities", "/api/v1/codes/statuses", "/api/v1/boundaries/{level}",
    "/api/v1/indicators/menu", "/api/v1/regions", "/api/v1/media/check",
    "/api/v1/media/monitor", "/api/v1/media/classify", "/api/v1/regions/{region}/profile",
    "/api/v1/datasets/{dataset}/export",
)


@pytest.fixture(scope="module")
def api_schema(server: Server) -> Any:
    """The document as the server publishes it."""
    return schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")


# Invalid requests can only be made of parameters: the operations without any are left
# to the valid cases.
WITH_PARAMETERS = tuple(p for p in GET_PATHS if "{" in p or p.endswith(
    ("observations", "/indicators", "/codes/regions")))
CASES = [(p, GenerationMode.POSITIVE) for p in GET_PATHS] + [
    (p, GenerationMode.NEGATIVE) for p in WITH_PARAMETERS]


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_every_get_answers_within_its_schema(api_schema: Any, path: str,
                                             mode: GenerationMode) -> None:
    """Documented examples, then generated requests (valid ones, then invalid ones)."""
    operation = api_schema[path]["GET"]
    cases = st.one_of(operation.as_strategy(generation_mode=mode),
                      *operation.get_strategies_from_examples())

    # Driven by hypothesis directly: schemathesis' pytest plugin does not run on pytest 9.
    @given(case=cases)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance],
                              timeout=TIMEOUT)

    check()


def test_document_describes_every_route(client: httpx.Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "migralink API"
    assert set(doc["paths"]) == set(GET_PATHS)
    for path, item in doc["paths"].items():
        operation = item["get"]
        assert operation["summary"], path
        assert operation["description"], path
        for status in ("200", "404", "422", "500"):
            assert status in operation["responses"], (path, status)
        assert operation["responses"]["404"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorBody"}
    observations = doc["paths"]["/api/v1/datasets/{dataset}/observations"]["get"]
    params = {p["name"]: p for p in observations["parameters"]}
    assert {"period", "region", "filter", "by", "boundaries", "version", "format", "limit",
            "offset"} <= set(params)
    assert params["region"]["examples"]["name"]["value"] == "경기도"
    assert "text/csv" in observations["responses"]["200"]["content"]
    assert doc["components"]["schemas"]["ObservationPage"]["examples"]


def test_docs_page_is_served(client: httpx.Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.text

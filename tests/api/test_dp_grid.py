"""Served under DP, a protected dataset says nothing its stored rows would: the real
server on loopback answers every declared code and region, and lists the grid's codes
and coverage, not the stored ones (which say where nobody lives)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from migralink.api import ApiConfig
from migralink.codes.nationalities import nationality_table
from tests.api.conftest import running
from tests.disclosure.test_dp_grid import DP, REGISTER, build_register, rare_and_absent

Served = tuple[httpx.Client, str, list[str], list[str], str]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The register served under DP on loopback (read only: both tests share it), with
    its rarest nationality, the regions where it lives and does not, and a code nobody
    has."""
    tmp = tmp_path_factory.mktemp("dp_api")
    db = tmp / "ev.duckdb"
    rare, lives, others, absent = rare_and_absent(build_register(db))
    config = ApiConfig(db=db, token=None, release_after=None, disclosure_policy=DP.to_json())
    with running(config, tmp / "server.log") as server, server.client() as client:
        yield client, rare, lives, others, absent


def test_a_dp_server_answers_and_describes_from_the_grid(served: Served) -> None:
    client, rare, lives, others, absent = served
    obs = f"/api/v1/datasets/{REGISTER}/observations"
    for code in (rare, absent):
        for region in (*lives, *others):
            response = client.get(obs, params={"period": "2024", "region": region,
                                               "filter": f"nationality:{code}"})
            assert response.status_code == 200, (code, region, response.text)
            assert len(response.json()["rows"]) == 1
    detail = client.get(f"/api/v1/datasets/{REGISTER}").json()
    codes = {c["code"] for d in detail["dimensions"] if d["id"] == "nationality"
             for c in d["codes"]}
    assert absent in codes  # the declared list, not the codes that occur
    assert set(nationality_table()["code"].to_list()) - {"_T"} <= codes | {"_T"}
    menu = client.get("/api/v1/indicators/menu").json()
    measure = next(m for m in menu["measures"] if m["dataset"] == REGISTER)
    assert absent in {g["code"] for g in measure["groups"]}


def test_other_boundaries_are_refused_before_the_stored_rows_are_read(served: Served) -> None:
    # Asked on other boundaries, a protected dataset is refused. If the stored table were
    # read first, a region where nobody of the rare nationality lives (or a code nobody
    # has) would get "nothing matches" instead of the refusal: where the persons live.
    client, rare, lives, others, absent = served
    obs = f"/api/v1/datasets/{REGISTER}/observations"
    answers = set()
    for code in (rare, absent):
        for region in (*lives, *others):
            response = client.get(obs, params={
                "period": "2024", "region": region, "boundaries": "2024",
                "filter": f"nationality:{code}"})
            answers.add((response.status_code, response.text))
    assert len(answers) == 1, answers
    assert next(iter(answers))[0] == 403

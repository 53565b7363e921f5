"""Disclosure control on every path: no combination of queries reveals a suppressed cell.

The protected dataset is a register cube of Seoul by sex (``register_seoul``): a nation
total, Seoul, 25 districts, each by sex with totals. The attacker's knowledge is every
answer the API gives to every question; the tests gather them and check that (1) a cell
has the same published value and status whichever question returned it, and (2) no
additive relation (a total and its parts, along regions or along sex) has exactly one
suppressed member — the one a subtraction would reveal.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import httpx
import pytest

from migralink.codes.hierarchy import structural_parent
from tests.api.conftest import REGISTER

OBS = f"/api/v1/datasets/{REGISTER}/observations"
Cell = tuple[str, str]  # region, sex


def _ask(client: httpx.Client, **params: str) -> list[dict[str, Any]]:
    response = client.get(OBS, params=params)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


@pytest.fixture(scope="module")
def knowledge(client: httpx.Client) -> dict[Cell, set[tuple[Any, str, str]]]:
    """Every (region, sex) cell → the (value, status, conf_status) answers seen for it."""
    seen: dict[Cell, set[tuple[Any, str, str]]] = defaultdict(set)

    def learn(rows: list[dict[str, Any]], region: str | None = None, sex: str = "_T") -> None:
        for row in rows:
            cell = (row.get("region", region) or "00", row.get("sex", sex))
            seen[cell].add((row["value"], row["status"], row["conf_status"]))

    learn(_ask(client))
    learn(_ask(client, by="sex"))
    learn(_ask(client, by="region"))
    learn(_ask(client, by="region,sex"))
    districts = sorted({r["region"] for r in _ask(client, by="region") if len(r["region"]) == 5})
    for code in (*districts[:6], "11", "00"):
        learn(_ask(client, region=code))
        learn(_ask(client, region=code, by="sex"))
        for sex in ("M", "F"):
            learn(_ask(client, region=code, filter=f"sex:{sex}"))
    learn(_ask(client, filter="sex:F", by="region"))
    return seen


def test_rows_carry_status_and_conf_status(client: httpx.Client) -> None:
    rows = _ask(client, by="region,sex")
    assert {r["conf_status"] for r in rows} <= {"F", "A", "D"}
    assert {"A", "D"} & {r["conf_status"] for r in rows}  # small cells exist and are hidden
    for row in rows:
        hidden = row["conf_status"] != "F"
        assert (row["value"] is None) == hidden
        assert (row["status"] == "M") == hidden


def test_every_question_gives_a_cell_the_same_answer(
    knowledge: dict[Cell, set[tuple[Any, str, str]]],
) -> None:
    assert len(knowledge) > 50
    conflicting = {cell: answers for cell, answers in knowledge.items() if len(answers) > 1}
    assert conflicting == {}


def test_no_relation_has_a_single_suppressed_cell(
    knowledge: dict[Cell, set[tuple[Any, str, str]]],
) -> None:
    status = {cell: next(iter(answers))[2] for cell, answers in knowledge.items()}
    relations: dict[tuple[str, str], list[Cell]] = defaultdict(list)
    for region, sex in status:
        if sex != "_T":  # sex: total = M + F, in every region
            relations[("sex", region)].append((region, sex))
        if region != "00":  # regions: a unit is the sum of its children, for each sex
            parent = structural_parent(region) or "00"
            relations[(f"region {parent}", sex)].append((region, sex))
    for (kind, key), parts in relations.items():
        total = (key, "_T") if kind == "sex" else (kind.split()[1], key)
        members = [total, *parts]
        hidden = [m for m in members if status.get(m, "F") != "F"]
        assert len(hidden) != 1, f"{kind} {key}: only {hidden[0]} is suppressed"


def test_public_datasets_are_free(client: httpx.Client) -> None:
    rows = client.get("/api/v1/datasets/moj_stay_status/observations",
                      params={"by": "residence_status"}).json()["rows"]
    assert {r["conf_status"] for r in rows} == {"F"}


def test_protected_data_refuse_other_boundaries(client: httpx.Client) -> None:
    response = client.get(OBS, params={"boundaries": "2024", "by": "region"})
    assert response.status_code == 403
    assert response.json()["error"]["type"] == "disclosure_error"


def test_downloads_are_protected_too(client: httpx.Client) -> None:
    json_rows = _ask(client, by="region,sex")
    csv = client.get(OBS, params={"by": "region,sex", "format": "csv"}).text.splitlines()
    assert csv[0] == "period,region,level,sex,value,status,conf_status"  # level: issue 8
    for line, row in zip(csv[1:], json_rows, strict=True):
        value = "" if row["value"] is None else str(row["value"])
        assert line.split(",")[4] == value

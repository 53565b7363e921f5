"""The dashboard menu's facts about a dataset, from what a mapping says."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import httpx
import pytest

from migralink.api import ApiConfig
from migralink.api.routes.menu import _publisher
from migralink.evidence import Evidence
from migralink.sources.registry import builtin_mappings
from tests.api.conftest import copy_db, running

MOIS = "mois_foreign_residents_sigungu"
MOIS_FILE = "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv"
GROUP_TOTAL = '\ncolumn = "거주외국인별"\ntotal = "_T"\n'


def _hangul(text: str) -> bool:
    return any("가" <= ch <= "힣" for ch in text)


def test_every_shipped_publisher_splits_into_korean_and_english() -> None:
    split = 0
    for spec in builtin_mappings():
        text = spec.meta.publisher or ""
        parts = _publisher(text)
        if "(" in text and _hangul(text.split("(", 1)[0]):
            assert parts["ko"] != parts["en"], text
            assert not _hangul(parts["en"]), parts
            split += 1
    assert split >= 10


@pytest.mark.parametrize("text", [
    "<b onmouseover=alert(1)>Evil</b> publisher",  # was {"ko": "<b onmouseover=alert", "en": "1"}
    "법무부 (출입국)", "UN DESA Population Division",
])
def test_a_publisher_that_is_not_korean_then_english_is_shown_whole(text: str) -> None:
    assert _publisher(text) == {"ko": text, "en": text}



def _mapping(folder: Path, total: str | None) -> Path:
    """The shipped mapping of the MOIS table with ``total`` as the total of ``group``, or
    with none (its 합계 rows left out, as for a revision published without them)."""
    text = (resources.files("migralink.sources") / "mappings" / f"{MOIS}.toml").read_text(
        encoding="utf-8")
    if total is None:
        edited = text.replace(GROUP_TOTAL, '\ncolumn = "거주외국인별"\n', 1).replace(
            '"합계" = "_T"\n', "", 1).replace('values = ["총인구"]', 'values = ["총인구", "합계"]')
        assert edited.count("\n") == text.count("\n") - 2  # both lines gone, drop widened
    else:
        edited = text.replace(GROUP_TOTAL, f'\ncolumn = "거주외국인별"\ntotal = "{total}"\n', 1
                              ).replace('"합계" = "_T"', f'"합계" = "{total}"', 1)
        assert edited.count(f'"{total}"') == 2
    path = folder / f"{total or 'no_total'}.toml"
    path.write_text(edited, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["_T", "ALL"])
def reingested(request: pytest.FixtureRequest, api_db: Path, shared: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, str]]:
    """A server over an evidence base whose MOIS table, ingested with a total of ``group``
    (``_T``: the test evidence base, from the sample; ``ALL``: a user's mapping), was
    ingested again from the published file with a mapping that declares no total."""
    total: str = request.param
    folder = tmp_path_factory.mktemp("menu")
    db = copy_db(api_db, folder) if total == "_T" else folder / "evidence.duckdb"
    with Evidence(db) as ev:
        if total != "_T":
            ev.ingest([shared / MOIS_FILE], mapping=_mapping(folder, total))
        (result,) = ev.ingest([shared / MOIS_FILE], mapping=_mapping(folder, None),
                              allow_shrink=True)
    assert (result.dataset_id, result.version) == (MOIS, 2)
    config = ApiConfig(db=db, token=None, release_after=None)
    with running(config, folder / "server.log") as server, server.client() as client:
        yield client, total


def test_the_total_is_never_offered_as_a_group(reingested: tuple[httpx.Client, str]) -> None:
    # version 2 declares no total of group, but its codes carry version 1's forward, the
    # total among them: the menu offered it beside the groups, a choice with no data
    client, total = reingested
    detail = client.get(f"/api/v1/datasets/{MOIS}").json()
    group = next(d for d in detail["dimensions"] if d["id"] == "group")
    assert group["total_code"] is None
    listed = {c["code"] for c in group["codes"]}
    assert total in listed  # the case this test is about
    menu = client.get("/api/v1/indicators/menu").json()
    measure = next(m for m in menu["measures"] if m["id"] == f"ds:{MOIS}")
    offered = [g["code"] for g in measure["groups"]]
    assert total not in offered
    assert offered == ["", *sorted(listed - {total})]  # "" (All), then every real group

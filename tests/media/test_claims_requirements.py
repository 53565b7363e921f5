"""The claim checker's explicit requirements (issue 12), one test each, end to end.

Korean numerals and hedges inside sentences, English claims, abstention, citations,
the explanation of a comparison between two populations, and the API endpoint and page
on a real server (the page in Debian's Chromium).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from migralink.api import ApiConfig
from migralink.media import Checker, Ruling
from tests.servers import running_all

CHROMIUM = Path("/usr/bin/chromium")


def _one(checker: Checker, text: str) -> Ruling:
    rulings = checker.check_text(text)
    assert len(rulings) == 1, (text, rulings)
    return rulings[0]


def test_three_ways_of_writing_250만_get_one_ruling(checker: Checker) -> None:
    rulings = [_one(checker, f"외국인 {n} 명") for n in ("250만", "이백오십만", "2.5백만")]
    assert {r.claim.value for r in rulings} == {2_500_000}
    assert {r.verdict for r in rulings} == {"roughly_accurate"}  # 2,870,191 stay foreigners
    assert len({(c.dataset, c.period, c.value) for r in rulings for c in r.citations}) == 1


def test_hedges_are_parsed_and_change_the_reading(checker: Checker) -> None:
    approx = _one(checker, "불법체류자가 약 40만 명")
    emphasis = _one(checker, "불법체류자가 무려 40만 명")
    over = _one(checker, "불법체류자 40만 명이 넘는다")
    assert (approx.claim.hedge, approx.claim.emphasis) == ("approx", False)
    assert (emphasis.claim.hedge, emphasis.claim.emphasis) == ("exact", True)
    assert over.claim.hedge == "over"
    assert "bound holds" in over.explanation
    # a lower bound that the figure (411,270) clears by far holds but understates
    loose = _one(checker, "불법체류자 30만 명이 넘는다")
    assert loose.verdict == "roughly_accurate"
    assert "understates" in loose.explanation


def test_english_claims_are_ruled_on(checker: Checker) -> None:
    undocumented = _one(checker, "There are more than 400,000 undocumented migrants in Korea.")
    assert (undocumented.verdict, undocumented.dataset) == ("accurate", "moj_undocumented")
    assert undocumented.claim.language == "en"
    stay = _one(checker, "About 2.5 million foreigners live in Korea.")
    assert (stay.claim.value, stay.claim.hedge) == (2_500_000, "approx")
    assert stay.dataset == "moj_stay_monthly_status"
    spelt = _one(checker, "There are more than one million migrant workers in Korea.")
    assert spelt.claim.value == 1_000_000


@pytest.mark.parametrize("text", [
    "수십만 명의 외국인이 산다",  # a vague quantity
    "In Germany there are 1.2 million refugees.",  # a place abroad
    "다문화 가정 자녀 10명 중 7명이 학교폭력을 당했다",  # a topic without a series
])
def test_the_checker_abstains_without_a_matching_series(checker: Checker, text: str) -> None:
    ruling = _one(checker, text)
    assert ruling.verdict == "cannot_check"
    assert ruling.explanation


def test_stay_and_registered_foreigners_are_told_apart(checker: Checker) -> None:
    ruling = _one(checker, "등록외국인 280만 명")
    assert ruling.verdict == "misleading"
    # undated: the latest registered count (moj_stay_longterm 2024, which has no F-4)
    assert [c.dataset for c in ruling.citations] == ["moj_stay_longterm",
                                                     "moj_stay_monthly_status"]
    assert "≠" in ruling.explanation
    assert "registered foreigners" in ruling.explanation
    assert "staying in Korea" in ruling.explanation
    for citation in ruling.citations:
        assert (citation.version, citation.value) >= (1, 1)
        assert citation.period
        assert citation.source_files
        assert citation.publisher


@pytest.fixture(scope="module")
def server_url(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("claims-api") / "server.log"
    with running_all((ApiConfig(db=sample_db), log, None)) as (running,):
        yield running.url


def test_the_api_rules_on_each_claim_and_refuses_bad_text(server_url: str) -> None:
    import httpx

    with httpx.Client(base_url=server_url, timeout=60) as client:
        body = client.get("/api/v1/media/check", params={
            "text": "외노자 150만은 비극이다. 불법체류자 40만 명이 넘는다. 오늘은 맑다."}).json()
        assert body["claims"] == 2
        verdicts = [r["verdict"] for r in body["rulings"]]
        assert verdicts == ["misleading", "accurate"]
        for ruling in body["rulings"]:
            for c in ruling["citations"]:
                assert c["dataset"]
                assert c["version"] >= 1
                assert c["period"]
                assert c["value"] > 0
                assert c["source_files"]
        assert client.get("/api/v1/media/check", params={"text": ""}).status_code == 422
        too_long = client.get("/api/v1/media/check", params={"text": "a" * 20_001})
        assert too_long.status_code == 422


def test_the_page_shows_rulings_with_their_sources(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), "install Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(f"{server_url}/media.html")
            page.fill("#check-text", "불법체류자 40만 명이 넘는다")
            page.click("#check-form button[type=submit]")
            card = page.wait_for_selector("#check-result article.ruling")
            assert card is not None
            assert card.get_attribute("data-verdict") == "accurate"
            assert "moj_undocumented v1 · 2022 · 411,270" in card.inner_text()
            page.fill("#check-text", "오늘은 맑다")
            page.click("#check-form button[type=submit]")
            page.wait_for_selector("#check-result >> text=no numeric claim")
        finally:
            browser.close()

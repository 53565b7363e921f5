"""The dashboard against a careless or hostile reader: junk in the address, markup and
``javascript:`` links in a dataset's own metadata, and the English page read by a screen
reader. Real server on loopback, real Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect

from migralink.api import ApiConfig
from migralink.evidence import Evidence
from tests.servers import running_all
from tests.web.conftest import Dashboard, _dashboard

COUNT = "ds:mois_foreign_residents_sigungu"

# A dataset the menu maps (its id is one of the published counts), whose mapping carries
# markup and a script address where a title, a label and a link are expected: anyone
# with a token (or a shared evidence base) can write these.
HOSTILE_MAPPING = """
[dataset]
id = "moj_registered_region_status"
title_ko = "악성 <img src=x onerror=\\"window.__pwned=1\\"> 표"
title_en = "Evil <script>window.__pwned=2</script> table"
publisher = "Evil publisher"
source_url = "javascript:window.__pwned=3"
licence = "<svg onload=\\"window.__pwned=4\\">"
unit = "persons"
reference_date = "31 December"
period_day = "12-31"

[read]
format = "csv"

[period]
column = "year"

[region]
column = "code"
kind = "code"

[[dimension]]
id = "residence_status"
title_ko = "<i>체류자격</i>"
title_en = "<i>status</i>"
column = "grp"
label_column = "label"

[value]
column = "value"
"""
SIDO = ["11", "26", "27", "28", "29", "30", "31", "36", "41", "42", "43", "44", "45", "46",
        "47", "48", "50"]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over an evidence base holding only the hostile dataset."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.toml").write_text(HOSTILE_MAPPING, encoding="utf-8")
    rows = ["year,code,grp,label,value"] + [
        f'2019,{code},a,"<img src=x onerror=window.__pwned=5>",{100 + i}'
        for i, code in enumerate(SIDO)]
    (folder / "hostile_2019.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with Evidence(folder / "evidence.duckdb") as ev:
        ev.ingest([folder / "hostile_2019.csv"], mapping=folder / "hostile.toml")
    config = ApiConfig(db=folder / "evidence.duckdb", token=None, release_after=None)
    with running_all((config, folder / "server.log", None)) as (running,):
        yield running.url


@pytest.fixture
def hostile(browser: Browser, hostile_server: str) -> Iterator[Dashboard]:
    yield from _dashboard(browser, hostile_server, viewport={"width": 1280, "height": 900},
                          locale="ko-KR")


def test_a_datasets_metadata_is_text_and_its_address_no_script(hostile: Dashboard) -> None:
    measure = "ds:moj_registered_region_status"
    for fragment in (f"#/map?m={measure}&l=sido&g=a", f"#/region/11?m={measure}&g=a",
                     f"#/region/11?m={measure}&g=a&lang=en"):
        page = hostile.open(fragment)
        hostile.wait_drawn()
        assert page.locator("main img, main script, main i, main svg[onload]").count() == 0
    expect(page.locator(".sources")).to_contain_text("javascript:window.__pwned=3")
    # the publisher's address is shown, but a script address is never a link to follow
    assert page.locator('.sources a[href^="javascript" i]').count() == 0
    page.locator(".sources").get_by_text("javascript:window.__pwned=3").click()
    assert page.evaluate("window.__pwned ?? null") is None


def test_junk_in_the_address_is_named_never_silently_replaced(dashboard: Dashboard) -> None:
    # a misspelt indicator or group in a shared link: the page says what it shows instead
    page = dashboard.open("#/map?m=ind:foreign_shar&l=sido")
    expect(page.locator("main .notice").first).to_contain_text("ind:foreign_shar")
    expect(page.locator("#measure")).to_have_value(COUNT)
    page.goto(f"{dashboard.server}/#/map?m={COUNT}&g=worker&l=sido")
    dashboard.wait_drawn()
    expect(page.locator("main .notice").first).to_contain_text("worker")
    # an unknown level is named as asked, not as an untranslated label key
    page.goto(f"{dashboard.server}/#/map?m={COUNT}&l=province")
    dashboard.wait_drawn()
    expect(page.locator("main .notice").first).to_contain_text("province")
    expect(page.locator("main")).not_to_contain_text("level.province")
    # a region code that names no region is said to be unknown (not "no data"), and the
    # regions that exist are still compared
    page.goto(f"{dashboard.server}/#/compare?m={COUNT}&r=99999,41270")
    dashboard.wait_drawn()
    expect(page.locator("main .notice")).to_have_text(["99999: 알 수 없는 지역 코드입니다"])
    expect(page.locator('main table.data tbody tr[data-code="41270"]').first).to_be_visible()
    # an order named after a property every object has still draws the map and its table
    for order in ("__proto__", "constructor", "toString"):
        page.goto(f"{dashboard.server}/#/map?m={COUNT}&l=sido&o={order}")
        dashboard.wait_drawn()
        expect(page.locator("#values tbody tr")).to_have_count(17)
        ranks = page.eval_on_selector_all("#values td.rank", "tds => tds.map(t => t.textContent)")
        assert ranks == [str(r) for r in range(1, 18)], (order, ranks)


def test_the_english_page_has_its_labels_in_english(dashboard: Dashboard) -> None:
    page = dashboard.open(f"#/map?m={COUNT}&l=sido&lang=en")
    dashboard.wait_drawn()
    nav = page.locator("header nav a")
    texts = nav.all_text_contents()
    assert not [t for t in texts if any("\uac00" <= c <= "\ud7a3" for c in t)], texts
    # the language button reads "한국어" and a voice user says so: its name must contain it
    violations = dashboard.axe()
    assert violations == [], violations
    page.locator("#lang").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(nav.last).to_have_text("주장 확인·혐오 모니터")
    assert dashboard.axe() == []



def test_every_value_the_api_answers_for_the_level_is_in_the_table(dashboard: Dashboard) -> None:
    # 2016 is drawn on the 2013 boundaries, where 인천 남구 is 28170; the indicator is
    # stored under its later code 28177 (미추홀구): shown in the table and named, not lost
    page = dashboard.open("#/map?m=ind:foreign_share&l=sigungu&y=2016")
    dashboard.wait_drawn()
    levels = {r["code"]: r["level"] for r in
              httpx.get(f"{dashboard.server}/api/v1/regions").json()["rows"]}
    api = httpx.get(f"{dashboard.server}/api/v1/indicators", params={
        "id": "foreign_share", "period": "2016", "limit": 10000}).json()["rows"]
    wanted = {r["region"]: r["value"] for r in api if levels.get(r["region"]) == "sigungu"}
    assert "28177" in wanted
    shown = page.eval_on_selector_all(
        "#values tbody tr", "trs => Object.fromEntries(trs.map(tr => [tr.dataset.code,"
        " tr.querySelector('td.num[data-value]').dataset.value]))")
    missing = {code: value for code, value in wanted.items()
               if code not in shown or float(shown[code]) != pytest.approx(value)}
    assert not missing, missing
    expect(page.locator("main .notice").first).to_contain_text("미추홀구")
    # the finest level of 2017 on the 2013 map: 부천 (one count; its 2013 districts were
    # dissolved in 2016) is listed with its count, not lost behind three empty districts
    page.goto(f"{dashboard.server}/#/map?m={COUNT}&l=gu&y=2017")
    dashboard.wait_drawn()
    row = page.locator('#values tr[data-code="41190"] td.num[data-value]')
    expect(row).to_have_attribute("data-value", "37278")
    expect(page.locator("main .notice").first).to_contain_text("부천시")


def test_a_city_drawn_whole_is_not_listed_beside_its_districts(dashboard: Dashboard) -> None:
    # 2024: 부천 and 청주 are drawn whole, their districts summed into them; the table lists
    # the city once, never the city and its districts together (one level, no double count)
    page = dashboard.open("#/map?m=ds:population_residents_sigungu&l=gu&y=2024")
    dashboard.wait_drawn()
    codes = page.eval_on_selector_all("#values tbody tr", "trs => trs.map(tr => tr.dataset.code)")
    for city in ("41190", "43110"):
        assert city in codes
        assert not [c for c in codes if c != city and c.startswith(city[:4])], city
    expect(page.locator("main")).not_to_contain_text("원미구")

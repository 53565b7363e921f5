"""The dashboard in headless Chromium: map, region page, languages, CSV, keyboard, phone.

Screenshots are written to ``artifacts/screenshots/`` for a reviewer to look at.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.web.conftest import REGISTER, Dashboard

#: The five class colours of the legend (static/js/classify.js).
PALETTE = {"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"}
#: 경기도's foreign residents on 1 November 2019, as MOIS published them (summed by the
#: API over its sigungu): the figure its page must lead with.
GYEONGGI_2019 = "720,090"

_POINT_IN = """sel => {
  const el = document.querySelector(sel);
  el.scrollIntoView({block: 'center'});
  const box = el.getBoundingClientRect();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const x = box.left + box.width * i / 24, y = box.top + box.height * j / 24;
    const hit = document.elementFromPoint(x, y);
    if (hit && el.contains(hit)) return [x, y];
  }
  return null;
}"""


def point_in(page: Page, selector: str) -> tuple[float, float]:
    """A point of the viewport where ``selector`` is the topmost element (경기도 has
    Seoul in its middle, so the centre of its box is not in it)."""
    point = page.evaluate(_POINT_IN, selector)
    assert point, f"{selector} is nowhere visible"
    return float(point[0]), float(point[1])


def table_rows(page: Page, scope: str = "#values") -> list[dict[str, str]]:
    """The rows of a data table as shown: code, name, raw value, status."""
    rows: list[dict[str, str]] = page.eval_on_selector_all(
        f"{scope} table.data tbody tr",
        """trs => trs.map(tr => {
          const cells = [...tr.children];
          const num = tr.querySelector('td.num');
          return {code: cells[0].textContent, name: cells[1].textContent,
                  value: num.dataset.value, shown: num.textContent,
                  status: cells[cells.length - 1].textContent};
        })""",
    )
    return rows


def download_csv(page: Page, button: str) -> list[dict[str, str]]:
    """Click a CSV button and read the file it offers."""
    with page.expect_download() as info:
        page.locator(button).click()
    path = info.value.path()
    text = Path(str(path)).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def assert_csv_is_table(rows: list[dict[str, str]], shown: list[dict[str, str]]) -> None:
    assert [r["region_code"] for r in rows] == [s["code"] for s in shown]
    assert [r["region_name"] for r in rows] == [s["name"] for s in shown]
    assert [r["value"] for r in rows] == [s["value"] for s in shown]
    assert [r["status"] for r in rows] == [s["status"] for s in shown]


def test_the_map_colours_every_sigungu_and_sido(dashboard: Dashboard) -> None:
    page = dashboard.open()
    filled = page.locator("svg.map path[data-fill=value]")
    assert filled.count() >= 200
    fills = set(page.eval_on_selector_all(
        "svg.map path[data-fill=value]", "ps => ps.map(p => p.getAttribute('fill'))"))
    assert fills == PALETTE  # five quantile classes, all in use
    assert page.locator(".legend li").count() == 7  # five classes, suppressed, no data
    dashboard.shot("map-sigungu-ko")

    page.locator("#level-sido").check()
    expect(page.locator("svg.map a.region path")).to_have_count(17)
    assert page.locator("svg.map path[data-fill=value]").count() == 17
    dashboard.shot("map-sido-ko")


def test_clicking_gyeonggi_opens_its_page_with_its_published_figure(
    dashboard: Dashboard, server: str
) -> None:
    page = dashboard.open("#/map?l=sido")
    x, y = point_in(page, 'svg.map a[data-code="41"] path')
    page.mouse.move(x, y)
    tooltip = page.locator("#tooltip")
    expect(tooltip).to_contain_text("경기도")
    expect(tooltip).to_contain_text(GYEONGGI_2019)
    dashboard.shot("map-sido-hover-gyeonggi", full_page=False)

    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"#/region/41\b"))
    headline = page.get_by_test_id("headline")
    expect(headline).to_contain_text(GYEONGGI_2019)
    expect(headline).to_contain_text("2019")
    expect(page.locator("main h2")).to_contain_text("경기도")
    # trend, composition, peers, then definitions and sources with versions and sha256
    expect(page.locator(".trend svg.line-chart path")).not_to_have_count(0)
    assert page.locator(".composition .bar").count() == 7
    expect(page.locator(".peers .bar")).to_have_count(17)
    expect(page.locator(".peers .bar.highlight")).to_contain_text("경기도")
    detail = httpx.get(f"{server}/api/v1/datasets/mois_foreign_residents_sigungu").json()
    sha = detail["versions"][-1]["source_sha256"]
    expect(page.locator('.sources [data-dataset="mois_foreign_residents_sigungu"]')
           ).to_contain_text(sha)
    dashboard.shot("region-41-ko")


def test_switching_the_language_changes_the_labels(dashboard: Dashboard) -> None:
    page = dashboard.open("#/map?l=sido")
    heading = page.locator("main h2")
    expect(heading).to_have_text("지역별 지도")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#values th").first).to_have_text("지역 코드")

    page.locator("#lang").click()
    expect(heading).to_have_text("Map by region")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#values th").first).to_have_text("Region code")
    expect(page.locator('nav a[data-nav="compare"]')).to_have_text("Compare regions")
    expect(page.locator('#values tr[data-code="41"] th')).to_have_text("Gyeonggi-do")
    dashboard.shot("map-sido-en")

    page.goto(f"{dashboard.server}/#/region/41")  # the choice is remembered
    expect(page.get_by_test_id("headline")).to_contain_text("Foreign residents (2019)")
    dashboard.shot("region-41-en")


def test_the_csv_holds_exactly_the_rows_shown(dashboard: Dashboard) -> None:
    page = dashboard.open("#/map?l=sido")
    shown = table_rows(page)
    assert len(shown) == 17
    rows = download_csv(page, "#values button.csv")
    assert list(rows[0]) == ["region_code", "region_name", "period", "indicator", "group",
                             "value", "unit", "status"]
    assert_csv_is_table(rows, shown)
    gyeonggi = next(r for r in rows if r["region_code"] == "41")
    assert (gyeonggi["value"], gyeonggi["period"]) == ("720090", "2019")


def test_suppressed_cells_are_hatched_and_never_zero(dashboard: Dashboard) -> None:
    page = dashboard.open(f"#/map?m=ds:{REGISTER}")
    hatched = page.locator("svg.map path[data-fill=suppressed]")
    assert hatched.count() >= 1
    assert page.locator("svg.map path[data-fill=value]").count() >= 200
    codes = page.eval_on_selector_all("svg.map path[data-fill=suppressed]",
                                      "ps => ps.map(p => p.parentElement.dataset.code)")
    x, y = point_in(page, f'svg.map a[data-code="{codes[0]}"] path')
    page.mouse.move(x, y)
    expect(page.locator("#tooltip")).to_contain_text("비공개")
    dashboard.shot("map-suppressed-ko", full_page=False)

    shown = {r["code"]: r for r in table_rows(page)}
    for code in codes:
        assert (shown[code]["shown"], shown[code]["status"]) == ("—", "비공개")
    rows = download_csv(page, "#values button.csv")
    assert_csv_is_table(rows, table_rows(page))
    for row in rows:
        if row["region_code"] in codes:
            assert (row["value"], row["status"]) == ("", "비공개")


def test_a_region_is_reached_and_opened_with_the_keyboard_only(dashboard: Dashboard) -> None:
    page = dashboard.open("#/map?l=sido")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.region')"):
            break
    else:
        raise AssertionError("Tab never reached a region of the map")
    code = page.evaluate("document.activeElement.dataset.code")
    # the focused region is outlined, above its neighbours
    ring = page.locator("svg.map path.focus-ring")
    assert ring.get_attribute("d") == page.evaluate(
        "document.activeElement.querySelector('path').getAttribute('d')")
    assert page.evaluate("getComputedStyle(document.querySelector('.focus-ring')).stroke") \
        == "rgb(217, 95, 2)"
    expect(page.locator("#tooltip")).to_be_visible()
    dashboard.shot("keyboard-focus-region", full_page=False)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#/region/{code}\b"))
    expect(page.get_by_test_id("headline")).to_be_visible()
    assert page.evaluate("document.activeElement.tagName") == "H2"


def test_several_regions_are_compared_and_downloaded(dashboard: Dashboard) -> None:
    page = dashboard.open("#/compare")
    for count, name in enumerate(("경기도", "서울특별시", "김해시"), start=1):
        page.locator("#compare-region").select_option(label=name)
        page.locator("#compare-add").click()
        expect(page.locator(".chips li")).to_have_count(count)  # redrawn: go on
    expect(page.locator(".chips li")).to_have_text(["경기도×", "서울특별시×", "경상남도 김해시×"])
    expect(page.locator("svg.line-chart g.series")).to_have_count(3)
    shown = table_rows(page, ".values")
    assert len(shown) == 15  # three regions, 2015-2019
    assert_csv_is_table(download_csv(page, ".values button.csv"), shown)
    dashboard.shot("compare-ko")


def test_the_dashboard_is_readable_on_a_phone(phone: Dashboard) -> None:
    page = phone.open()
    assert page.locator("svg.map path[data-fill=value]").count() >= 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    box = page.locator("svg.map").bounding_box()
    assert box is not None
    assert box["width"] <= 390
    phone.shot("phone-map", full_page=False)
    phone.shot("phone-map-full")
    page.goto(f"{phone.server}/#/region/41")
    expect(page.get_by_test_id("headline")).to_contain_text(GYEONGGI_2019)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("phone-region-41")

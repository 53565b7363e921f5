"""The dashboard in headless Chromium: the users' first minutes, checked.

Screenshots are written to ``artifacts/screenshots/`` for a reviewer to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.reports.conftest import pdftotext
from tests.web.conftest import REGISTER, SURVEYS, Dashboard

#: 경기도's foreign residents on 1 November 2019, as MOIS published them (the sum of its
#: local governments): the figure its page leads with.
GYEONGGI_2019 = "720,090"
COUNT = "ds:mois_foreign_residents_sigungu"

_POINT_IN = """sel => {
  const el = document.querySelector(sel);
  const box = el.getBoundingClientRect();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const x = box.left + box.width * i / 24, y = box.top + box.height * j / 24;
    const hit = document.elementFromPoint(x, y);
    if (hit && el.contains(hit)) return [x, y];
  }
  return null;
}"""


def point_in(page: Page, selector: str) -> tuple[float, float]:
    """A point of the viewport where ``selector`` is the topmost element."""
    page.locator(selector).first.scroll_into_view_if_needed()
    point = page.evaluate(_POINT_IN, selector)
    assert point, f"{selector} is nowhere visible"
    return float(point[0]), float(point[1])


def table_rows(page: Page, scope: str = "#values") -> list[dict[str, str]]:
    """The rows of the map's table as shown: rank, code, raw value, shown value, status."""
    rows: list[dict[str, str]] = page.eval_on_selector_all(
        f"{scope} table.data tbody tr",
        """trs => trs.map(tr => {
          const num = tr.querySelector('td.num[data-value]');
          return {code: tr.dataset.code, rank: tr.querySelector('td.rank')?.textContent,
                  name: tr.querySelector('th a, th').childNodes[0].textContent,
                  value: num.dataset.value, shown: num.textContent,
                  status: tr.lastElementChild.textContent};
        })""",
    )
    return rows


def download_text(page: Page, button: str) -> str:
    """Click a download button and read the file it offers."""
    with page.expect_download() as info:
        page.locator(button).click()
    return Path(str(info.value.path())).read_text(encoding="utf-8-sig")


def test_a_year_the_indicator_lacks_is_a_notice_not_a_silent_substitution(
    dashboard: Dashboard,
) -> None:
    page = dashboard.open(f"#/map?m={COUNT}&y=2024")
    notice = page.locator(".notice").first
    expect(notice).to_contain_text("2024")
    expect(notice).to_contain_text("2019")
    expect(page.get_by_test_id("latest")).to_contain_text("2019")
    expect(page.locator("#year")).to_have_value("2019")
    dashboard.shot("notice-year-2024", full_page=False)


def test_ansan_is_a_local_government_ranked_first_in_2019(dashboard: Dashboard) -> None:
    page = dashboard.open(f"#/map?m={COUNT}&l=sigungu&y=2019")
    rows = {r["code"]: r for r in table_rows(page)}
    ansan = rows["41270"]
    assert (ansan["rank"], ansan["value"], ansan["shown"]) == ("1", "92787", "92,787")
    assert "41273" not in rows  # 단원구 is a district, not a local government
    # the published count at the district level (asked of the API with level=district):
    # 상록구 and 단원구 have counts, which add up to the city's
    with page.expect_response(lambda r: "level=district" in r.url and r.ok):
        page.goto(f"{dashboard.server}/#/map?m={COUNT}&l=gu&y=2019")
    expect(page.locator("#level-gu")).to_be_checked()
    page.wait_for_function("() => document.querySelector('main')"
                           ".getAttribute('aria-busy') === 'false'")
    rows = {r["code"]: r for r in table_rows(page)}
    assert "41270" not in rows
    assert int(rows["41271"]["value"]) + int(rows["41273"]["value"]) == 92787
    assert page.locator('svg.map path[data-fill=value]').count() > 200
    # the districts level has 단원구 and 상록구, and no 안산시
    page.goto(f"{dashboard.server}/#/map?m=ind:foreign_share&l=gu&y=2019")
    expect(page.locator("#values-heading")).to_contain_text("외국인주민 비율")
    expect(page.locator("#values table")).to_be_visible()
    rows = {r["code"]: r for r in table_rows(page)}
    assert {"41271", "41273"} <= set(rows)
    assert "41270" not in rows
    assert rows["41273"]["value"], rows["41273"]
    assert rows["41271"]["value"], rows["41271"]
    dashboard.shot("map-gu-ko", full_page=False)


def test_zoom_into_seoul_and_click_yeongdeungpo(dashboard: Dashboard) -> None:
    page = dashboard.open(f"#/map?m={COUNT}&l=sigungu")
    page.locator("#zoom-capital").click()
    dashboard.wait_drawn()
    expect(page.locator("svg.map")).to_have_attribute("data-zoom", re.compile(r"^[3-9]"))
    box = page.locator('svg.map a[data-code="11560"] path').bounding_box()
    assert box is not None
    assert box["width"] > 20
    x, y = point_in(page, 'svg.map a[data-code="11560"] path')
    page.mouse.move(x, y)
    expect(page.locator("#tooltip")).to_contain_text("영등포구")
    dashboard.shot("map-capital-zoom", full_page=False)
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"#/region/11560\b"))
    expect(page.locator("main h2")).to_contain_text("영등포구")
    # the keyboard zooms too
    page.goto(f"{dashboard.server}/#/map?m={COUNT}")
    page.wait_for_selector("svg.map")
    page.locator("svg.map").focus()
    page.keyboard.press("+")
    expect(page.locator("svg.map")).to_have_attribute("data-zoom", "1.50")


def test_a_touch_shows_the_value_first_and_a_second_opens_the_page(phone: Dashboard) -> None:
    page = phone.open(f"#/map?m={COUNT}&l=sido")
    x, y = point_in(page, 'svg.map a[data-code="41"] path')
    page.touchscreen.tap(x, y)
    expect(page.locator("#tooltip")).to_contain_text(GYEONGGI_2019)
    assert "#/map" in page.url
    phone.shot("phone-tap-value", full_page=False)
    page.keyboard.press("Escape")
    expect(page.locator("#tooltip")).to_be_hidden()
    page.touchscreen.tap(x, y)  # the same region again: its page
    page.touchscreen.tap(x, y)
    expect(page).to_have_url(re.compile(r"#/region/41\b"))
    expect(page.get_by_test_id("headline")).to_contain_text(GYEONGGI_2019)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("phone-region-41")


def test_the_language_persists_through_a_shared_address(dashboard: Dashboard) -> None:
    page = dashboard.open(f"#/map?m={COUNT}&l=sido")
    page.locator("#lang").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "lang=en" in page.url
    shared = page.url
    fresh = page.context.browser.new_context()  # type: ignore[union-attr]
    other = fresh.new_page()
    other.goto(shared)
    other.wait_for_selector("body[data-ready=true]")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.locator('#values tr[data-code="41"] th a')).to_have_text("Gyeonggi-do")
    expect(other.locator(".provenance")).to_contain_text("as of 1 November each year")
    other.locator('#values tr[data-code="41"] th a').click()
    expect(other.get_by_test_id("headline")).to_contain_text("Foreign residents (2019)")
    assert "lang=en" in other.url
    other.screenshot(path=str(Path(dashboard.shot("map-sido-en")).with_name("region-41-en.png")),
                     full_page=True)
    fresh.close()


def test_the_csv_starts_with_its_citation_and_holds_the_rows_shown(
    dashboard: Dashboard,
) -> None:
    page = dashboard.open(f"#/map?m={COUNT}&l=sido")
    text = download_text(page, "#csv")
    lines = text.splitlines()
    assert lines[0].startswith("# migralink, 외국인주민 수")
    assert "행정안전부" in text
    assert "11월 1일" in text
    assert "버전 1" in text
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    assert lines[header] == "region_code,region_name,period,indicator,group,value,unit,rank,status"
    body = [line.split(",") for line in lines[header + 1:]]
    shown = table_rows(page)
    assert [b[0] for b in body] == [s["code"] for s in shown]
    assert [b[5] for b in body] == [s["value"] for s in shown]
    assert dict((b[0], b[5]) for b in body)["41"] == "720090"
    # the map as a drawing, with its caption
    drawing = download_text(page, "#map-svg")
    assert drawing.startswith("<svg")
    assert "행정안전부" in drawing
    with page.expect_download() as info:
        page.locator("#map-png").click()
    assert Path(str(info.value.path())).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_suppressed_cells_are_hatched_and_never_zero(dashboard: Dashboard) -> None:
    page = dashboard.open(f"#/map?m=ds:{REGISTER}&l=gu")
    hatched = page.locator("svg.map path[data-fill=suppressed]")
    assert hatched.count() >= 1
    codes = page.eval_on_selector_all("svg.map path[data-fill=suppressed]",
                                      "ps => ps.map(p => p.parentElement.dataset.code)")
    shown = {r["code"]: r for r in table_rows(page)}
    for code in codes:
        assert (shown[code]["shown"], shown[code]["status"]) == ("—", "비공개")
    dashboard.shot("map-suppressed-ko", full_page=False)


def test_a_region_page_climbs_up_and_lists_its_parts(dashboard: Dashboard, server: str) -> None:
    page = dashboard.open("#/region/41273?m=ind:foreign_share")
    crumbs = page.locator(".breadcrumbs li")
    expect(crumbs).to_have_text(["전국", "경기도", "안산시", "단원구"])
    crumbs.nth(2).locator("a").click()
    expect(page).to_have_url(re.compile(r"#/region/41270\b"))
    expect(page.get_by_test_id("headline")).to_contain_text("92,787")
    expect(page.locator(".child-list li")).to_have_text(["상록구", "단원구"])
    expect(page.locator(".peers .bar.highlight")).to_contain_text("안산시")
    expect(page.locator(".similar li")).to_have_count(5)
    expect(page.locator(".provenance").first).to_contain_text("11월 1일")
    # no internal ids where people read: the headline cites the table by its title
    expect(page.get_by_test_id("headline")).not_to_contain_text("mois_foreign")
    expect(page.get_by_test_id("headline")).to_contain_text("지방자치단체 외국인주민 현황")
    detail = httpx.get(f"{server}/api/v1/datasets/mois_foreign_residents_sigungu").json()
    sha = detail["versions"][-1]["source_sha256"]
    expect(page.locator('.sources [data-dataset="mois_foreign_residents_sigungu"]')
           ).to_contain_text(sha)
    dashboard.shot("region-41270-ko")


def test_the_profile_link_gives_the_regions_pdf(
    dashboard: Dashboard, server: str, tmp_path: Path
) -> None:
    page = dashboard.open("#/region/41270")
    link = page.get_by_test_id("profile-link")
    expect(link).to_have_text("근거 프로필 내려받기 (PDF)")
    answer = httpx.get(f"{server}/{link.get_attribute('href')}", timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"%PDF")
    # 강원특별자치도 (51) shows 2019 figures published under 강원도 (42): so does its profile
    page = dashboard.open("#/region/51")
    expect(page.get_by_test_id("profile-link")).to_have_attribute("href", re.compile("/51/"))
    expect(page.get_by_test_id("headline")).to_contain_text("2019")
    recoded = httpx.get(f"{server}/{page.get_by_test_id('profile-link').get_attribute('href')}",
                        timeout=60)
    former = httpx.get(f"{server}/api/v1/regions/42/profile?lang=ko", timeout=60)
    assert recoded.status_code == former.status_code == 200, recoded.text
    texts = []
    for name, answer in (("recoded", recoded), ("former", former)):
        (tmp_path / f"{name}.pdf").write_bytes(answer.content)
        texts.append(pdftotext(tmp_path / f"{name}.pdf", layout=False))
    assert "강원도" in texts[0]
    assert texts[0] == texts[1]


def test_search_finds_every_jung_gu_and_compare_takes_a_city(dashboard: Dashboard) -> None:
    page = dashboard.open()
    page.locator("#search").fill("중구")
    options = page.locator("#search-results li")
    expect(options.first).to_be_visible()
    names = options.all_text_contents()
    assert sum("중구" in n for n in names) >= 6
    assert any("서울특별시 중구" in n for n in names)
    assert any("부산광역시 중구" in n for n in names)
    page.locator("#search").fill("Ansan")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#/region/41270\b"))
    page.goto(f"{dashboard.server}/#/compare?m=ind:foreign_share")
    page.wait_for_selector("#compare-search")
    for count, name in enumerate(("안산시", "영등포구"), start=1):
        page.locator("#compare-search").fill(name)
        page.keyboard.press("Enter")
        expect(page.locator(".chips li")).to_have_count(count)
    expect(page.locator("svg.line-chart g.series")).to_have_count(2)
    dashes = page.eval_on_selector_all("svg.line-chart g.series path",
                                       "ps => ps.map(p => p.getAttribute('stroke-dasharray'))")
    assert len(set(dashes)) == 2  # told apart without colour
    dashboard.shot("compare-ko")


def test_a_region_is_reached_and_opened_with_the_keyboard_only(dashboard: Dashboard) -> None:
    page = dashboard.open(f"#/map?m={COUNT}&l=sido")
    page.locator("svg.map").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.region')")
    code = page.evaluate("document.activeElement.dataset.code")
    expect(page.locator("#tooltip")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#tooltip")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#/region/{code}\b"))


def test_axe_finds_no_violation_on_any_view(dashboard: Dashboard) -> None:
    views = {"map": f"#/map?m={COUNT}", "map-diverging": "#/map?m=ind:foreign_residents_yoy",
             "region": "#/region/41270", "compare": "#/compare?r=41270,11560",
             "compare-empty": "#/compare"}
    for name, fragment in views.items():
        dashboard.open(fragment)
        dashboard.wait_drawn()
        violations = dashboard.axe()
        assert violations == [], f"{name}: {violations}"


def test_survey_estimates_are_listed_with_their_reliability_flag(dashboard: Dashboard) -> None:
    page = dashboard.open("#/surveys?lang=en")
    for name in SURVEYS:
        api = httpx.get(f"{dashboard.server}/api/v1/datasets/{name}/observations", params={
            "by": "region,statistic,term,cname,reliability", "period": "2000"}).json()["rows"]
        shown = page.eval_on_selector_all(
            f'section[data-dataset="{name}"] tbody tr',
            "trs => trs.map(tr => ({flag: tr.dataset.reliability,"
            " name: tr.querySelector('th[data-col=cname]').textContent,"
            " value: tr.querySelector('td.num').dataset.value,"
            " text: tr.querySelector('td.num').textContent,"
            " label: tr.lastElementChild.textContent}))")
        assert len(shown) == len(api) > 0
        by_name = {r["name"]: r for r in shown}
        for row in api:
            cell = by_name[row["cname"]]
            assert cell["flag"] == row["reliability"]
            if row["reliability"] == "withheld":
                # withheld: said so, never a number (and never 0)
                assert cell["value"] == ""
                assert cell["text"] == "Withheld (RSE ≥ 50%)"
                assert cell["label"] == "Withheld (RSE ≥ 50%)"
            else:
                assert float(cell["value"]) == pytest.approx(row["value"], rel=1e-12)
                assert cell["label"] in {"Reliable", "※ Use with caution (RSE ≥ 25%)"}
    flags = set(page.eval_on_selector_all(
        "tbody tr", "trs => trs.map(tr => tr.dataset.reliability)"))
    assert {"ok", "withheld"} <= flags
    expect(page.locator("nav a[data-nav=surveys]")).to_have_attribute("aria-current", "page")
    # the Korean page says the same in Korean
    page.goto(f"{dashboard.server}/#/surveys?lang=ko")
    expect(page.locator("main h2")).to_have_text("표본조사 추정값")
    expect(page.locator('tr[data-reliability=withheld] td.flag').first).to_contain_text("비공표")
    assert dashboard.axe() == []
    dashboard.shot("surveys-en", full_page=False)


def test_a_pinch_zooms_the_phone_map_around_the_fingers(phone: Dashboard) -> None:
    page = phone.open(f"#/map?m={COUNT}&l=sido")
    svg = page.locator("svg.map")
    assert (svg.get_attribute("data-zoom") or "1.00") == "1.00"  # the whole country
    box = svg.bounding_box()
    assert box is not None
    # two fingers around a point left of the centre, moved apart (touch events through
    # the DevTools protocol: the browser turns them into pointer events, as on a phone)
    cx, cy = box["x"] + box["width"] * 0.4, box["y"] + box["height"] / 2
    view_before = [float(v) for v in (svg.get_attribute("viewBox") or "").split()]
    anchor = (view_before[0] + 0.4 * view_before[2], view_before[1] + 0.5 * view_before[3])
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, spread: float) -> None:
        points = [] if kind == "touchEnd" else [
            {"x": cx - spread, "y": cy, "id": 0}, {"x": cx + spread, "y": cy, "id": 1}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 20)
    for spread in range(25, 85, 5):
        touch("touchMove", spread)
    touch("touchEnd", 0)
    zoom = float(svg.get_attribute("data-zoom") or "0")
    assert zoom > 2.5, zoom  # the fingers' distance grew fourfold
    view = [float(v) for v in (svg.get_attribute("viewBox") or "").split()]
    # the point between the fingers stays under them
    assert view[0] + 0.4 * view[2] == pytest.approx(anchor[0], abs=view_before[2] * 0.05)
    assert view[1] + 0.5 * view[3] == pytest.approx(anchor[1], abs=view_before[3] * 0.05)
    # a pinch neither opens a region nor leaves a value shown
    expect(page).to_have_url(re.compile(r"#/map"))
    phone.shot("phone-pinch", full_page=False)

"""Every entry of the menu, at every level and year it offers, on a desktop and a phone.

One page load per indicator and level; the years are switched in the page. Each view must
show no error, either a coloured map or a notice saying why there is none, and a legend
whose unit is the table's.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.web.conftest import Dashboard


def _menu(server: str) -> list[tuple[str, str, list[str]]]:
    menu = httpx.get(f"{server}/api/v1/indicators/menu").json()
    return [(m["id"], level, list(years)) for m in menu["measures"]
            for level, years in m["levels"].items()]


def _walk(board: Dashboard, size: str) -> int:
    page = board.page
    seen = 0
    for measure, level, years in _menu(board.server):
        # the first entry loads the page; the others change its address (no reload)
        page.goto(f"{board.server}/#/map?m={measure}&l={level}")
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_function(
            "([m, l]) => document.getElementById('measure')?.value === m"
            " && document.getElementById('level-' + l)?.checked", arg=[measure, level])
        for year in reversed(years):
            if page.locator("#year").input_value() != year:
                page.locator("#year").select_option(year)
            where = f"{measure} {level} {year} ({size})"
            try:
                page.wait_for_function(
                    "y => document.querySelector('main').getAttribute('aria-busy') === 'false'"
                    " && document.querySelector('#values-heading')?.textContent.includes(y)",
                    arg=year)
            except PlaywrightError as error:
                raise AssertionError(f"{where}: {page.inner_text('main')[:300]}") from error
            assert page.locator(".error, [role=alert]").count() == 0, where
            assert page.locator("#level-" + level).is_checked(), where
            coloured = page.locator("svg.map path[data-fill=value]").count()
            notices = page.locator(".notice").all_text_contents()
            assert coloured > 0 or notices, f"{where}: neither a map nor a notice"
            legend = page.locator(".legend").get_attribute("data-unit")
            assert legend == page.locator("#values table").get_attribute("data-unit"), where
            assert legend, where
            assert legend in (page.locator("#values th").nth(2).text_content() or ""), where
            seen += 1
        board.shot(f"walk-{size}-{measure.replace(':', '-')}-{level}", full_page=False)
    return seen


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_menu_entry_leads_somewhere(size: str, request: pytest.FixtureRequest) -> None:
    board: Dashboard = request.getfixturevalue("dashboard" if size == "desktop" else "phone")
    assert _walk(board, size) >= 60

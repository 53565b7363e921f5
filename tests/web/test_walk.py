"""Every entry of the menu, at every level and year it offers, on a desktop and a phone.

One page per size for the whole walk: the first entry loads the page, every other
indicator and level is reached by changing the address (no reload), every year through
the year menu. Each view must show no error, either a coloured map or a notice saying why
there is none, and a legend whose unit is the table's. The checks of a view are read in
one round trip to the browser (a walk is about 150 views per size); one screenshot per
indicator and level.
"""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Error as PlaywrightError

from tests.web.conftest import Dashboard

#: Waits until the view of this measure, level and year is drawn, then reads what the
#: checks need (the page marks <main aria-busy=false> when a view has finished drawing).
_DRAWN = """([m, l, y]) => {
  const main = document.querySelector('main');
  return main && main.getAttribute('aria-busy') === 'false'
    && document.getElementById('measure')?.value === m
    && document.getElementById('level-' + l)?.checked
    && (document.querySelector('#values-heading')?.textContent ?? '').includes(y);
}"""
_VIEW = """() => ({
  errors: document.querySelectorAll('.error, [role=alert]').length,
  coloured: document.querySelectorAll('svg.map path[data-fill=value]').length,
  notices: [...document.querySelectorAll('.notice')].map((n) => n.textContent),
  legend: document.querySelector('.legend')?.getAttribute('data-unit') ?? null,
  table: document.querySelector('#values table')?.getAttribute('data-unit') ?? null,
  header: document.querySelectorAll('#values th')[2]?.textContent ?? '',
  year: document.getElementById('year')?.value ?? null,
})"""


def _menu(server: str) -> list[tuple[str, str, list[str]]]:
    menu = httpx.get(f"{server}/api/v1/indicators/menu").json()
    return [(m["id"], level, list(years)) for m in menu["measures"]
            for level, years in m["levels"].items()]


def _check(view: dict[str, Any], where: str) -> None:
    assert view["errors"] == 0, where
    assert view["coloured"] > 0 or view["notices"], f"{where}: neither a map nor a notice"
    assert view["legend"], where
    assert view["legend"] == view["table"], where
    assert view["legend"] in view["header"], where


def _show(board: Dashboard, measure: str, level: str, year: str, *, first: bool) -> None:
    """Ask ``board`` for a view (without waiting for it).

    The first view of an entry is its address alone: an indicator opens on its latest
    year at the level (the walk checks it); the later years go through the year menu.
    """
    page = board.page
    if first:
        # a change of address, not a reload: the page's router draws the new view
        page.goto(f"{board.server}/#/map?m={measure}&l={level}")
    else:
        page.locator("#year").select_option(year)


def _seen(board: Dashboard, size: str, measure: str, level: str, year: str) -> None:
    """Wait for the view asked of ``board`` and check it."""
    page = board.page
    where = f"{measure} {level} {year} ({size})"
    try:
        page.wait_for_function(_DRAWN, arg=[measure, level, year])
    except PlaywrightError as error:
        raise AssertionError(f"{where}: {page.inner_text('main')[:300]}") from error
    view = page.evaluate(_VIEW)
    assert view["year"] == year, where
    _check(view, where)


def test_every_menu_entry_leads_somewhere(dashboard: Dashboard, phone: Dashboard) -> None:
    # The desktop and the phone walk side by side: each step is asked of both pages before
    # either is waited for, so that the two renderer processes draw at the same time.
    boards = {"desktop": dashboard, "phone": phone}
    for board in boards.values():
        board.open()
    seen = 0
    for measure, level, years in _menu(dashboard.server):
        for i, year in enumerate(reversed(years)):
            for board in boards.values():
                _show(board, measure, level, year, first=i == 0)
            for size, board in boards.items():
                _seen(board, size, measure, level, year)
            seen += 1
        for size, board in boards.items():
            board.shot(f"walk-{size}-{measure.replace(':', '-')}-{level}", full_page=False)
    assert seen >= 60

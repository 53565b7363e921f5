"""A real server over a real evidence base, and a headless Chromium driven by Playwright.

The server is ``migralink.api.serve`` (the API with the dashboard mounted) in its own
process on loopback, over the bundled sample plus a protected register cube (where
disclosure control suppresses cells) and computed indicators. The browser is Debian's
``chromium``; Playwright's own browser download is never used.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from migralink.api import ApiConfig
from migralink.evidence import Evidence
from migralink.indicators import compute_indicators, store_indicators
from migralink.sample import load_sample
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_DIMENSIONS, REGISTER_META, synthetic_register
from migralink.survey import DesignSpec, Survey
from migralink.survey.store import store_estimates
from tests.servers import running_all
from tests.survey.designs import dataset

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: Screenshots for a reviewer (git-ignored through /artifacts/).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
#: The protected dataset: a synthetic register of every sigungu, small enough that
#: disclosure control suppresses some cells.
REGISTER = "register_foreign_residents"
#: The repository root, where the Makefile installs axe-core (npm) into node_modules.
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def build_evidence(path: Path) -> Path:
    """The bundled sample, a protected register cube and every computed indicator (the
    dashboard's menu offers what the data hold, so the walk covers them all)."""
    with Evidence(path) as ev:
        with ev.gateway.transaction():
            load_sample(ev.gateway)
        ev.gateway.register("persons", synthetic_register(20_000, seed=11))
        aggregate_register(
            ev.gateway, "persons", [d for d in REGISTER_DIMENSIONS if d.id == "sex"],
            replace(REGISTER_META, id=REGISTER), period="2024",
            source="tests/web: synthetic register n=20000 seed=11",
        )
        store_indicators(ev, compute_indicators(ev))
        store_surveys(ev)
    return path


#: Survey estimates the survey view lists: reliable means, and totals withheld for their
#: relative standard error (R's apiclus1, one-stage cluster sample).
SURVEYS = {"survey_api00_mean": "mean", "survey_enroll_total": "total"}


def store_surveys(ev: Evidence) -> None:
    """Store the estimates of :data:`SURVEYS` as the survey capability does."""
    survey = Survey.build(dataset("apiclus1"), DesignSpec(clusters=("dnum",), weights="pw",
                                                          fpc=("fpc",)))
    for name, statistic in SURVEYS.items():
        table = (survey.mean("api00", by="cname") if statistic == "mean"
                 else survey.total("enroll", by="cname"))
        store_estimates(ev.gateway, table, dataset=name, title_ko=f"시험 {statistic}",
                        title_en=f"test {statistic}", period="2000",
                        source_name="apiclus1.csv", source_sha256="0" * 64,
                        design_json=survey.spec.to_json())


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The evidence base the dashboard tests read (built once)."""
    return build_evidence(tmp_path_factory.mktemp("web") / "evidence.duckdb")


@pytest.fixture(scope="session")
def server(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a server (API and dashboard) over :func:`web_db`."""
    log = tmp_path_factory.mktemp("logs") / "server.log"
    config = ApiConfig(db=web_db, token=None, release_after=None)
    with running_all((config, log, None)) as (running,):
        yield running.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium (``apt-get install chromium``)."""
    assert CHROMIUM.is_file(), "install Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Dashboard:
    """A page of the dashboard, with the requests it made that left this server."""

    def __init__(self, page: Page, server: str) -> None:
        self.page = page
        self.server = server
        self.foreign: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _request(self, request: object) -> None:
        url: str = getattr(request, "url", "")
        if not url.startswith((self.server, "data:", "blob:")):
            self.foreign.append(url)

    def open(self, fragment: str = "") -> Page:
        """Load the dashboard at ``#fragment`` and wait until its first view is drawn."""
        self.page.goto(f"{self.server}/{fragment}")
        self.page.wait_for_selector("body[data-ready=true]")
        return self.page

    def wait_drawn(self) -> None:
        """Wait until the view has finished drawing (after a change of settings)."""
        self.page.wait_for_selector("main[aria-busy=false]")

    def axe(self) -> list[dict[str, object]]:
        """axe-core's violations on the page as it is now (axe from the npm registry)."""
        assert AXE.is_file(), "install axe-core: npm install (make does it)"
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result: list[dict[str, object]] = self.page.evaluate(
            "async () => (await axe.run(document)).violations.map("
            "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))")
        return result

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a screenshot for the reviewer."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # CSS pixels: a phone's 2x screenshot costs four times the encoding for nothing
        self.page.screenshot(path=str(path), full_page=full_page, scale="css")
        return path


def _dashboard(browser: Browser, server: str, **context: object) -> Iterator[Dashboard]:
    ctx = browser.new_context(accept_downloads=True, **context)  # type: ignore[arg-type]
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    board = Dashboard(page, server)
    yield board
    ctx.close()
    assert not board.errors, f"JavaScript errors: {board.errors}"
    assert not board.foreign, f"requests outside this server: {board.foreign}"


@pytest.fixture
def dashboard(browser: Browser, server: str) -> Iterator[Dashboard]:
    """A fresh desktop-sized page (1280×900), Korean by default."""
    yield from _dashboard(browser, server, viewport={"width": 1280, "height": 900},
                          locale="ko-KR")


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Dashboard]:
    """A fresh phone-sized page (390×844, touch)."""
    yield from _dashboard(browser, server, viewport={"width": 390, "height": 844},
                          device_scale_factor=2, is_mobile=True, has_touch=True,
                          locale="ko-KR")

"""The dashboard's files: offline, complete in both languages, served at ``/``."""

from __future__ import annotations

import json
import re

import httpx

from migralink.web import STATIC_DIR
from tests.web.conftest import Dashboard

#: The only absolute URL the page's own files may hold: the SVG namespace name, which
#: identifies a vocabulary and is never fetched.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_KEY = re.compile(r"""\bt\(\s*['"]([\w.:\- ]+)['"]""")
_IMPORT = re.compile(r"""from\s+'(\./[\w.]+)'""")


def _sources() -> dict[str, str]:
    return {str(p.relative_to(STATIC_DIR)): p.read_text(encoding="utf-8")
            for p in STATIC_DIR.rglob("*") if p.suffix in {".html", ".js", ".css", ".json"}}


def test_nothing_is_loaded_from_another_origin() -> None:
    for name, text in _sources().items():
        found = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s'\"`)]*", text))
        assert found <= {SVG_NAMESPACE}, f"{name} refers to {found - {SVG_NAMESPACE}}"
        assert "@import" not in text, name
        assert "url(http" not in text, name


def test_every_module_imported_exists() -> None:
    js = STATIC_DIR / "js"
    for path in js.glob("*.js"):
        for target in _IMPORT.findall(path.read_text(encoding="utf-8")):
            assert (js / target).is_file(), f"{path.name} imports missing {target}"


def test_both_languages_have_every_label_the_page_uses() -> None:
    ko = json.loads((STATIC_DIR / "i18n" / "ko.json").read_text(encoding="utf-8"))
    en = json.loads((STATIC_DIR / "i18n" / "en.json").read_text(encoding="utf-8"))
    assert set(ko) == set(en)
    used = {key for text in _sources().values() for key in _KEY.findall(text)}
    used |= set(re.findall(r'data-i18n="([\w.]+)"',
                           (STATIC_DIR / "index.html").read_text(encoding="utf-8")))
    assert used, "no label found: has the t() call changed?"
    assert used <= set(ko), f"labels missing from the strings files: {sorted(used - set(ko))}"
    assert all(ko[k] != en[k] for k in ("map.heading", "nav.map", "table.region"))


def test_the_server_serves_the_page_its_files_and_the_boundaries(server: str) -> None:
    page = httpx.get(f"{server}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    script = httpx.get(f"{server}/js/main.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    geo = httpx.get(f"{server}/api/v1/boundaries/sigungu", params={"year": 2019})
    assert geo.status_code == 200
    assert geo.json()["vintage"] == 2018
    # the API keeps its own answers for unknown addresses under /api
    missing = httpx.get(f"{server}/api/v1/nothing-here")
    assert missing.status_code == 404
    assert "error" in missing.json()


def test_the_menu_offers_only_what_the_data_hold(server: str) -> None:
    menu = httpx.get(f"{server}/api/v1/indicators/menu").json()
    by_id = {m["id"]: m for m in menu["measures"]}
    count = by_id["ds:mois_foreign_residents_sigungu"]
    assert set(count["levels"]) == {"sido", "sigungu", "gu"}
    assert list(count["levels"]["sigungu"]) == ["2015", "2016", "2017", "2018", "2019"]
    assert count["levels"]["sigungu"]["2019"] >= 225  # local governments, 안산시 as one
    # population for 2020-2024 is offered, from the two population tables
    years = {y for m in by_id.values() if m["id"].startswith("ds:population")
             for y in m["levels"].get("sigungu", {})}
    assert {"2020", "2021", "2022", "2023", "2024"} <= years
    # a Seoul-only indicator is offered where it exists, and no level it lacks
    seoul = by_id["ind:registered_foreigner_share_seoul"]
    assert "gu" not in seoul["levels"]
    assert seoul["levels"]["sigungu"] == {"2017-Q1": 25}
    assert by_id["ind:foreign_residents_yoy"]["scale"] == "diverging:0"
    assert by_id["ind:location_quotient_group"]["scale"] == "diverging:1"
    assert "2015" not in by_id["ind:foreign_residents_yoy"]["levels"]["sigungu"]
    # the overall sex ratio comes first, before any group
    assert by_id["ind:sex_ratio_foreign_residents"]["groups"][0]["code"] == ""
    assert menu["datasets"]["mois_foreign_residents_sigungu"]["period_day"] == "11-01"


def test_region_names_come_from_the_api_compressed(server: str) -> None:
    answer = httpx.get(f"{server}/api/v1/regions", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    assert int(answer.headers.get("content-length", len(answer.content))) < 20_000
    rows = {r["code"]: r for r in answer.json()["rows"]}
    assert (rows["41270"]["level"], rows["41273"]["level"]) == ("sigungu", "gu")
    assert rows["41273"]["parent"] == "41270"
    assert rows["41273"]["local"] == "41270"
    geo = httpx.get(f"{server}/api/v1/boundaries/sigungu", params={"year": 2019},
                    headers={"Accept-Encoding": "gzip"})
    assert geo.headers["content-encoding"] == "gzip"
    with httpx.stream("GET", f"{server}/api/v1/boundaries/sigungu?year=2019",
                      headers={"Accept-Encoding": "gzip"}) as raw:
        size = sum(len(chunk) for chunk in raw.iter_raw())
    assert size < 150_000  # 447 KB uncompressed


def test_the_api_docs_are_served_offline(server: str, dashboard: Dashboard) -> None:
    for path in ("/api/v1/docs", "/docs"):
        page = dashboard.page
        page.goto(f"{server}{path}")
        page.wait_for_selector(".swagger-ui .info .title")
        assert "migralink API" in (page.locator(".swagger-ui .info .title").text_content() or "")
        dashboard.shot(f"docs{path.replace('/', '-')}", full_page=False)
    assert dashboard.foreign == []

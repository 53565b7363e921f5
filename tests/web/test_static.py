"""The dashboard's files: offline, complete in both languages, served at ``/``."""

from __future__ import annotations

import json
import re

import httpx

from migralink.web import STATIC_DIR

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

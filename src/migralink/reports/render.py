"""Profiles to PDF (Typst, no browser) and HTML (Jinja2), with the bundled font only.

Typst gets the document as JSON and each chart as SVG through ``sys.inputs``, and only
the bundled font folder: no system font, no font embedded in Typst. Any Typst warning
(an unknown font, a missing glyph Typst notices) is an error, and every text is checked
against the font's character map before rendering.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from importlib import resources
from typing import Any, Literal

from migralink.errors import ConfigError
from migralink.reports.charts import to_svg
from migralink.reports.fonts import check_glyphs, font_dir
from migralink.reports.profile import Profile
from migralink.reports.webfont import embedded_font_css

__all__ = ["FORMATS", "render", "render_html", "render_pdf"]

Format = Literal["pdf", "html"]
#: The formats of a profile.
FORMATS: tuple[Format, ...] = ("pdf", "html")
_LOCK = threading.Lock()


def _template(name: str) -> str:
    return (resources.files("migralink.reports") / "templates" / name).read_text(
        encoding="utf-8")


@cache
def _compiler() -> Any:
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(font_dir())])
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True)


@cache
def _source() -> bytes:
    return _template("profile.typ").encode("utf-8")


def _svgs(profile: Profile) -> dict[str, str]:
    return {key: to_svg(spec) for key, spec in profile.charts.items()}


def render_pdf(profile: Profile, svgs: dict[str, str] | None = None) -> bytes:
    """The profile as a PDF.

    Raises:
        ConfigError: a character the font lacks, or any Typst warning or error.
    """
    import typst

    check_glyphs(profile.texts(), f"profile of {profile.region} ({profile.lang})")
    inputs = {"doc": json.dumps(profile.as_dict(), ensure_ascii=False),
              **(svgs if svgs is not None else _svgs(profile))}
    try:
        with _LOCK:  # one Typst compiler (and its font cache) per process
            pdf, warnings = _compiler().compile_with_warnings(
                _source(), format="pdf", sys_inputs=inputs, timestamp=0)
    except typst.TypstError as exc:
        raise ConfigError(title=f"Typst could not lay out the profile of {profile.region}: "
                          f"{exc.message}", hint="this is a bug in the report template; "
                          "please report it") from None
    if warnings:
        first = warnings[0]
        raise ConfigError(
            title=f"Typst warned while laying out the profile of {profile.region}: "
            f"{first.message}", hint="font and layout warnings are errors in reports",
            details=[w.message for w in warnings])
    if not isinstance(pdf, bytes):
        raise ConfigError(title="Typst returned no PDF", hint="please report it")
    return pdf


def render_html(profile: Profile, svgs: dict[str, str] | None = None) -> bytes:
    """The profile as one self-contained HTML page (charts inline as SVG, font embedded)."""
    import jinja2

    check_glyphs(profile.texts(), f"profile of {profile.region} ({profile.lang})")
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(_template("profile.html.j2"))
    doc, charts = profile.as_dict(), svgs if svgs is not None else _svgs(profile)
    # the characters of the page as drawn (text and chart labels), then the font for them
    shown = template.render(doc=doc, svgs=charts, font_css="")
    return template.render(doc=doc, svgs=charts,
                           font_css=embedded_font_css(shown)).encode("utf-8")


def render(profile: Profile, format: str) -> bytes:
    """The profile as ``pdf`` or ``html``.

    Raises:
        ConfigError: an unknown format.
    """
    if format == "pdf":
        return render_pdf(profile)
    if format == "html":
        return render_html(profile)
    raise ConfigError(title=f"unknown profile format {format!r}", hint="use pdf or html")

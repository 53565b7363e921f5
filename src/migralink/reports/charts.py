"""Vega-Lite charts of a profile, drawn to SVG by vl-convert with the bundled font only."""

from __future__ import annotations

import json
import threading
from functools import cache, lru_cache
from typing import Any

from migralink.errors import ConfigError
from migralink.reports.fonts import FONT_FAMILY, font_dir

__all__ = ["bar_chart", "dot_plot", "line_chart", "to_svg"]

_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
_HIGHLIGHT = "#c0392b"
_BASE = "#5b7fa6"
_LOCK = threading.Lock()


def _config() -> dict[str, Any]:
    return {
        "font": FONT_FAMILY,
        "view": {"stroke": None},
        "axis": {"labelFont": FONT_FAMILY, "titleFont": FONT_FAMILY, "labelFontSize": 10,
                 "titleFontSize": 10, "grid": True, "gridColor": "#e5e5e5"},
        "legend": {"labelFont": FONT_FAMILY, "titleFont": FONT_FAMILY, "labelFontSize": 10,
                   "titleFontSize": 10, "orient": "bottom"},
        "title": {"font": FONT_FAMILY},
        "text": {"font": FONT_FAMILY},
    }


def dot_plot(rows: list[dict[str, Any]], x_title: str) -> dict[str, Any]:
    """Every peer as a dot on one axis, this area larger and red (``focus`` true)."""
    return {
        "$schema": _SCHEMA, "width": 440, "height": 60, "data": {"values": rows},
        "layer": [
            {"mark": {"type": "circle", "opacity": 0.55, "size": 36},
             "transform": [{"filter": "!datum.focus"}],
             "encoding": {"x": {"field": "value", "type": "quantitative", "title": x_title},
                          "color": {"value": _BASE}}},
            {"mark": {"type": "circle", "size": 140},
             "transform": [{"filter": "datum.focus"}],
             "encoding": {"x": {"field": "value", "type": "quantitative"},
                          "color": {"value": _HIGHLIGHT}}},
            {"mark": {"type": "text", "dy": -14, "fontSize": 11, "fontWeight": "bold"},
             "transform": [{"filter": "datum.focus"}],
             "encoding": {"x": {"field": "value", "type": "quantitative"},
                          "text": {"field": "label"}, "color": {"value": _HIGHLIGHT}}},
        ],
    }


def line_chart(rows: list[dict[str, Any]], y_title: str) -> dict[str, Any]:
    """One line per series (``series``) over ``year``."""
    order = list(dict.fromkeys(str(r["series"]) for r in rows))
    return {
        "$schema": _SCHEMA, "width": 440, "height": 170, "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None,
                  "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": {"field": "series", "type": "nominal", "title": None,
                      "scale": {"domain": order,
                                "range": [_HIGHLIGHT, _BASE, "#7f8c8d"][: len(order)]}},
        },
    }


def bar_chart(rows: list[dict[str, Any]], x_title: str) -> dict[str, Any]:
    """Horizontal bars of ``value`` by ``label``, in the order given."""
    return {
        "$schema": _SCHEMA, "width": 330, "height": {"step": 16}, "data": {"values": rows},
        "mark": {"type": "bar", "color": _BASE},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "value", "type": "quantitative", "title": x_title},
        },
    }


@cache
def _registered() -> bool:
    import vl_convert

    vl_convert.register_font_directory(str(font_dir()))
    return True


def to_svg(spec: dict[str, Any]) -> str:
    """The chart as SVG text, drawn with the bundled font.

    The same chart is drawn once: the profiles of a province's local governments share
    the province's composition by residence status.

    Raises:
        ConfigError: the chart names a font other than the bundled one.
    """
    return _draw(json.dumps(spec, sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=256)
def _draw(spec: str) -> str:
    import vl_convert

    with _LOCK:  # vl-convert's engine is shared by the process
        _registered()
        svg = str(vl_convert.vegalite_to_svg(json.loads(spec), config=_config()))
    families = {part.split('"')[0] for part in svg.split('font-family="')[1:]}
    foreign = {f for f in families if f.strip("'\" ") != FONT_FAMILY}
    if foreign:
        raise ConfigError(title=f"a chart asks for font(s) {sorted(foreign)} that are not bundled",
                          hint=f"charts must use {FONT_FAMILY} (reports/fonts)")
    return svg

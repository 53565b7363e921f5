"""The bundled font inside an HTML profile, cut down to the characters it shows.

An HTML profile is one file that people save and mail; a reader's machine may have no
Korean font, or one that draws the figures differently. Embedding the whole NanumGothic
(4.6 MB per weight) would make every page heavier than its PDF, so each weight is
subset to the page's own characters and embedded as WOFF2 (a few tens of KB).
"""

from __future__ import annotations

import base64
import io

from migralink.reports.fonts import FONT_FAMILY, font_dir

__all__ = ["embedded_font_css"]

_WEIGHTS = (("NanumGothic.ttf", 400), ("NanumGothicBold.ttf", 700))


def _subset_woff2(file: str, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # kerning and Hangul shaping stay as designed
    options.name_IDs = ["*"]  # the OFL asks that the font's names and licence stay
    # VTT's hinting sources (TSI*) cannot be subset and are no use on a page: dropped
    # quietly (they printed "TSI0 NOT subset; don't know how to subset" on every report)
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
    font = TTFont(str(font_dir() / file))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def embedded_font_css(text: str) -> str:
    """``@font-face`` rules for both weights, subset to the characters of ``text``."""
    rules = []
    for file, weight in _WEIGHTS:
        data = base64.b64encode(_subset_woff2(file, text)).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
                     f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    return "\n".join(rules)

"""The bundled font (NanumGothic, SIL OFL 1.1) and a check that it has every glyph.

Reports never look at system fonts: Typst and vl-convert get only this folder. A
character the font lacks would print as an empty box (tofu), so every text is checked
against the font's character map first, and a missing glyph is an error.
"""

from __future__ import annotations

import struct
from functools import cache
from importlib import resources
from pathlib import Path

from migralink.errors import ConfigError

__all__ = ["FONT_FAMILY", "check_glyphs", "covered", "font_dir"]

FONT_FAMILY = "NanumGothic"
_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")
# Characters that only steer layout and draw nothing.
_INVISIBLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u2060", "\ufeff"}


def font_dir() -> Path:
    """The folder of the bundled fonts (and their licence)."""
    return Path(str(resources.files("migralink.reports") / "fonts"))


def _cmap(data: bytes) -> set[int]:
    """The code points of a TrueType font's Unicode cmap (formats 4 and 12)."""
    tables = {data[12 + 16 * i: 16 + 16 * i]: struct.unpack(">II", data[20 + 16 * i:
                                                                        28 + 16 * i])
              for i in range(struct.unpack(">H", data[4:6])[0])}
    offset = tables[b"cmap"][0]
    count = struct.unpack(">H", data[offset + 2: offset + 4])[0]
    points: set[int] = set()
    for i in range(count):
        platform, encoding, sub = struct.unpack(">HHI", data[offset + 4 + 8 * i:
                                                             offset + 12 + 8 * i])
        if (platform, encoding) not in {(3, 1), (3, 10), (0, 3), (0, 4)}:
            continue
        start = offset + sub
        kind = struct.unpack(">H", data[start: start + 2])[0]
        if kind == 4:
            segs = struct.unpack(">H", data[start + 6: start + 8])[0] // 2
            ends = struct.unpack(f">{segs}H", data[start + 14: start + 14 + 2 * segs])
            first = start + 16 + 2 * segs
            starts = struct.unpack(f">{segs}H", data[first: first + 2 * segs])
            deltas = struct.unpack(f">{segs}h", data[first + 2 * segs: first + 4 * segs])
            ranges_at = first + 4 * segs
            ranges = struct.unpack(f">{segs}H", data[ranges_at: ranges_at + 2 * segs])
            for k in range(segs):
                for code in range(starts[k], ends[k] + 1):
                    if code == 0xFFFF:
                        continue
                    if ranges[k] == 0:
                        glyph = (code + deltas[k]) & 0xFFFF
                    else:
                        at = ranges_at + 2 * k + ranges[k] + 2 * (code - starts[k])
                        glyph = struct.unpack(">H", data[at: at + 2])[0]
                        glyph = (glyph + deltas[k]) & 0xFFFF if glyph else 0
                    if glyph:
                        points.add(code)
        elif kind == 12:
            groups = struct.unpack(">I", data[start + 12: start + 16])[0]
            for g in range(groups):
                lo, hi, _ = struct.unpack(">III", data[start + 16 + 12 * g: start + 28 + 12 * g])
                points.update(range(lo, hi + 1))
    return points


@cache
def covered() -> frozenset[int]:
    """Code points every bundled face can draw."""
    sets = [_cmap((font_dir() / name).read_bytes()) for name in _FILES]
    return frozenset(set.intersection(*sets))


def check_glyphs(texts: list[str], where: str) -> None:
    """Refuse text with a character the bundled font cannot draw.

    Raises:
        ConfigError: naming the characters and where they are.
    """
    have = covered()
    missing = sorted({c for text in texts for c in text
                      if c not in _INVISIBLE and ord(c) not in have})
    if missing:
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:10])
        raise ConfigError(
            title=f"{where}: the bundled font {FONT_FAMILY} has no glyph for {shown}",
            hint="replace the character in the text, or bundle a font that has it",
        )

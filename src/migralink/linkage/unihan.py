"""Sino-Korean and pinyin readings of Han characters, from the Unicode Unihan database.

The product ships a derived table (``data/unihan_readings.json``): for every character that
has both a Sino-Korean reading (``kHangul``) and a Mandarin reading (``kMandarin``), its
first pinyin without tone marks, its Hangul readings, its Hán-Việt readings (``kVietnamese``,
without tone marks) and its ``kHanyuPinlu`` frequency. It was modified from
``Unihan_Readings.txt`` (Unicode 15.0.0), © Unicode, Inc., distributed under the Unicode
License Agreement — Data Files and Software (see ``data/UNICODE-LICENSE.md``).
:func:`build_table` regenerates it from the published file.
"""

from __future__ import annotations

import bz2
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["Reading", "build_table", "parse_unihan", "readings", "toneless"]


@dataclass(frozen=True)
class Reading:
    """The readings of one Han character.

    Attributes:
        pinyin: the first Mandarin reading, without tone marks (``ü`` kept).
        hangul: Sino-Korean readings in Hangul, most usual first.
        vietnamese: Hán-Việt readings, lower case, tone marks removed.
        frequency: ``kHanyuPinlu`` count (0 when absent): how common the character is.
    """

    pinyin: str
    hangul: tuple[str, ...]
    vietnamese: tuple[str, ...]
    frequency: int


def toneless(syllable: str) -> str:
    """Drop tone marks from a pinyin or Vietnamese syllable (``lǚ`` → ``lü``)."""
    out = []
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if unicodedata.combining(ch) and ch != "\u0308":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


_PINLU = re.compile(r"\((\d+)\)")


def parse_unihan(path: Path) -> dict[str, dict[str, str]]:
    """Read the fields of ``Unihan_Readings.txt(.bz2)`` as ``{char: {field: value}}``."""
    opener = bz2.open if path.suffix == ".bz2" else open
    fields: dict[str, dict[str, str]] = {}
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t", 2)
            fields.setdefault(chr(int(code[2:], 16)), {})[field] = value
    return fields


def _reading(values: dict[str, str]) -> Reading:
    hangul = tuple(v.split(":")[0] for v in values["kHangul"].split())
    pinlu = sum(int(n) for n in _PINLU.findall(values.get("kHanyuPinlu", "")))
    viet = tuple(toneless(v) for v in values.get("kVietnamese", "").split())
    return Reading(toneless(values["kMandarin"].split()[0]), hangul, viet, pinlu)


def build_table(unihan: Path, out: Path) -> int:
    """Write the shipped JSON table from the published Unihan file; returns its size."""
    table = {
        ch: [r.pinyin, list(r.hangul), list(r.vietnamese), r.frequency]
        for ch, values in parse_unihan(unihan).items()
        if "kHangul" in values and "kMandarin" in values
        for r in [_reading(values)]
    }
    out.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return len(table)


@cache
def readings() -> dict[str, Reading]:
    """The shipped table as ``{character: Reading}``."""
    text = resources.files("migralink.linkage").joinpath("data/unihan_readings.json")
    raw = json.loads(text.read_text("utf-8"))
    return {ch: Reading(p, tuple(h), tuple(v), f) for ch, (p, h, v, f) in raw.items()}

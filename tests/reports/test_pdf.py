"""The PDFs of 경기도, 안산시 and 영암군 in Korean and English, read back with poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.reports.conftest import LANGS, REGIONS, RenderedPdf, pdftotext

CASES = [(name, lang) for name in REGIONS for lang in LANGS]
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_text_has_the_hangul_name_and_figures(
    rendered: dict[tuple[str, str], RenderedPdf], name: str, lang: str
) -> None:
    text = pdftotext(rendered[(name, lang)].pdf, layout=False)
    assert name in text  # the Hangul name, in the English profile too
    assert ("주요 수치" in text) == (lang == "ko")  # the headings are in the profile's language
    assert ("Key figures" in text) == (lang == "en")
    if name == "안산시":
        assert "92,787" in text  # MOIS 외국인주민 현황 2019: 안산시 (README-stats)
        assert "12.98%" in text


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_no_word_is_broken_across_lines(
    rendered: dict[tuple[str, str], RenderedPdf], name: str, lang: str
) -> None:
    done = rendered[(name, lang)]
    words = {w for s in _strings(done.profile.as_dict()) + _strings(done.profile.charts)
             for w in s.split()}
    lines = pdftotext(done.pdf, layout=True).splitlines()
    broken = broken_words(lines, words)
    assert not broken, broken[:5]
    # English words are never hyphenated at a line end either
    assert not [line for line in lines if re.search(r"[a-z]-$", line.rstrip())]
    if lang == "ko":
        assert sum(1 for line in lines if _HANGUL.search(line)) > 50


def broken_words(lines: list[str], words: set[str]) -> list[tuple[str, str]]:
    """Tokens with Hangul on the laid-out lines that are not whole words of the text."""
    return [(line, token) for line in lines for token in line.split()
            if _HANGUL.search(token) and token not in words]


_SENTENCE = ("외국인주민 비율은 행정안전부가 같은 표에 게재한 총인구로 나눈 값이며 "
             "조사기준일은 매년 11월 1일입니다 ") * 3


@pytest.mark.parametrize("boxed", [False, True])
def test_the_check_catches_a_word_broken_inside(boxed: bool, tmp_path: Path) -> None:
    """Control: Typst breaks Korean between syllables unless each eojeol is a box."""
    import typst

    from migralink.reports.fonts import font_dir

    body = " ".join(f"#box[{w}]" for w in _SENTENCE.split()) if boxed else _SENTENCE
    source = (f'#set page(width: 7cm, height: auto, margin: 5mm)\n'
              f'#set text(font: "NanumGothic", lang: "ko")\n{body}\n')
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(font_dir())])
    pdf = tmp_path / "control.pdf"
    made = typst.Compiler(font_paths=fonts, ignore_system_fonts=True).compile(
        source.encode("utf-8"), format="pdf")
    assert isinstance(made, bytes)
    pdf.write_bytes(made)
    lines = pdftotext(pdf, layout=True).splitlines()
    broken = broken_words(lines, set(_SENTENCE.split()))
    assert bool(broken) is not boxed, lines


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_no_missing_glyphs(
    rendered: dict[tuple[str, str], RenderedPdf], name: str, lang: str
) -> None:
    pdf = rendered[(name, lang)].pdf
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "NanumGothic" in line.split()[0], line  # the bundled font only
        assert " yes yes yes " in line, line  # embedded, subset, with a Unicode map
        assert "Type 3" not in line
    text = pdftotext(pdf, layout=False)
    assert "\ufffd" not in text  # nothing poppler could not map back to a character


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_every_chart_is_followed_by_its_table(
    rendered: dict[tuple[str, str], RenderedPdf], name: str, lang: str
) -> None:
    done = rendered[(name, lang)]
    text = " ".join(pdftotext(done.pdf, layout=False).split())
    count = len(done.profile.charts)
    assert count >= 3
    figure, table = ("그림 {n}.", "표 {n}. 그림 {n}의 자료") if lang == "ko" else (
        "Figure {n}.", "Table {n}. Data of figure {n}")
    at = 0
    for n in range(1, count + 1):
        shown = text.find(figure.format(n=n), at)
        follows = text.find(table.format(n=n), shown)
        assert 0 <= shown < follows, n
        after = text.find(figure.format(n=n + 1), shown + 1)
        assert after == -1 or follows < after, n
        at = follows
    # each table holds the chart's data: the values the SVG draws are in the text
    first = done.profile.sections
    tables = [b["table"] for s in first for b in s["blocks"] if b["type"] == "figure"]
    assert all(row[-1] in text for t in tables for row in t["rows"])


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_pages_are_saved_as_png(
    rendered: dict[tuple[str, str], RenderedPdf], name: str, lang: str
) -> None:
    done = rendered[(name, lang)]
    info = subprocess.run(["pdfinfo", str(done.pdf)], check=True, capture_output=True,
                          text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert len(done.pages) == pages >= 2
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in done.pages)
    assert done.pdf.stat().st_size <= 300 * 1024

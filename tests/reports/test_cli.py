"""``migralink report``: one region, every province, and one-line errors."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from migralink.errors import ConfigError
from migralink.reports import ProfileData, build_profile
from migralink.reports.fonts import check_glyphs
from migralink.reports.render import render_pdf
from tests.conftest import run_cli


def test_one_region_as_html(report_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ansan.html"
    result = run_cli("report", "안산시", "--db", str(report_db), "--format", "html",
                     "--lang", "en", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "NOT subset" not in result.stderr  # fontTools on the VTT tables, ten lines a page
    page = out.read_text(encoding="utf-8")
    assert "92,787" in page
    assert page.count("<svg") == page.count("<figure>") >= 3
    # every figure is followed by its table
    assert page.count("Data of figure") == page.count("<figure>")
    # the font travels with the page, cut down to the characters the page draws
    fonts = re.findall(r"data:font/woff2;base64,([A-Za-z0-9+/=]+)", page)
    assert len(fonts) == 2
    assert out.stat().st_size < 300_000
    drawn = {ord(c) for c in re.sub(r"<style>.*?</style>|<[^>]+>", "", page, flags=re.S)
             if not c.isspace()}
    for data in fonts:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font["name"].getDebugName(1) == "NanumGothic" or "Nanum" in str(
            font["name"].getDebugName(1))
        missing = drawn - set(font.getBestCmap())
        assert not missing, "".join(map(chr, sorted(missing)))


def test_every_province(report_db: Path, tmp_path: Path) -> None:
    result = run_cli("report", "--all", "--level", "sido", "--period", "2016", "--format",
                     "html", "--db", str(report_db), "-o", str(tmp_path / "sido"))
    assert result.exit_code == 0, result.stderr
    files = sorted((tmp_path / "sido").glob("profile-*-2016-ko.html"))
    # 17 provinces; 세종 (36) has figures from its 2012 creation, so 2016 has all 17
    assert len(files) == 17
    assert all("<svg" in f.read_text(encoding="utf-8") for f in files)


def test_every_province_of_a_year_typed_as_people_type_it(report_db: Path,
                                                         tmp_path: Path) -> None:
    # --all counted the regions with the raw "2016년": 0 written, "left out 17"
    result = run_cli("report", "--all", "--level", "sido", "--period", "2016년", "--format",
                     "html", "--db", str(report_db), "-o", str(tmp_path / "sido"))
    assert result.exit_code == 0, result.stderr
    assert len(list((tmp_path / "sido").glob("profile-*-2016-ko.html"))) == 17
    assert "left out" not in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("아틀란티스",), "아틀란티스"),
    (("안산시", "--period", "2030"), "periods with figures: 2015, 2016, 2017, 2018, 2019"),
    (("안산시", "--lang", "fr"), "unknown language 'fr'"),
    (("안산시", "--all"), "give either a REGION or --all"),
    (("--all", "--level", "gu", "-o", "x"), "no profiles by 'gu'"),
    # the file name must say the format: HTML went into x.pdf, a PDF into x.html
    (("안산시", "--format", "html", "-o", "x.pdf"), "--format html does not match"),
    (("안산시", "-o", "x.HTML"), "--format pdf does not match the file name x.HTML"),
])
def test_errors_are_one_line(report_db: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli("report", *args, "--db", str(report_db))
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_glyph_is_an_error(profile_data: ProfileData) -> None:
    with pytest.raises(ConfigError, match="U\\+2603"):
        check_glyphs(["안산시 ☃"], "test")
    profile = build_profile(profile_data, "41270", None, "ko")
    profile.sections[0]["blocks"][0]["text"] += " ☃"
    with pytest.raises(ConfigError, match="no glyph"):
        render_pdf(profile, {})


def test_a_recoded_unit_gets_the_profile_of_its_former_code(profile_data: ProfileData) -> None:
    # 강원특별자치도 (51, 2023) is 강원도 (42) recoded without a boundary change; the
    # shipped MOIS tables end in 2019, so its figures are 42's, titled as published then
    recoded = build_profile(profile_data, "51", None, "ko")
    former = build_profile(profile_data, "42", None, "ko")
    assert (recoded.region, recoded.period) == (former.region, former.period) == ("42", "2019")
    assert recoded.title == former.title == "강원도"
    assert recoded.as_dict() == former.as_dict()

"""An evidence base from the bundled sample with every indicator, and the profiles of
경기도, 안산시 and 영암군 in Korean and English rendered once for all the tests."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from migralink.evidence import Evidence
from migralink.indicators import compute_indicators, store_indicators
from migralink.reports import Profile, ProfileData, build_profile, load_profile_data
from migralink.reports.charts import to_svg
from migralink.reports.profile import resolve_profile_region
from migralink.reports.render import render_pdf
from migralink.sample import load_sample

#: The profiles the issue asks to see, by name as a user types it.
REGIONS = ("경기도", "안산시", "영암군")
LANGS = ("ko", "en")
#: Screenshots of the pages, for a person to review (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered profile: the document, the PDF file and its pages as PNG files."""

    profile: Profile
    pdf: Path
    pages: tuple[Path, ...]
    svgs: dict[str, str]


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (built from the published files) and every indicator."""
    path = tmp_path_factory.mktemp("reports") / "ev.duckdb"
    with Evidence(path) as ev:
        with ev.gateway.transaction():
            load_sample(ev.gateway)
        store_indicators(ev, compute_indicators(ev))
    return path


@pytest.fixture(scope="session")
def profile_data(report_db: Path) -> ProfileData:
    with Evidence(report_db, read_only=True) as ev:
        return load_profile_data(ev.gateway)


def _pages(pdf: Path, stem: str) -> tuple[Path, ...]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(ARTIFACTS / stem)],
                   check=True, capture_output=True)
    return tuple(sorted(ARTIFACTS.glob(f"{stem}-*.png")))


@pytest.fixture(scope="session")
def rendered(profile_data: ProfileData, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[tuple[str, str], RenderedPdf]:
    """The six PDFs, with their pages turned into PNG files by pdftoppm."""
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name in REGIONS:
        code = resolve_profile_region(profile_data, name)
        for lang in LANGS:
            profile = build_profile(profile_data, code, None, "ko" if lang == "ko" else "en")
            svgs = {key: to_svg(spec) for key, spec in profile.charts.items()}
            pdf = folder / f"profile-{code}-{lang}.pdf"
            pdf.write_bytes(render_pdf(profile, svgs))
            out[(name, lang)] = RenderedPdf(profile, pdf, _pages(pdf, f"profile-{code}-{lang}"),
                                            svgs)
    return out


def pdftotext(pdf: Path, *, layout: bool) -> str:
    """The text poppler extracts (``-layout`` keeps the lines as laid out)."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout

"""One profile to bytes, or every profile of a level to a folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from migralink.errors import ConfigError
from migralink.exports.files import atomic_write
from migralink.reports.data import ProfileData
from migralink.reports.i18n import LANGS, Lang
from migralink.reports.profile import build_profile, resolve_profile_region
from migralink.reports.render import FORMATS, render

__all__ = ["Rendered", "check_options", "profile_regions", "render_profile", "write_profiles"]

_MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Rendered:
    """A rendered profile: its bytes, a file name and a media type."""

    region: str
    period: str
    lang: Lang
    format: str
    content: bytes

    @property
    def filename(self) -> str:
        """``profile-41270-2019-ko.pdf``."""
        return f"profile-{self.region}-{self.period}-{self.lang}.{self.format}"

    @property
    def media_type(self) -> str:
        """The HTTP content type."""
        return _MEDIA[self.format]


def check_options(lang: str, format: str) -> Lang:
    """The language, checked with the format.

    Raises:
        ConfigError: an unknown language or format.
    """
    if lang not in LANGS:
        raise ConfigError(title=f"unknown language {lang!r}", hint="use ko or en")
    if format not in FORMATS:
        raise ConfigError(title=f"unknown profile format {format!r}", hint="use pdf or html")
    return "ko" if lang == "ko" else "en"


def render_profile(data: ProfileData, region: str, *, period: str | None = None,
                   lang: str = "ko", format: str = "pdf") -> Rendered:
    """The profile of ``region`` (code or name) as PDF or HTML bytes.

    Raises:
        ConfigError: an unknown language or format. CodeError / QueryError: an unknown
            region, or no figures for it or the period.
    """
    chosen = check_options(lang, format)
    code = resolve_profile_region(data, region)
    profile = build_profile(data, code, period, chosen)
    return Rendered(code, profile.period, chosen, format, render(profile, format))


def profile_regions(data: ProfileData, level: str) -> list[str]:
    """Every region of ``level`` (``sido`` or ``sigungu``) with figures, by code.

    Raises:
        ConfigError: another level.
    """
    if level not in ("sido", "sigungu"):
        raise ConfigError(title=f"no profiles by {level!r}", hint="use --level sido or sigungu")
    return sorted(r for r, lv in data.levels.items() if lv == level and data.periods.get(r))


def write_profiles(
    data: ProfileData, level: str, out: Path, *, period: str | None = None,
    langs: Sequence[str] = ("ko",), format: str = "pdf",
    step: Callable[[str], None] | None = None,
) -> list[Path]:
    """Every profile of a level into the folder ``out``; ``step`` is told of each.

    With ``period``, only the regions with figures for it are written (a region created
    later, or merged away, has none); the others are left out, never given another year.
    """
    written = []
    for region in profile_regions(data, level):
        if period is not None and period not in data.periods.get(region, []):
            continue
        for lang in langs:
            done = render_profile(data, region, period=period, lang=lang, format=format)
            written.append(atomic_write(out / done.filename, done.content))
            if step is not None:
                step(f"{data.name(region, lang)} ({lang})")
    return written

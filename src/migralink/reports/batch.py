"""One profile to bytes, or every profile of a level to a folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from migralink.errors import ConfigError, QueryError
from migralink.exports.files import atomic_write
from migralink.reports.data import ProfileData
from migralink.reports.i18n import LANGS, Lang
from migralink.reports.profile import build_profile, resolve_profile_region
from migralink.reports.render import FORMATS, render

__all__ = ["Rendered", "check_options", "profile_period", "profile_regions", "render_profile",
           "write_profiles"]

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


def profile_period(period: str | None) -> str | None:
    """A reference year as people type it (``2019``, ``2019년``, `` 2019 ``) as stored.

    Without this, ``2019년`` was refused with a list of years that holds 2019.

    Raises:
        QueryError: a text that is no period, or more than one year (a profile is of one).
    """
    if period is None:
        return None
    from migralink.store.query_lang import parse_periods

    found = parse_periods(period)
    if len(found) != 1:
        raise QueryError(title=f"a profile is of one reference year, not {period!r}",
                         hint="give one year, e.g. --period 2019")
    return found[0]


def render_profile(data: ProfileData, region: str, *, period: str | None = None,
                   lang: str = "ko", format: str = "pdf") -> Rendered:
    """The profile of ``region`` (code or name) as PDF or HTML bytes.

    Raises:
        ConfigError: an unknown language or format. CodeError / QueryError: an unknown
            region, or no figures for it or the period.
    """
    chosen = check_options(lang, format)
    code = resolve_profile_region(data, region)
    profile = build_profile(data, code, profile_period(period), chosen)
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

    Raises:
        ConfigError: ``out`` is a file. QueryError: ``period`` is not one year.
    """
    if out.exists() and not out.is_dir():  # not a traceback from mkdir after the reading
        raise ConfigError(title=f"{out} is a file: every profile is written into a folder",
                          hint="give a new or existing folder with -o")
    # the caller counts the regions with figures for ``period`` as given (the CLI's
    # progress bar and its "left out" line): "2019년" is refused here, by its stored
    # form, rather than read as 2019 while the caller counts none for it
    stored = profile_period(period)
    if stored != period:
        raise QueryError(title=f"give the year of --all as it is stored: {stored}",
                         hint=f"e.g. --period {stored}")
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

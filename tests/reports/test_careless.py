"""Profiles as a careless user asks for them: years as people type them, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from migralink.errors import ConfigError, QueryError
from migralink.reports import ProfileData
from migralink.reports.batch import profile_period, render_profile, write_profiles


@pytest.mark.parametrize("typed", ["2019년", " 2019 ", "2019"])
def test_a_year_as_people_type_it(profile_data: ProfileData, typed: str) -> None:
    # "2019년" was refused with "periods with figures: 2015, …, 2019": a list holding it
    done = render_profile(profile_data, "안산시", period=typed, lang="en", format="html")
    assert done.period == "2019"
    assert done.filename == "profile-41270-2019-en.html"
    assert "92,787" in done.content.decode("utf-8")  # MOIS 2019, 상록구 + 단원구


@pytest.mark.parametrize(("typed", "message"), [
    ("2017..2019", "one reference year"), ("abc", "is not a period"),
])
def test_a_period_that_is_not_one_year_is_refused(typed: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        profile_period(typed)


def test_every_profile_into_a_file_is_a_clear_error(profile_data: ProfileData,
                                                    tmp_path: Path) -> None:
    existing = tmp_path / "profiles"
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(ConfigError, match="is a file"):
        write_profiles(profile_data, "sido", existing, format="html")
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_every_profile_of_a_year_typed_otherwise_is_refused(profile_data: ProfileData,
                                                            tmp_path: Path) -> None:
    # a caller counting the regions with figures for "2019년" finds none; writing all
    # 17 provinces under it would contradict its "left out 17" line
    with pytest.raises(QueryError, match="as it is stored: 2019"):
        write_profiles(profile_data, "sido", tmp_path / "all", period="2019년")
    assert not (tmp_path / "all").exists()

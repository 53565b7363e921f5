"""Exports as a careless user runs them: output that must be valid, errors that are clear."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from migralink.errors import ConfigError
from migralink.evidence import Evidence
from migralink.exports import export_as
from tests.exports.conftest import PUBLIC, REGISTER


def test_sdmx_counts_of_a_protected_table_are_whole_numbers(export_db: Path,
                                                            tmp_path: Path) -> None:
    # with suppressed (empty) cells the column is nullable; the DSD says Long, so a
    # value written "18.0" is refused by SDMX consumers (.Stat Suite) though pysdmx
    # reads it back as 18
    with Evidence(export_db, read_only=True) as ev:
        files = export_as(ev.gateway, REGISTER, "sdmx", tmp_path / "r.csv")
    raw = pl.read_csv(files.files[0], infer_schema=False)
    shown = raw["OBS_VALUE"].drop_nulls().to_list()
    assert len(shown) > 0
    assert raw["OBS_VALUE"].null_count() == files.suppressed > 0
    assert [v for v in shown if not re.fullmatch(r"\d+", v)] == []
    assert 'textType="Long"' in files.files[1].read_text(encoding="utf-8")


@pytest.mark.parametrize("format", ["csv", "sdmx", "parquet"])
def test_a_folder_given_for_a_file_is_a_clear_error(export_db: Path, tmp_path: Path,
                                                    format: str) -> None:
    folder = tmp_path / f"out.{'csv' if format == 'sdmx' else format}"
    folder.mkdir()
    with Evidence(export_db, read_only=True) as ev, pytest.raises(
            ConfigError, match="is a folder"):
        export_as(ev.gateway, PUBLIC, format, folder)
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]


def test_a_file_given_for_a_package_is_a_clear_error(export_db: Path, tmp_path: Path) -> None:
    existing = tmp_path / "pkg"
    existing.write_text("keep me", encoding="utf-8")
    with Evidence(export_db, read_only=True) as ev, pytest.raises(
            ConfigError, match="is a file"):
        export_as(ev.gateway, PUBLIC, "datapackage", existing)
    assert existing.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(("format", "name"), [
    ("sdmx", "x.parquet"), ("csv", "x.parquet"), ("parquet", "x.csv"),
    ("datapackage", "x.csv"), ("datapackage", "x.parquet"), ("sdmx", "x.json"),
])
def test_format_and_file_name_must_agree(export_db: Path, tmp_path: Path, format: str,
                                         name: str) -> None:
    out = tmp_path / name
    with Evidence(export_db, read_only=True) as ev, pytest.raises(
            ConfigError, match=f"--format {format} does not match"):
        export_as(ev.gateway, PUBLIC, format, out)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_plain_export_into_a_folder_is_a_clear_error(export_db: Path,
                                                         tmp_path: Path) -> None:
    from migralink.export import export_dataset

    folder = tmp_path / "out.csv"
    folder.mkdir()
    with Evidence(export_db, read_only=True) as ev:
        with pytest.raises(ConfigError, match="is a folder"):
            export_dataset(ev, PUBLIC, folder)
        done = export_dataset(ev, PUBLIC, tmp_path / "out.parquet")
    assert pl.read_parquet(done.path).height == done.rows > 0
    assert list(folder.iterdir()) == []


def test_exported_files_are_readable_by_others(export_db: Path, tmp_path: Path) -> None:
    # a temporary file is created owner-only (0600); an export is meant to be shared
    with Evidence(export_db, read_only=True) as ev:
        files = export_as(ev.gateway, PUBLIC, "sdmx", tmp_path / "p.csv")
    modes = {f.name: f.stat().st_mode & 0o777 for f in files.files}
    assert all(mode & 0o044 == 0o044 for mode in modes.values()), modes

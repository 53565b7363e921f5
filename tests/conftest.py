"""Shared fixtures: the published files, a CLI runner, and an evidence base built once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migralink.cli import app
from migralink.evidence import Evidence
from migralink.sample import SHARED_FILES

#: ../shared/data next to the repository: the real published files.
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@dataclass(frozen=True)
class CliResult:
    """What a CLI call printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> CliResult:
    """Run the real ``migralink`` command in-process."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The folder of published files (it must exist: tests run on the real files)."""
    assert SHARED.is_dir(), f"the published files are expected in {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def full_db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    """An evidence base with every published file of README-stats.md ingested."""
    path = tmp_path_factory.mktemp("evidence") / "full.duckdb"
    with Evidence(path) as ev:
        ev.ingest(shared / name for name in SHARED_FILES)
    return path

"""Fixtures of the media tests: the bundled sample as an evidence base, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from migralink.evidence import Evidence
from migralink.media import Checker
from migralink.sample import load_sample


@pytest.fixture(scope="session")
def media(shared: Path) -> Path:
    """The media corpora of ../shared/data (K-MHaS, APEACH, KoSBi, …)."""
    return shared / "media"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (the official tables of ../shared/data) in a DuckDB file."""
    path = tmp_path_factory.mktemp("media") / "sample.duckdb"
    with Evidence(path) as ev:
        load_sample(ev.gateway)
    return path


@pytest.fixture(scope="session")
def checker(sample_db: Path) -> Checker:
    """A checker on the sample, opened read-only."""
    return Checker.open(sample_db)

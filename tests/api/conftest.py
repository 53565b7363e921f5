"""Fixtures of the API tests: an evidence base and real servers over it (tests/servers.py)."""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import httpx
import pytest

from migralink.api import ApiConfig
from migralink.evidence import Evidence
from migralink.indicators import compute_indicators
from migralink.indicators.store import store_indicators
from migralink.sample import MANIFEST, load_sample, sample_dir
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_DIMENSIONS, REGISTER_META, synthetic_register
from tests.servers import Server, running_all

#: The bearer token of the server that accepts ingestion.
TOKEN = "test-token-3f9a"
#: The protected dataset: a synthetic register of Seoul, by sex (small counts on purpose).
REGISTER = "register_seoul"
#: The datasets of the bundled sample the tests read: the headline figures, a table to
#: re-ingest, the two an indicator divides, and the populations that weigh split regions.
SAMPLE = (
    "moj_stay_status", "mois_foreign_residents_sigungu", "mois_population_sigungu",
    "chungnam_foreign_residents_nationality", "population_sido", "population_sigungu",
)
#: The indicators computed into the test evidence base (a share and a breakdown).
INDICATORS = ("foreign_share", "composition_by_group")
@contextlib.contextmanager
def running(config: ApiConfig, log: Path, token: str | None = None) -> Iterator[Server]:
    """Start ``migralink.api.serve`` in a process on loopback; stop it afterwards."""
    with running_all((config, log, token)) as (server,):
        yield server


def _sample_subset(folder: Path) -> Path:
    """The bundled sample cut to :data:`SAMPLE` (a manifest naming those, their files)."""
    manifest = json.loads((sample_dir() / MANIFEST).read_text(encoding="utf-8"))
    manifest["datasets"] = [d for d in manifest["datasets"] if d["meta"]["id"] in SAMPLE]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    for name in SAMPLE:
        (folder / f"{name}.parquet").symlink_to(sample_dir() / f"{name}.parquet")
    return folder


def writer(db: Path, patience: float = 10.0) -> duckdb.DuckDBPyConnection:
    """A writable connection, once the server idling beside has let go of the file.

    A server with ``release_after`` closes its read handle after that many idle seconds;
    until then DuckDB refuses a writer (a lock conflict), so this retries.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            return duckdb.connect(str(db))
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def build_evidence(path: Path) -> Path:
    """Part of the bundled sample, a protected register cube and two indicators."""
    with Evidence(path) as ev:
        with ev.gateway.transaction():
            load_sample(ev.gateway, _sample_subset(path.parent / "sample"))
        ev.gateway.register("persons", synthetic_register(5_000, seed=7))
        aggregate_register(
            ev.gateway, "(SELECT * FROM persons WHERE region LIKE '11%')",
            [d for d in REGISTER_DIMENSIONS if d.id == "sex"],
            replace(REGISTER_META, id=REGISTER), period="2024",
            source="tests: synthetic register n=5000 seed=7, Seoul",
        )
        store_indicators(ev, compute_indicators(ev, ids=INDICATORS))
    return path


@pytest.fixture(scope="session")
def api_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An evidence base built once for the API tests (copy it to change it)."""
    return build_evidence(tmp_path_factory.mktemp("api") / "evidence.duckdb")


def copy_db(api_db: Path, folder: Path) -> Path:
    """A private copy of the test evidence base."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(api_db, folder / "evidence.duckdb"))


@pytest.fixture(scope="session")
def servers(api_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    """The three servers of the tests, started together.

    * read-only, holding its file for good: every read test;
    * with a token (ingestion on), over a copy, letting go of it after 0.1 s idle (the
      tests that write beside a server use it);
    * without a token, over a copy that one error test damages, letting go when idle.
    """
    folder = tmp_path_factory.mktemp("servers")
    ingest_db = copy_db(api_db, folder / "ingest")
    fragile_db = copy_db(api_db, folder / "fragile")
    with running_all(
        (ApiConfig(db=api_db, token=None, release_after=None), folder / "read.log", None),
        (ApiConfig.from_env(ingest_db, token=TOKEN, release_after=0.1),
         folder / "ingest" / "server.log", TOKEN),
        (ApiConfig(db=fragile_db, token=None, release_after=0.1),
         folder / "fragile" / "server.log", None),
    ) as started:
        yield started


@pytest.fixture(scope="session")
def server(servers: list[Server]) -> Server:
    """The read-only server every read test uses."""
    return servers[0]


@pytest.fixture(scope="session")
def client(server: Server) -> Iterator[httpx.Client]:
    """A client of :func:`server`."""
    with server.client() as c:
        yield c


@pytest.fixture(scope="session")
def ingest_server(servers: list[Server]) -> Server:
    """The server with a token (ingestion on); it lets go of its file when idle."""
    return servers[1]


@pytest.fixture(scope="session")
def fragile(servers: list[Server]) -> Server:
    """A server over a copy the error tests damage; it lets go of its file when idle."""
    return servers[2]

"""Real servers on loopback: uvicorn in its own process, talked to over HTTP with httpx.

Each server is a separate process, as in production: it holds the evidence base
read-only, so the tests can play the part of another process that ingests beside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import httpx
import pytest

from migralink.api import ApiConfig
from migralink.api.config import TOKEN_ENV
from migralink.evidence import Evidence
from migralink.indicators import compute_indicators
from migralink.indicators.store import store_indicators
from migralink.sample import MANIFEST, load_sample, sample_dir
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_DIMENSIONS, REGISTER_META, synthetic_register

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
_STARTUP = 30.0  # seconds a server may take to import and bind (a cold CI machine)

_LAUNCH = (
    "import sys; from migralink.api import ApiConfig, serve; "
    "serve(ApiConfig.from_json(sys.argv[1]), port=int(sys.argv[2]), log_level='warning')"
)


@dataclass(frozen=True)
class Server:
    """A running server and what it serves."""

    url: str
    db: Path
    log: Path

    def client(self) -> httpx.Client:
        """A client of this server (the caller closes it)."""
        return httpx.Client(base_url=self.url, timeout=30.0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class _Launched:
    config: ApiConfig
    log: Path
    process: subprocess.Popen[bytes]
    url: str


def _launch(config: ApiConfig, log: Path, token: str | None) -> _Launched:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    if token:
        env[TOKEN_ENV] = token
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, config.to_json(), str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    return _Launched(config, log, process, f"http://127.0.0.1:{port}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _STARTUP
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}: {log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/api/v1/openapi.json", timeout=1.0).status_code == 200:
                return
        time.sleep(0.1)
    pytest.fail(f"the server did not answer within {_STARTUP} s: {log.read_text()}")


@contextlib.contextmanager
def running_all(*specs: tuple[ApiConfig, Path, str | None]) -> Iterator[list[Server]]:
    """Start several servers at once (they import in parallel); stop them afterwards."""
    launched: list[_Launched] = []
    try:
        for config, log, token in specs:
            launched.append(_launch(config, log, token))
        for item in launched:
            _wait_until_up(item.url, item.process, item.log)
        yield [Server(item.url, item.config.db, item.log) for item in launched]
    finally:
        for item in launched:
            _stop(item.process)


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

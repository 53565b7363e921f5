"""Real servers on loopback for the tests: uvicorn in its own process, reached with httpx.

Each server is a separate process, as in production: it holds the evidence base
read-only, so a test can play the part of another process that ingests beside it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from migralink.api import ApiConfig
from migralink.api.config import TOKEN_ENV

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


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
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
    port = free_port()
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

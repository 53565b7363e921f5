"""Benchmark: the HTTP API under load on loopback, against FastAPI's own floor.

Usage::

    python bench/api.py [--requests 5000] [--connections 16] [--rate 200] [--seconds 5]
                        [--rounds 3] [--db FILE]

Three servers run in their own processes on 127.0.0.1, with the same uvicorn settings
(one worker, no access log):

* **floor**: a bare FastAPI app whose one endpoint returns a constant — what the
  framework costs with nothing behind it;
* **migralink**: ``migralink.api`` over an evidence base (by default the bundled sample
  with its indicators computed, built in a temporary folder), asked a fixed mix of
  observation and indicator queries (JSON pages);
* **migralink, no response cache** (``response_cache=0``): every request is routed,
  validated and rendered again (the query results are still kept by the snapshot).

Each is measured the same way, with a small asyncio HTTP/1.1 client (keep-alive, one
request in flight per connection, so the client costs little next to the server):

1. **throughput**: up to ``--requests`` requests (at most ``--seconds``) over
   ``--connections`` connections, as fast as the server answers (closed loop): requests
   per second, p50 and p99, and the server process's CPU time per request (user +
   system, from ``/proc``: a figure that other load on the machine does not distort);
2. **fixed rate**: ``--rate`` requests per second for ``--seconds`` (open loop, latency
   measured from the time each request was due, so a slow answer delays the next
   ones' figures too): p50 and p99.

The servers are measured in turn, ``--rounds`` times, and each figure is the median of
the rounds.

Before measuring, each query is asked once and the time of that first, computed answer
is printed. The run is bounded: fixed request counts and durations, a time limit on
each phase, every server stopped at the end. Targets: at least half the floor's
throughput; p99 under 25 ms at 200 requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

TARGET_RATIO = 0.5
TARGET_P99_MS = 25.0
_PHASE_LIMIT = 120.0  # seconds: a phase still running then has hung; the run stops
_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)

#: The queries asked of migralink: observations with the filters of ``migralink query``
#: and computed indicators, by region, period and breakdown.
QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("/api/v1/datasets/moj_stay_status/observations", {"filter": "residence_status:E-9"}),
    ("/api/v1/datasets/moj_stay_status/observations", {"by": "residence_status"}),
    ("/api/v1/datasets/moj_stay_status/observations", {"by": "nationality", "limit": "50"}),
    ("/api/v1/datasets/mois_foreign_residents_sigungu/observations",
     {"region": "안산시", "period": "2019"}),
    ("/api/v1/datasets/mois_foreign_residents_sigungu/observations",
     {"by": "region", "period": "2023", "limit": "100"}),
    ("/api/v1/datasets/population_sido/observations",
     {"region": "강원", "boundaries": "2024", "by": "region"}),
    ("/api/v1/indicators", {"id": "foreign_share", "region": "안산시"}),
    ("/api/v1/indicators", {"id": "foreign_share", "period": "2023", "limit": "100"}),
    ("/api/v1/indicators", {"id": "composition_by_group", "region": "41270",
                            "breakdown": "group"}),
    ("/api/v1/indicators", {"id": "sex_ratio_foreign_residents", "region": "서울특별시"}),
)

_FLOOR_APP = '''
from fastapi import FastAPI
app = FastAPI()

@app.get("/const")
async def const() -> dict[str, bool]:
    return {"ok": True}
'''
_LAUNCH_FLOOR = (
    "import sys, types, uvicorn; m = types.ModuleType('floor'); exec(sys.argv[1], m.__dict__);"
    " uvicorn.run(m.app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning',"
    " access_log=False)"
)
_LAUNCH_API = (
    "import sys; from migralink.api import ApiConfig, serve; "
    "serve(ApiConfig.from_json(sys.argv[1]), port=int(sys.argv[2]), log_level='warning', "
    "access_log=False)"
)


@dataclass(frozen=True)
class Figures:
    """What one phase measured."""

    requests: int
    seconds: float
    latencies_ms: tuple[float, ...]
    errors: int

    @property
    def throughput(self) -> float:
        """Requests answered per second."""
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        """The ``q``-th percentile of the latencies, in milliseconds."""
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# -- the client --------------------------------------------------------------------------
class Connection:
    """One keep-alive HTTP/1.1 connection; one request in flight at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        """Connect to 127.0.0.1:``port``."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def get(self, raw: bytes) -> int:
        """Send a prepared request; read the whole answer; return its status."""
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = _LENGTH.search(head)
        if length:
            await self.reader.readexactly(int(length.group(1)))
        return int(head[9:12])

    def close(self) -> None:
        """Close the socket."""
        self.writer.close()


def prepare(port: int, path: str, params: dict[str, str] | None = None) -> bytes:
    """The bytes of a GET request (the query encoded once, not per request)."""
    target = path + ("?" + urlencode(params) if params else "")
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()


async def closed_loop(port: int, requests: Sequence[bytes], total: int, connections: int,
                      seconds: float) -> Figures:
    """Up to ``total`` requests (or ``seconds``), cycling through ``requests``, flat out."""
    pool = [await Connection.open(port) for _ in range(connections)]
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    stop = time.perf_counter() + seconds

    async def worker(conn: Connection) -> None:
        nonlocal errors
        for i in counter:
            start = time.perf_counter()
            if start > stop:
                break
            status = await conn.get(requests[i % len(requests)])
            latencies.append((time.perf_counter() - start) * 1000)
            errors += status != 200

    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(worker(c) for c in pool)), _PHASE_LIMIT)
    elapsed = time.perf_counter() - start
    for conn in pool:
        conn.close()
    return Figures(len(latencies), elapsed, tuple(latencies), errors)


async def fixed_rate(port: int, requests: Sequence[bytes], rate: float, seconds: float
                     ) -> Figures:
    """``rate`` requests per second for ``seconds``; latency counted from when each was due."""
    total = int(rate * seconds)
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(64):  # enough connections that the client never runs out at this rate
        free.put_nowait(await Connection.open(port))
    latencies: list[float] = []
    errors = 0
    loop = asyncio.get_running_loop()
    begin = loop.time() + 0.05

    async def one(i: int) -> None:
        nonlocal errors
        due = begin + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        conn = await free.get()
        status = await conn.get(requests[i % len(requests)])
        latencies.append((loop.time() - due) * 1000)
        errors += status != 200
        free.put_nowait(conn)

    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(total))), _PHASE_LIMIT)
    elapsed = time.perf_counter() - start
    while not free.empty():
        free.get_nowait().close()
    return Figures(len(latencies), elapsed, tuple(latencies), errors)


async def first_answers(port: int, requests: Sequence[bytes]) -> list[tuple[float, int]]:
    """Each request once, in turn: the time of its first (computed) answer, and status."""
    conn = await Connection.open(port)
    out = []
    for raw in requests:
        start = time.perf_counter()
        status = await conn.get(raw)
        out.append(((time.perf_counter() - start) * 1000, status))
    conn.close()
    return out


# -- the servers -------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(code: str, arg: str, probe: str) -> Iterator[tuple[int, int]]:
    """Run ``python -c code arg PORT`` until the block ends; yields its port and pid."""
    import httpx

    port = _free_port()
    process = subprocess.Popen([sys.executable, "-c", code, arg, str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                sys.exit(f"a server failed to start: {process.stderr.read().decode()[-2000:]}"
                         if process.stderr else "a server failed to start")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            sys.exit("a server did not start within 60 s")
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def build_db(folder: Path) -> Path:
    """The bundled sample with every indicator computed and stored."""
    from migralink.evidence import Evidence
    from migralink.indicators import compute_indicators
    from migralink.indicators.store import store_indicators
    from migralink.sample import load_sample

    path = folder / "bench.duckdb"
    with Evidence(path) as ev:
        with ev.gateway.transaction():
            load_sample(ev.gateway)
        store_indicators(ev, compute_indicators(ev))
    return path


# -- the run ---------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Target:
    """A server under test and the requests it is asked."""

    name: str
    port: int
    pid: int
    requests: tuple[bytes, ...]


def measure(target: Target, args: argparse.Namespace) -> dict[str, float]:
    """One round against one server: throughput, server CPU per request, fixed rate."""
    cpu = cpu_seconds(target.pid)
    burst = asyncio.run(closed_loop(target.port, target.requests, args.requests,
                                    args.connections, args.seconds))
    cpu_ms = (cpu_seconds(target.pid) - cpu) * 1000 / burst.requests
    steady = asyncio.run(fixed_rate(target.port, target.requests, args.rate, args.seconds))
    return {"req/s": burst.throughput, "burst p50": burst.percentile(50),
            "burst p99": burst.percentile(99), "CPU ms/req": cpu_ms,
            "rate p50": steady.percentile(50), "rate p99": steady.percentile(99),
            "not 200": float(burst.errors + steady.errors)}


COLUMNS = ("req/s", "burst p50", "burst p99", "CPU ms/req", "rate p50", "rate p99", "not 200")


def main(argv: list[str] | None = None) -> int:
    """Start the servers, measure them in turn, print the figures and the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, help="an existing evidence base with indicators")
    args = parser.parse_args(argv)
    from migralink.api import ApiConfig

    with tempfile.TemporaryDirectory(prefix="migralink-bench-") as tmp, \
            contextlib.ExitStack() as stack:
        begin = time.perf_counter()
        db = args.db or build_db(Path(tmp))
        print(f"evidence base: {db} ({time.perf_counter() - begin:.1f} s to prepare)")
        port, pid = stack.enter_context(server(_LAUNCH_FLOOR, _FLOOR_APP, "/const"))
        targets = [Target("floor (constant)", port, pid, (prepare(port, "/const"),))]
        for name, cache in (("migralink", 1_024), ("migralink, no response cache", 0)):
            config = ApiConfig(db=db, token=None, release_after=None, response_cache=cache)
            port, pid = stack.enter_context(
                server(_LAUNCH_API, config.to_json(), "/api/v1/openapi.json"))
            targets.append(Target(name, port, pid, tuple(
                prepare(port, path, params) for path, params in QUERIES)))
        first = asyncio.run(first_answers(targets[1].port, targets[1].requests))
        asyncio.run(first_answers(targets[2].port, targets[2].requests))  # same warm state
        # Rounds interleave the servers, so that a change in the machine's load over the
        # run weighs on each alike; each figure is the median of the rounds.
        rounds = [[measure(t, args) for t in targets] for _ in range(args.rounds)]
    print("first answers (computed, before any cache):")
    for (path, params), (ms, status) in zip(QUERIES, first, strict=True):
        print(f"  {ms:8.1f} ms  {status}  {path}?{urlencode(params)}")
    figures = [{c: statistics.median(r[i][c] for r in rounds) for c in COLUMNS}
               for i in range(len(targets))]
    print(f"median of {args.rounds} rounds; {args.connections} connections flat out for "
          f"throughput, {args.rate:.0f} req/s for {args.seconds:.0f} s for the fixed rate "
          "(latencies in ms)")
    print(f"{'server':<30}" + "".join(f"{c:>11}" for c in COLUMNS))
    for target, row in zip(targets, figures, strict=True):
        print(f"{target.name:<30}" + "".join(
            f"{row[c]:>11.0f}" if c in ("req/s", "not 200") else f"{row[c]:>11.2f}"
            for c in COLUMNS))
    _verdicts([t.name for t in targets], figures, args.rate)
    return 0


def _verdicts(names: list[str], figures: list[dict[str, float]], rate: float) -> None:
    floor = figures[0]
    for name, row in zip(names[1:], figures[1:], strict=True):
        ratio = row["req/s"] / floor["req/s"]
        cpu_ratio = floor["CPU ms/req"] / row["CPU ms/req"]
        p99 = row["rate p99"]
        print(f"{name}: throughput {ratio:.2f} of the floor's "
              f"({'met' if ratio >= TARGET_RATIO else 'NOT met'}, target >= {TARGET_RATIO}); "
              f"by server CPU per request {cpu_ratio:.2f}; p99 at {rate:.0f} req/s "
              f"{p99:.1f} ms ({'met' if p99 < TARGET_P99_MS else 'NOT met'}, "
              f"target < {TARGET_P99_MS:.0f} ms)")


if __name__ == "__main__":
    sys.exit(main())

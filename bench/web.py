"""Benchmark: the dashboard's weight and time to first render on a slow phone profile.

Usage::

    python bench/web.py [--db FILE] [--rounds 3]

A server (``migralink.api`` with the dashboard) runs in its own process on 127.0.0.1 over
an evidence base (by default the bundled sample with its indicators computed, built in a
temporary folder). Debian's Chromium, driven by Playwright, opens three views with an
empty cache:

* the **sigungu map** (``#/map?l=sigungu``: boundaries, values, menu, names);
* a **region page** (``#/region/41270``, 안산시: headline, trend, composition, peers,
  similar areas, sources);
* a **comparison** (``#/compare?r=41270,11560,41``).

Each view is loaded twice: first unthrottled (the baseline, in the same process), then
through the Chrome DevTools Protocol with a 3G network profile (Lighthouse's "Fast 3G":
1.6 Mbit/s down, 750 kbit/s up, 562.5 ms round trip) and a 4x CPU slowdown. The figures
are the bytes transferred (encoded, as on the wire: compressed answers count compressed)
and the time from navigation to the page's own mark that its first view is drawn
(``performance.mark('<view>-drawn')``), the median of ``--rounds`` rounds.

Before the browser, the first ``GET /api/v1/datasets`` of the fresh server is timed
(cold: the evidence base is opened for it), then a second one (warm).

Targets (issue 10): sigungu map <= 250 KB and <= 3 s on that profile; region page
<= 300 KB; a cold ``/api/v1/datasets`` under 100 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
KB = 1024
#: Lighthouse's mobile "Fast 3G" profile (what DevTools calls 3G today).
THREE_G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6e6 / 8,
           "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
COLD_DATASETS_MS = 100.0
VIEWS = {  # name: (address, the view's mark, target bytes, target seconds)
    "sigungu map": ("#/map?m=ds:mois_foreign_residents_sigungu&l=sigungu", "map-drawn",
                    250 * KB, 3.0),
    "region page": ("#/region/41270", "region-drawn", 300 * KB, None),
    "compare": ("#/compare?r=41270,11560,41", "compare-drawn", None, None),
}
_LAUNCH = (
    "import sys; from migralink.api import ApiConfig, serve; "
    "serve(ApiConfig.from_json(sys.argv[1]), port=int(sys.argv[2]), log_level='warning', "
    "access_log=False)"
)


@dataclass(frozen=True)
class Load:
    """One page load: bytes on the wire, requests, and seconds to the view's mark."""

    bytes: int
    requests: int
    seconds: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """A server over ``db`` until the block ends; yields its URL."""
    import httpx

    from migralink.api import ApiConfig

    port = _free_port()
    config = ApiConfig(db=db, token=None, release_after=None)
    process = subprocess.Popen([sys.executable, "-c", _LAUNCH, config.to_json(), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                sys.exit("the server failed to start")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/api/v1/openapi.json", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            sys.exit("the server did not start within 60 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def build_db(folder: Path) -> Path:
    """The bundled sample with every indicator computed and stored."""
    from migralink.evidence import Evidence
    from migralink.indicators import compute_indicators, store_indicators
    from migralink.sample import load_sample

    path = folder / "bench.duckdb"
    with Evidence(path) as ev:
        with ev.gateway.transaction():
            load_sample(ev.gateway)
        store_indicators(ev, compute_indicators(ev))
    return path


def load(browser: Any, url: str, mark: str, *, throttled: bool) -> Load:
    """Open ``url`` in a fresh context (empty cache) and measure it."""
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttled:
        cdp.send("Network.emulateNetworkConditions", THREE_G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url)
    page.wait_for_function(f"performance.getEntriesByName('{mark}').length > 0",
                           timeout=120_000)
    seconds = page.evaluate(f"performance.getEntriesByName('{mark}')[0].startTime") / 1000
    page.wait_for_load_state("networkidle")
    context.close()
    return Load(int(sum(sizes.values())), len(sizes), float(seconds))


def _datasets_cold(url: str) -> int:
    """Time the fresh server's first and second /api/v1/datasets; 1 if the first is slow."""
    import httpx

    times = []
    for _ in range(2):
        start = time.perf_counter()
        httpx.get(f"{url}/api/v1/datasets", timeout=30).raise_for_status()
        times.append((time.perf_counter() - start) * 1000)
    ok = times[0] < COLD_DATASETS_MS
    print(f"/api/v1/datasets: cold {times[0]:.0f} ms, warm {times[1]:.0f} ms "
          f"(target cold < {COLD_DATASETS_MS:.0f} ms: {'met' if ok else 'MISSED'})")
    return 0 if ok else 1


def _median(loads: list[Load]) -> Load:
    return Load(int(statistics.median(x.bytes for x in loads)),
                int(statistics.median(x.requests for x in loads)),
                statistics.median(x.seconds for x in loads))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table; exit 1 when a target is missed."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", type=Path, help="an evidence base (default: the sample)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    missed = 0
    with tempfile.TemporaryDirectory(prefix="migralink-bench-web-") as tmp, \
            contextlib.ExitStack() as stack:
        db = args.db or build_db(Path(tmp))
        url = stack.enter_context(serving(db))
        missed += _datasets_cold(url)
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        print(f"3G: {THREE_G['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s down, "
              f"{THREE_G['latency']:.0f} ms round trip; CPU {CPU_SLOWDOWN}x slower; "
              f"median of {args.rounds} rounds; machine shared with other work")
        print(f"{'view':<14}{'KB':>8}{'requests':>10}{'loopback s':>12}{'3G+4xCPU s':>12}"
              "  targets")
        for name, (fragment, mark, max_bytes, max_seconds) in VIEWS.items():
            base = _median([load(browser, f"{url}/{fragment}", mark, throttled=False)
                            for _ in range(args.rounds)])
            slow = _median([load(browser, f"{url}/{fragment}", mark, throttled=True)
                            for _ in range(args.rounds)])
            verdicts = []
            if max_bytes:
                ok = slow.bytes <= max_bytes
                missed += not ok
                verdicts.append(f"<= {max_bytes // KB} KB {'met' if ok else 'MISSED'}")
            if max_seconds:
                ok = slow.seconds <= max_seconds
                missed += not ok
                verdicts.append(f"<= {max_seconds:.0f} s {'met' if ok else 'MISSED'}")
            print(f"{name:<14}{slow.bytes / KB:>8.0f}{slow.requests:>10}{base.seconds:>12.2f}"
                  f"{slow.seconds:>12.2f}  {'; '.join(verdicts)}")
        browser.close()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the evidence profile of every province and local government, in both
languages.

Usage::

    python bench/reports.py [--db FILE] [--level all|sido|sigungu] [--limit N]

Builds an evidence base from the bundled sample with every indicator (or copies
``--db``), reads what profiles need once (:func:`migralink.reports.load_profile_data`),
then renders every profile as PDF — building the document, drawing its charts with
vl-convert and laying it out with Typst — and prints, per language, the median and 95th
percentile of the time and size of one profile against the targets (0.5 s, 300 KB).
A chart two profiles share (a province's composition by residence status, in the
profiles of its local governments) is drawn once, as in ``migralink report --all``.

The baseline, run in the same process, is the floor of the two engines: a one-page Typst
document with the same bundled font, and one small chart drawn by vl-convert. There is
no pass/fail; the machine's load is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from migralink.evidence import Evidence
from migralink.reports import ProfileData, build_profile, load_profile_data, profile_regions
from migralink.reports.charts import bar_chart, to_svg
from migralink.reports.render import render_pdf

TARGET_SECONDS = 0.5
TARGET_KB = 300


def build_evidence(folder: Path, db: Path | None) -> Path:
    """An evidence base with every indicator, in ``folder``."""
    path = folder / "bench.duckdb"
    if db is not None:
        shutil.copy(db, path)
        return path
    from migralink.indicators import compute_indicators, store_indicators
    from migralink.sample import load_sample

    with Evidence(path) as ev:
        with ev.gateway.transaction():
            load_sample(ev.gateway)
        store_indicators(ev, compute_indicators(ev))
    return path


def baseline() -> tuple[float, float]:
    """Seconds for a one-page Typst document and for one small chart (best of 5)."""
    import typst

    from migralink.reports.fonts import font_dir

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[str(font_dir())])
    compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
    best_page = best_chart = float("inf")
    for i in range(5):
        # a different chart each time: to_svg draws a chart it has seen once
        chart = bar_chart([{"label": "외국인근로자", "value": 27.3 + i}], "비율 (%)")
        # a different page each time: Typst memoizes a document it has seen
        page = f'#set text(font: "NanumGothic")\n= 안산시 {i}\n외국인주민 92,787명\n'.encode()
        start = time.perf_counter()
        compiler.compile(page, format="pdf")
        best_page = min(best_page, time.perf_counter() - start)
        start = time.perf_counter()
        to_svg(chart)
        best_chart = min(best_chart, time.perf_counter() - start)
    return best_page, best_chart


def render_all(data: ProfileData, regions: list[str]) -> dict[str, list[tuple[float, int]]]:
    """Seconds and bytes of each profile, by language."""
    out: dict[str, list[tuple[float, int]]] = {"ko": [], "en": []}
    for region in regions:
        for lang in ("ko", "en"):
            start = time.perf_counter()
            profile = build_profile(data, region, None, "ko" if lang == "ko" else "en")
            pdf = render_pdf(profile)
            out[lang].append((time.perf_counter() - start, len(pdf)))
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an evidence base with indicators")
    parser.add_argument("--level", choices=["all", "sido", "sigungu"], default="all")
    parser.add_argument("--limit", type=int, help="only the first N regions (a quick run)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = build_evidence(Path(tmp), args.db)
        start = time.perf_counter()
        with Evidence(db, read_only=True) as ev:
            data = load_profile_data(ev.gateway)
        load = time.perf_counter() - start
    levels = ["sido", "sigungu"] if args.level == "all" else [args.level]
    regions = [r for level in levels for r in profile_regions(data, level)][: args.limit]
    page, chart = baseline()
    render_pdf(build_profile(data, regions[0], None, "ko"))  # warm-up: engines start once
    start = time.perf_counter()
    figures = render_all(data, regions)
    total = time.perf_counter() - start
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          f"(shared with other jobs)")
    print(f"read once: {load:.2f} s; baseline: one-page Typst PDF {page * 1000:.0f} ms, "
          f"one vl-convert chart {chart * 1000:.0f} ms")
    print(f"{len(regions)} regions x 2 languages = {sum(len(v) for v in figures.values())} "
          f"profiles in {total:.1f} s")
    print(f"{'lang':<5}{'median s':>10}{'p95 s':>8}{'max s':>8}{'median KB':>11}"
          f"{'p95 KB':>8}{'max KB':>8}")
    for lang, rows in figures.items():
        seconds = [s for s, _ in rows]
        sizes = [b / 1024 for _, b in rows]
        print(f"{lang:<5}{statistics.median(seconds):>10.3f}{_p95(seconds):>8.3f}"
              f"{max(seconds):>8.3f}{statistics.median(sizes):>11.0f}{_p95(sizes):>8.0f}"
              f"{max(sizes):>8.0f}")
    every = [r for rows in figures.values() for r in rows]
    p95_s, p95_kb = _p95([s for s, _ in every]), _p95([b / 1024 for _, b in every])
    print(f"targets: <= {TARGET_SECONDS} s and <= {TARGET_KB} KB per profile; p95 "
          f"{p95_s:.3f} s ({'met' if p95_s <= TARGET_SECONDS else 'not met'}), "
          f"{p95_kb:.0f} KB ({'met' if p95_kb <= TARGET_KB else 'not met'}); "
          f"vs baseline: {p95_s / (page + 4 * chart):.1f}x a page and four charts")
    return 0


if __name__ == "__main__":
    sys.exit(main())

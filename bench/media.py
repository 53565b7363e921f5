"""Benchmark: hostility classifier throughput and claim-check latency, on one core.

Usage::

    OMP_NUM_THREADS=1 python bench/media.py [--texts 2000] [--repeat 3] [--checks 200]
                                            [--chars 100000] [--only classifier|long|checker]

* **classifier**: the shipped model on ``--texts`` real K-MHaS comments (from
  ../shared/data/media when present, else a fixed mix of sentences repeated), in batches
  of 512 as ``migralink media classify`` runs it: sentences per second (best of
  ``--repeat``); then, measured in the same process, the n-gram stages without the
  sentence encoder (what the encoder stack costs) and, as the baseline, the character
  n-gram block alone (a plain TF-IDF pass with no morphemes, jamo or spans).
* **long**: one long text (K-MHaS comments joined into ``--chars`` characters, a post or
  an article) as ``classify`` scores it, in pieces of at most 500 characters, against the
  baseline of the same comments classified as separate texts; wall, CPU and the peak
  memory of each, measured in a child process of its own (before pieces, one text of
  144,000 characters took 3.0 GB).
* **checker**: ``Checker.check_text`` on the labelled claim sentences of
  tests/media/data/claims.jsonl against the bundled sample (built in a temporary
  folder): p50 and p95 latency per sentence, against the baseline of spotting alone
  (parsing the claims without querying the evidence base).

CPU time is printed beside wall time: on a shared machine it moves far less.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "media"
CLAIMS = ROOT / "tests" / "media" / "data" / "claims.jsonl"


def _texts(n: int) -> list[str]:
    path = SHARED / "kmhas" / "kmhas_test.txt"
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            rows = [r["document"] for r in csv.DictReader(f, delimiter="\t")]
    else:
        rows = ["짱깨들은 다 나가라", "외국인 노동자 덕분에 공장이 돌아간다",
                "오늘 경기 정말 재밌었다"]
    return [rows[i % len(rows)] for i in range(n)]


def _timed(action: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_classifier(n: int, repeat: int) -> None:
    from migralink.media.features import normalise, tokens_of
    from migralink.media.model import load_model

    model = load_model()
    texts = _texts(n)
    model.classify(texts[:50])  # loads Kiwi and the vocabularies once, outside the timing

    def full() -> None:
        for start in range(0, len(texts), 512):
            model.classify(texts[start:start + 512])

    def ngrams_only() -> None:
        for start in range(0, len(texts), 512):
            batch = texts[start:start + 512]
            model.ngram_scores(model.features(batch), batch)

    char = model.blocks[0]

    def baseline() -> None:
        char.transform(tokens_of("char", [normalise(t) for t in texts]))

    for name, action in (("classifier (n-grams + encoder, spans)", full),
                         ("n-gram stages only (no encoder)", ngrams_only),
                         ("baseline: char n-grams only", baseline)):
        best = min((_timed(action) for _ in range(repeat)), key=lambda t: t[0])
        print(f"{name:40s} {n / best[0]:9.0f} sentences/s wall, {n / best[1]:7.0f} per CPU-s"
              f"   (wall {best[0]:.2f} s, cpu {best[1]:.2f} s, {n} texts)")


def _long_child(chars: int, joined: bool, queue: Any) -> None:
    import resource

    from migralink.media.model import load_model

    model = load_model()
    model.classify(["짱깨들은 다 나가라"])  # loads Kiwi and the vocabularies first
    texts, size = [], 0
    for comment in _texts(10**6):
        texts.append(comment)
        size += len(comment) + 1
        if size >= chars:
            break
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    batch = [" ".join(texts)] if joined else texts

    def score() -> None:
        model.classify(batch)

    wall, cpu = _timed(score)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((wall, cpu, peak / 2**20, (peak - start) / 2**20, len(texts)))


def bench_long(chars: int) -> None:
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # a fresh process: its own peak
    for name, joined in (("one long text, in pieces", True),
                         ("baseline: the comments as texts", False)):
        queue = context.Queue()
        child = context.Process(target=_long_child, args=(chars, joined, queue))
        child.start()
        wall, cpu, peak, grown, n = queue.get()
        child.join()
        print(f"{name:40s} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak {peak:5.2f} GiB "
              f"(+{grown:.2f} while scoring; {chars:,} characters, {n} comments)")


def bench_checker(limit: int) -> None:
    from migralink.evidence import Evidence
    from migralink.media import Checker, find_claims
    from migralink.sample import load_sample

    sentences = [json.loads(line)["text"] for line in
                 CLAIMS.read_text(encoding="utf-8").splitlines()][:limit]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "sample.duckdb"
        with Evidence(db) as ev:
            load_sample(ev.gateway)
        checker = Checker.open(db)
        checker.check_text(sentences[0])  # warm the catalogue read
        for name, action in (("check_text (spot, link, rule)", checker.check_text),
                             ("baseline: spotting only", find_claims)):
            times = []
            for text in sentences:
                start = time.perf_counter()
                action(text)
                times.append(1000 * (time.perf_counter() - start))
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"{name:40s} p50 {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms"
                  f"   ({len(times)} sentences)")
        checker.evidence.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--only", choices=("classifier", "checker", "long"), default=None)
    args = parser.parse_args()
    print(f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    if args.only in (None, "classifier"):
        bench_classifier(args.texts, args.repeat)
    if args.only in (None, "long"):
        bench_long(args.chars)
    if args.only in (None, "checker"):
        bench_checker(args.checks)


if __name__ == "__main__":
    main()

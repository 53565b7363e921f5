"""FEBRL 4 and 3 without the social security id, unsupervised (EM), plaintext and encoded."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from migralink.linkage import febrl_spec, prepare, run
from migralink.linkage.bloom import BloomConfig
from migralink.linkage.evaluate import pair_set, score_pairs
from migralink.linkage.febrl import true_pairs
from migralink.linkage.pprl import encode_febrl, febrl_pprl_spec


def test_febrl4_link_f1(febrl4: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    a, b = febrl4
    spec = febrl_spec()
    res = run([prepare(a, spec), prepare(b, spec)], spec, names=["a", "b"])
    score = score_pairs(pair_set(res.links, ordered=True), true_pairs(a, b))
    assert score.f1 >= 0.997, score
    # clusters join the two files: most clusters hold one record of each
    sizes = res.clusters.group_by("cluster_id").len()["len"]
    assert (sizes == 2).sum() >= 4950


def test_febrl3_dedupe_f1(febrl3: pl.DataFrame) -> None:
    spec = febrl_spec(link_type="dedupe_only")
    res = run([prepare(febrl3, spec)], spec, names=["f3"])
    score = score_pairs(pair_set(res.links), true_pairs(febrl3))
    assert score.f1 >= 0.992, score


def test_febrl4_on_bloom_filters_within_one_point(
        febrl4: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    # half the file keeps the test short; the bench runs the whole of it
    a, b = (f.filter(pl.col("entity") % 2 == 0) for f in febrl4)
    truth = true_pairs(a, b)
    config = BloomConfig(key="a shared secret of the data owners", xor_fold=True)
    spec = replace(febrl_pprl_spec(), u_max_pairs=3e5)
    encoded = [encode_febrl(a, config), encode_febrl(b, config)]
    assert "surname" in encoded[0].columns
    assert not encoded[0]["surname"].str.contains(
        "[a-z]").any()
    res = run(encoded, spec, names=["a", "b"])
    score = score_pairs(pair_set(res.links, ordered=True), truth)
    assert score.f1 >= 0.997 - 0.01, score

"""Dice on packed Bloom filters: the pair and all-pairs kernels agree with Dice on bit sets."""

from __future__ import annotations

import numpy as np
import polars as pl

from migralink.linkage.bloom import BloomConfig, dice_matrix, dice_pairs, encode, encode_frame

KEY = "a shared secret of the data owners"


def _dice_of_sets(a: np.ndarray, b: np.ndarray) -> float:
    x, y = set(np.flatnonzero(np.unpackbits(a))), set(np.flatnonzero(np.unpackbits(b)))
    return 2 * len(x & y) / (len(x) + len(y)) if x or y else 0.0


def test_dice_kernels_equal_dice_of_bit_sets() -> None:
    left = encode(["CANGPONG", "PONGWI", None, "CONGYEN"], BloomConfig(key=KEY), field="name")
    right = encode(["CANGPONG", "PONGSWI", "WIYEN"], BloomConfig(key=KEY), field="name")
    matrix = dice_matrix(left, right, chunk=3)  # a chunk boundary inside the left rows
    li, ri = (x.ravel() for x in np.meshgrid(np.arange(4), np.arange(3), indexing="ij"))
    pairs = dice_pairs(left, right, li, ri, chunk=5)
    expected = np.array([[_dice_of_sets(a, b) for b in right] for a in left])
    np.testing.assert_allclose(matrix, expected, atol=1e-6)
    np.testing.assert_allclose(pairs.reshape(4, 3), expected, atol=1e-12)
    assert matrix[0, 0] == 1.0  # same name, same key: the same filter
    assert (matrix[2] == 0).all()  # a missing name is an empty filter
    assert 0.3 < matrix[1, 1] < 1.0  # PONGWI / PONGSWI share most bigrams


def test_hardening_changes_length_and_keeps_similar_names_similar() -> None:
    names = ["CANGPONG", "CANGPONGO", "WIYEN"]
    for config, width in [(BloomConfig(key=KEY, xor_fold=True), 512),
                          (BloomConfig(key=KEY, balance=True), 2048)]:
        f = encode(names, config, field="name")
        assert f.shape == (3, width // 8)
        d = dice_matrix(f, f)
        assert d[0, 1] > d[0, 2], (config, d)


def test_tokens_agree_across_fields_only_within_a_domain() -> None:
    frame = pl.DataFrame({"id": ["1", "2"], "a": ["KIM", "LEE"], "b": ["LEE", None],
                          "c": ["KIM", "LEE"]})
    out = encode_frame(frame, BloomConfig(key=KEY), uid="id", bloom_fields=(),
                       token_fields=("a", "b", "c"), token_domains={"a": "key", "b": "key"})
    assert out["a"][1] == out["b"][0]  # LEE in a and in b: one domain, one token
    assert out["a"][0] != out["c"][0]  # KIM in a and in c: different domains
    assert out["b"][1] is None  # a missing value is no token
    assert "KIM" not in "".join(out["a"].to_list())


def test_list_tokens_are_the_elements_tokens() -> None:
    frame = pl.DataFrame({"id": ["1", "2", "3"], "one": ["KIM", "LEE", "PARK"],
                          "many": [["LEE", "KIM"], [], None]})
    out = encode_frame(frame, BloomConfig(key=KEY), uid="id", bloom_fields=(),
                       token_fields=("one", "many"), token_domains={"one": "k", "many": "k"})
    assert out["many"][0] == f"{out['one'][1]} {out['one'][0]}"
    assert out["many"][1] is None
    assert out["many"][2] is None

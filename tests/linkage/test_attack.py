"""The pattern-mining attack re-identifies persons from weak Bloom filters, not from the
shipped (XOR-folded) ones; balancing alone does not stop it."""

from __future__ import annotations

from collections import Counter

import pytest

from migralink.errors import ConfigError
from migralink.linkage import name_keys
from migralink.linkage.attack import frequency_attack, pattern_mining_attack
from migralink.linkage.bloom import BloomConfig, encode
from migralink.linkage.synthetic import make_population

KEY = "a shared secret of the data owners"


def _names(n: int, seed: int) -> list[str]:
    pop = make_population(n, seed=seed)
    return [name_keys(f"{f} {g}", x).sorted_key
            for f, g, x in zip(pop["family"], pop["given"], pop["nationality"], strict=True)]


@pytest.fixture(scope="module")
def register_and_public() -> tuple[list[str], list[str]]:
    # the attacker's public list is an independent sample of the same population
    return _names(5000, seed=21), _names(5000, seed=22)


def test_pattern_mining_reidentifies_from_unhardened_filters(
        register_and_public: tuple[list[str], list[str]]) -> None:
    names, public = register_and_public
    config = BloomConfig(key=KEY)
    result = pattern_mining_attack(encode(names, config, field="name"), names, public,
                                   hashes=config.hashes)
    unique = sum(1 for c in Counter(names).values() if c == 1) / len(names)
    # most mined patterns carry their true bigram (rare bigrams are the hard ones)
    assert result.bigrams_right is not None
    assert result.bigrams_right >= 0.8, result
    # a large part of the persons with a unique name are found (at most `unique` can be)
    assert result.reidentified >= 0.05, (result, unique)
    assert result.reidentified <= unique, (result, unique)


def test_balancing_alone_does_not_stop_pattern_mining(
        register_and_public: tuple[list[str], list[str]]) -> None:
    names, public = register_and_public
    config = BloomConfig(key=KEY, balance=True)
    result = pattern_mining_attack(encode(names, config, field="name"), names, public,
                                   hashes=config.hashes, balanced=True)
    assert result.reidentified >= 0.05, result


def test_shipped_xor_folded_filters_resist_both_attacks(
        register_and_public: tuple[list[str], list[str]]) -> None:
    names, public = register_and_public
    config = BloomConfig(key=KEY, xor_fold=True)
    filters = encode(names, config, field="name")
    assert filters.shape == (len(names), config.bits // 16)
    frequency = frequency_attack(filters, names, public)
    assert frequency.reidentified <= 0.01, frequency
    # the attacker knows the filters are folded: a pattern may miss a quarter of its bits
    for slack in (0.0, 0.25):
        mined = pattern_mining_attack(filters, names, public, hashes=config.hashes, slack=slack)
        assert mined.reidentified <= 0.01, (slack, mined)


def test_attack_refuses_mismatched_inputs() -> None:
    filters = encode(["CANGPONG", "PONGWI"], BloomConfig(key=KEY), field="name")
    with pytest.raises(ConfigError, match="2 filters for 1 names"):
        frequency_attack(filters, ["CANGPONG"], ["CANGPONG"])
    with pytest.raises(ConfigError, match="public name list is empty"):
        pattern_mining_attack(filters, ["CANGPONG", "PONGWI"], [], hashes=20)

"""Simulated attacks on Bloom-filter encodings: frequency alignment and pattern mining.

The attacker holds the released filters of one field (the full name's phonetic key) and a
public list of the population's names with their frequencies, but not the HMAC key.

* **Frequency attack** — distinct filters ranked by frequency are aligned with names ranked
  by frequency; every record gets the name of its filter's rank.
* **Pattern-mining attack** — bit positions set by the same bigram occur together: positions
  whose record sets overlap almost completely (Jaccard ≥ ``jaccard``) are grouped, the groups
  are aligned with bigrams by frequency, each filter is decoded into the bigrams whose group
  it contains, and the record gets the listed name with the most similar bigram set.

A record is **re-identified** when the guessed name is its true name *and* that name belongs
to exactly one person of the population (so the guess points at one person).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from migralink.linkage.bloom import bigrams

__all__ = ["AttackResult", "frequency_attack", "pattern_mining_attack"]


@dataclass(frozen=True)
class AttackResult:
    """Shares of records whose name was guessed right, and re-identified."""

    correct_value: float
    reidentified: float


def _score(guesses: list[str | None], names: list[str],
           population: list[str] | None = None) -> AttackResult:
    counts = Counter(population if population is not None else names)
    right = [g == n for g, n in zip(guesses, names, strict=True)]
    unique = [r and counts[n] == 1 for r, n in zip(right, names, strict=True)]
    return AttackResult(sum(right) / len(names), sum(unique) / len(names))


def frequency_attack(filters: np.ndarray, names: list[str]) -> AttackResult:
    """Align filters and names by frequency rank (``names``: the true plaintext, whose
    frequencies the attacker is assumed to know exactly)."""
    keys = [row.tobytes() for row in filters]
    by_filter = [k for k, _ in Counter(keys).most_common()]
    by_name = [n for n, _ in Counter(names).most_common()]
    guess = dict(zip(by_filter, by_name, strict=False))
    return _score([guess.get(k) for k in keys], names)


def _groups(bits: np.ndarray, jaccard: float) -> list[np.ndarray]:
    x = bits.astype(np.float32)
    inter = x.T @ x
    count = np.diag(inter)
    union = count[:, None] + count[None, :] - inter
    similar = (inter / np.maximum(union, 1)) >= jaccard
    seen = np.zeros(len(count), dtype=bool)
    groups = []
    for i in np.argsort(-count):
        if seen[i] or count[i] == 0:
            continue
        members = np.flatnonzero(similar[i] & ~seen)
        seen[members] = True
        groups.append(members)
    return groups


def pattern_mining_attack(filters: np.ndarray, names: list[str], *, sample: int = 10_000,
                          evaluate: int = 5_000, jaccard: float = 0.9, seed: int = 0
                          ) -> AttackResult:
    """Decode filters through co-occurring bit positions aligned with bigram frequencies."""
    bits = np.unpackbits(filters, axis=1).astype(bool)
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(bits), size=min(sample, len(bits)), replace=False)
    learn = bits[rows]
    groups = _groups(learn, jaccard)
    group_freq = [float(learn[:, g].all(axis=1).mean()) for g in groups]
    gram_freq = Counter(g for n in names for g in set(bigrams(n)))
    ranked_grams = [g for g, _ in gram_freq.most_common()]
    ranked_groups = [groups[i] for i in np.argsort(group_freq)[::-1]]
    mapping = list(zip(ranked_groups, ranked_grams, strict=False))
    if not mapping:
        return AttackResult(0.0, 0.0)
    # decode an evaluation sample of records (the rates are estimated on it)
    judged = rng.choice(len(bits), size=min(evaluate, len(bits)), replace=False)
    judge = bits[judged]
    present = np.stack([judge[:, g].all(axis=1) for g, _ in mapping], axis=1)
    listed = sorted(set(names))
    column = {gram: j for j, (_, gram) in enumerate(mapping)}
    lmat = np.zeros((len(listed), len(mapping)), dtype=np.float32)
    full = np.array([len(set(bigrams(n))) for n in listed], dtype=np.float32)
    for i, n in enumerate(listed):
        for gram in set(bigrams(n)):
            if gram in column:
                lmat[i, column[gram]] = 1.0
    guesses: list[str | None] = []
    dmat = present.astype(np.float32)
    for s in range(0, len(dmat), 512):
        d = dmat[s:s + 512]
        inter = d @ lmat.T
        # Jaccard against every listed name's full bigram set (unmapped bigrams count)
        union = d.sum(axis=1, keepdims=True) + full[None, :] - inter
        best = np.argmax(inter / np.maximum(union, 1), axis=1)
        guesses.extend(listed[b] if d[k].any() else None for k, b in enumerate(best))
    return _score(guesses, [names[i] for i in judged], names)

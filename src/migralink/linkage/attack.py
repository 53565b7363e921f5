"""Simulated attacks on Bloom-filter encodings of names (Christen, Schnell, Vatsalan et al.).

The attacker holds the released filters of one field (the full name's phonetic key), the
encoding parameters except the key (filter length, ``k`` hashes, padded bigrams, the
hardening method) and a **public name list with frequencies** — an independent sample of the
same population (a telephone book, a census name list), not the register itself.

* **Frequency attack** — distinct filters ranked by frequency are aligned with the public
  names ranked by frequency; every record gets the name of its filter's rank.
* **Pattern-mining attack** (after Christen, Ranbaduge, Vatsalan and Schnell, *Precise and
  fast cryptanalysis for Bloom filter based privacy-preserving record linkage*, IEEE TKDE
  2019): the ``k`` positions of a bigram are set in *every* filter whose plaintext contains
  it, so bigram patterns are mined as maximal itemsets of bit positions (:func:`mine_patterns`:
  seeded by the most frequent bit not yet explained, grown greedily by conditional support);
  the mined patterns are labelled with bigrams by frequency alignment and refined by
  co-occurrence with the other bigrams (:func:`label_patterns`, an assignment problem);
  each filter is decoded into its bigram set and matched to the public list (the most
  frequent public name with the same decoded bigrams).

A record is **re-identified** when the guessed name is its true name *and* that name belongs
to exactly one person of the population (so the guess points at one person).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from migralink.errors import ConfigError
from migralink.linkage.bloom import bigrams

__all__ = ["AttackResult", "frequency_attack", "label_patterns", "mine_patterns",
           "pattern_mining_attack"]


@dataclass(frozen=True)
class AttackResult:
    """Shares of records whose name was guessed right, and re-identified.

    ``patterns`` (pattern mining only) is the number of bit patterns mined and
    ``bigrams_right`` the share of them labelled with their true bigram when the attacker's
    labels can be checked (``None`` otherwise).
    """

    correct_value: float
    reidentified: float
    patterns: int = 0
    bigrams_right: float | None = None


def _score(guesses: Sequence[str | None], names: Sequence[str]) -> tuple[float, float]:
    counts = Counter(names)
    right = [g == n for g, n in zip(guesses, names, strict=True)]
    unique = [r and counts[n] == 1 for r, n in zip(right, names, strict=True)]
    return sum(right) / len(names), sum(unique) / len(names)


def _check(filters: np.ndarray, names: Sequence[str], public: Sequence[str]) -> None:
    if len(filters) != len(names) or not len(names):
        raise ConfigError(f"{len(filters)} filters for {len(names)} names",
                          hint="pass one filter per record and the records' true names")
    if not public:
        raise ConfigError("the attacker's public name list is empty",
                          hint="pass an independent sample of names with repeats as frequencies")


def frequency_attack(filters: np.ndarray, names: Sequence[str],
                     public: Sequence[str]) -> AttackResult:
    """Align distinct filters and public names by frequency rank (``names``: the true
    plaintext, used only to score the guesses)."""
    _check(filters, names, public)
    keys = [row.tobytes() for row in filters]
    by_filter = [k for k, _ in Counter(keys).most_common()]
    by_name = [n for n, _ in Counter(public).most_common()]
    guess = dict(zip(by_filter, by_name, strict=False))
    right, reid = _score([guess.get(k) for k in keys], names)
    return AttackResult(right, reid)


@dataclass(frozen=True)
class Patterns:
    """Mined bit patterns over the distinct filters: ``positions[i]`` are the bit columns of
    pattern ``i`` and ``present[:, i]`` the distinct filters that contain all of them."""

    positions: list[np.ndarray]
    present: np.ndarray  # bool, distinct filters × patterns


def _bits(filters: np.ndarray, balanced: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct filters as a float bit matrix, their counts, and each record's row."""
    rows, inverse, counts = np.unique(filters, axis=0, return_inverse=True, return_counts=True)
    bits = np.unpackbits(rows, axis=1).astype(np.float32)
    if balanced:
        # the attacker knows balancing appends the complement: a column set in more than
        # half the records is (almost surely) a complemented bit; the rest are the plain
        # filter, permuted, which is all pattern mining needs
        freq = counts.astype(np.float64) @ bits / counts.sum()
        bits = bits[:, freq <= 0.5]
    return bits, counts.astype(np.float32), inverse.reshape(-1)


def _core(setb: np.ndarray, weights: np.ndarray, own: np.ndarray, slack: float) -> np.ndarray:
    """Drop the positions of an itemset that chance added: among the filters with most of
    the itemset set, a bigram's own positions are set (nearly) always, the others not."""
    if len(own) == 0:
        return own
    most = setb[:, own].sum(axis=1) >= min(0.8, 1 - slack) * len(own)
    w = weights[most]
    if w.sum() == 0:
        return own
    support = (w @ setb[np.ix_(most, own)].astype(np.float32)) / w.sum()
    return np.asarray(own[support >= (0.97 if slack == 0 else 1 - slack)], dtype=np.int64)


def mine_patterns(bits: np.ndarray, weights: np.ndarray, k: int, *, min_support: float = 5,
                  max_patterns: int = 400, full: float = 0.995, slack: float = 0.0
                  ) -> Patterns:
    """Mine bigram patterns: itemsets of bit positions set together.

    Seeded by the bit with the largest unexplained support (set in filters whose known
    patterns do not cover it), the itemset grows by the position with the highest
    conditional support until it holds ``k`` positions not owed to a pattern that every
    covered filter already contains; the records of the pattern are the filters with all
    of those positions set. ``weights`` are the counts of the distinct filters.

    ``slack`` is the share of a pattern's positions that may be unset in a filter holding
    it: 0 for plain filters; an attacker who knows the filters were XOR-folded allows for
    the positions that the other half cancelled (about a fifth at the fill of names).
    """
    n_rows, n_bits = bits.shape
    setb = bits > 0
    explained = np.zeros_like(setb)
    residual = weights @ bits
    tried = np.zeros(n_bits, dtype=bool)
    positions: list[np.ndarray] = []
    present = np.zeros((n_rows, max_patterns), dtype=np.float32)
    members = np.zeros((max_patterns, n_bits), dtype=bool)  # positions of each pattern
    while len(positions) < max_patterns:
        seed = int(np.argmax(np.where(tried, -1.0, residual)))
        if tried[seed] or residual[seed] < min_support:
            break
        tried[seed] = True  # cleared below when the seed yields a pattern
        start = np.flatnonzero(setb[:, seed] & ~explained[:, seed])
        hits = np.ones(len(start), dtype=np.int64)
        idx = start
        chosen = np.zeros(n_bits, dtype=bool)
        chosen[seed] = True
        owed = np.zeros(n_bits, dtype=bool)
        for _ in range(2 * k):  # a real bigram is found in about k steps
            w = weights[idx]
            # einsum, not BLAS: threads of a BLAS call cost more than these small products
            support = np.einsum("i,ij->j", w, bits[idx]) / w.sum()
            cover = np.einsum("i,ij->j", w, present[idx, :len(positions)]) / w.sum()
            owed = members[:len(positions)][cover >= full].any(axis=0)
            support[chosen] = -1.0
            if (chosen & ~owed).sum() >= k:
                if slack == 0:
                    chosen |= support >= full
                break
            q = int(np.argmax(support))
            chosen[q] = True
            hits += setb[start, q]
            idx = start[hits >= np.ceil((1 - slack) * chosen.sum() - 1e-9)]
            if not len(idx):
                break
        own = _core(setb, weights, np.flatnonzero(chosen & ~owed), slack)
        has = (setb[:, own].sum(axis=1) >= np.ceil((1 - slack) * len(own) - 1e-9)
               if len(own) else np.zeros(n_rows, dtype=bool))
        if (len(own) < k // 2 or weights[has].sum() < min_support or seed not in own
                or (members[:len(positions), own].sum(axis=1) > len(own) // 2).any()):
            continue
        tried[seed] = False
        rows = np.flatnonzero(has)
        block = setb[np.ix_(rows, own)] & ~explained[np.ix_(rows, own)]
        residual[own] -= weights[rows] @ block.astype(np.float32)
        explained[np.ix_(rows, own)] = True
        members[len(positions), own] = True
        present[:, len(positions)] = has
        positions.append(own)
    return Patterns(positions, present[:, :len(positions)] > 0)


def _gram_matrix(values: Sequence[str], grams: list[str]) -> np.ndarray:
    column = {g: j for j, g in enumerate(grams)}
    out = np.zeros((len(values), len(grams)), dtype=bool)
    for i, v in enumerate(values):
        for g in bigrams(v):
            if g in column:  # a bigram outside the attacker's list stays unknown
                out[i, column[g]] = True
    return out


def label_patterns(present: np.ndarray, weights: np.ndarray, public_grams: np.ndarray,
                   public_counts: np.ndarray, rounds: int = 8) -> np.ndarray:
    """Label mined patterns with bigrams (column indices of ``public_grams``).

    First by frequency alone, then repeatedly by the whole co-occurrence profile: the cost of
    pattern ``i`` as bigram ``g`` compares the share of records holding ``i`` and each other
    labelled pattern ``j`` with the public share holding ``g`` and ``j``'s bigram (square
    roots, so rare and common bigrams weigh alike); each round is an assignment problem.
    """
    x = present.astype(np.float32)
    mined = np.sqrt((x.T * weights) @ x / weights.sum())          # patterns × patterns
    g = public_grams.astype(np.float32)
    pub = np.sqrt((g.T * public_counts) @ g / public_counts.sum())  # bigrams × bigrams
    _, label = linear_sum_assignment(
        np.abs(np.diag(mined)[:, None] - np.diag(pub)[None, :]))
    for _ in range(rounds):
        # cost[i, c] = sum_j (mined[i, j] - pub[c, label[j]])^2
        profile = pub[:, label]                                      # bigrams × patterns
        cost = ((mined ** 2).sum(axis=1)[:, None] - 2 * mined @ profile.T
                + (profile ** 2).sum(axis=1)[None, :])
        # the pattern's own frequency is compared with the candidate's, not its label's
        own = np.diag(mined)[:, None]
        cost += (own - np.diag(pub)[None, :]) ** 2 - (own - profile.T) ** 2
        _, new = linear_sum_assignment(cost)
        if np.array_equal(new, label):
            break
        label = new
    return np.asarray(label, dtype=np.int64)


def pattern_mining_attack(filters: np.ndarray, names: Sequence[str], public: Sequence[str], *,
                          hashes: int, balanced: bool = False, slack: float = 0.0,
                          min_support: float = 5) -> AttackResult:
    """Mine bigram patterns, label them, decode every filter and match it to the public list.

    ``names`` (the true plaintext) only scores the guesses and checks the labels;
    ``hashes`` and ``balanced`` are encoding parameters the attacker is assumed to know;
    ``slack`` adapts the mining to XOR folding (see :func:`mine_patterns`).
    """
    _check(filters, names, public)
    bits, weights, row_of = _bits(filters, balanced)
    patterns = mine_patterns(bits, weights, hashes, min_support=min_support, slack=slack)
    counted = Counter(public)
    pub_names = sorted(counted, key=lambda n: -counted[n])
    grams = sorted({g for n in pub_names for g in bigrams(n)})
    pub_grams = _gram_matrix(pub_names, grams)
    if not patterns.positions:
        return AttackResult(0.0, 0.0, 0, None)
    present = patterns.present[:, :len(grams)]  # at most one pattern per bigram
    used = label_patterns(present, weights, pub_grams,
                          np.array([counted[n] for n in pub_names], dtype=np.float32))
    # decode: each distinct filter's labelled bigrams; public names keyed the same way
    by_signature: dict[bytes, str] = {}
    for n, row in zip(pub_names, pub_grams[:, used], strict=True):
        by_signature.setdefault(np.packbits(row).tobytes(), n)  # most frequent first
    guesses_by_row = [by_signature.get(np.packbits(r).tobytes())
                      for r in present]
    guesses = [guesses_by_row[r] for r in row_of]
    right, reid = _score(guesses, names)
    # how many patterns carry their true bigram: the records of a pattern should all hold it
    true_grams = _gram_matrix(sorted(set(names)), grams)
    truth_row = {n: i for i, n in enumerate(sorted(set(names)))}
    first = {int(r): names[i] for i, r in enumerate(row_of)}
    plain = true_grams[[truth_row[first[r]] for r in range(len(bits))]]
    holds = [(weights[present[:, i]] @ plain[present[:, i], c])
             / max(weights[present[:, i]].sum(), 1) >= 0.99 for i, c in enumerate(used)]
    return AttackResult(right, reid, len(patterns.positions), float(np.mean(holds)))

"""Privacy-preserving linkage: keyed field-level Bloom filters and Dice similarity.

Each data owner encodes each identifying field into a Bloom filter (a cryptographic long-term
key in the sense of Schnell et al. 2009) and only the filters leave the agency:

* q-grams: bigrams of the normalised value, padded with ``_`` at both ends; names are first
  written as their cross-script phonetic key (:func:`.names.name_keys`), so a Hangul and a
  Latin register produce the same bigrams for the same person;
* positions: ``k`` per bigram by double hashing, both hashes from HMAC-SHA256 under the key
  shared by the data owners only (the linkage unit never holds it);
* salting: the field name, and optionally a per-record value (``salt_column``), enter every
  HMAC, so equal bigrams of different fields or salts set unrelated bits;
* hardening: ``balance`` (append the complement and permute under the key: every filter has
  exactly half its bits set, hiding the value's length) or ``xor_fold`` (XOR the two halves).

Filters are NumPy ``uint8`` rows (packed bits); :func:`dice` uses ``np.bitwise_count``.
For Splink on DuckDB a filter becomes a ``'0101…'`` string compared with ``BIT`` operations.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from migralink.errors import ConfigError

__all__ = ["BloomConfig", "bigrams", "dice", "dice_matrix", "dice_pairs", "encode", "encode_frame",
           "to_bits"]


@dataclass(frozen=True)
class BloomConfig:
    """How fields are encoded.

    Attributes:
        key: the secret shared by the data owners (bytes as a hex or text string).
        bits: filter length before hardening (1024).
        hashes: positions per bigram (``k``).
        balance: append the complement and permute (doubles the length).
        xor_fold: fold the filter in half with XOR (halves the length).
    """

    key: str
    bits: int = 1024
    hashes: int = 20
    balance: bool = False
    xor_fold: bool = False

    def __post_init__(self) -> None:
        if len(self.key) < 16:
            raise ConfigError("the Bloom-filter key is shorter than 16 characters",
                              hint="share a long random secret between the data owners")
        if self.bits % 64 or self.bits <= 0:
            raise ConfigError(f"bits={self.bits} must be a positive multiple of 64")
        if self.balance and self.xor_fold:
            raise ConfigError("choose balancing or XOR folding, not both")


def bigrams(value: str) -> list[str]:
    """The padded bigrams of a value: ``"ab"`` → ``["_a", "ab", "b_"]``."""
    s = f"_{value}_"
    return [s[i:i + 2] for i in range(len(s) - 1)]


@cache
def _positions(key: str, salt: str, gram: str, bits: int, k: int) -> np.ndarray:
    digest = hmac.new(key.encode(), f"{salt}\x1f{gram}".encode(), hashlib.sha256).digest()
    h1 = int.from_bytes(digest[:8], "big")
    h2 = int.from_bytes(digest[8:16], "big") | 1  # odd: the k positions differ
    return np.array([(h1 + i * h2) % bits for i in range(k)], dtype=np.int64)


@cache
def _permutation(key: str, bits: int) -> np.ndarray:
    seed = int.from_bytes(hmac.new(key.encode(), b"balance", hashlib.sha256).digest()[:8], "big")
    return np.random.default_rng(seed).permutation(bits)


def encode(values: Sequence[str | None], config: BloomConfig, *, field: str,
           salts: Sequence[str] | None = None) -> np.ndarray:
    """Encode values into packed Bloom filters (one ``uint8`` row per value).

    A missing value gives an all-zero row (Dice 0 with everything, like a null).
    """
    rows = np.zeros((len(values), config.bits), dtype=bool)
    for i, v in enumerate(values):
        if not v:
            continue
        salt = f"{field}\x1e{salts[i] if salts is not None else ''}"
        for g in bigrams(v):
            rows[i, _positions(config.key, salt, g, config.bits, config.hashes)] = True
    if config.balance:
        full = np.concatenate([rows, ~rows], axis=1)
        full[[i for i, v in enumerate(values) if not v]] = False
        rows = full[:, _permutation(config.key, 2 * config.bits)]
    elif config.xor_fold:
        half = config.bits // 2
        rows = rows[:, :half] ^ rows[:, half:]
    return np.packbits(rows, axis=1)


def dice(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dice coefficients of aligned rows of two packed filter arrays."""
    inter = np.bitwise_count(a & b).sum(axis=1, dtype=np.int64)
    total = np.bitwise_count(a).sum(axis=1, dtype=np.int64) + np.bitwise_count(b).sum(
        axis=1, dtype=np.int64)
    return np.where(total > 0, 2.0 * inter / np.maximum(total, 1), 0.0)


def dice_pairs(left: np.ndarray, right: np.ndarray, li: np.ndarray, ri: np.ndarray,
               chunk: int = 262_144) -> np.ndarray:
    """Dice of the pairs ``(left[li[j]], right[ri[j]])``.

    Rows are read as 64-bit words and each filter's popcount is computed once, so a pair
    costs one AND and one popcount per word (the chunk bounds the temporary memory).
    """
    lw = np.ascontiguousarray(left).view(np.uint64)
    rw = np.ascontiguousarray(right).view(np.uint64)
    lc = np.bitwise_count(lw).sum(axis=1, dtype=np.int64)
    rc = np.bitwise_count(rw).sum(axis=1, dtype=np.int64)
    out = np.empty(len(li), dtype=np.float64)
    for s in range(0, len(li), chunk):
        a, b = li[s:s + chunk], ri[s:s + chunk]
        inter = np.bitwise_count(lw[a] & rw[b]).sum(axis=1, dtype=np.int64)
        total = lc[a] + rc[b]
        out[s:s + chunk] = np.where(total > 0, 2.0 * inter / np.maximum(total, 1), 0.0)
    return out


def dice_matrix(left: np.ndarray, right: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Dice of every pair ``(left[i], right[j])`` as a ``float32`` matrix (a block's pairs).

    The common bits of all pairs are one matrix product of the unpacked bits (exact: counts
    stay far below 2**24 in ``float32``), which BLAS runs at several times the speed of a
    popcount per pair gathered from memory.
    """
    rb = np.unpackbits(right, axis=1).astype(np.float32)
    rc = rb.sum(axis=1)
    out = np.empty((len(left), len(right)), dtype=np.float32)
    for s in range(0, len(left), chunk):
        lb = np.unpackbits(left[s:s + chunk], axis=1).astype(np.float32)
        total = lb.sum(axis=1)[:, None] + rc[None, :]
        out[s:s + chunk] = np.where(total > 0, 2.0 * (lb @ rb.T) / np.maximum(total, 1), 0.0)
    return out


def to_bits(packed: np.ndarray) -> list[str | None]:
    """Filters as ``'0101…'`` strings for DuckDB's ``BIT`` type (``None`` when empty)."""
    unpacked = np.unpackbits(packed, axis=1)
    out: list[str | None] = []
    for row in unpacked:
        out.append(row.astype(np.uint8).tobytes().translate(bytes.maketrans(b"\0\1", b"01"))
                   .decode() if row.any() else None)
    return out


def _hmac_token(key: str, field: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    return hmac.new(key.encode(), f"{field}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:16]


def encode_frame(frame: pl.DataFrame, config: BloomConfig, *, uid: str,
                 bloom_fields: Sequence[str], token_fields: Sequence[str] = (),
                 salt_column: str | None = None,
                 token_domains: Mapping[str, str] | None = None) -> pl.DataFrame:
    """What a data owner releases: the id, Bloom filters of ``bloom_fields`` (as bit strings)
    and keyed HMAC tokens of ``token_fields`` (for exact comparison and blocking).

    A token's HMAC is salted with its field name, so equal values of different fields give
    unrelated tokens, unless ``token_domains`` maps the fields to one domain: then equal
    values agree across those fields (a name's alternative reading against another record's
    sorted key), at the cost of showing which of a record's keys are equal. A list-valued
    token field is released as its elements' tokens joined by spaces (``None`` when empty)."""
    salts = None
    if salt_column is not None:
        salts = [str(s or "") for s in frame[salt_column].to_list()]
    cols: dict[str, list[str | None]] = {uid: [str(x) for x in frame[uid].to_list()]}
    for f in bloom_fields:
        values = [None if v is None else str(v) for v in frame[f].to_list()]
        cols[f] = to_bits(encode(values, config, field=f, salts=salts))
    for f in token_fields:
        domain = (token_domains or {}).get(f, f)
        if isinstance(frame[f].dtype, pl.List):
            tokens = [[_hmac_token(config.key, domain, str(x)) for x in v or () if x]
                      for v in frame[f].to_list()]
            cols[f] = [" ".join(t for t in ts if t) or None for ts in tokens]
            continue
        cols[f] = [_hmac_token(config.key, domain, None if v is None else str(v))
                   for v in frame[f].to_list()]
    return pl.DataFrame(cols, schema={c: pl.String for c in cols})

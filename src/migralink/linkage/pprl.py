"""Linkage on Bloom-filter encodings: what each agency releases, and the specs that link it.

:func:`encode_register` is run by each data owner with the shared key: it derives the
blocking values (year of birth, day and month, name-word keys), transliterates names into
their cross-script phonetic key, and releases only Bloom filters and keyed HMAC tokens.
The linkage unit then runs an ordinary :class:`.spec.LinkageSpec` on the encodings, with
Dice levels in place of string similarities (:func:`febrl_pprl_spec`,
:func:`registers_pprl_spec`).
"""

from __future__ import annotations

import polars as pl

from migralink.linkage.bloom import BloomConfig, encode_frame
from migralink.linkage.engine import prepare
from migralink.linkage.hangul import phonetic_key
from migralink.linkage.presets import default_spec
from migralink.linkage.sino import sino_ranked
from migralink.linkage.spec import Comparison, LinkageSpec

__all__ = ["encode_febrl", "encode_register", "febrl_pprl_spec", "registers_pprl_spec"]

FEBRL_BLOOM = ("given_name", "surname", "address_1", "suburb", "dob")
FEBRL_TOKENS = ("postcode", "street_number", "state")
FEBRL_BLOCK = ("given_name", "surname", "dob", "postcode", "suburb")
# the name keys released as tokens (:class:`.names.NameKeys`): the readings of the whole name,
# which are compared with each other, then the consonants and the first and last words
READING_KEYS = ("skey", "akey", "akey2", "lkey")
NAME_KEYS = (*READING_KEYS, "skel", "first", "last")
# how many Sino-Korean readings of a Chinese name in Latin letters are released as tokens: on
# the synthetic registers (20,000 persons) the 64 most likely hold the Hangul register's
# reading for 491 of the 552 true pairs matched in plaintext by the pattern of all readings
SINO_READINGS = 64


def encode_febrl(frame: pl.DataFrame, config: BloomConfig) -> pl.DataFrame:
    """A FEBRL file as its owner would release it (no plaintext identifiers)."""
    blocks = frame.select("rec_id", *[pl.col(c).alias(f"{c}__tok") for c in FEBRL_BLOCK])
    enc = encode_frame(frame.join(blocks, on="rec_id"), config, uid="rec_id",
                       bloom_fields=FEBRL_BLOOM,
                       token_fields=(*FEBRL_TOKENS, *(f"{c}__tok" for c in FEBRL_BLOCK)))
    return enc


def febrl_pprl_spec(link_type: str = "link_only") -> LinkageSpec:
    """FEBRL on encodings: Dice levels on names, address and date; tokens for the rest."""
    dice3 = (0.95, 0.85, 0.7)
    return LinkageSpec(
        comparisons=(Comparison("given_name", "dice", dice3),
                     Comparison("surname", "dice", dice3),
                     Comparison("dob", "dice", (0.95, 0.8, 0.6)),
                     Comparison("suburb", "dice", (0.9, 0.7)),
                     Comparison("postcode"), Comparison("street_number"),
                     Comparison("address_1", "dice", (0.9, 0.7)),
                     Comparison("state")),
        blocking_rules=tuple(f"l.{c}__tok = r.{c}__tok" for c in FEBRL_BLOCK),
        training_rules=("l.dob__tok = r.dob__tok", "l.surname__tok = r.surname__tok",
                        "l.given_name__tok = r.given_name__tok"),
        deterministic_rules=("l.given_name__tok = r.given_name__tok AND "
                             "l.surname__tok = r.surname__tok AND l.dob__tok = r.dob__tok",),
        deterministic_recall=0.6, link_type=link_type,  # type: ignore[arg-type]
        threshold=0.5, name="febrl (Bloom filters)")


def _reading_keys(names: pl.Series, patterns: pl.Series, k: int) -> pl.Series:
    """The sorted keys of the ``k`` most likely Sino-Korean readings of each Chinese name in
    Latin letters (those with a pattern of readings), empty for other names."""
    out = [sorted({phonetic_key(r, sort_syllables=True) for r in sino_ranked(n, k)} - {""})
           if n and (p or "").startswith("^") else [] for n, p in zip(names, patterns, strict=True)]
    return pl.Series("name__readings", out, dtype=pl.List(pl.String))


def encode_register(frame: pl.DataFrame, config: BloomConfig, *,
                    readings: int = SINO_READINGS) -> pl.DataFrame:
    """A migrant register as its owner would release it: the full name transliterated to its
    sorted phonetic key and Bloom-encoded (``name``); keyed tokens of its keys
    (``name__skey``, ``__akey``, ``__akey2``, ``__lkey``, ``__skel``, ``__first``, ``__last``:
    see :class:`.names.NameKeys`), so that 李明 written ``LI MING`` in one register and 이명 in
    the other still agree through the Sino-Korean reading; the date of birth Bloom-encoded
    with day and month in ascending order (a swapped day and month, a common register error,
    then agrees as the plaintext ``date`` level does); date parts, sex, nationality and
    region as keyed tokens. No other filter of the name is released (each one helps an
    attacker). A Chinese name in Latin letters also releases the tokens of the keys of its
    ``readings`` most likely Sino-Korean readings (``name__readings``, space-separated), the
    counterpart of the plaintext level that matches every reading of each syllable."""
    skey = pl.col("full_name__skey")
    plain = prepare(frame, default_spec())
    dob = pl.col("dob")
    year, month, day = dob.str.slice(0, 4), dob.str.slice(5, 2), dob.str.slice(8, 2)
    canonical = pl.concat_str([year, pl.min_horizontal(month, day),
                               pl.max_horizontal(month, day)], separator="-")
    keys = {f"name__{k}": pl.col(f"full_name__{k}") for k in NAME_KEYS}
    derived = plain.with_columns(
        skey.alias("name"), canonical.alias("dob"),
        canonical.alias("cdob__tok"), year.alias("yob__tok"), month.alias("month__tok"),
        dob.str.slice(5, 5).alias("dmd__tok"), dob.str.slice(0, 7).alias("ym__tok"),
        _reading_keys(plain["full_name"], plain["full_name__sino"], readings), **keys)
    # the reading keys share one HMAC domain, so that one record's alternative reading
    # meets the other's sorted key in blocking and in the name comparison (a token per field
    # would never agree across fields)
    return encode_frame(derived, config, uid="rec_id", bloom_fields=("name", "dob"),
                        token_fields=("sex", "nationality", "region", "cdob__tok", "yob__tok",
                                      "month__tok", "dmd__tok", "ym__tok", *keys,
                                      "name__readings"),
                        token_domains={f"name__{k}": "name_key"
                                       for k in (*READING_KEYS, "readings")})


def registers_pprl_spec() -> LinkageSpec:
    """Migrant registers on encodings (the plaintext :func:`.presets.default_spec` mirrored:
    its blocking rules, EM sessions, prior and threshold; the name compared as the plaintext
    name is, through its keyed tokens, with Dice levels of its filter in place of the
    Jaro-Winkler levels; Dice levels for the date of birth). The plaintext level for any
    Sino-Korean reading of each syllable becomes a level for the likeliest readings (a
    pattern of readings cannot be matched through tokens)."""
    ends = [f"l.name__{x} = r.name__{y} AND l.{b}__tok = r.{b}__tok"
            for x in ("first", "last") for y in ("first", "last") for b in ("yob", "dmd")]
    return LinkageSpec(
        # the name's levels in the plaintext order: same key, alternative, second Sino-Korean
        # and letter-by-letter readings, consonants (keyed tokens), then Dice of the filter
        comparisons=(Comparison("name", "bloom_name", (0.85, 0.75, 0.6, 0.45, 0.3)),
                     Comparison("dob", "dice", (0.95, 0.8, 0.6)),
                     Comparison("sex"), Comparison("nationality"), Comparison("region")),
        blocking_rules=("l.cdob__tok = r.cdob__tok", "l.name__skey = r.name__skey",
                        "l.name__akey = r.name__skey", "l.name__skey = r.name__akey",
                        "l.name__akey = r.name__akey",
                        "l.name__akey2 = r.name__skey", "l.name__skey = r.name__akey2",
                        "l.name__lkey = r.name__skey", "l.name__skey = r.name__lkey",
                        "l.name__skel = r.name__skel AND coalesce(l.sex, r.sex) = "
                        "coalesce(r.sex, l.sex) AND coalesce(l.nationality, r.nationality) = "
                        "coalesce(r.nationality, l.nationality)", *ends,
                        "l.name__first = r.name__first AND l.name__last = r.name__last",
                        "l.name__first = r.name__last AND l.name__last = r.name__first",
                        "l.ym__tok = r.ym__tok AND l.nationality = r.nationality "
                        "AND l.sex = r.sex",
                        "l.dmd__tok = r.dmd__tok AND l.nationality = r.nationality "
                        "AND l.sex = r.sex AND l.region = r.region"),
        # the date session names the date filter (equal filters, equal canonical dates), so
        # that Splink leaves the date out of it as default_spec's ``l.dob = r.dob`` does:
        # blocking on the date token instead trained the date on pairs that all agree on
        # it, and its weight drew namesakes into the match class (name m "all other" 0.65).
        # The birth month keeps namesakes out of the name session (as in default_spec).
        training_rules=("l.dob = r.dob",
                        "l.name__skey = r.name__skey AND l.month__tok = r.month__tok"),
        deterministic_rules=("l.name__skey = r.name__skey AND l.cdob__tok = r.cdob__tok",),
        # one record per person and register: each record keeps its single best link, and
        # even odds are the threshold (as in default_spec)
        deterministic_recall=0.6, threshold=0.5, one_to_one=True,
        name="migrant registers (Bloom filters)")

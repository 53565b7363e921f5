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
from migralink.linkage.presets import default_spec
from migralink.linkage.spec import Comparison, LinkageSpec

__all__ = ["encode_febrl", "encode_register", "febrl_pprl_spec", "registers_pprl_spec"]

FEBRL_BLOOM = ("given_name", "surname", "address_1", "suburb", "dob")
FEBRL_TOKENS = ("postcode", "street_number", "state")
FEBRL_BLOCK = ("given_name", "surname", "dob", "postcode", "suburb")


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


def encode_register(frame: pl.DataFrame, config: BloomConfig) -> pl.DataFrame:
    """A migrant register as its owner would release it: the full name transliterated to its
    sorted phonetic key and Bloom-encoded; a second name filter for the Sino-Korean reading
    (``name_alt``: a Chinese name in Latin letters gives its most likely Sino-Korean reading's
    key, a Hangul name its own key, other names nothing), so that 李明 written ``LI MING`` in
    one register and 이명 in the other still agree; the date of birth Bloom-encoded with day
    and month in ascending order (a swapped day and month, a common register error, then
    agrees as the plaintext ``date`` level does); blocking values, sex, nationality and
    region as keyed tokens. Nothing else of the name is released (each extra filter of it helps an
    attacker)."""
    skey, akey = pl.col("full_name__skey"), pl.col("full_name__akey")
    latin_chinese = pl.col("full_name__sino").str.starts_with("^")  # a pattern of readings
    sino = (pl.when(pl.col("full_name").str.contains("[가-힣]")).then(skey)
            .when(latin_chinese & (akey != skey)).then(akey).otherwise(None))
    plain = prepare(frame, default_spec())
    dob = pl.col("dob")
    year, month, day = dob.str.slice(0, 4), dob.str.slice(5, 2), dob.str.slice(8, 2)
    canonical = pl.concat_str([year, pl.min_horizontal(month, day),
                               pl.max_horizontal(month, day)], separator="-")
    derived = plain.with_columns(
        skey.alias("name"), sino.alias("name_alt"), canonical.alias("dob"),
        canonical.alias("cdob__tok"), year.alias("yob__tok"), month.alias("month__tok"),
        dob.str.slice(5, 5).alias("dmd__tok"), dob.str.slice(0, 7).alias("ym__tok"),
        pl.col("full_name__skey").alias("skey__tok"), pl.col("full_name__akey").alias("akey__tok"),
        pl.col("full_name__akey2").alias("akey2__tok"),
        pl.col("full_name__lkey").alias("lkey__tok"),
        pl.col("full_name__skel").alias("skel__tok"),
        pl.col("full_name__first").alias("first__tok"),
        pl.col("full_name__last").alias("last__tok"))
    return encode_frame(derived, config, uid="rec_id", bloom_fields=("name", "name_alt", "dob"),
                        token_fields=("sex", "nationality", "region", "cdob__tok", "yob__tok",
                                      "month__tok", "dmd__tok", "ym__tok", "skey__tok",
                                      "akey__tok", "akey2__tok", "lkey__tok", "skel__tok",
                                      "first__tok", "last__tok"))


def registers_pprl_spec() -> LinkageSpec:
    """Migrant registers on encodings (the plaintext :func:`.presets.default_spec` mirrored:
    its blocking rules, EM sessions, prior and threshold, with Dice levels for the name and
    the date of birth)."""
    ends = [f"l.{x}__tok = r.{y}__tok AND l.{b}__tok = r.{b}__tok"
            for x in ("first", "last") for y in ("first", "last") for b in ("yob", "dmd")]
    return LinkageSpec(
        comparisons=(Comparison("name", "dice", (0.95, 0.85, 0.75, 0.6)),
                     # one level: the same Sino-Korean reading (null unless one side is a
                     # Chinese name in Latin letters, so other names are not counted twice)
                     Comparison("name_alt", "dice", (0.95,)),
                     Comparison("dob", "dice", (0.95, 0.8, 0.6)),
                     Comparison("sex"), Comparison("nationality"), Comparison("region")),
        blocking_rules=("l.cdob__tok = r.cdob__tok", "l.skey__tok = r.skey__tok",
                        "l.akey__tok = r.skey__tok", "l.skey__tok = r.akey__tok",
                        "l.akey__tok = r.akey__tok",
                        "l.akey2__tok = r.skey__tok", "l.skey__tok = r.akey2__tok",
                        "l.lkey__tok = r.skey__tok", "l.skey__tok = r.lkey__tok",
                        "l.skel__tok = r.skel__tok AND coalesce(l.sex, r.sex) = "
                        "coalesce(r.sex, l.sex) AND coalesce(l.nationality, r.nationality) = "
                        "coalesce(r.nationality, l.nationality)", *ends,
                        "l.first__tok = r.first__tok AND l.last__tok = r.last__tok",
                        "l.first__tok = r.last__tok AND l.last__tok = r.first__tok",
                        "l.ym__tok = r.ym__tok AND l.nationality = r.nationality "
                        "AND l.sex = r.sex",
                        "l.dmd__tok = r.dmd__tok AND l.nationality = r.nationality "
                        "AND l.sex = r.sex AND l.region = r.region"),
        # the birth month keeps namesakes out of the name session (as in default_spec)
        training_rules=("l.cdob__tok = r.cdob__tok",
                        "l.skey__tok = r.skey__tok AND l.month__tok = r.month__tok"),
        deterministic_rules=("l.skey__tok = r.skey__tok AND l.cdob__tok = r.cdob__tok",),
        # one record per person and register: each record keeps its single best link, and
        # even odds are the threshold (as in default_spec)
        deterministic_recall=0.6, threshold=0.5, one_to_one=True,
        name="migrant registers (Bloom filters)")

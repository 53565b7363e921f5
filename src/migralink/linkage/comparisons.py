"""Splink comparison dictionaries built from a :class:`.spec.Comparison` (pure functions).

The SQL is written for the two engines Splink runs on here: DuckDB and Spark (with Splink's
similarity jar, which provides ``jaro_winkler``). Everything else used (``greatest``,
``substr``, ``levenshtein``, ``bit_count``) exists in both, except the Bloom-filter Dice
levels (``dice``, ``bloom_name``), which need DuckDB's ``BIT`` type.

The cross-script name comparison compares the precomputed phonetic keys of
:func:`.names.name_keys` (columns ``<name>__key``, ``__skey``, ``__akey``), so the engine only
needs string functions: the transliteration runs once per record, not once per pair.
"""

from __future__ import annotations

from typing import Any, Literal

from migralink.linkage.spec import Comparison

__all__ = ["KEY_FIELDS", "Dialect", "key_columns", "splink_comparison"]

Dialect = Literal["duckdb", "spark"]

_JW = {"duckdb": "jaro_winkler_similarity", "spark": "jaro_winkler"}
_STR = {"duckdb": "VARCHAR", "spark": "STRING"}


KEY_FIELDS = {"key": "key", "skey": "sorted_key", "akey": "alt_key", "sino": "sino",
              "first": "first", "last": "last", "lkey": "lat_key", "skel": "skeleton",
              "akey2": "alt2_key"}


def key_columns(column: str) -> tuple[str, str, str, str]:
    """Names of the ordered, sorted, alternative and Sino-Korean key columns of ``column``
    (the ``__first`` and ``__last`` word keys exist too, for blocking)."""
    return f"{column}__key", f"{column}__skey", f"{column}__akey", f"{column}__sino"


def _level(sql: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _null(cols: list[str]) -> dict[str, Any]:
    cond = " OR ".join(f'{c}_l IS NULL OR {c}_r IS NULL' for c in cols)
    return _level(cond, "null", is_null_level=True)


def _else() -> dict[str, Any]:
    return _level("ELSE", "all other")


def _exact(c: Comparison) -> list[dict[str, Any]]:
    extra: dict[str, Any] = {}
    if c.term_frequency:
        extra = {"tf_adjustment_column": c.column, "tf_adjustment_weight": 1.0}
    return [_level(f'{c.column}_l = {c.column}_r', "exact", **extra)]


def _xscript(c: Comparison, dialect: Dialect) -> list[dict[str, Any]]:
    k, s, a, h = key_columns(c.column)
    # a Latin Chinese name holds a pattern of its readings (starting with ^), a Hangul one
    # its syllables: the pattern is matched against the other side's syllables
    rx = {"duckdb": "regexp_full_match({0}, {1})", "spark": "{0} RLIKE {1}"}[dialect]
    pat_l, pat_r = f"substr({h}_l, 1, 1) = '^'", f"substr({h}_r, 1, 1) = '^'"
    sino = (f"({pat_l} AND NOT {pat_r} AND {rx.format(f'{h}_r', f'{h}_l')}) OR "
            f"({pat_r} AND NOT {pat_l} AND {rx.format(f'{h}_l', f'{h}_r')})")
    lk = f"{c.column}__lkey"
    alt = f"{a}_l = {s}_r OR {s}_l = {a}_r"
    # the letter-by-letter reading of a Latin name against a register's Hangul spelling
    lat = f"{lk}_l = {s}_r OR {s}_l = {lk}_r"
    jw = _JW[dialect]
    best = (f'greatest({jw}({k}_l, {k}_r), {jw}({s}_l, {s}_r), '
            f'{jw}({a}_l, {s}_r), {jw}({s}_l, {a}_r), '
            f'coalesce({jw}({lk}_l, {s}_r), 0), coalesce({jw}({s}_l, {lk}_r), 0))')
    extra: dict[str, Any] = {}
    if c.term_frequency:  # Nguyen Thi Mai is common: a shared common name says less
        extra = {"tf_adjustment_column": s, "tf_adjustment_weight": 1.0}
    return [_level(f"{s}_l = {s}_r", "same phonetic key (any order)", **extra),
            _level(alt, "same key through the alternative reading"),
            _level(sino, "a Sino-Korean reading of the pinyin"),
            _level(lat, "same key through the letter-by-letter reading"),
            _level(f"{c.column}__skel_l = {c.column}__skel_r", "same consonants"),
            *[_level(f"{best} >= {t}", f"key Jaro-Winkler >= {t}") for t in c.thresholds]]


def _date(c: Comparison, dialect: Dialect) -> list[dict[str, Any]]:
    col = c.column
    lc, rc = f'{col}_l', f'{col}_r'
    swap = (f"substr({lc}, 1, 4) = substr({rc}, 1, 4) AND substr({lc}, 6, 2) = substr({rc}, 9, 2)"
            f" AND substr({lc}, 9, 2) = substr({rc}, 6, 2)")
    return [
        _level(f"{lc} = {rc}", "exact"),
        _level(swap, "day and month swapped"),
        # one mistyped digit is far rarer between strangers (u about 0.2 % on the synthetic
        # registers) than two (2 %), so it gets its own weight, as in Splink's
        # DateOfBirthComparison (levels "within a month/year" were tried: they carried no
        # weight on 50,000 persons, u 0.3 % and 4 %)
        _level(f"levenshtein({lc}, {rc}) <= 1", "one character differs"),
        _level(f"levenshtein({lc}, {rc}) <= 2", "two characters differ"),
        _level(f"substr({lc}, 1, 4) = substr({rc}, 1, 4)", "same year"),
    ]


def _bloom_dice(lc: str, rc: str) -> str:
    # BIT columns (see engine._linker)
    return f"2.0 * bit_count({lc} & {rc}) / greatest(bit_count({lc}) + bit_count({rc}), 1)"


def _dice(c: Comparison) -> list[dict[str, Any]]:
    dice = _bloom_dice(f"{c.column}_l", f"{c.column}_r")
    return [_level(f"{dice} >= {t}", f"Dice >= {t}") for t in c.thresholds]


def _bloom_name(c: Comparison) -> list[dict[str, Any]]:
    """A released name: the filter of its sorted key (``<column>``, a ``BIT`` column) and
    keyed tokens of its keys (``<column>__skey``, ``__akey``, ``__akey2``, ``__lkey`` and the
    space-separated ``__readings`` under one HMAC domain, ``__skel``): the exact levels of
    the plaintext name comparison in its order (the likeliest Sino-Korean readings standing
    in for the pattern of all of them), then Dice levels of the sorted key."""
    n = c.column
    s, a, a2, lk = (f"{n}__{k}" for k in ("skey", "akey", "akey2", "lkey"))

    def either(x: str) -> str:  # one side's key meets the other's sorted key
        return f"{x}_l = {s}_r OR {s}_l = {x}_r"

    extra: dict[str, Any] = {}
    if c.term_frequency:
        extra = {"tf_adjustment_column": s, "tf_adjustment_weight": 1.0}
    dice = _bloom_dice(f"{n}_l", f"{n}_r")
    rd = f"{n}__readings"  # tokens of the likeliest Sino-Korean readings, space-separated
    sino = (f"list_contains(string_split({rd}_l, ' '), {s}_r) OR "
            f"list_contains(string_split({rd}_r, ' '), {s}_l)")
    return [_level(f"{s}_l = {s}_r", "same phonetic key (any order)", **extra),
            _level(either(a), "same key through the alternative reading"),
            _level(either(a2), "same key through the second Sino-Korean reading"),
            _level(sino, "a likely Sino-Korean reading of the pinyin"),
            _level(either(lk), "same key through the letter-by-letter reading"),
            _level(f"{n}__skel_l = {n}__skel_r", "same consonants"),
            *[_level(f"{dice} >= {t}", f"Dice >= {t}") for t in c.thresholds]]


def splink_comparison(c: Comparison, dialect: Dialect = "duckdb") -> dict[str, Any]:
    """The Splink comparison dictionary for one spec comparison, in ``dialect``."""
    if c.kind == "xscript_name":
        nulls = [key_columns(c.column)[0]]
        levels = _xscript(c, dialect)
    elif c.kind == "jaro_winkler":
        nulls = [c.column]
        jw = _JW[dialect]
        levels = [*_exact(c), *[
            _level(f'{jw}({c.column}_l, {c.column}_r) >= {t}', f"Jaro-Winkler >= {t}")
            for t in c.thresholds]]
    elif c.kind == "levenshtein":
        nulls = [c.column]
        levels = [*_exact(c), *[
            _level(f'levenshtein({c.column}_l, {c.column}_r) <= {int(t)}',
                   f"Levenshtein <= {int(t)}") for t in c.thresholds]]
    elif c.kind == "date":
        nulls = [c.column]
        levels = _date(c, dialect)
    elif c.kind == "dice":
        nulls = [c.column]
        levels = _dice(c)
    elif c.kind == "bloom_name":
        nulls = [c.column]
        levels = _bloom_name(c)
    else:
        nulls = [c.column]
        levels = _exact(c)
    return {"output_column_name": c.column, "comparison_levels": [_null(nulls), *levels, _else()]}

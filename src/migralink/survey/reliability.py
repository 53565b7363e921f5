"""Result tables and the KOSTAT reliability convention.

Statistics Korea publishes a survey estimate with its relative standard error
(RSE = SE / |estimate|, in per cent, 상대표준오차) and grades it: below 25 % it is
published as is; from 25 % it is published with a caution mark (이용 시 주의); from 50 %
it is withheld (공표 제외). Every result table here carries ``rse`` and ``reliability``
(``ok`` / ``caution`` / ``withheld``); :func:`publishable` blanks the withheld values, so
that a stored or published table cannot show them by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from migralink.survey.design import FloatArray

__all__ = ["CAUTION_RSE", "RESULT_COLUMNS", "WITHHOLD_RSE", "grade", "publishable",
           "result_table"]

#: RSE (per cent) from which an estimate is flagged for caution.
CAUTION_RSE = 25.0
#: RSE (per cent) from which an estimate is withheld.
WITHHOLD_RSE = 50.0
#: The value columns every result table has (after the key columns).
RESULT_COLUMNS: tuple[str, ...] = ("estimate", "se", "df", "ci_low", "ci_high", "rse",
                                   "reliability")


def grade(estimate: FloatArray, se: FloatArray) -> tuple[FloatArray, list[str]]:
    """RSE in per cent and the KOSTAT grade of each estimate.

    An estimate of zero with a positive SE has an infinite RSE (withheld); with a zero SE
    (a constant) its RSE is 0.
    """
    est = np.abs(np.asarray(estimate, dtype=float))
    s = np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rse = np.where(s == 0, 0.0, 100.0 * s / est)
    grades = ["withheld" if not np.isfinite(r) or r >= WITHHOLD_RSE
              else "caution" if r >= CAUTION_RSE else "ok" for r in rse]
    return rse, grades


def result_table(*, statistic: str, terms: Sequence[str], estimate: FloatArray,
                 se: FloatArray, df: FloatArray, low: FloatArray, high: FloatArray,
                 keys: Mapping[str, Sequence[str]] | None = None,
                 extra: dict[str, FloatArray] | None = None) -> pl.DataFrame:
    """One row per estimate: statistic, term, domain keys, value columns, extras."""
    rse, grades = grade(estimate, se)
    cols: dict[str, Sequence[object] | FloatArray] = {
        "statistic": [statistic] * len(terms), "term": list(terms)}
    for name, values in (keys or {}).items():
        cols[name] = list(values)
    cols.update({
        "estimate": np.asarray(estimate, dtype=float),
        "se": np.asarray(se, dtype=float),
        "df": np.asarray(df, dtype=float),
        "ci_low": np.asarray(low, dtype=float),
        "ci_high": np.asarray(high, dtype=float),
        "rse": rse,
        "reliability": grades,
    })
    for name, extra_values in (extra or {}).items():
        cols[name] = np.asarray(extra_values, dtype=float)
    return pl.DataFrame(cols)


def publishable(table: pl.DataFrame) -> pl.DataFrame:
    """The table with withheld estimates blanked (estimate, SE and interval set null)."""
    withheld = pl.col("reliability") == "withheld"
    return table.with_columns([
        pl.when(withheld).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("estimate", "se", "ci_low", "ci_high")
    ])

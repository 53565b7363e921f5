"""Survey results into the evidence base, through the one catalogue write.

A result table (:mod:`.reliability`) becomes a dataset version whose dimensions are the
statistic, the term, the domain columns and the KOSTAT ``reliability`` grade (so the
flag travels with every cell the API or dashboard serves), and whose measures are
``value`` (the estimate), ``se``, ``ci_low``, ``ci_high``, ``df``, ``rse`` — and ``mse``
and ``cv`` for small-area estimates. Withheld estimates (RSE ≥ 50 %) are blanked before
they are written (status ``M``), so no publishing path can show them. None of the
measures may be summed over a dimension (value kind ``number``).

This is the survey capability's only writer (:func:`store_estimates`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import polars as pl

from migralink.codes.hierarchy import NATIONAL
from migralink.errors import ConfigError
from migralink.model import DatasetMeta, DatasetRef, DimensionMeta, Measure, Sensitivity
from migralink.store.catalogue import NewVersion, SourceRecord, WrittenVersion, write_version
from migralink.store.gateway import Gateway
from migralink.survey.reliability import grade, publishable

__all__ = ["ENGINE", "store_estimates"]

#: Changing how results are computed or stored changes this (and so makes a version).
ENGINE = "migralink-survey/1"
_MEASURES = {
    "se": ("표준오차", "standard error"),
    "ci_low": ("신뢰구간 하한", "confidence interval, lower"),
    "ci_high": ("신뢰구간 상한", "confidence interval, upper"),
    "df": ("자유도", "degrees of freedom"),
    "rse": ("상대표준오차(%)", "relative standard error (%)"),
    "mse": ("평균제곱오차", "mean squared error"),
    "cv": ("변동계수(%)", "coefficient of variation (%)"),
}
_VALUE_COLUMNS = {"statistic", "term", "estimate", "se", "df", "ci_low", "ci_high", "rse",
                  "reliability", "deff", "mse", "cv", "gamma", "direct", "direct_se",
                  "method", "p"}


def _graded(table: pl.DataFrame) -> pl.DataFrame:
    if "rse" in table.columns and "reliability" in table.columns:
        return table
    # small-area tables carry √MSE as their SE: the grade is read off the CV
    rse, grades = grade(table["estimate"].to_numpy(), table["se"].to_numpy())
    return table.with_columns(pl.Series("rse", rse), pl.Series("reliability", grades))


def store_estimates(gw: Gateway, table: pl.DataFrame, *, dataset: str, title_ko: str,
                    title_en: str, period: str, source_name: str, source_sha256: str,
                    design_json: str, region: str | None = None,
                    derived_from: Sequence[DatasetRef] = (),
                    sensitivity: Sensitivity = "public", unit: str = "") -> WrittenVersion:
    """Write a survey result table as a new version of ``dataset``.

    Args:
        gw: the evidence base.
        table: a result table (``Survey.mean`` …) or a small-area table (``fay_herriot``).
        dataset: the dataset id.
        title_ko, title_en: its titles.
        period: the survey's reference period (``2020``).
        source_name: the survey file the estimates come from.
        source_sha256: its fingerprint (storing the same estimates again is a no-op).
        design_json: the design spec and call, as written in the provenance.
        region: the domain column that holds region codes (else the national code).
        derived_from: stored datasets used (e.g. covariates of small-area estimates).
        sensitivity: ``protected`` when the survey itself may not be published.
        unit: unit of the estimates.

    Returns:
        The version written.
    """
    table = _graded(table)
    if region is not None and region not in table.columns:
        raise ConfigError(f"region column {region!r} is not in the results",
                          "estimate by that column (--by) or leave --region out")
    if "term" not in table.columns:
        table = table.with_columns(pl.lit("estimate").alias("term"))
    if "statistic" not in table.columns:
        table = table.with_columns(pl.col("method").alias("statistic"))
    # a domain named like a cube column (a survey's own region names) keeps its values
    # under another name; the cube's region is the national code unless --region
    clash: dict[str, str] = {c: f"survey_{c}" for c in ("period", "region", "status", "value")
             if c in table.columns and c != region}
    table = table.rename(clash)
    domains = [c for c in table.columns if c not in _VALUE_COLUMNS and c != region]
    dims = ["statistic", "term", *domains, "reliability"]
    measures = [m for m in _MEASURES if m in table.columns]
    frame = publishable(table).select(
        pl.lit(period).alias("period"),
        (pl.col(region).cast(pl.Utf8) if region else pl.lit(NATIONAL)).alias("region"),
        *[pl.col(d).cast(pl.Utf8) for d in dims],
        pl.col("estimate").alias("value"),
        *[pl.col(m).cast(pl.Float64) for m in measures],
        pl.when(pl.col("reliability") == "withheld").then(pl.lit("M"))
        .otherwise(pl.lit("A")).alias("status"),
    )
    meta = DatasetMeta(
        id=dataset, title_ko=title_ko, title_en=title_en,
        publisher="migralink survey estimation", source_url="", licence="",
        unit=unit, notes="KOSTAT reliability: RSE ≥ 25 % caution, ≥ 50 % withheld (blank)",
        measures=(Measure("value", "추정값", "estimate", unit, "number"),
                  *(Measure(m, *_MEASURES[m], unit if m in ("se", "ci_low", "ci_high")
                            else "", "number") for m in measures)),
    )
    mapping = hashlib.sha256(f"{ENGINE}\n{design_json}".encode()).hexdigest()
    content = hashlib.sha256(frame.write_csv().encode()).hexdigest()
    return write_version(gw, NewVersion(
        meta=meta,
        dimensions=tuple(DimensionMeta(d, d, d) for d in dims),
        source=SourceRecord(source_name, source_sha256, mapping, content, None,
                            (f"design: {design_json}", f"engine: {ENGINE}")),
        frame=frame, derived_from=tuple(derived_from), sensitivity=sensitivity,
        origin="derived", carry_forward=True,
    ))

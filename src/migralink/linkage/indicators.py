"""Integration indicators from linked registers, stored and released like any register cube.

The indicator: among registered foreigners of working age (15–64), how many are found in
the employment-insurance register — by residence status and region. It is computed from
person-level linked data, so the table is ``protected``: it is stored through the catalogue
as a count table with every margin (``_T`` for a dimension's total, ``00`` for the nation),
and published only through the release gate, which suppresses small cells; the share is then
computed from the released counts (:func:`released_shares`), never from the stored table.

The linkage quality (estimated precision and recall at the threshold, and the threshold) is
written into the dataset's notes and source record, so every release carries it.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence

import polars as pl

from migralink.linkage.quality import QualityReport
from migralink.model import DatasetMeta, DatasetRef, DimensionMeta, Measure
from migralink.store.catalogue import NewVersion, SourceRecord, WrittenVersion, write_version
from migralink.store.gateway import Gateway

__all__ = ["DATASET", "coverage_counts", "released_shares", "store_coverage"]

DATASET = "linkage_employment_coverage"
TOTAL = "_T"
NATIONAL = "00"
DIMS = ("residence_status", "in_employment_insurance")


def coverage_counts(register: pl.DataFrame, links: pl.DataFrame, *, year: int,
                    uid: str = "rec_id") -> pl.DataFrame:
    """Counts of working-age registered foreigners by status, region and whether they were
    linked to the employment register, with every margin (a cube).

    Args:
        register: the immigration register (``uid``, ``dob``, ``status``, ``region``).
        links: the links (``<uid>_l`` from ``register``).
        year: the reference year (ages are computed at its end).
        uid: the record id column.
    """
    linked = set(links[f"{uid}_l"].to_list())
    age = year - pl.col("dob").cast(pl.String).str.slice(0, 4).cast(pl.Int32, strict=False)
    people = register.filter(age.is_between(15, 64)).select(
        pl.col("region").cast(pl.String),
        pl.col("status").cast(pl.String).alias("residence_status"),
        pl.col(uid).is_in(list(linked)).map_elements(
            lambda b: "linked" if b else "not_linked", return_dtype=pl.String
        ).alias("in_employment_insurance"))
    parts = []
    for keep_region, *keep in itertools.product((True, False), *[(True, False)] * len(DIMS)):
        by = [d for d, k in zip(DIMS, keep, strict=True) if k]
        if keep_region:
            by = ["region", *by]
        g = people.group_by(by).len("value") if by else people.select(pl.len().alias("value"))
        g = g.with_columns(
            *[pl.lit(TOTAL).alias(d) for d, k in zip(DIMS, keep, strict=True) if not k],
            *([] if keep_region else [pl.lit(NATIONAL).alias("region")]))
        parts.append(g.select("region", *DIMS, pl.col("value").cast(pl.Int64)))
    return pl.concat(parts).with_columns(pl.lit(str(year)).alias("period"),
                                         pl.lit("A").alias("status")).select(
        "period", "region", *DIMS, "value", "status").sort("region", *DIMS)


def store_coverage(gw: Gateway, counts: pl.DataFrame, quality: QualityReport, *,
                   inputs: Sequence[str], derived_from: Sequence[DatasetRef] = ()
                   ) -> WrittenVersion:
    """Write the coverage cube through the catalogue, protected, with the linkage quality.

    Args:
        gw: the evidence base.
        counts: :func:`coverage_counts`.
        quality: the linkage run's quality report (attached as notes).
        inputs: names of the registers linked (for the source record).
        derived_from: catalogue versions of the registers, when they are stored.
    """
    q = (f"linkage quality: threshold p >= {quality.threshold}, estimated precision "
         f"{quality.est_precision:.4f}, estimated recall {quality.est_recall:.4f}, "
         f"{quality.links} links")
    meta = DatasetMeta(
        id=DATASET, title_ko="고용보험 가입 등록외국인(15-64세)",
        title_en="Registered foreigners aged 15-64 found in employment insurance",
        publisher="migralink record linkage", source_url="", licence="",
        unit="persons", notes=q,
        measures=(Measure("value", "인원", "persons", "persons", "count"),))
    content = hashlib.sha256(counts.write_csv().encode()).hexdigest()
    return write_version(gw, NewVersion(
        meta=meta,
        dimensions=(DimensionMeta("residence_status", "체류자격", "residence status",
                                  total=TOTAL),
                    DimensionMeta("in_employment_insurance", "고용보험", "in employment insurance",
                                  total=TOTAL)),
        source=SourceRecord(" + ".join(inputs), hashlib.sha256(q.encode()).hexdigest(),
                            hashlib.sha256(b"linkage coverage v1").hexdigest(), content,
                            None, (q,)),
        frame=counts, derived_from=tuple(derived_from), sensitivity="protected",
        origin="derived", totals_stored=True))


def released_shares(cells: pl.DataFrame) -> pl.DataFrame:
    """Shares linked / all from *released* cells (suppressed counts give a null share)."""
    keys = ["period", "region", "residence_status"]
    num = cells.filter(pl.col("in_employment_insurance") == "linked").select(
        *keys, pl.col("value").alias("linked"))
    den = cells.filter(pl.col("in_employment_insurance") == TOTAL).select(
        *keys, pl.col("value").alias("working_age"))
    return den.join(num, on=keys, how="left").with_columns(
        (pl.col("linked") / pl.col("working_age")).alias("share"))

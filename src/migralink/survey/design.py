"""A design built on data: weights, the stages of the sample, replicates, calibrations.

:func:`build_design` turns a :class:`~migralink.survey.spec.DesignSpec` and a data
frame into a :class:`Design`: dense integer codes for strata and clusters of each stage
(as R ``svydesign`` makes them: stage-*k* strata nested in stage-*k−1* clusters, clusters
nested in strata when ``nest``), the number of sampled PSUs and the population size of
each stratum, the sampling weights, and — for replicate designs — the replicate weights.
Calibration (:mod:`.calibrate`) returns a new :class:`Design` with adjusted weights and
the residualising steps the linearisation variance needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import polars as pl

from migralink.errors import ConfigError, InputError, Location
from migralink.survey.checks import csv_line, numeric_column
from migralink.survey.spec import DesignSpec

__all__ = ["Design", "Replicates", "Stage", "build_design", "codes_of"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True, eq=False)
class Stage:
    """One sampling stage.

    Attributes:
        strata: stratum code of each row (0..H-1), nested in the previous stage's clusters.
        clusters: cluster code of each row (0..C-1), unique over the whole sample.
        cluster_stratum: the stratum of each cluster (length C).
        npsu: clusters sampled in each stratum (length H; R's ``fpc$sampsize``).
        popsize: population clusters in each stratum (length H), None without fpc.
        labels: the strata's values as text (first stage of a stratified design), so
            that messages name a stratum as the data do.
        column: the strata column those values come from.
    """

    strata: IntArray
    clusters: IntArray
    cluster_stratum: IntArray
    npsu: FloatArray
    popsize: FloatArray | None
    labels: tuple[str, ...] = ()
    column: str = ""

    def stratum_name(self, h: int) -> str:
        """Stratum ``h`` as the user knows it (its value in the strata column)."""
        if h < len(self.labels):
            return f"stratum {self.labels[h]} (column {self.column!r})"
        return f"stratum {h + 1}"


@dataclass(frozen=True, eq=False)
class Replicates:
    """Replicate weights and how their spread becomes a variance.

    Either compressed (``index`` maps each row to a unit and the analysis weight is
    ``pweights[i] * factors[index[i], r]``) or full (``index`` is None and ``factors``
    holds the analysis weights of every row).

    Attributes:
        type: JK1, JKn, BRR, Fay, bootstrap or other.
        factors: (units × R) factors, or (rows × R) analysis weights.
        index: row → unit for compressed factors.
        scale: overall variance scale.
        rscales: per-replicate scales (length R).
        mse: centre on the full-sample estimate instead of the replicate mean.
        rho: Fay's coefficient (0 otherwise).
    """

    type: str
    factors: FloatArray
    index: IntArray | None
    scale: float
    rscales: FloatArray
    mse: bool
    rho: float = 0.0

    @property
    def count(self) -> int:
        """The number of replicates R."""
        return int(self.factors.shape[1])

    def analysis(self, pweights: FloatArray) -> FloatArray:
        """The full (rows × R) analysis weights."""
        if self.index is None:
            return self.factors
        return pweights[:, None] * self.factors[self.index]


@dataclass(frozen=True, eq=False)
class Design:
    """A survey design on data (see :func:`build_design`).

    Attributes:
        spec: the spec it was built from.
        weights: sampling weights, after any calibration.
        stages: the sampling stages (first = PSUs).
        has_strata: the spec named strata (JKn/BRR need them, JK1 refuses them).
        replicates: replicate weights, for replicate designs.
        calibrations: residualising steps of the calibrations (for linearisation).
        degf: design degrees of freedom (R ``degf``).
    """

    spec: DesignSpec
    weights: FloatArray
    stages: tuple[Stage, ...]
    has_strata: bool
    replicates: Replicates | None = None
    calibrations: tuple[Any, ...] = field(default_factory=tuple)
    degf: int = 0

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.weights.shape[0])

    def taylor_degf(self, keep: np.ndarray[Any, np.dtype[np.bool_]] | None = None) -> int:
        """PSUs minus strata among the rows with a non-zero weight (R ``degf``)."""
        inset = self.weights != 0
        if keep is not None:
            inset &= keep
        first = self.stages[0]
        psus = np.bincount(first.clusters[inset], minlength=first.cluster_stratum.size)
        strata = np.bincount(first.strata[inset], minlength=first.npsu.size)
        return int(np.count_nonzero(psus) - np.count_nonzero(strata))

    def with_weights(self, weights: FloatArray, **changes: Any) -> Design:
        """The same design with other weights (and other fields changed)."""
        return replace(self, weights=weights, **changes)


def _int_codes(values: IntArray) -> tuple[IntArray, int] | None:
    """Dense codes of integers in one pass when their range is small (the usual ids)."""
    low, high = int(values.min()), int(values.max())
    if high - low > 4 * values.size + 1_000_000:
        return None
    present = np.zeros(high - low + 1, dtype=np.int64)
    present[values - low] = 1
    mapping = np.cumsum(present) - 1
    return mapping[values - low], int(mapping[-1]) + 1


def codes_of(values: pl.Series) -> tuple[IntArray, int]:
    """Dense codes 0..k-1 in sorted order of the values, and k."""
    if values.len() == 0:
        return np.zeros(0, dtype=np.int64), 0
    if values.dtype.is_integer():
        fast = _int_codes(values.cast(pl.Int64).to_numpy())
        if fast is not None:
            return fast
    codes = (values.rank("dense") - 1).cast(pl.Int64).to_numpy()
    return codes, int(codes.max()) + 1


def _text_order(values: pl.Series, codes: IntArray, k: int) -> IntArray:
    """Recode so that the codes follow the values' order as text (R sorts strata so)."""
    where = np.zeros(k, dtype=np.int64)
    where[codes] = np.arange(codes.size)  # a row of each level
    levels = values.gather(where).cast(pl.Utf8).to_list()
    rank = np.empty(k, dtype=np.int64)
    rank[sorted(range(k), key=lambda i: levels[i].encode())] = np.arange(k)
    return rank[codes]


def _combine(a: IntArray, b: IntArray) -> tuple[IntArray, int]:
    """Dense codes of the pairs (a, b)."""
    key = a * (int(b.max()) + 1) + b
    fast = _int_codes(key)
    if fast is not None:
        return fast
    return codes_of(pl.Series(key))


def _column(frame: pl.DataFrame, name: str, what: str) -> pl.Series:
    if name not in frame.columns:
        raise InputError(f"the design names {what} column {name!r}, which the data lack",
                         f"use one of: {', '.join(frame.columns[:20])}")
    col = frame.get_column(name)
    nulls = col.null_count()
    if nulls or (col.dtype.is_float() and col.is_nan().any()):
        bad = col.is_null().to_numpy() | col.cast(pl.Float64, strict=False).is_nan() \
            .fill_null(False).to_numpy()
        raise InputError(f"{what} column {name!r} has a missing value",
                         "every row needs its design variables; drop or impute the row",
                         Location(row=csv_line(bad), column=name))
    return col


def _numeric(frame: pl.DataFrame, name: str, what: str) -> FloatArray:
    _column(frame, name, what)
    return numeric_column(frame, name, what, finite=True)


def _weights(frame: pl.DataFrame, name: str) -> FloatArray:
    """Sampling weights: finite, ≥ 0 and not all zero."""
    weights = _numeric(frame, name, "weights")
    if np.any(weights < 0):
        raise InputError(f"weights column {name!r} has a negative weight "
                         f"{weights[weights < 0][0]:g}", "sampling weights must be ≥ 0",
                         Location(row=csv_line(weights < 0), column=name))
    if not np.any(weights > 0):
        raise InputError(f"weights column {name!r} is zero in every row",
                         "give the sampling weights (every estimate would be 0 or "
                         "undefined)", Location(column=name))
    return weights


def _stages(frame: pl.DataFrame, spec: DesignSpec) -> tuple[tuple[Stage, ...], FloatArray]:
    n = frame.height
    ids = [codes_of(_column(frame, c, "cluster"))[0] for c in spec.clusters] or [
        np.arange(n, dtype=np.int64)]
    if spec.strata:
        # strata ordered as text, as R orders them (BRR pairs strata in that order)
        col = _column(frame, spec.strata, "strata")
        strata0, nstrata = codes_of(col)
        strata0 = _text_order(col, strata0, nstrata)
        where = np.zeros(nstrata, dtype=np.int64)
        where[strata0] = np.arange(n)  # a row of each stratum
        labels = tuple(str(v) for v in col.gather(where).to_list())
    else:
        strata0 = np.zeros(n, dtype=np.int64)
        labels = ()
    # sub-clusters are nested in clusters; with nest, clusters in strata (as svydesign)
    for k in range(1, len(ids)):
        ids[k] = _combine(ids[k - 1], ids[k])[0]
    if spec.nest and spec.strata:
        ids = [_combine(strata0, i)[0] for i in ids]
    elif spec.strata and spec.clusters:
        stratum_of = np.zeros(int(ids[0].max()) + 1, dtype=np.int64)
        stratum_of[ids[0]] = strata0
        if not np.array_equal(stratum_of[ids[0]], strata0):
            raise InputError("clusters are not nested in strata at the first stage",
                             "set \"nest\": true when cluster ids repeat across strata")
    fpcs = [_numeric(frame, c, "fpc") for c in spec.fpc]
    # as R: fpc values are population sizes if any exceeds 1, else sampling fractions
    counts = any(bool(np.any(f > 1)) for f in fpcs)
    if counts and any(bool(np.any(f < 1)) for f in fpcs):
        raise InputError("fpc mixes population sizes (> 1) and sampling fractions (< 1)",
                         "give all fpc values as counts or all as fractions")
    stages: list[Stage] = []
    weights = np.ones(n)
    strata = strata0
    for k, clusters in enumerate(ids):
        if k > 0:
            strata = _combine(np.zeros(n, dtype=np.int64), ids[k - 1])[0]
        dense = _int_codes(clusters)
        assert dense is not None  # cluster codes are already dense-ish integers
        clusters, ncl = dense
        cstr = np.zeros(ncl, dtype=np.int64)
        cstr[clusters] = strata
        nh = np.bincount(cstr).astype(float)
        popsize = None
        if k < len(fpcs):
            popsize = _popsize(fpcs[k], strata, nh, k, counts)
            weights = weights * (popsize / nh)[strata]
        named = (labels, spec.strata or "") if k == 0 else ((), "")
        stages.append(Stage(strata, clusters, cstr, nh, popsize, *named))
    return tuple(stages), weights


def _popsize(fpc: FloatArray, strata: IntArray, nh: FloatArray, stage: int,
             counts: bool) -> FloatArray:
    pop = np.zeros(nh.size)
    pop[strata] = fpc
    if not np.array_equal(pop[strata], fpc):
        raise InputError(f"fpc at stage {stage + 1} varies within a stratum",
                         "the population size must be constant within each stratum")
    if not counts:
        pop = nh / pop
    if np.any(pop < nh):
        raise InputError(f"fpc at stage {stage + 1} implies more than 100 % sampling",
                         "the population size must be at least the sampled PSUs")
    return pop


def build_design(frame: pl.DataFrame, spec: DesignSpec) -> Design:
    """Build a design on a data frame (replicates generated, calibrations applied).

    Args:
        frame: the survey data, one row per respondent.
        spec: how the sample was drawn.

    Returns:
        The design, ready for the estimators.

    Raises:
        InputError: a design column is missing, non-numeric or incomplete.
        ConfigError: the spec does not fit the data (e.g. JK1 on a stratified design).
    """
    from migralink.survey.calibrate import calibrate
    from migralink.survey.replicates import degf_of_replicates, make_replicates

    if frame.height < 2:
        raise InputError("a survey needs at least two rows", "check the data file")
    stages, fpc_weights = _stages(frame, spec)
    weights = _weights(frame, spec.weights) if spec.weights else fpc_weights
    if not spec.clusters and not spec.strata and spec.replicate is None and frame.height < 2:
        raise ConfigError("design has only one PSU", "check the cluster column")
    design = Design(spec, weights, stages, bool(spec.strata))
    if spec.replicate is not None:
        reps = make_replicates(design, frame, spec.replicate)
        design = replace(design, replicates=reps)
        design = replace(design, degf=degf_of_replicates(design))
    else:
        design = replace(design, degf=design.taylor_degf())
    for cal in spec.calibration:
        design = calibrate(design, frame, cal)
    return design

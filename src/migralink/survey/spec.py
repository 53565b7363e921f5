"""The survey design as data: typed, frozen, and round-tripping through JSON.

A :class:`DesignSpec` says how a sample was drawn (weights, strata, the clusters of each
stage, finite population corrections), how lonely PSUs are treated, whether variances
come from linearisation (Taylor) or replicate weights (:class:`ReplicateSpec`), and which
calibrations (:class:`PostStratify`, :class:`Rake`, :class:`Greg`) adjust the weights.
The names follow R ``survey`` so that an analyst can read a spec next to an R call::

    svydesign(ids = ~dnum + snum, strata = ~stype, weights = ~pw, fpc = ~fpc1 + fpc2)
    DesignSpec(clusters=("dnum", "snum"), strata="stype", weights="pw",
               fpc=("fpc1", "fpc2"))

``DesignSpec.from_json(spec.to_json()) == spec`` for every spec.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from migralink.errors import ConfigError

__all__ = [
    "CALFUNS",
    "LONELY_PSU",
    "REPLICATE_TYPES",
    "Calibration",
    "DesignSpec",
    "Greg",
    "PostStratify",
    "Rake",
    "ReplicateSpec",
    "load_spec",
]

ReplicateType = Literal["JK1", "JKn", "BRR", "Fay", "bootstrap", "other"]
LonelyPsu = Literal["fail", "remove", "certainty", "adjust", "average"]
CalFun = Literal["linear", "logit", "raking"]

REPLICATE_TYPES: tuple[str, ...] = ("JK1", "JKn", "BRR", "Fay", "bootstrap", "other")
LONELY_PSU: tuple[str, ...] = ("fail", "remove", "certainty", "adjust", "average")
CALFUNS: tuple[str, ...] = ("linear", "logit", "raking")


@dataclass(frozen=True)
class ReplicateSpec:
    """Replicate-weight variance: generated from the design, or given as columns.

    Attributes:
        type: ``JK1`` (unstratified delete-one-PSU), ``JKn`` (stratified), ``BRR``,
            ``Fay`` (BRR with ``fay_rho``), ``bootstrap`` (Rao–Wu, R's scale), or ``other``
            (given weights with an explicit ``scale``).
        replicates: number of bootstrap replicates (generated bootstrap only).
        fay_rho: Fay's coefficient (0 < rho < 1) for ``Fay``.
        mse: centre the replicates on the full-sample estimate (R ``mse = TRUE``) rather
            than on their mean.
        seed: seed of the generated bootstrap (reproducible runs).
        columns: names of given replicate-weight columns; empty = generate them.
        combined: given columns are full analysis weights (R ``combined.weights``);
            otherwise they are factors multiplied by the main weight.
        scale: overall scale of the variance for given weights (None = R's default for
            ``type``: BRR 1/R, Fay 1/(R(1-rho)^2), JK1 (R-1)/R, bootstrap 1/(R-1)).
        rscales: per-replicate scales for given weights (None = all 1).
    """

    type: ReplicateType = "JK1"
    replicates: int = 50
    fay_rho: float = 0.0
    mse: bool = False
    seed: int | None = None
    columns: tuple[str, ...] = ()
    combined: bool = True
    scale: float | None = None
    rscales: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.type not in REPLICATE_TYPES:
            raise ConfigError(f"unknown replicate type {self.type!r}",
                              f"use one of {', '.join(REPLICATE_TYPES)}")
        if self.type == "Fay" and not 0 < self.fay_rho < 1:
            raise ConfigError("Fay replicates need 0 < fay_rho < 1",
                              "set fay_rho, e.g. 0.3, or use type BRR")
        if self.type != "Fay" and self.fay_rho != 0 and not self.columns:
            raise ConfigError("fay_rho is only used by type Fay", "set type to Fay")
        if self.type == "other" and (not self.columns or self.scale is None):
            raise ConfigError("type 'other' needs given columns and a scale",
                              "list the replicate-weight columns and set scale")
        if self.replicates < 2:
            raise ConfigError("a bootstrap needs at least 2 replicates",
                              "set replicates to 50 or more")
        if self.scale is not None and not (math.isfinite(self.scale) and self.scale > 0):
            raise ConfigError(f"replicate scale {self.scale} is not a positive number",
                              "a variance scale must be > 0 (e.g. 1/R for BRR); "
                              "leave it out for R's default")
        if self.rscales is not None and any(
                not (math.isfinite(r) and r >= 0) for r in self.rscales):
            raise ConfigError("rscales must be finite numbers ≥ 0",
                              "give one non-negative scale per replicate column")
        repeated = sorted({c for c in self.columns if self.columns.count(c) > 1})
        if repeated:
            raise ConfigError(f"replicate columns repeat {', '.join(map(repr, repeated))}",
                              "list each replicate-weight column once")
        if self.rscales is not None and len(self.rscales) != len(self.columns):
            raise ConfigError("rscales must have one value per replicate column",
                              f"give {len(self.columns)} values or leave rscales out")


@dataclass(frozen=True)
class PostStratify:
    """Post-stratify on the cells of ``variables`` to known population counts.

    Attributes:
        variables: the columns whose combinations make the post-strata.
        population: ``(codes, count)`` per cell; codes in the order of ``variables``
            and written as text (``("E",)``, ``("1", "F")``).
        partial: ignore cells that the population has and the sample lacks.
    """

    variables: tuple[str, ...]
    population: tuple[tuple[tuple[str, ...], float], ...]
    partial: bool = False
    kind: Literal["poststratify"] = "poststratify"


@dataclass(frozen=True)
class Rake:
    """Raking (iterative proportional fitting) to several one-way margins.

    Attributes:
        margins: one :class:`PostStratify` per margin (a margin may cross variables).
        maxit: maximum number of sweeps (R's default is 10).
        epsilon: convergence on the largest change of a cell total (R's default 1).
    """

    margins: tuple[PostStratify, ...]
    maxit: int = 10
    epsilon: float = 1.0
    kind: Literal["rake"] = "rake"


@dataclass(frozen=True)
class Greg:
    """Calibration (GREG) to population totals of a linear model's columns.

    Attributes:
        formula: right-hand side in R's notation, e.g. ``"stype + enroll"``
            (``factor(x)`` and text columns give treatment-coded dummies; an intercept
            is added unless the formula contains ``- 1``).
        population: population total of each model column, by R's column name
            (``("(Intercept)", 6194.0), ("stypeH", 755.0)``).
        calfun: ``linear`` (GREG), ``logit`` (bounded) or ``raking`` (exponential).
        bounds: lower and upper bound of the g-weights (``logit`` needs finite ones).
        maxit, epsilon: Newton iterations and tolerance (R's defaults).
    """

    formula: str
    population: tuple[tuple[str, float], ...]
    calfun: CalFun = "linear"
    bounds: tuple[float, float] = (-math.inf, math.inf)
    maxit: int = 50
    epsilon: float = 1e-7
    kind: Literal["greg"] = "greg"

    def __post_init__(self) -> None:
        if self.calfun not in CALFUNS:
            raise ConfigError(f"unknown calibration function {self.calfun!r}",
                              f"use one of {', '.join(CALFUNS)}")
        low, high = self.bounds
        if self.calfun == "logit" and not (math.isfinite(low) and math.isfinite(high)):
            raise ConfigError("logit calibration needs finite bounds",
                              "set bounds, e.g. [0.5, 2.5]")
        if not low < 1 < high:
            raise ConfigError(f"calibration bounds {self.bounds} must contain 1",
                              "use a lower bound below 1 and an upper bound above 1")


Calibration = PostStratify | Rake | Greg


@dataclass(frozen=True)
class DesignSpec:
    """How a sample was drawn, in R ``survey``'s terms.

    Attributes:
        weights: the sampling-weight column (None: from ``fpc``, or 1).
        strata: the first-stage stratum column (None: unstratified).
        clusters: cluster columns, one per stage (empty: every row is its own PSU).
        fpc: population sizes (or sampling fractions ≤ 1) per stage, as columns.
        nest: cluster ids repeat across strata and are unique only within them.
        lonely_psu: what a stratum with a single PSU does (R ``survey.lonely.psu``).
        replicate: replicate-weight variance instead of linearisation.
        calibration: adjustments applied in order (post-stratification, raking, GREG).
    """

    weights: str | None = None
    strata: str | None = None
    clusters: tuple[str, ...] = ()
    fpc: tuple[str, ...] = ()
    nest: bool = False
    lonely_psu: LonelyPsu = "fail"
    replicate: ReplicateSpec | None = None
    calibration: tuple[Calibration, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.lonely_psu not in LONELY_PSU:
            raise ConfigError(f"unknown lonely_psu rule {self.lonely_psu!r}",
                              f"use one of {', '.join(LONELY_PSU)}")
        if self.fpc and len(self.fpc) > max(1, len(self.clusters)):
            raise ConfigError("more fpc columns than sampling stages",
                              "give one fpc column per cluster column")

    def columns(self) -> list[str]:
        """Every data column the design itself reads."""
        cols = [c for c in (self.weights, self.strata) if c]
        cols += [*self.clusters, *self.fpc]
        if self.replicate:
            cols += list(self.replicate.columns)
        for cal in self.calibration:
            for part in cal.margins if isinstance(cal, Rake) else (cal,):
                if isinstance(part, PostStratify):
                    cols += list(part.variables)
        return list(dict.fromkeys(cols))

    def to_json(self) -> str:
        """The spec as JSON text (infinite bounds are written as ``null``)."""
        return json.dumps(_jsonable(asdict(self)), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DesignSpec:
        """Read a spec written by :meth:`to_json` (or by hand)."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"design spec is not JSON: {exc.msg} at line {exc.lineno}",
                              "write the design as a JSON object") from exc
        if not isinstance(raw, dict):
            raise ConfigError("design spec must be a JSON object", "wrap it in { }")
        return _spec_from(raw)


def load_spec(path: Path) -> DesignSpec:
    """Read a design spec from a JSON file, naming the file in any error."""
    try:
        return DesignSpec.from_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read design file {path}: {exc.strerror}",
                          "check the --design path") from exc
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc.title}", exc.hint) from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None if value != value else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _bound(value: Any) -> float:
    # JSON has no infinity: bounds are written as "inf"/"-inf" (or null for no bound)
    return float(value) if value is not None else math.inf


_SPEC_KEYS = {"weights", "strata", "clusters", "fpc", "nest", "lonely_psu", "replicate",
              "calibration"}


def _spec_from(raw: dict[str, Any]) -> DesignSpec:
    unknown = set(raw) - _SPEC_KEYS
    if unknown:
        raise ConfigError(f"unknown design keys: {', '.join(sorted(unknown))}",
                          f"use only {', '.join(sorted(_SPEC_KEYS))}")
    rep = raw.get("replicate")
    try:
        replicate = None if rep is None else ReplicateSpec(
            **{k: _tuples(v) for k, v in rep.items()})
        return DesignSpec(
            weights=raw.get("weights"), strata=raw.get("strata"),
            clusters=_tuples(raw.get("clusters", [])), fpc=_tuples(raw.get("fpc", [])),
            nest=bool(raw.get("nest", False)),
            lonely_psu=cast(LonelyPsu, raw.get("lonely_psu", "fail")),
            replicate=replicate,
            calibration=tuple(_calibration_from(c) for c in raw.get("calibration", [])),
        )
    except TypeError as exc:
        raise ConfigError(f"design spec has a wrong key: {exc}",
                          "see docs/survey.md for the design keys") from exc


def _post_from(raw: dict[str, Any]) -> PostStratify:
    return PostStratify(
        variables=_tuples(raw["variables"]),
        population=tuple((tuple(str(c) for c in codes), float(n))
                         for codes, n in raw["population"]),
        partial=bool(raw.get("partial", False)))


def _calibration_from(raw: dict[str, Any]) -> Calibration:
    kind = raw.get("kind")
    if kind == "poststratify":
        return _post_from(raw)
    if kind == "rake":
        return Rake(margins=tuple(_post_from(m) for m in raw["margins"]),
                    maxit=int(raw.get("maxit", 10)), epsilon=float(raw.get("epsilon", 1.0)))
    if kind == "greg":
        low, high = raw.get("bounds", ["-inf", "inf"])
        return Greg(formula=raw["formula"],
                    population=tuple((str(k), float(v)) for k, v in raw["population"]),
                    calfun=raw.get("calfun", "linear"),
                    bounds=(-math.inf if low is None else float(low), _bound(high)),
                    maxit=int(raw.get("maxit", 50)), epsilon=float(raw.get("epsilon", 1e-7)))
    raise ConfigError(f"unknown calibration kind {kind!r}",
                      "use poststratify, rake or greg")

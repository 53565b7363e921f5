"""The notebook face of survey estimation: :class:`Survey`.

    >>> from migralink.survey import DesignSpec, Survey
    >>> s = Survey.read("ess10_norway.csv", DesignSpec(
    ...     weights="anweight", strata="stratum", clusters=("psu",)))
    >>> s.mean("imwbcnt", by=["region"], na_rm=True)      # a polars DataFrame

Every estimator returns a polars DataFrame with one row per estimate: ``statistic``,
``term``, the domain columns, ``estimate``, ``se``, ``df``, ``ci_low``/``ci_high``, the
relative standard error ``rse`` (per cent) and the KOSTAT ``reliability`` grade.
Intervals of means, totals and ratios are Wald intervals with the normal quantile, as
R's ``confint`` gives them (``ci="t"`` uses the design's degrees of freedom instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl
from scipy import stats

from migralink.errors import InputError
from migralink.survey.calibrate import calibrate
from migralink.survey.chisq import ChisqTest, svychisq
from migralink.survey.design import Design, build_design
from migralink.survey.estimators import (
    Deff,
    Domains,
    domains_of,
    ratio_family,
    variable_columns,
)
from migralink.survey.glm import Family, svyglm
from migralink.survey.proportions import CiMethod, Interval, ciprop, quantile
from migralink.survey.reliability import result_table
from migralink.survey.replicates import domain_degf
from migralink.survey.spec import Calibration, DesignSpec

__all__ = ["Survey", "read_survey_csv"]


def read_survey_csv(path: Path | str) -> pl.DataFrame:
    """Read survey microdata from CSV (empty cells and ``NA`` are missing)."""
    try:
        return pl.read_csv(path, null_values=["", "NA"], infer_schema_length=None)
    except (OSError, pl.exceptions.ComputeError) as exc:
        raise InputError(f"cannot read survey data {path}: {exc}",
                         "give a CSV file with a header row") from exc


def _names(v: str | Sequence[str]) -> list[str]:
    return [v] if isinstance(v, str) else list(v)


@dataclass(frozen=True, eq=False)
class Survey:
    """A survey design on its data, with R ``survey``'s estimators.

    Attributes:
        data: the microdata.
        design: the design built on it (weights, stages, replicates, calibrations).
    """

    data: pl.DataFrame
    design: Design

    @classmethod
    def build(cls, data: pl.DataFrame, spec: DesignSpec) -> Survey:
        """Build the design of ``spec`` on ``data``."""
        return cls(data, build_design(data, spec))

    @classmethod
    def read(cls, path: Path | str, spec: DesignSpec) -> Survey:
        """Read a CSV file and build the design on it."""
        return cls.build(read_survey_csv(path), spec)

    @property
    def spec(self) -> DesignSpec:
        """The design spec."""
        return self.design.spec

    @property
    def degf(self) -> int:
        """Design degrees of freedom (R ``degf``)."""
        return self.design.degf

    def calibrate(self, cal: Calibration) -> Survey:
        """A new survey with the weights (and replicates) calibrated."""
        return Survey(self.data, calibrate(self.design, self.data, cal))

    def _table(self, statistic: str, terms: list[str], domains: Domains | None,
               est: np.ndarray, vcov: np.ndarray, ci: Literal["z", "t"], level: float,
               deff: np.ndarray | None = None) -> pl.DataFrame:
        se = np.sqrt(np.clip(np.diag(vcov), 0, None))
        df = float(self.design.degf)
        q = stats.norm.ppf(0.5 + level / 2) if ci == "z" else stats.t.ppf(0.5 + level / 2, df)
        keys: dict[str, Sequence[str]] = {}
        names = terms
        if domains is not None:
            names = terms * domains.count
            for i, dim in enumerate(domains.names):
                keys[dim] = [lab[i] for lab in domains.labels for _ in terms]
        extra = {"deff": deff} if deff is not None else None
        return result_table(statistic=statistic, terms=names, estimate=est, se=se,
                            df=np.full(est.size, df), low=est - q * se, high=est + q * se,
                            keys=keys, extra=extra)

    def _domains(self, by: str | Sequence[str] | None) -> Domains | None:
        return None if by is None else domains_of(self.data, _names(by))

    def mean(self, variables: str | Sequence[str], *, by: str | Sequence[str] | None = None,
             na_rm: bool = False, deff: Deff = False, ci: Literal["z", "t"] = "z",
             level: float = 0.95) -> pl.DataFrame:
        """Means (text columns: shares of each level), overall or by domain."""
        values, terms = variable_columns(self.data, _names(variables))
        domains = self._domains(by)
        est, vcov, eff = ratio_family(self.design, values, np.ones_like(values), na_rm=na_rm,
                                      domains=domains, what=", ".join(terms), deff=deff)
        return self._table("mean", terms, domains, est, vcov, ci, level, eff)

    def total(self, variables: str | Sequence[str], *, by: str | Sequence[str] | None = None,
              na_rm: bool = False, deff: Deff = False, ci: Literal["z", "t"] = "z",
              level: float = 0.95) -> pl.DataFrame:
        """Totals (text columns: counts of each level), overall or by domain."""
        values, terms = variable_columns(self.data, _names(variables))
        domains = self._domains(by)
        est, vcov, eff = ratio_family(self.design, values, None, na_rm=na_rm, domains=domains,
                                      what=", ".join(terms), deff=deff, kind="total")
        return self._table("total", terms, domains, est, vcov, ci, level, eff)

    def ratio(self, numerator: str, denominator: str, *,
              by: str | Sequence[str] | None = None, na_rm: bool = False,
              ci: Literal["z", "t"] = "z", level: float = 0.95) -> pl.DataFrame:
        """The ratio of two totals, ``Σ w·y / Σ w·x``."""
        num, _ = variable_columns(self.data, [numerator])
        den, _ = variable_columns(self.data, [denominator])
        domains = self._domains(by)
        est, vcov, _ = ratio_family(self.design, num, den, na_rm=na_rm, domains=domains,
                                    what=f"{numerator}/{denominator}")
        return self._table("ratio", [f"{numerator}/{denominator}"], domains, est, vcov,
                           ci, level)

    def proportion(self, variable: str, *, method: CiMethod = "logit",
                   by: str | Sequence[str] | None = None, na_rm: bool = False,
                   level: float = 0.95) -> pl.DataFrame:
        """A 0/1 (or true/false) variable's proportion with R's ``svyciprop`` interval."""
        y = self.data.get_column(variable).cast(pl.Float64).to_numpy().astype(float)
        rows = []
        for label, keep in self._masks(by):
            yy = np.where(keep, y, np.nan)
            # a domain's interval uses the domain's df, as R's svyby(…, svyciprop)
            df = None if by is None else domain_degf(self.design, keep)
            iv = ciprop(self.design, yy, method=method, level=level,
                        na_rm=True if by else na_rm, df=df)
            rows.append((label, iv))
        return self._interval_table("proportion", variable, by, rows)

    def quantile(self, variable: str, probs: Sequence[float] = (0.5,), *,
                 by: str | Sequence[str] | None = None, na_rm: bool = False,
                 level: float = 0.95) -> pl.DataFrame:
        """Quantiles with Woodruff intervals (R ``svyquantile``, ``qrule = "math"``)."""
        x = self.data.get_column(variable).cast(pl.Float64).to_numpy().astype(float)
        rows = []
        for label, keep in self._masks(by):
            for p in probs:
                iv = quantile(self.design, x, p, level=level, na_rm=na_rm,
                              keep=None if by is None else keep.astype(float))
                rows.append(((*label, str(p)), iv))
        table = self._interval_table("quantile", variable, by, rows, extra_key="p")
        return table

    def _masks(self, by: str | Sequence[str] | None) -> list[tuple[tuple[str, ...], np.ndarray]]:
        domains = self._domains(by)
        if domains is None:
            return [((), np.ones(self.data.height, dtype=bool))]
        return [(lab, domains.codes == d) for d, lab in enumerate(domains.labels)]

    def _interval_table(self, statistic: str, variable: str, by: str | Sequence[str] | None,
                        rows: Sequence[tuple[tuple[str, ...], Interval]],
                        extra_key: str | None = None) -> pl.DataFrame:
        ivs = [iv for _, iv in rows]
        names = [*(_names(by) if by is not None else []), *([extra_key] if extra_key else [])]
        keys: dict[str, Sequence[str]] = {
            name: [lab[i] for lab, _ in rows] for i, name in enumerate(names)}
        arr = {k: np.array([getattr(iv, k) for iv in ivs])
               for k in ("estimate", "se", "low", "high", "df")}
        return result_table(statistic=statistic, terms=[variable] * len(ivs),
                            estimate=arr["estimate"], se=arr["se"], df=arr["df"],
                            low=arr["low"], high=arr["high"], keys=keys)

    def glm(self, formula: str, family: Family = "gaussian",
            level: float = 0.95) -> pl.DataFrame:
        """A design-based GLM (R ``svyglm``); intervals use the residual df, as R's."""
        fit = svyglm(self.design, self.data, formula, family)
        se = np.sqrt(np.diag(fit.vcov))
        q = stats.t.ppf(0.5 + level / 2, fit.df_residual)
        return result_table(statistic=f"glm:{family}", terms=fit.terms, estimate=fit.coef,
                            se=se, df=np.full(se.size, float(fit.df_residual)),
                            low=fit.coef - q * se, high=fit.coef + q * se)

    def chisq(self, row: str, col: str, statistic: Literal["F", "Chisq"] = "F") -> ChisqTest:
        """Rao–Scott test of association between two categorical columns."""
        return svychisq(self.design, self.data, row, col, statistic)

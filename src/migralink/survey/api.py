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

from migralink.errors import InputError, Location, MigralinkError
from migralink.survey.calibrate import calibrate
from migralink.survey.checks import csv_line, in_file, numeric_column, ragged_line
from migralink.survey.chisq import ChisqTest, svychisq
from migralink.survey.design import Design, build_design
from migralink.survey.estimators import (
    Deff,
    Domains,
    check_answered,
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
    name = Path(path).name
    try:
        frame = pl.read_csv(path, null_values=["", "NA"], infer_schema_length=None)
    except pl.exceptions.NoDataError as exc:
        raise InputError("the file is empty", "give a CSV file with a header row and data",
                         Location(file=name)) from exc
    except (OSError, pl.exceptions.ComputeError) as exc:
        ragged = ragged_line(path)
        if ragged is not None:
            line, got, want = ragged
            raise InputError(f"the row has {got} fields but the header has {want}",
                             "fix the row (a stray comma or a missing quote?)",
                             Location(file=name, row=line)) from exc
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot read survey data: {first}",
                         "give a CSV file with a header row", Location(file=name)) from exc
    if frame.height == 0:
        raise InputError("the file has a header but no data rows", "give the survey's rows",
                         Location(file=name))
    return frame


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
        try:
            return cls.build(read_survey_csv(path), spec)
        except MigralinkError as exc:
            raise in_file(exc, path) from None

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
        bad = np.flatnonzero(~np.isfinite(est))
        if bad.size:  # e.g. a ratio whose denominator totals 0 in a domain
            where = "" if domains is None else " in domain " + ", ".join(
                f"{n} = {v}" for n, v in zip(domains.names,
                                             domains.labels[int(bad[0]) // len(terms)],
                                             strict=True))
            raise InputError(f"the {statistic} of {terms[int(bad[0]) % len(terms)]}{where} "
                             "cannot be estimated (its denominator totals 0)",
                             "leave that domain out, or choose another denominator")
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
        y = self._values(variable, "proportion", f"code the condition as 0/1 or true/false "
                         f"(or use --mean {variable} for the share of each level)")
        missing = np.isnan(y)
        if missing.any() and not na_rm:
            raise InputError(f"{variable} has {int(missing.sum())} missing values",
                             "pass na_rm (CLI --na-rm) to estimate over the answered rows")
        odd = ~missing & (y != 0) & (y != 1)
        if odd.any():
            raise InputError(f"proportion variable {variable!r} has the value "
                             f"{y[odd][0]:g}; a proportion needs a 0/1 column",
                             f"code the condition as 0/1 (or use --mean {variable})",
                             Location(row=csv_line(odd), column=variable))
        check_answered(self.design, ~missing, self._domains(by), variable)
        rows = []
        for label, keep in self._masks(by):
            yy = np.where(keep, y, np.nan)
            # a domain's interval uses the domain's df, as R's svyby(…, svyciprop)
            df = None if by is None else domain_degf(self.design, keep)
            iv = ciprop(self.design, yy, method=method, level=level,
                        na_rm=True if by else na_rm, df=df, what=variable,
                        where=self._where(by, label))
            rows.append((label, iv))
        return self._interval_table("proportion", variable, by, rows)

    def quantile(self, variable: str, probs: Sequence[float] = (0.5,), *,
                 by: str | Sequence[str] | None = None, na_rm: bool = False,
                 level: float = 0.95) -> pl.DataFrame:
        """Quantiles with Woodruff intervals (R ``svyquantile``, ``qrule = "math"``)."""
        x = self._values(variable, "quantile", "quantiles need a numeric column")
        missing = np.isnan(x)
        if missing.any() and not na_rm:
            raise InputError(f"{variable} has {int(missing.sum())} missing values",
                             "pass na_rm (CLI --na-rm) to estimate over the answered rows")
        check_answered(self.design, ~missing, self._domains(by), variable)
        rows = []
        for label, keep in self._masks(by):
            for p in probs:
                iv = quantile(self.design, x, p, level=level, na_rm=na_rm,
                              keep=None if by is None else keep.astype(float),
                              what=variable, where=self._where(by, label))
                rows.append(((*label, str(p)), iv))
        table = self._interval_table("quantile", variable, by, rows, extra_key="p")
        return table

    def _values(self, variable: str, statistic: str, hint: str) -> np.ndarray:
        """A numeric variable (missing = NaN); text is an error that says what to do."""
        if variable not in self.data.columns:
            raise InputError(f"variable {variable!r} is not in the data",
                             f"use one of: {', '.join(self.data.columns[:20])}")
        col = self.data.get_column(variable)
        if col.dtype in (pl.Utf8, pl.Categorical):
            text = col.cast(pl.Utf8)
            bad = (text.str.strip_chars().cast(pl.Float64, strict=False).is_null()
                   & text.is_not_null()).to_numpy()
            if bad.any():
                raise InputError(f"{statistic} variable {variable!r} holds text "
                                 f"{text[int(np.flatnonzero(bad)[0])]!r}", hint,
                                 Location(row=csv_line(bad), column=variable))
        return numeric_column(self.data, variable, f"{statistic} variable")

    def _where(self, by: str | Sequence[str] | None, label: tuple[str, ...]) -> str | None:
        """``domain a = x, b = y`` for messages about one domain (None: the sample)."""
        if by is None:
            return None
        return "domain " + ", ".join(f"{n} = {v}" for n, v in zip(_names(by), label,
                                                                   strict=True))

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

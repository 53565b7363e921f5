"""Parity with every row of R survey 4.1.1's ``reference/estimates.csv`` and ``tests.csv``.

Estimates agree to a relative 1e-9, standard errors (and design effects, R's own
intervals) to 1e-7, on the same CSV files R read.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Callable

import polars as pl
import pytest

from migralink.survey import Survey
from tests.survey.designs import REFERENCE, dataset, survey

EST_RTOL = 1e-9
SE_RTOL = 1e-7


def _reference() -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (REFERENCE / "estimates.csv").open() as fh:
        for row in csv.DictReader(fh):
            rows[row["case"]].append(row)
    return dict(rows)


REF = _reference()

_GLM = {
    "api": {"glm_gaussian": ("api00 ~ ell + meals + mobility", "gaussian"),
            "glm_quasibinomial": ("sch.wide ~ ell + meals + stype", "quasibinomial")},
    "nhanes": {"glm_quasibinomial": ("HI_CHOL ~ factor(race) + agecat + factor(RIAGENDR)",
                                     "quasibinomial")},
    "ess": {"glm_gaussian": ("imwbcnt ~ agea + female + eduyrs + brnnorge", "gaussian")},
    "gss": {"glm_quasibinomial": ("reduce ~ age + factor(sex) + educ + factor(born)",
                                  "quasibinomial")},
}


def _family(design: str) -> str:
    for prefix in ("nhanes", "ess", "gss", "scd"):
        if design.startswith(prefix):
            return prefix
    return "api"


def _with_derived(s: Survey, design: str) -> Survey:
    if design.startswith("ess"):
        gt5 = pl.when(pl.col("imwbcnt").is_null()).then(None).otherwise(
            (pl.col("imwbcnt") > 5).cast(pl.Float64))
        return Survey(s.data.with_columns(gt5.alias("imwbcnt_gt5")), s.design)
    return s


_SIMPLE: dict[str, Callable[[Survey], pl.DataFrame]] = {
    "mean_api00": lambda s: s.mean("api00", deff=True),
    "mean_api00_enroll": lambda s: s.mean(["api00", "enroll"], na_rm=True, deff=True),
    "total_enroll": lambda s: s.total("enroll", na_rm=True, deff=True),
    "mean_stype": lambda s: s.mean("stype"),
    "total_stype": lambda s: s.total("stype"),
    "mean_schwide": lambda s: s.mean("sch.wide"),
    "ratio_apistu_enroll": lambda s: s.ratio("api.stu", "enroll", na_rm=True),
    "by_stype_mean_api00": lambda s: s.mean("api00", by="stype"),
    "by_stype_total_enroll": lambda s: s.total("enroll", by="stype", na_rm=True),
    "by_stype_mean_schwide": lambda s: s.mean("sch.wide", by="stype"),
    "ciprop_ell0": lambda s: s.proportion("ell0"),
    "quantile_api00": lambda s: s.quantile("api00", (0.25, 0.5, 0.75)),
    "mean_hichol": lambda s: s.mean("HI_CHOL", na_rm=True, deff=True),
    "total_hichol": lambda s: s.total("HI_CHOL", na_rm=True),
    "by_race_mean_hichol": lambda s: s.mean("HI_CHOL", by="race", na_rm=True),
    "ratio_alive_arrests": lambda s: s.ratio("alive", "arrests"),
    "total_alive_arrests": lambda s: s.total(["alive", "arrests"]),
    "by_region_mean_imwbcnt": lambda s: s.mean("imwbcnt", by="region", na_rm=True),
    "ciprop_imwbcnt_gt5": lambda s: s.proportion("imwbcnt_gt5", na_rm=True),
    "mean_letin1a": lambda s: s.mean("letin1a", na_rm=True, deff="replace"),
    "mean_letin1a_cat": lambda s: s.mean("letin1a_f", na_rm=True),
    "ciprop_reduce": lambda s: s.proportion("reduce", na_rm=True),
    "by_degree_mean_reduce": lambda s: s.mean("reduce", by="degree_f", na_rm=True),
    "by_year_mean_reduce": lambda s: s.mean("reduce", by="year", na_rm=True),
}


def compute(case: str) -> pl.DataFrame:
    """migralink's answer to one reference case, with ``term`` and ``domain`` keys."""
    design, what = case.split(":")
    s = _with_derived(survey(design), design)
    if what in _SIMPLE:
        out = _SIMPLE[what](s)
    elif what.startswith("mean_im"):
        out = s.mean(what.removeprefix("mean_"), na_rm=True, deff="replace")
    else:
        formula, family = _GLM[_family(design)][what]
        out = s.glm(formula, family)  # type: ignore[arg-type]
    keys = [c for c in out.columns if c not in {"statistic", "term", "estimate", "se", "df",
                                                  "ci_low", "ci_high", "rse", "reliability",
                                                  "deff", "p"}]
    domain = pl.lit("") if not keys else pl.col(keys[0]).cast(pl.Utf8)
    # R names quantiles "api00.0.25"
    term = (pl.col("term") + "." + pl.col("p")) if "p" in out.columns else pl.col("term")
    return out.with_columns(domain.alias("domain"), term.alias("key"))


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


def _close(mine: float, ref: str, rtol: float, what: str, case: str,
           scale: float = 0.0) -> None:
    want = float(ref)
    # a zero SE (a stratum total) is rounding noise on the scale of the estimate
    assert math.isclose(mine, want, rel_tol=rtol, abs_tol=1e-13 + 1e-12 * abs(scale)), (
        f"{case} {what}: migralink {mine!r} vs R {want!r} (rel {_rel(mine, want):.2e})")


@pytest.mark.parametrize("case", sorted(REF))
def test_reference_case(case: str) -> None:
    got = compute(case)
    by_key = {(r["key"], r["domain"]): r for r in got.iter_rows(named=True)}
    for ref in REF[case]:
        domain = ref["domain"].split("=", 1)[1] if ref["domain"] else ""
        term = ref["term"]
        if ref["estimator"].startswith("svyciprop"):
            term = next(k for k, _ in by_key)
        mine = by_key.get((term, domain))
        assert mine is not None, f"{case}: no estimate for {term!r} {domain!r}; have {by_key}"
        _close(mine["estimate"], ref["estimate"], EST_RTOL, "estimate", case)
        _close(mine["se"], ref["se"], SE_RTOL, "SE", case, scale=float(ref["estimate"]))
        assert mine["df"] == float(ref["df"]), f"{case}: df {mine['df']} vs {ref['df']}"
        if ref["ci_low_r"]:
            _close(mine["ci_low"], ref["ci_low_r"], SE_RTOL, "R's interval (low)", case)
            _close(mine["ci_high"], ref["ci_high_r"], SE_RTOL, "R's interval (high)", case)
        elif ref["estimator"].startswith("svyglm"):
            _close(mine["ci_low"], ref["ci_low_t"], SE_RTOL, "t interval (low)", case)
        else:
            _close(mine["ci_low"], ref["ci_low_z"], SE_RTOL, "z interval (low)", case)
        if ref["deff"]:
            _close(mine["deff"], ref["deff"], SE_RTOL, "design effect", case)


def _tests() -> list[dict[str, str]]:
    with (REFERENCE / "tests.csv").open() as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _tests(), ids=lambda r: f"{r['design']}-{r['statistic_name']}")
def test_rao_scott(row: dict[str, str]) -> None:
    s = survey(row["design"])
    statistic = "F" if row["statistic_name"] == "F" else "Chisq"
    t = s.chisq("sch.wide", "stype", statistic)  # type: ignore[arg-type]
    _close(t.statistic, row["statistic"], SE_RTOL, "statistic", row["design"])
    _close(t.ndf, row["ndf"], SE_RTOL, "ndf", row["design"])
    if row["ddf"]:
        assert t.ddf is not None
        _close(t.ddf, row["ddf"], SE_RTOL, "ddf", row["design"])
    _close(t.p_value, row["p_value"], 1e-6, "p-value", row["design"])


def test_every_reference_row_is_covered() -> None:
    # one test per case above; this guards against a case silently dropping out
    assert sum(len(v) for v in REF.values()) == 624
    assert dataset("apistrat").height == 200

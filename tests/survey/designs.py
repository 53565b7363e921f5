"""The reference designs of ../shared/data/survey, declared as migralink specs.

Each entry mirrors one R call of ``reference/designs.csv``; the parity tests build them
on the same CSV files R wrote, so both sides see the same numbers.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import polars as pl

from migralink.survey import DesignSpec, PostStratify, ReplicateSpec, Survey, read_survey_csv
from migralink.survey.spec import ReplicateType

SURVEY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "survey"
DATASETS = SURVEY / "datasets"
ATTITUDES = SURVEY / "attitudes"
REFERENCE = SURVEY / "reference"
REPWEIGHTS = REFERENCE / "repweights"

_CLUS1 = DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",))
_NHANES = DesignSpec(clusters=("SDMVPSU",), strata="SDMVSTRA", weights="WTMEC2YR", nest=True)
_NHANES2 = DesignSpec(clusters=("psu2",), strata="SDMVSTRA", weights="WTMEC2YR", nest=True)
_SCD = DesignSpec(clusters=("ambulance",), strata="ESA", nest=True)
_GSS = DesignSpec(clusters=("vpsu",), strata="vstrat", weights="wtssall", nest=True)
_POST = PostStratify(("stype",), ((("E",), 4421.0), (("H",), 755.0), (("M",), 1018.0)))


def _ess(weight: str) -> DesignSpec:
    return DesignSpec(clusters=("psu",), strata="stratum", weights=weight)


def _given(name: str, kind: ReplicateType) -> ReplicateSpec:
    meta = replicate_meta()[name]
    cols = tuple(f"rep{i:03d}" for i in range(1, int(meta["n_replicates"]) + 1))
    return ReplicateSpec(kind, columns=cols, combined=True, scale=float(meta["scale"]),
                         mse=meta["mse"] == "TRUE")


#: design name → (data set, spec); ``given:`` specs read R's replicate weights.
SPECS: dict[str, tuple[str, DesignSpec]] = {
    "srs_fpc": ("apisrs", DesignSpec(fpc=("fpc",))),
    "strat_fpc": ("apistrat", DesignSpec(strata="stype", weights="pw", fpc=("fpc",))),
    "strat_nofpc": ("apistrat", DesignSpec(strata="stype", weights="pw")),
    "clus1_fpc": ("apiclus1", _CLUS1),
    "clus1_nofpc": ("apiclus1", DesignSpec(clusters=("dnum",), weights="pw")),
    "clus2_fpc": ("apiclus2", DesignSpec(clusters=("dnum", "snum"), fpc=("fpc1", "fpc2"))),
    "clus2_nofpc": ("apiclus2", DesignSpec(clusters=("dnum", "snum"), weights="pw")),
    "clus1_post": ("apiclus1", DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",),
                                          calibration=(_POST,))),
    "nhanes_tsl": ("nhanes", _NHANES),
    "clus1_jk1": ("apiclus1", DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",),
                                         replicate=ReplicateSpec("JK1"))),
    "clus1_jk1_mse": ("apiclus1", DesignSpec(clusters=("dnum",), weights="pw", fpc=("fpc",),
                                             replicate=ReplicateSpec("JK1", mse=True))),
    "strat_jkn": ("apistrat", DesignSpec(strata="stype", weights="pw", fpc=("fpc",),
                                         replicate=ReplicateSpec("JKn"))),
    "nhanes_jkn": ("nhanes", DesignSpec(clusters=("SDMVPSU",), strata="SDMVSTRA",
                                        weights="WTMEC2YR", nest=True,
                                        replicate=ReplicateSpec("JKn"))),
    "nhanes2_tsl": ("nhanes2", _NHANES2),
    "nhanes2_brr": ("nhanes2", DesignSpec(clusters=("psu2",), strata="SDMVSTRA",
                                          weights="WTMEC2YR", nest=True,
                                          replicate=ReplicateSpec("BRR"))),
    "nhanes2_fay": ("nhanes2", DesignSpec(clusters=("psu2",), strata="SDMVSTRA",
                                          weights="WTMEC2YR", nest=True,
                                          replicate=ReplicateSpec("Fay", fay_rho=0.3))),
    "scd_tsl": ("scd", _SCD),
    "scd_brr": ("scd", DesignSpec(clusters=("ambulance",), strata="ESA", nest=True,
                                  replicate=ReplicateSpec("BRR"))),
    "scd_fay": ("scd", DesignSpec(clusters=("ambulance",), strata="ESA", nest=True,
                                  replicate=ReplicateSpec("Fay", fay_rho=0.3))),
    "scd_brr_given": ("scd_given", DesignSpec(replicate=ReplicateSpec(
        "BRR", columns=("r1", "r2", "r3", "r4"), combined=False))),
    "ess_anweight": ("ess", _ess("anweight")),
    "ess_pspwght": ("ess", _ess("pspwght")),
    "ess_dweight": ("ess", _ess("dweight")),
    "gss2018_tsl": ("gss2018", _GSS),
    "gss2018_brr": ("gss2018", DesignSpec(clusters=("vpsu",), strata="vstrat",
                                          weights="wtssall", nest=True,
                                          replicate=ReplicateSpec("BRR"))),
    "gss1618_tsl": ("gss", _GSS),
}


@cache
def replicate_meta() -> dict[str, dict[str, str]]:
    """``repweights/replicate_designs.csv`` by design name."""
    with (REPWEIGHTS / "replicate_designs.csv").open() as fh:
        return {row["design"]: row for row in csv.DictReader(fh)}


def _gss() -> pl.DataFrame:
    gss = read_survey_csv(ATTITUDES / "gss_2016_2018_immigration.csv")
    return gss.with_columns(
        pl.when(pl.col("letin1a").is_null()).then(None)
        .otherwise(pl.col("letin1a").is_in([4, 5]).cast(pl.Float64)).alias("reduce"),
        pl.col("letin1a").cast(pl.Utf8).alias("letin1a_f"),
        pl.col("degree").cast(pl.Utf8).alias("degree_f"),
    )


@cache
def dataset(name: str) -> pl.DataFrame:
    """A reference data set, with the derived columns the R script makes."""
    if name == "nhanes2":
        return dataset("nhanes").with_columns(
            pl.min_horizontal(pl.col("SDMVPSU"), pl.lit(2)).alias("psu2"))
    if name == "scd_given":
        factors = [[1, 0, 1, 0, 1, 0], [1, 0, 0, 1, 0, 1], [0, 1, 1, 0, 0, 1],
                   [0, 1, 0, 1, 1, 0]]
        return dataset("scd").with_columns(
            [pl.Series(f"r{i + 1}", [2.0 * v for v in col]) for i, col in enumerate(factors)])
    if name == "ess":
        return read_survey_csv(ATTITUDES / "ess10_norway.csv")
    if name == "gss":
        return _gss()
    if name == "gss2018":
        return _gss().filter(pl.col("year") == 2018)
    frame = read_survey_csv(DATASETS / f"{name}.csv")
    if name.startswith("api"):
        frame = frame.with_columns((pl.col("ell") == 0).cast(pl.Float64).alias("ell0"))
    return frame


def with_given(name: str, data: str) -> pl.DataFrame:
    """The design's data with R's replicate weights as columns ``rep001…``."""
    reps = pl.read_csv(REPWEIGHTS / f"{name}.csv").drop("row", "main_weight", "id",
                                                        strict=False)
    return pl.concat([dataset(data), reps], how="horizontal")


@cache
def survey(name: str) -> Survey:
    """The reference design ``name`` built by migralink."""
    if name == "clus1_boot":
        return Survey.build(with_given(name, "apiclus1"), DesignSpec(
            clusters=("dnum",), weights="pw", fpc=("fpc",),
            replicate=_given(name, "bootstrap")))
    data, spec = SPECS[name]
    return Survey.build(dataset(data), spec)

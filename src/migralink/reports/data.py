"""What every profile reads, loaded once: released indicators, regions, catalogue, sources.

All figures come from :func:`migralink.exports.release` — the release path, with
disclosure control — and are indexed for lookups by indicator, region, period and
breakdown, so that rendering every local government reads the evidence base once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from migralink.disclosure import WITHHELD
from migralink.errors import QueryError
from migralink.exports.release import Released, release
from migralink.store.catalogue_read import list_datasets
from migralink.store.catalogue_rows import dataset_row, source_rows
from migralink.store.gateway import Gateway

__all__ = ["Cell", "ProfileData", "SourceFile", "SourceInfo", "load_profile_data"]

INDICATORS = "indicators"
# The indicators a profile shows; the others stay in the API and exports.
USED = (
    "foreign_share", "foreign_residents_yoy", "foreign_residents_cagr",
    "share_of_national_foreign_residents", "sex_ratio_foreign_residents",
    "concentration_area", "rank_foreign_share", "rank_foreign_residents",
    "composition_by_group", "composition_by_status_registered",
    "dissimilarity_foreign_residents", "isolation_foreign_residents",
    "exposure_foreign_residents", "nationality_shannon_chungnam",
    "nationality_top3_share_chungnam",
)
#: Short province names, to tell apart local governments of the same name (중구).
SHORT: dict[str, tuple[str, str]] = {
    "11": ("서울", "Seoul"), "26": ("부산", "Busan"), "27": ("대구", "Daegu"),
    "28": ("인천", "Incheon"), "29": ("광주", "Gwangju"), "30": ("대전", "Daejeon"),
    "31": ("울산", "Ulsan"), "36": ("세종", "Sejong"), "41": ("경기", "Gyeonggi"),
    "42": ("강원", "Gangwon"), "51": ("강원", "Gangwon"), "43": ("충북", "Chungbuk"),
    "44": ("충남", "Chungnam"), "45": ("전북", "Jeonbuk"), "52": ("전북", "Jeonbuk"),
    "46": ("전남", "Jeonnam"), "47": ("경북", "Gyeongbuk"), "48": ("경남", "Gyeongnam"),
    "50": ("제주", "Jeju"),
}
_PROVENANCE = re.compile(r"^([a-z0-9_]+): (.+)$")


@dataclass(frozen=True)
class Cell:
    """One released indicator value with the counts it was made of."""

    value: float | None
    numerator: float | None
    denominator: float | None
    conf_status: str


@dataclass(frozen=True)
class SourceFile:
    """A file a dataset version was built from."""

    name: str
    sha256: str


@dataclass(frozen=True)
class SourceInfo:
    """A dataset version an indicator was computed from."""

    dataset: str
    version: int
    title_ko: str
    title_en: str
    publisher: str
    reference_date: str
    licence: str
    files: tuple[SourceFile, ...]


@dataclass
class ProfileData:
    """The released indicators of one evidence base, indexed for profiles."""

    released: Released
    cells: dict[tuple[str, str, str, str], Cell]
    regions: pl.DataFrame
    names: dict[str, tuple[str, str]]
    levels: dict[str, str]
    parents: dict[str, str]
    catalogue: dict[str, dict[str, Any]]
    provenance: dict[str, tuple[tuple[str, int], ...]]
    sources: dict[tuple[str, int], SourceInfo]
    statuses: dict[str, tuple[str, str]]
    periods: dict[str, list[str]] = field(default_factory=dict)
    by_region: dict[tuple[str, str], list[tuple[str, str, Cell]]] = field(default_factory=dict)
    by_code: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for (indicator, region, period, code), cell in self.cells.items():
            self.by_region.setdefault((indicator, region), []).append((period, code, cell))
            self.by_code.setdefault((indicator, period, code), []).append(region)

    def series(self, indicator: str, region: str) -> list[tuple[str, str, Cell]]:
        """Every (period, breakdown code, cell) of one indicator for one region."""
        return self.by_region.get((indicator, region), [])

    def regions_with(self, indicator: str, period: str, code: str = "_T") -> list[str]:
        """The regions with a cell of ``indicator`` for ``period`` and ``code``."""
        return self.by_code.get((indicator, period, code), [])

    def cell(self, indicator: str, region: str, period: str, code: str = "_T") -> Cell | None:
        """The released cell, or ``None`` when the data have none."""
        return self.cells.get((indicator, region, period, code))

    def value(self, indicator: str, region: str, period: str, code: str = "_T"
              ) -> float | None:
        """The released value (``None`` when absent or suppressed)."""
        found = self.cell(indicator, region, period, code)
        return None if found is None else found.value

    def name(self, region: str, lang: str) -> str:
        """A region's name in ``lang``."""
        ko, en = self.names.get(region, (region, region))
        return ko if lang == "ko" else (en or ko)

    def label(self, region: str, lang: str) -> str:
        """A name that tells namesakes apart: ``경기 안산시``, ``Jung-gu (Seoul)``."""
        province = self.province(region)
        if province == region or province not in SHORT:
            return self.name(region, lang)
        ko, en = SHORT[province]
        return f"{ko} {self.name(region, lang)}" if lang == "ko" else (
            f"{self.name(region, lang)} ({en})")

    def province(self, region: str) -> str:
        """The sido a region belongs to (itself for a sido)."""
        code = region
        while self.levels.get(code) not in (None, "sido", "country"):
            code = self.parents.get(code, "00")
        return code


def _cells(released: Released) -> dict[tuple[str, str, str, str], Cell]:
    frame = released.frame.filter(pl.col("indicator").is_in(USED))
    if "measure" in frame.columns:  # stored before measures became columns
        keys = ["indicator", "region", "period", "breakdown_dim", "breakdown_code"]
        status = frame.filter(pl.col("measure") == "value").select(*keys, "conf_status")
        frame = frame.pivot(on="measure", index=keys, values="value",
                            aggregate_function="first").join(status, on=keys, how="left")
    wide = frame.filter(pl.any_horizontal(
        pl.col(c).is_not_null() for c in ("value", "numerator", "denominator")
        if c in frame.columns))
    for column in ("value", "numerator", "denominator"):
        if column not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(column))
    out: dict[tuple[str, str, str, str], Cell] = {}
    for row in wide.iter_rows(named=True):
        # a breakdown by two dimensions (group+sex) is not shown: keep one-dimensional ones
        if "+" in str(row["breakdown_dim"]):
            continue
        key = (row["indicator"], row["region"], row["period"], row["breakdown_code"])
        if row["conf_status"] is None:
            # unknown status: withheld with its counts, as export.cells_of withholds (N) a
            # cell the release does not vouch for; refusing would lose the whole profile
            out[key] = Cell(None, None, None, WITHHELD)
            continue
        out[key] = Cell(row["value"], row["numerator"], row["denominator"], row["conf_status"])
    return out


def _provenance(gw: Gateway, version: int) -> dict[str, tuple[tuple[str, int], ...]]:
    """indicator → the dataset versions it was computed from (the stored notes)."""
    rows = [s["notes"] for s in source_rows(gw, INDICATORS)
            if s["version"] is not None and s["version"] <= version]
    out: dict[str, tuple[tuple[str, int], ...]] = {}
    for notes in rows:
        for line in notes or []:
            match = _PROVENANCE.match(str(line))
            if match is None:
                continue
            parts = [p.strip().rsplit(" v", 1) for p in match.group(2).split(";")]
            out[match.group(1)] = tuple((p[0], int(p[1])) for p in parts if len(p) == 2)
    return out


def _sources(gw: Gateway, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], SourceInfo]:
    out = {}
    for dataset, version in sorted(wanted):
        meta = dataset_row(gw, dataset)
        if not meta:
            continue
        files = [(s["file_name"], s["source_sha256"]) for s in source_rows(gw, dataset)
                 if s["version"] is not None and s["version"] <= version]
        title_ko, title_en, publisher, reference_date, licence = (
            meta[k] for k in ("title_ko", "title_en", "publisher", "reference_date", "licence"))
        out[(dataset, version)] = SourceInfo(
            dataset, version, str(title_ko or ""), str(title_en or ""), str(publisher or ""),
            str(reference_date or ""), str(licence or ""),
            tuple(SourceFile(str(n), str(s)) for n, s in files))
    return out


def load_profile_data(gw: Gateway) -> ProfileData:
    """Read everything profiles need, once (``Evidence.gateway`` or the API's).

    Raises:
        QueryError: the indicators were not computed yet.
    """
    if INDICATORS not in {d.id for d in list_datasets(gw)}:
        raise QueryError(title="no indicators in the evidence base yet",
                         hint="run 'migralink indicators compute' first (make run does it)")
    from migralink.codes import region_list, status_table
    from migralink.indicators import catalogue_frame

    released = release(gw, INDICATORS)
    regions = region_list().filter(pl.col("level").is_in(["country", "sido", "sigungu", "gu"]))
    regions = regions.unique("code", keep="last").sort("code")
    provenance = _provenance(gw, released.ref.version)
    wanted = {pair for ind in USED for pair in provenance.get(ind, ())}
    data = ProfileData(
        released=released,
        cells=_cells(released),
        regions=regions,
        names={r["code"]: (r["name_ko"], r["name_en"] or r["name_ko"])
               for r in regions.iter_rows(named=True)},
        levels=dict(zip(regions["code"].to_list(), regions["level"].to_list(), strict=True)),
        parents={c: p for c, p in zip(regions["code"].to_list(), regions["parent"].to_list(),
                                      strict=True) if p},
        catalogue={r["id"]: r for r in catalogue_frame().iter_rows(named=True)},
        provenance=provenance,
        sources=_sources(gw, wanted),
        statuses={r["code"]: (r["name_ko"], r["name_en"])
                  for r in status_table().iter_rows(named=True)},
    )
    share = released.frame.filter((pl.col("indicator") == "foreign_share")
                                  & pl.col("value").is_not_null())
    if "measure" in share.columns:
        share = share.filter(pl.col("measure") == "value")
    for (region,), rows in share.group_by(["region"]):
        data.periods[str(region)] = sorted(rows["period"].unique().to_list())
    return data

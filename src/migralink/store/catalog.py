"""Reading the catalogue: which datasets, versions and dimensions the store holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migralink.errors import QueryError
from migralink.model import Measure
from migralink.store.catalogue_read import measures_of
from migralink.store.gateway import Gateway

__all__ = ["DatasetInfo", "VersionRef", "code_labels", "list_datasets", "resolve_version"]


@dataclass(frozen=True)
class VersionRef:
    """One version of one dataset and where its observations are."""

    dataset_id: str
    version: int
    table_name: str
    dimensions: tuple[str, ...]
    codelists: dict[str, str | None]
    totals: dict[str, str]
    period_day: str
    region_system: str
    totals_stored: bool = False
    periods: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = (Measure(),)


@dataclass(frozen=True)
class DatasetInfo:
    """What ``migralink datasets`` shows for one dataset (its latest version)."""

    id: str
    title_ko: str
    title_en: str
    publisher: str
    source_url: str
    licence: str
    unit: str
    version: int
    versions: int
    source_sha256: str
    sources: tuple[str, ...]
    periods: tuple[str, ...]
    dimensions: tuple[str, ...]
    observations: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


def _has_catalogue(gw: Gateway) -> bool:
    return bool(
        gw.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'ml_dataset'")
    )


def list_datasets(gw: Gateway) -> list[DatasetInfo]:
    """Every dataset with its latest version, sources and dimensions."""
    if not _has_catalogue(gw):
        return []
    rows = gw.rows(
        """SELECT d.id, d.title_ko, d.title_en, d.publisher, d.source_url, d.licence, d.unit,
                  v.version, (SELECT count(*) FROM ml_version x WHERE x.dataset_id = d.id),
                  v.source_sha256,
                  (SELECT list(file_name ORDER BY ingested_at) FROM ml_source s
                    WHERE s.dataset_id = d.id AND s.version <= v.version),
                  v.periods,
                  (SELECT list(id ORDER BY position) FROM ml_dimension m
                    WHERE m.dataset_id = d.id AND m.version = v.version),
                  v.observations
           FROM ml_dataset d JOIN ml_version v ON v.dataset_id = d.id
           WHERE v.version = (SELECT max(version) FROM ml_version w WHERE w.dataset_id = d.id)
           ORDER BY d.id"""
    )
    return [
        DatasetInfo(
            id=r[0], title_ko=r[1], title_en=r[2], publisher=r[3], source_url=r[4],
            licence=r[5], unit=r[6], version=int(r[7]), versions=int(r[8]), source_sha256=r[9],
            sources=tuple(r[10] or ()),
            periods=tuple(r[11] or ()),
            dimensions=("period", "region", *(r[12] or ())),
            observations=int(r[13]),
        )
        for r in rows
    ]


def resolve_version(gw: Gateway, dataset: str, version: int | None = None) -> VersionRef:
    """The version to read: the latest unless one is named.

    Raises:
        QueryError: unknown dataset or version, with the known ones in the hint.
    """
    found = gw.scalar("SELECT count(*) FROM ml_version WHERE dataset_id = ?", [dataset]) if (
        _has_catalogue(gw)) else 0
    if not found:
        known = [d.id for d in list_datasets(gw)]
        raise QueryError(
            title=f"no dataset {dataset!r} in the evidence base",
            hint=f"known datasets: {', '.join(known) or 'none yet (run migralink ingest)'}",
        )
    row = gw.rows(
        "SELECT v.version, v.table_name, d.period_day, d.region_system, d.totals_stored, "
        "v.periods "
        "FROM ml_version v "
        "JOIN ml_dataset d ON d.id = v.dataset_id WHERE v.dataset_id = ? "
        + ("AND v.version = ? " if version is not None else "")
        + "ORDER BY v.version DESC LIMIT 1",
        [dataset, version] if version is not None else [dataset],
    )
    if not row:
        raise QueryError(
            title=f"dataset {dataset!r} has no version {version}",
            hint="see 'migralink datasets' for its latest version",
        )
    number, table, period_day, region_system, totals_stored, periods = row[0]
    dims = gw.rows(
        "SELECT id, codelist, total_code FROM ml_dimension WHERE dataset_id = ? AND version = ? "
        "ORDER BY position",
        [dataset, number],
    )
    return VersionRef(
        dataset, int(number), table, tuple(d[0] for d in dims), {d[0]: d[1] for d in dims},
        {d[0]: d[2] for d in dims if d[2]}, period_day, region_system, bool(totals_stored),
        tuple(periods or ()), measures_of(gw, dataset, int(number)),
    )


def code_labels(gw: Gateway, dataset: str, version: int, dimension: str) -> dict[str, str]:
    """``{code: label}`` of one dimension of a version."""
    return {
        r[0]: r[1]
        for r in gw.rows(
            "SELECT code, label FROM ml_code WHERE dataset_id = ? AND version = ? "
            "AND dimension = ?",
            [dataset, version, dimension],
        )
    }

"""The catalogue as the API shows it: datasets, versions, sources, dimensions, codes."""

from __future__ import annotations

from typing import Any

from migralink.api.observations import check_version
from migralink.api.protection import is_protected
from migralink.api.readers import Reading

__all__ = ["dataset_detail", "dataset_list"]


def _protected(view: Reading, dataset: str) -> bool:
    return is_protected(view.gateway, dataset)  # the release gate decides


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat(sep="T")


def dataset_list(view: Reading) -> list[dict[str, Any]]:
    """Every dataset with its latest version, as ``migralink datasets --format json``."""
    infos = view.snapshot.datasets
    return [{**infos[k].as_dict(), "protected": _protected(view, k)} for k in sorted(infos)]


def dataset_detail(view: Reading, dataset: str, version: int | None) -> dict[str, Any]:
    """Metadata, every version, every source file, and the dimensions with their codes.

    Raises:
        NotFoundError: unknown dataset or version.
    """
    check_version(view, dataset, version)
    number = version or view.snapshot.datasets[dataset].version
    gw = view.gateway
    meta = gw.rows(
        "SELECT id, title_ko, title_en, publisher, source_url, licence, unit, reference_date, "
        "region_system, period_day, notes FROM ml_dataset WHERE id = ?", [dataset])[0]
    keys = ("id", "title_ko", "title_en", "publisher", "source_url", "licence", "unit",
            "reference_date", "region_system", "period_day", "notes")
    versions = [
        {"version": int(r[0]), "created_at": _iso(r[1]), "source_sha256": r[2],
         "observations": int(r[3]), "periods": list(r[4] or ())}
        for r in gw.rows(
            "SELECT version, created_at, source_sha256, observations, periods FROM ml_version "
            "WHERE dataset_id = ? ORDER BY version", [dataset])
    ]
    sources = [
        {"file_name": r[0], "sha256": r[1], "periods": list(r[2] or ()), "rows_read": r[3],
         "ingested_at": _iso(r[4]), "version": r[5], "notes": list(r[6] or ())}
        for r in gw.rows(
            "SELECT file_name, source_sha256, periods, rows_read, ingested_at, version, notes "
            "FROM ml_source WHERE dataset_id = ? ORDER BY ingested_at, file_name", [dataset])
    ]
    codes: dict[str, list[dict[str, str | None]]] = {}
    for dim, code, label in gw.rows(
        "SELECT dimension, code, label FROM ml_code WHERE dataset_id = ? AND version = ? "
        "ORDER BY dimension, code", [dataset, number]):
        codes.setdefault(dim, []).append({"code": code, "label": label})
    dimensions = [
        {"id": r[0], "title_ko": r[1], "title_en": r[2], "codelist": r[3], "total_code": r[4],
         "codes": codes.get(r[0], [])}
        for r in gw.rows(
            "SELECT id, title_ko, title_en, codelist, total_code FROM ml_dimension "
            "WHERE dataset_id = ? AND version = ? ORDER BY position", [dataset, number])
    ]
    protected = _protected(view, dataset)
    if protected:  # no exact count of persons or of non-empty cells beside a release
        versions = [{k: v for k, v in item.items() if k != "observations"}
                    for item in versions]
        sources = [{k: v for k, v in item.items() if k != "rows_read"} for item in sources]
    return {
        **dict(zip(keys, meta, strict=True)),
        "protected": protected,
        "version": number,
        "versions": versions,
        "sources": sources,
        "dimensions": dimensions,
    }

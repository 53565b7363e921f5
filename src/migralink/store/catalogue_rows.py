"""The catalogue's records as plain rows, for listings, the API and the bundled sample.

Every ``ml_*`` statement that reads whole records lives here (or in the other
``catalogue*`` modules): callers get dicts and tuples, never SQL.
"""

from __future__ import annotations

from typing import Any

from migralink.store.catalogue_read import schema_version
from migralink.store.gateway import Gateway

__all__ = [
    "META_FIELDS",
    "catalogue_state",
    "code_rows",
    "dataset_ids",
    "dataset_row",
    "dimension_rows",
    "source_rows",
    "total_codes",
    "totals_flags",
    "version_rows",
]

#: The description columns of ``ml_dataset`` (the fields of a DatasetMeta but measures).
META_FIELDS = ("id", "title_ko", "title_en", "publisher", "source_url", "licence", "unit",
               "reference_date", "region_system", "notes", "period_day")


def dataset_ids(gw: Gateway) -> list[str]:
    """Every dataset id, sorted."""
    if schema_version(gw) == 0:
        return []
    return [r[0] for r in gw.rows("SELECT id FROM ml_dataset ORDER BY id")]


def dataset_row(gw: Gateway, dataset: str) -> dict[str, Any]:
    """A dataset's description (:data:`META_FIELDS`); empty for an unknown id."""
    rows = gw.rows(f"SELECT {', '.join(META_FIELDS)} FROM ml_dataset WHERE id = ?", [dataset])
    return dict(zip(META_FIELDS, rows[0], strict=True)) if rows else {}


def version_rows(gw: Gateway, dataset: str) -> list[dict[str, Any]]:
    """Every version: number, created_at, source_sha256, observations, periods, table."""
    keys = ("version", "created_at", "source_sha256", "observations", "periods", "table_name")
    return [dict(zip(keys, r, strict=True)) for r in gw.rows(
        f"SELECT {', '.join(keys)} FROM ml_version WHERE dataset_id = ? ORDER BY version",
        [dataset])]


def source_rows(gw: Gateway, dataset: str) -> list[dict[str, Any]]:
    """Every source file of a dataset, in the order they were ingested."""
    keys = ("file_name", "source_sha256", "periods", "rows_read", "ingested_at", "version",
            "notes")
    return [dict(zip(keys, r, strict=True)) for r in gw.rows(
        f"SELECT {', '.join(keys)} FROM ml_source WHERE dataset_id = ? "
        "ORDER BY ingested_at, file_name", [dataset])]


def code_rows(gw: Gateway, dataset: str, version: int) -> dict[str, list[tuple[str, str]]]:
    """``{dimension: [(code, label), ...]}`` of a version, sorted by code."""
    out: dict[str, list[tuple[str, str]]] = {}
    for dim, code, label in gw.rows(
            "SELECT dimension, code, label FROM ml_code WHERE dataset_id = ? AND version = ? "
            "ORDER BY dimension, code", [dataset, version]):
        out.setdefault(dim, []).append((code, label))
    return out


def dimension_rows(gw: Gateway, dataset: str, version: int) -> list[dict[str, Any]]:
    """The dimensions of a version in order: id, titles, codelist, total_code, role."""
    keys = ("id", "title_ko", "title_en", "codelist", "total_code", "role")
    return [dict(zip(keys, r, strict=True)) for r in gw.rows(
        f"SELECT {', '.join(keys)} FROM ml_dimension WHERE dataset_id = ? AND version = ? "
        "ORDER BY position", [dataset, version])]


def total_codes(gw: Gateway, dataset: str) -> dict[str, set[str]]:
    """``{dimension: codes}``: every code a dimension was declared to total in any version
    (a version's codes carry forward those of the versions before it, totals included)."""
    out: dict[str, set[str]] = {}
    for dim, code in gw.rows(
            "SELECT DISTINCT id, total_code FROM ml_dimension WHERE dataset_id = ? "
            "AND total_code IS NOT NULL", [dataset]):
        out.setdefault(dim, set()).add(code)
    return out


def catalogue_state(gw: Gateway) -> list[tuple[Any, ...]]:
    """What identifies the store's content: every version with its source and size."""
    if schema_version(gw) == 0:
        return []
    return gw.rows("SELECT dataset_id, version, created_at, source_sha256, observations "
                   "FROM ml_version ORDER BY ALL")


def totals_flags(gw: Gateway) -> dict[str, bool]:
    """``{dataset: totals_stored}``: which datasets store every margin (register cubes)."""
    if schema_version(gw) == 0:
        return {}
    return {r[0]: bool(r[1]) for r in gw.rows("SELECT id, totals_stored FROM ml_dataset")}

"""A Frictionless Data Package: the released cells as CSV with a typed, described schema.

``datapackage.json`` names the licence and the sources (every file with its sha256) of
the dataset, and gives each field its type, title, description and unit. The package is
validated by ``frictionless`` after it is written; a package with any error is removed
and refused.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl

from migralink.errors import ConfigError
from migralink.exports.files import atomic_write
from migralink.exports.release import Released
from migralink.exports.structure import Structure
from migralink.store.catalogue_rows import dataset_row, source_rows
from migralink.store.gateway import Gateway

__all__ = ["DataPackage", "export_datapackage", "validate_datapackage"]

_TYPES = {"Long": "integer", "Double": "number"}


class DataPackage:
    """Where a package was written: its descriptor and its data file."""

    def __init__(self, descriptor: Path, data: Path) -> None:
        self.descriptor = descriptor
        self.data = data


def _meta(gw: Gateway, dataset: str) -> dict[str, Any]:
    row = dataset_row(gw, dataset)
    keys = ("title_ko", "title_en", "publisher", "source_url", "licence", "unit",
            "reference_date", "notes")
    return {k: row[k] for k in keys} if row else dict.fromkeys(keys)


def _sources(gw: Gateway, dataset: str, version: int) -> list[dict[str, Any]]:
    return [{"title": str(s["file_name"]), "sha256": str(s["source_sha256"]),
             "periods": list(s["periods"] or [])}
            for s in source_rows(gw, dataset)
            if s["version"] is not None and s["version"] <= version]


def _fields(released: Released, structure: Structure, unit: str) -> list[dict[str, Any]]:
    value_type = _TYPES.get(structure.value_type.value, "number")
    described = {
        "period": ("string", "Time period (SDMX TIME_PERIOD): 2019, 2024-05, 2017-Q1, "
                   "2015/2019 for a span", None),
        "region": ("string", "Region: MOIS administrative code (00 = the nation)", None),
        "value": (value_type, "The observation; empty where suppressed (see conf_status)",
                  unit),
        "obs_status": ("string", "SDMX OBS_STATUS: A normal, E estimated, P provisional, "
                       "M missing", None),
        "conf_status": ("string", "SDMX CONF_STATUS: F free, A primary and D secondary "
                        "confidentiality", None),
    }
    fields = []
    for column in released.frame.columns:
        fallback = (("string", f"Dimension {column} (code list CL_{column.upper()})", None)
                    if column not in structure.measures else
                    (_TYPES.get(structure.measures[column].value, "number"),
                     f"Measure {column}; empty where suppressed", None))
        kind, text, field_unit = described.get(column, fallback)
        field: dict[str, Any] = {"name": column, "type": kind,
                                 "title": structure.columns.get(column, column),
                                 "description": text}
        if field_unit:
            field["unit"] = field_unit
        if column in ("obs_status", "conf_status"):
            field["constraints"] = {
                "enum": sorted(structure.codelists[structure.columns[column]])}
        fields.append(field)
    return fields


def _descriptor(gw: Gateway, released: Released, structure: Structure,
                data_name: str) -> dict[str, Any]:
    ref = released.ref
    meta = _meta(gw, ref.dataset_id)
    licence = str(meta["licence"] or "see the publisher's terms")
    sources = _sources(gw, ref.dataset_id, ref.version)
    source_url = meta["source_url"]
    kind = "published aggregate, released as published" if released.public else "protected"
    return {
        "name": ref.dataset_id.replace("_", "-").lower(),
        "title": str(meta["title_en"] or ref.dataset_id),
        "description": f"{meta['title_ko'] or ''} — released by migralink with disclosure "
        f"control ({kind}"
        f"; {released.suppressed} cell(s) suppressed). {meta['notes'] or ''}".strip(),
        "version": str(ref.version),
        "licenses": [{"name": "publisher-terms", "title": licence,
                      **({"path": str(source_url)} if source_url else {})}],
        "sources": [{"title": str(meta["publisher"] or "publisher"),
                     **({"path": str(source_url)} if source_url else {})},
                    *({"title": f"{s['title']} (sha256 {s['sha256']})"} for s in sources)],
        "resources": [{
            "name": ref.dataset_id.replace("_", "-").lower(),
            "path": data_name, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {
                "fields": _fields(released, structure, str(meta["unit"] or "")),
                "missingValues": [""],
                "primaryKey": ["period", "region", *ref.dimensions],
            },
            "sdmx:dataflow": structure.dataflow_id,
            "migralink:reference_date": meta["reference_date"],
            "migralink:files": sources,
        }],
    }


def validate_datapackage(descriptor: Path) -> list[str]:
    """Frictionless's errors for a package (empty when it is valid)."""
    from frictionless import Package, validate

    del Package  # imported for its side effect of registering the package plugins
    report = validate(str(descriptor))
    return [f"{err.type}: {err.message}" for task in report.tasks for err in task.errors] + [
        f"{err.type}: {err.message}" for err in report.errors]


def export_datapackage(gw: Gateway, released: Released, structure: Structure,
                       out: Path, *, validate: bool = True) -> DataPackage:
    """Write the package into the folder ``out`` (``datapackage.json`` and the CSV).

    Raises:
        ConfigError: frictionless found errors (the folder is removed).
    """
    fresh = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    data_name = f"{released.ref.dataset_id}.csv"
    frame = released.frame.with_columns(pl.col("period").cast(pl.Utf8))
    frame = frame.with_columns(pl.col(m).round(0).cast(pl.Int64)
                               for m, kind in structure.measures.items() if kind.value == "Long")
    data = atomic_write(out / data_name, frame.write_csv())
    descriptor = atomic_write(out / "datapackage.json", json.dumps(
        _descriptor(gw, released, structure, data_name), ensure_ascii=False, indent=1) + "\n")
    if validate:
        errors = validate_datapackage(descriptor)
        if errors:
            if fresh:
                shutil.rmtree(out)
            raise ConfigError(
                title=f"the data package of {released.ref.dataset_id} does not validate "
                f"({len(errors)} error(s): {errors[0]})",
                hint="this is a bug in migralink's package writer; please report it",
                details=errors,
            )
    return DataPackage(descriptor, data)

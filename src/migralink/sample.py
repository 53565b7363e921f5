"""The bundled sample: the evidence base's own compact snapshot of the official tables.

``migralink sample build`` ingests the published files in ``../shared/data`` with the
ordinary ingest code and exports each dataset's latest version to Parquet, with a
manifest of provenance (publisher, licence, source files and their sha256) and
attribution. ``migralink sample load`` (what ``make run`` does) lands that snapshot in a
new evidence base through the same store code, so that migralink runs where the
published files are not at hand.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from migralink.errors import InputError, Location
from migralink.evidence import Evidence
from migralink.model import DatasetMeta, DimensionMeta, SourceTable, from_dict
from migralink.store import store_table
from migralink.store.catalogue import latest_version, record_sources
from migralink.store.catalogue_rows import (
    code_rows,
    dataset_ids,
    dataset_row,
    dimension_rows,
    source_rows,
)
from migralink.store.gateway import Gateway

__all__ = ["SHARED_FILES", "build_sample", "export_sample", "load_sample", "sample_dir"]

#: The published files of README-stats.md, relative to ``shared/data``, in ingest order.
SHARED_FILES: tuple[str, ...] = (
    "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv",
    "moj_stay_foreigners/moj_foreign_stay_data_2024_2026-06-14.csv",
    "moj_stay_foreigners/moj_foreign_resident_monthly_nationality_2026-07-01.csv",
    "moj_stay_foreigners/approved_fileData_15100016_2026-06-23.csv",
    "moj_stay_foreigners/moe_foreign_student_region_2026-06-23.csv",
    "moj_stay_foreigners/moj_foreign_student_stay_2024_2026-06-14.csv",
    "moj_stay_foreigners/approved_fileData_15112636_2026-06-18.csv",
    "moj_stay_foreigners/moj_naturalization_by_nationality_2026-07-01.csv",
    "moj_stay_foreigners/moj_naturalization_by_type_2026-07-01.csv",
    "mois_foreign_residents/jeju_foreign_resident_status_district_2026-06-23.csv",
    "mois_foreign_residents/approved_fileData_15047603_2026-06-18.csv",
    "mois_foreign_residents/chungnam_foreign_resident_nationality_2026-06-23.csv",
    "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv",
    "population/200912_201812_주민등록인구및세대현황_연간.csv",
    "population/201912_202412_주민등록인구및세대현황_연간.csv",
    "population/201312_201512_연령별인구현황_연간.csv",
    "population/201612_201812_연령별인구현황_연간.csv",
    "population/201912_202112_연령별인구현황_연간.csv",
    "population/202212_202412_연령별인구현황_연간.csv",
    "moj_registered_foreigners/2018 지역_및_체류자격별_등록외국인_현황.xlsx",
    "seoul/01. population_in_Seoul.xls",
    "other/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
    "other/nhis_foreigner_coverage_2022_2026-06-15.csv",
    "other/approved_fileData_3046074_2026-06-22.csv",
    "other/mogef_multicultural_family_2024_2026-06-15.csv",
)

MANIFEST = "manifest.json"


def sample_dir() -> Path:
    """The folder of the bundled sample inside the installed package."""
    return Path(str(resources.files("migralink") / "sample_data"))


def build_sample(
    shared_data: Path, out_dir: Path, progress: Callable[[str], None] | None = None
) -> Path:
    """Ingest the published files and export the snapshot; returns the manifest path."""
    missing = [f for f in SHARED_FILES if not (shared_data / f).is_file()]
    if missing:
        raise InputError(
            title=f"{len(missing)} published file(s) are missing, e.g. {missing[0]}",
            hint="point --shared at the shared/data folder described in its README files",
            location=Location(file=str(shared_data)),
        )
    with tempfile.TemporaryDirectory() as tmp, Evidence(Path(tmp) / "build.duckdb") as ev:
        for name in SHARED_FILES:
            if progress:
                progress(name)
            ev.ingest([shared_data / name])
        return export_sample(ev.gateway, out_dir)


def export_sample(gw: Gateway, out_dir: Path) -> Path:
    """Export every dataset of an evidence base as the sample; returns the manifest path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = dataset_ids(gw)
    entries = [_export(gw, dataset, out_dir) for dataset in ids]
    manifest = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "built_by": "migralink sample build (the project's own ingest code)",
        "attribution": "See ATTRIBUTION.md: each dataset's publisher, licence and source.",
        "datasets": entries,
    }
    path = out_dir / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _write_attribution(entries, out_dir / "ATTRIBUTION.md")
    return path


def _export(gw: Gateway, dataset: str, out_dir: Path) -> dict[str, Any]:
    version, table = latest_version(gw, dataset) or (0, "")
    meta = dataset_row(gw, dataset)
    dims = [(d["id"], d["title_ko"], d["title_en"], d["codelist"], d["total_code"], d["role"])
            for d in dimension_rows(gw, dataset, version)]
    labels = {dim: dict(found) for dim, found in code_rows(gw, dataset, version).items()}
    sources = [{"file": r["file_name"], "sha256": r["source_sha256"], "periods": list(r["periods"])}
               for r in source_rows(gw, dataset)]
    columns = ["period", "region", *(d[0] for d in dims), "value", "status", "src", "source_row"]
    selected = ", ".join(f'"{c}"::VARCHAR AS "{c}"' if c == "status" else f'"{c}"'
                         for c in columns)
    frame = gw.polars(f'SELECT {selected} FROM "{table}" ORDER BY ALL')
    frame.write_parquet(out_dir / f"{dataset}.parquet", compression="zstd")
    return {
        "meta": meta,
        "dimensions": [
            {"id": d[0], "title_ko": d[1], "title_en": d[2], "codelist": d[3], "total": d[4],
             **({"role": d[5]} if d[5] != "category" else {})}  # older manifests: none
            for d in dims
        ],
        "labels": labels,
        "sources": sources,
        "rows": frame.height,
    }


def _write_attribution(entries: list[dict[str, Any]], path: Path) -> None:
    lines = [
        "# Attribution of the bundled sample",
        "",
        "Each Parquet file here is a dataset as migralink's own ingest code read it from the",
        "published file(s) named below, unchanged in value. Cite the publisher when you use it.",
        "",
    ]
    for e in entries:
        m = e["meta"]
        lines += [
            f"## {m['id']}: {m['title_ko']} ({m['title_en']})",
            f"- Publisher: {m['publisher']}",
            f"- Source: {m['source_url']}",
            f"- Licence: {m['licence']}",
            *[f"- File: `{s['file']}` (sha256 {s['sha256']})" for s in e["sources"]],
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def load_sample(gw: Gateway, folder: Path | None = None) -> list[str]:
    """Land every dataset of the sample in the store; returns the dataset ids."""
    folder = folder or sample_dir()
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise InputError(
            title="the bundled sample has no manifest",
            hint="rebuild it with 'make sample' (needs ../shared/data)",
            location=Location(file=str(manifest_path)),
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    loaded = []
    for entry in manifest["datasets"]:
        parquet = folder / f"{entry['meta']['id']}.parquet"
        meta = from_dict(DatasetMeta, {k: v or "" for k, v in entry["meta"].items()})
        table = SourceTable(
            meta=meta,
            source_file=parquet,
            source_sha256=hashlib.sha256(parquet.read_bytes()).hexdigest(),
            dimensions=tuple(DimensionMeta(**d) for d in entry["dimensions"]),
            frame=pl.read_parquet(parquet).with_columns(pl.lit("").alias("source_column")),
            labels=entry["labels"],
            mapping_text=json.dumps({k: entry[k] for k in ("meta", "dimensions", "sources")},
                                    ensure_ascii=False, sort_keys=True),
            notes=[f"bundled sample of {s['file']} (sha256 {s['sha256'][:12]}…)"
                   for s in entry["sources"]],
        )
        result = store_table(gw, table, origin="sample")
        if result.changed:  # name the files as published beside the sample they reached us in
            record_sources(
                gw, meta.id, result.version,
                [(s["file"], s["sha256"], s["periods"]) for s in entry["sources"]],
                "the file as published; loaded from migralink's bundled sample of it",
            )
        loaded.append(meta.id)
    return loaded


def meta_dict(meta: DatasetMeta) -> dict[str, Any]:
    """A dataset's metadata as a dict (for manifests)."""
    return asdict(meta)

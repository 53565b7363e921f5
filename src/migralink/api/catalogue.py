"""The catalogue as the API shows it: datasets, versions, sources, dimensions, codes."""

from __future__ import annotations

from typing import Any

from migralink.api.observations import check_version
from migralink.api.protection import Disclosure, dp_grid, is_protected
from migralink.api.readers import Reading
from migralink.store.catalogue_read import resolve_version, sensitivities
from migralink.store.catalogue_rows import (
    code_rows,
    dataset_row,
    dimension_rows,
    source_rows,
    version_rows,
)

__all__ = ["dataset_detail", "dataset_list"]


def _protected(view: Reading, dataset: str) -> bool:
    return is_protected(view.gateway, dataset)  # the release gate decides


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat(sep="T")


def dataset_list(view: Reading) -> list[dict[str, Any]]:
    """Every dataset with its latest version, as ``migralink datasets --format json``."""
    infos = view.snapshot.datasets
    # Every dataset's sensitivity in one statement, once per snapshot (the gate reads the
    # same catalogue record, one dataset at a time: two queries each, 50-130 ms in all
    # on a cold server); a dataset it does not name is asked of the gate.
    known: dict[str, str] = view.snapshot.derived(
        ("catalogue", "sensitivities"), lambda: sensitivities(view.gateway))
    return [{**infos[k].as_dict(),
             "protected": known[k] == "protected" if k in known else _protected(view, k)}
            for k in sorted(infos)]


def dataset_detail(view: Reading, dataset: str, version: int | None,
                   disclosure: Disclosure | None = None) -> dict[str, Any]:
    """Metadata, every version, every source file, and the dimensions with their codes
    (under DP, a protected dataset's codes are those of its release's grid: see
    :func:`~migralink.api.protection.dp_grid`).

    Raises:
        NotFoundError: unknown dataset or version.
    """
    check_version(view, dataset, version)
    number = version or view.snapshot.datasets[dataset].version
    gw = view.gateway
    meta = dataset_row(gw, dataset)
    del meta["id"]
    versions = [
        {"version": int(r["version"]), "created_at": _iso(r["created_at"]),
         "source_sha256": r["source_sha256"], "observations": int(r["observations"]),
         "periods": list(r["periods"] or ())}
        for r in version_rows(gw, dataset)
    ]
    sources = [
        {"file_name": r["file_name"], "sha256": r["source_sha256"],
         "periods": list(r["periods"] or ()), "rows_read": r["rows_read"],
         "ingested_at": _iso(r["ingested_at"]), "version": r["version"],
         "notes": list(r["notes"] or ())}
        for r in source_rows(gw, dataset)
    ]
    stored = code_rows(gw, dataset, number)
    codes = {dim: [{"code": c, "label": lab} for c, lab in found]
             for dim, found in stored.items()}
    grid = dp_grid(gw, resolve_version(gw, dataset, number), disclosure)
    if grid is not None:
        codes = {dim: [{"code": str(c), "label": dict(stored.get(dim, ())).get(c, c)}
                       for c in sorted(grid[dim].unique().to_list())]
                 for dim in stored if dim in grid.columns}
    dimensions = [{**r, "codes": codes.get(r["id"], [])}
                  for r in dimension_rows(gw, dataset, number)]
    protected = _protected(view, dataset)
    if protected:  # no exact count of persons or of non-empty cells beside a release
        versions = [{k: v for k, v in item.items() if k != "observations"}
                    for item in versions]
        sources = [{k: v for k, v in item.items() if k != "rows_read"} for item in sources]
    return {
        "id": dataset,
        **meta,
        "protected": protected,
        "version": number,
        "versions": versions,
        "sources": sources,
        "dimensions": dimensions,
    }

"""Exports: a dataset as CSV or Parquet, with disclosure control applied.

Everything that leaves migralink as a file goes through :func:`export_dataset`: the
ministries' published aggregates are released as published (every cell free, unless the
policy says to protect them too), and tables built from registers are protected by the
policy, period by period, with a short disclosure report written beside the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from migralink.disclosure import (
    DisclosurePolicy,
    DisclosureReport,
    TableSpec,
    flat,
    protect,
    region_hierarchy,
)
from migralink.errors import ConfigError, DisclosureError
from migralink.evidence import Evidence
from migralink.store import QueryResult
from migralink.store.catalog import VersionRef, resolve_version
from migralink.store.gateway import Gateway
from migralink.store.sql import quote_ident

__all__ = [
    "ExportResult", "cells_of", "export_dataset", "is_public", "protected_cube", "publish_result",
]


@dataclass(frozen=True)
class ExportResult:
    """Where an export went and what disclosure control did to it."""

    path: Path
    report_path: Path
    rows: int
    suppressed: int
    public: bool


def is_public(ev: Evidence, dataset: str) -> bool:
    """A ministry's published aggregate (public), rather than a table built from a register."""
    stored = ev.gateway.rows(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'ml_dataset' AND column_name = 'totals_stored'"
    )
    if not stored:
        return True
    flag = ev.gateway.scalar("SELECT totals_stored FROM ml_dataset WHERE id = ?", [dataset])
    return not bool(flag)


def _read_all(gw: Gateway, ref: VersionRef) -> pl.DataFrame:
    dims = "".join(f", {quote_ident(d)}" for d in ref.dimensions)
    return gw.polars(
        f"SELECT period, region{dims}, value, status::VARCHAR AS status "
        f"FROM {quote_ident(ref.table_name)} "
        "ORDER BY ALL"
    )


def _spec(frame: pl.DataFrame, ref: VersionRef) -> TableSpec:
    hierarchies = [region_hierarchy(frame["region"].unique().to_list())]
    for dim in ref.dimensions:
        total = ref.totals.get(dim, "_T")
        hierarchies.append(flat(dim, frame[dim].unique().to_list(), total))
    return TableSpec(tuple(hierarchies))


def protected_cube(
    gw: Gateway, ref: VersionRef, policy: DisclosurePolicy, *, public: bool
) -> tuple[pl.DataFrame, list[tuple[str, DisclosureReport]]]:
    """Every cell of a dataset version as it may be published, period by period.

    The one place where a stored table meets the disclosure policy: exports, the CLI's
    queries and the API all publish cells of this cube.
    """
    frame = _read_all(gw, ref)
    columns = ["period", "region", *ref.dimensions, "value", "obs_status", "conf_status"]
    if frame.is_empty():
        return frame.with_columns(
            obs_status=pl.lit("A"), conf_status=pl.lit("F")
        ).select(columns), []
    parts, reports = [], []
    for (period,), rows in frame.group_by(["period"], maintain_order=True):
        table = rows.drop("period")
        protected = protect(table, _spec(table, ref), policy, public=public)
        parts.append(protected.frame.with_columns(pl.lit(period).alias("period")))
        reports.append((str(period), protected.report))
    return pl.concat(parts, how="diagonal_relaxed").select(columns), reports


def cells_of(
    frame: pl.DataFrame, cube: pl.DataFrame, ref: VersionRef, *, missing: str
) -> pl.DataFrame:
    """The rows of a query answer, each read from the protected cube as published.

    A register cube stores every margin, so each answer row is one cell of the cube
    (dimensions the answer leaves out are at their total). A row the cube lacks is
    withheld with conf_status ``missing``.
    """
    keys = ["period", "region", *ref.dimensions]
    wanted = frame.select(
        pl.int_range(pl.len()).alias("_row"),
        *(pl.col(k) if k in frame.columns else pl.lit(ref.totals.get(k, "_T")).alias(k)
          for k in keys),
    )
    found = wanted.join(cube, on=keys, how="left").sort("_row")
    return frame.with_columns(
        found["value"].alias("value"),
        found["obs_status"].fill_null("M").alias("status"),
        found["conf_status"].fill_null(missing).alias("conf_status"),
    )


def publish_result(
    ev: Evidence, result: QueryResult, policy: DisclosurePolicy | None = None
) -> pl.DataFrame:
    """A query's rows as they may be published, with ``conf_status``.

    A ministry's published aggregate passes through (every cell free). A table built
    from a register stores every margin, so each row of an answer is one cell of its
    cube: the row is read from the whole protected cube, which is what makes answers to
    different queries consistent (no total minus visible parts reveals a cell).

    Raises:
        DisclosureError: a protected dataset asked on other boundaries.
    """
    frame = result.frame
    if is_public(ev, result.dataset):
        return frame.with_columns(pl.lit("F").alias("conf_status"))
    if "boundaries" in " ".join(result.notes):
        raise DisclosureError(
            title=f"{result.dataset!r} is protected: it cannot be read on other boundaries",
            hint="re-reading regions splits units by estimates that are not cells of the "
            "protected table; ask without --boundaries",
        )
    ref = resolve_version(ev.gateway, result.dataset, result.version)
    cube, _ = protected_cube(ev.gateway, ref, policy or DisclosurePolicy(), public=False)
    return cells_of(frame, cube, ref, missing="D")


def export_dataset(
    ev: Evidence,
    dataset: str,
    out: Path,
    *,
    policy: DisclosurePolicy | None = None,
    version: int | None = None,
) -> ExportResult:
    """Write ``dataset`` to ``out`` (``.csv`` or ``.parquet``) with disclosure applied.

    The report goes to ``<out>.disclosure.json`` and is summarised in ``.txt``.
    """
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".parquet"}:
        raise ConfigError(
            title=f"cannot export to {out.name!r}", hint="give a file ending in .csv or .parquet"
        )
    policy = policy or DisclosurePolicy()
    ref = resolve_version(ev.gateway, dataset, version)
    public = is_public(ev, dataset)
    result, reports = protected_cube(ev.gateway, ref, policy, public=public)
    if suffix == ".csv":
        result.write_csv(out)
    else:
        result.write_parquet(out)
    report_path = out.with_name(out.name + ".disclosure.json")
    report_path.write_text(_report_json(dataset, ref.version, public, policy, reports),
                           encoding="utf-8")
    out.with_name(out.name + ".disclosure.txt").write_text(
        _report_text(dataset, ref.version, public, reports), encoding="utf-8"
    )
    suppressed = result.filter(pl.col("conf_status") != "F").height
    return ExportResult(out, report_path, result.height, suppressed, public)


def _report_json(
    dataset: str,
    version: int,
    public: bool,
    policy: DisclosurePolicy,
    reports: list[tuple[str, DisclosureReport]],
) -> str:
    body = {
        "dataset": dataset,
        "version": version,
        "public": public,
        "policy": json.loads(policy.to_json()),
        "periods": {period: report.to_dict() for period, report in reports},
    }
    return json.dumps(body, ensure_ascii=False, indent=1, default=str) + "\n"


def _report_text(
    dataset: str, version: int, public: bool, reports: list[tuple[str, DisclosureReport]]
) -> str:
    kind = "published aggregate (public)" if public else "table built from a register"
    lines = [f"Disclosure report for {dataset} v{version}: {kind}", ""]
    for period, report in reports:
        lines += [f"## {period}", report.to_text(), ""]
    return "\n".join(lines)

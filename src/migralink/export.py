"""Exports: a dataset as CSV or Parquet, with disclosure control applied.

Everything that leaves migralink as a file goes through :func:`export_dataset`: the
ministries' published aggregates are released as published (every cell free, unless the
policy says to protect them too), and tables built from registers are protected by the
policy, period by period, with a short disclosure report written beside the file.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from migralink.disclosure import (
    DisclosurePolicy,
    DisclosureReport,
)
from migralink.disclosure.gate import WITHHELD
from migralink.errors import ConfigError, DisclosureError
from migralink.evidence import Evidence
from migralink.store import QueryResult, QuerySpec
from migralink.store.catalogue_read import VersionRef, resolve_version
from migralink.store.gateway import Gateway

__all__ = [
    "ExportResult", "cells_of", "chosen_policy", "export_dataset", "is_public",
    "protected_cube", "publish_result",
]


@dataclass(frozen=True)
class ExportResult:
    """Where an export went and what disclosure control did to it."""

    path: Path
    report_path: Path
    rows: int
    suppressed: int
    public: bool


def chosen_policy(path: Path | None, threshold: int | None = None,
                  dp_epsilon: float | None = None) -> DisclosurePolicy:
    """The policy of one release, as a command chose it (a JSON file, or flags)."""
    if path is not None:
        return DisclosurePolicy.from_json(path.read_text(encoding="utf-8"))
    return DisclosurePolicy(threshold=10 if threshold is None else threshold,
                            dp_epsilon=dp_epsilon)


def is_public(ev: Evidence, dataset: str) -> bool:
    """Whether the release gate publishes ``dataset`` as it is (the catalogue decides)."""
    from migralink.disclosure import sensitivity

    return bool(sensitivity(ev.gateway, dataset) == "public")


def protected_cube(
    gw: Gateway, ref: VersionRef, policy: DisclosurePolicy, *, public: bool
) -> tuple[pl.DataFrame, list[tuple[str, DisclosureReport]]]:
    """Every cell of a dataset version as the release gate publishes it, per period.

    ``public`` is ignored: the gate reads sensitivity from the catalogue.
    """
    from migralink.disclosure import release

    del public
    done = release(gw, ref.dataset_id, ref.version, policy=policy)
    return done.cells, list(done.reports)


def cells_of(
    frame: pl.DataFrame, cube: pl.DataFrame, ref: VersionRef, *, missing: str = WITHHELD
) -> pl.DataFrame:
    """The rows of a query answer, each read from a released cube (absent: withheld)."""
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
    ev: Evidence, result: QueryResult, policy: DisclosurePolicy | None = None,
    spec: QuerySpec | None = None,
) -> pl.DataFrame:
    """A query's rows as the release gate publishes them, with ``conf_status``.

    Raises:
        DisclosureError: a protected dataset asked on other boundaries.
    """
    from migralink.disclosure import publish_query

    if spec is None:
        if is_public(ev, result.dataset):
            return result.frame.with_columns(pl.lit("F").alias("conf_status"))
        if "boundaries" in " ".join(result.notes):
            raise DisclosureError(
                title=f"{result.dataset!r} is protected: it cannot be read on other "
                "boundaries",
                hint="re-reading regions splits units by estimates that are not cells of "
                "the protected table; ask without --boundaries",
            )
        ref = resolve_version(ev.gateway, result.dataset, result.version)
        cube, _ = protected_cube(ev.gateway, ref, policy or DisclosurePolicy(), public=False)
        return cells_of(result.frame, cube, ref)
    return publish_query(ev.gateway, spec, policy=policy).frame


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
    if not public or policy.protect_public:
        result = result.select(  # the release's columns, in the export's order
            "period", "region", *ref.dimensions, "value", "obs_status", "conf_status")
    # whole or not at all, and a folder in the way is a clear error, not a traceback
    from migralink.exports.files import atomic_write

    report_path = out.with_name(out.name + ".disclosure.json")
    text_path = out.with_name(out.name + ".disclosure.txt")
    for path in (out, report_path, text_path):
        if path.is_dir():
            raise ConfigError(title=f"{path} is a folder: the export writes a file there",
                              hint="give the name of a file (new, or one to replace)")
    if suffix == ".csv":
        atomic_write(out, result.write_csv())
    else:
        buffer = io.BytesIO()
        result.write_parquet(buffer)
        atomic_write(out, buffer.getvalue())
    atomic_write(report_path, _report_json(dataset, ref.version, public, policy, reports))
    atomic_write(text_path, _report_text(dataset, ref.version, public, reports))
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

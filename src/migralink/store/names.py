"""Names beside codes in a query's answer (the Python API shows them)."""

from __future__ import annotations

import polars as pl

from migralink.codes.lookup import region_name
from migralink.store.catalogue_read import code_labels, resolve_version
from migralink.store.gateway import Gateway
from migralink.store.query import QueryResult

__all__ = ["with_names"]


def with_names(gw: Gateway, result: QueryResult) -> pl.DataFrame:
    """``result.frame`` with ``region_name`` and ``<dimension>_name`` after each code."""
    ref = resolve_version(gw, result.dataset, result.version)
    frame = result.frame
    order: list[str] = []
    for column in frame.columns:
        order.append(column)
        if column == "region" and ref.region_system == "mois":
            names = {c: region_name(c) for c in frame["region"].unique().to_list()}
            frame = frame.with_columns(
                pl.col("region").replace_strict(names, return_dtype=pl.Utf8).alias("region_name"))
            order.append("region_name")
        elif column in ref.dimensions:
            labels = code_labels(gw, ref.dataset_id, ref.version, column)
            frame = frame.with_columns(pl.col(column).replace_strict(
                labels, default=pl.col(column), return_dtype=pl.Utf8).alias(f"{column}_name"))
            order.append(f"{column}_name")
    return frame.select(order)

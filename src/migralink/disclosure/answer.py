"""A query answered from a release: the cells of the release that the question names.

A protected dataset stores every margin, so every row of a query's answer is one cell:
the periods asked for, the region asked for (or the nation, or every region when the
query is ``by`` region), each filtered dimension at its code, each dimension in ``by``
at every code but its total, and every other dimension at its total. Reading those
cells from the release — never from the stored table — makes every answer a subset of
one protected table, and its row set that of the release (the full grid, for a DP
release), whatever the stored table holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from migralink.codes.hierarchy import NATIONAL
from migralink.errors import QueryError
from migralink.store.catalogue_read import resolve_version
from migralink.store.gateway import Gateway
from migralink.store.query import QuerySpec

__all__ = ["answer_from_cells", "cells_of", "grid_question", "resolved_question"]


def resolved_question(
    gw: Gateway, spec: QuerySpec, version: int
) -> tuple[tuple[tuple[str, str], ...], str | None, tuple[str, ...]]:
    """The query's filters and region as codes, and the dataset's dimensions."""
    # The query module resolves labels and names the same way for every path; its
    # resolvers are reused here so that a label means the same code in both.
    from migralink.store.query import _resolve_filter, _resolve_region

    ref = resolve_version(gw, spec.dataset, version)
    filters = tuple((d, _resolve_filter(gw, ref, d, c)) for d, c in spec.filters)
    region = _resolve_region(spec.region, ref, None) if spec.region else None
    return filters, region, ref.dimensions


def grid_question(
    gw: Gateway, spec: QuerySpec, version: int, cells: pl.DataFrame
) -> tuple[tuple[tuple[str, str], ...], str | None, tuple[str, ...]]:
    """:func:`resolved_question` for a DP release, checked against its grid alone.

    The stored table must not decide whether a question is answered: refusing a code no
    person has ("not a code of nationality") or a region where nobody of it lives
    ("nothing matches"), and answering a noisy 0 elsewhere, told an attacker where the
    5 persons of one nationality live. The grid is the declared code lists, so what it
    accepts does not depend on the data.
    """
    from migralink.store.query import _resolve_filter, _resolve_region

    ref = resolve_version(gw, spec.dataset, version)
    for dim in spec.by:
        if dim not in ("region", "period", *ref.dimensions):
            raise QueryError(
                title=f"dataset {ref.dataset_id!r} has no dimension {dim!r}",
                hint=f"its dimensions are period, region, {', '.join(ref.dimensions)}")
    if spec.measure not in (None, "value"):
        raise QueryError(title=f"a DP release of {ref.dataset_id!r} has one measure, value",
                         hint="leave --measure out")
    grid = {d: {str(c): str(c) for c in cells[d].unique().to_list()} for d in ref.dimensions
            if d in cells.columns}
    filters = tuple((d, _resolve_filter(gw, ref, d, c, grid.get(d, {}))) for d, c in spec.filters)
    region = _resolve_region(spec.region, ref, None) if spec.region else None
    return filters, region, ref.dimensions


def answer_from_cells(
    cells: pl.DataFrame,
    spec: QuerySpec,
    filters: Sequence[tuple[str, str]],
    region: str | None,
    dims: Sequence[str],
    total: str = "_T",
) -> pl.DataFrame:
    """The released cells answering ``spec``, shaped as ``migralink query`` returns rows.

    Columns: period, region, the filtered and ``by`` dimensions, ``value``, ``status``
    (OBS_STATUS) and ``conf_status``; sorted by them.
    """
    keep = [pl.lit(True)]
    if spec.periods:
        keep.append(pl.any_horizontal(
            *((pl.col("period") == p) | pl.col("period").str.starts_with(f"{p}-")
              for p in spec.periods)))
    if region is not None:
        keep.append(pl.col("region") == region)
    elif "region" in spec.by:
        keep.append(pl.col("region") != NATIONAL)
    else:
        keep.append(pl.col("region") == NATIONAL)
    codes: dict[str, list[str]] = {}
    for dim, code in filters:  # several codes of one dimension keep each
        codes.setdefault(dim, []).append(code)
    if spec.level is not None:
        from migralink.codes.hierarchy import code_level

        wanted = {"district": "gu"}.get(spec.level, spec.level)
        regions = cells["region"].unique().to_list()
        keep.append(pl.col("region").is_in([r for r in regions if code_level(r) == wanted]))
    for dim in dims:
        if dim in codes:
            keep.append(pl.col(dim).is_in(codes[dim]))
        elif dim in spec.by:
            keep.append(pl.col(dim) != total)
        else:
            keep.append(pl.col(dim) == total)
    kept = [d for d in dims if d in spec.by or d in codes]
    order = ["period", "region", *kept]
    return (
        cells.filter(pl.all_horizontal(*keep))
        .select(*order, "value", pl.col("obs_status").alias("status"), "conf_status")
        .sort(order)
    )


def cells_of(frame: pl.DataFrame, cells: pl.DataFrame, dims: Sequence[str],
             total: str = "_T") -> pl.DataFrame:
    """The rows of a query answer, each read from the release (absent: withheld, ``N``).

    A dimension the answer leaves out is at its total in the release.
    """
    keys = ["period", "region", *dims]
    wanted = frame.select(
        pl.int_range(pl.len()).alias("_row"),
        *(pl.col(k) if k in frame.columns else pl.lit(total).alias(k) for k in keys),
    )
    found = wanted.join(cells, on=keys, how="left").sort("_row")
    return frame.with_columns(
        found["value"].alias("value"),
        found["obs_status"].fill_null("M").alias("status"),
        found["conf_status"].fill_null("N").alias("conf_status"),
    )

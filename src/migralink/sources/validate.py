"""Rules every table must pass before it may land in the evidence base.

* region codes must exist and be valid on the day each period refers to; a blank or zero
  cell for a unit that did not exist then (a renamed province printed twice) carries no
  information and is left out with a note; a non-zero one is rejected;
* one observation per key: identical duplicate rows are kept once with a note,
  conflicting ones are rejected;
* where the table gives totals, the parts must add up to them (every mismatch is
  reported with its cells); the published totals are kept, because queries read them
  rather than re-adding the parts (some official tables differ from their parts by a few
  persons: a mapping may allow that with ``[checks] total_tolerance``);
* regions present together with their parent must add up to it (sigungu to sido, the
  districts of a city to the city), which also proves that city rows and district rows
  are not double-counted later. The parent is read from the MOIS code history, not from
  the digits (Seoul's 광진구 11215 ends in 5 like 분당구 41135, a district of 성남시);
  sigungu-level branch offices (출장소, printed with zeros) are not sub-units.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

import polars as pl

from migralink.codes.hierarchy import code_level, structural_parent
from migralink.codes.lookup import is_known_region
from migralink.codes.periods import reference_day
from migralink.errors import Location, ValidationError
from migralink.sources.mapping import MappingSpec
from migralink.sources.model import Reject, SourceTable
from migralink.sources.reader import REJECTED

__all__ = ["validate_table"]

_MAX_DETAILS = 25  # enough cells to find the pattern, few enough to read


def validate_table(table: SourceTable, spec: MappingSpec) -> SourceTable:
    """Check ``table`` and return it with totals dropped and problems recorded.

    Row-level problems become rejects (``table.rejects``); table-level contradictions
    (totals, hierarchy) raise at once, because no row can be blamed alone.

    Raises:
        ValidationError: parts that do not add up to their total or their parent.
    """
    frame = table.frame
    rejected = frame.filter(pl.col(REJECTED)) if REJECTED in frame.columns else frame.clear()
    if REJECTED in frame.columns:
        frame = frame.filter(~pl.col(REJECTED)).drop(REJECTED)
        rejected = rejected.drop(REJECTED)
    if spec.meta.region_system == "mois":
        frame = _check_validity(frame, table, spec)
    frame = _check_duplicates(frame, table, add_up=spec.duplicates == "sum")
    tolerance = spec.total_tolerance
    if not spec.meta.measures[0].additive:  # rates, shares... are not sums of their parts
        table.notes.append(
            f"totals and sub-units not checked against their parts: {spec.value_kind} "
            "values do not add up"
        )
        table.frame = frame
        return table
    for dim, fspec in spec.dimensions:
        subtotal_codes = {code for code, _ in fspec.subtotals}
        for subtotal, parts in fspec.subtotals:
            frame = _check_total(frame, table, dim.id, subtotal, parts, set(), tolerance,
                                 rejected)
        if fspec.total is not None:
            frame = _check_total(
                frame, table, dim.id, fspec.total, None, subtotal_codes, tolerance, rejected
            )
    if spec.check_hierarchy and spec.meta.region_system == "mois":
        _check_hierarchy(frame, table, tolerance, rejected)
    table.frame = frame
    return table


def _key(table: SourceTable) -> list[str]:
    return ["period", "region", *table.dimension_ids]


def _reject_rows(table: SourceTable, rows: pl.DataFrame, reason: str) -> None:
    for rec in rows.iter_rows(named=True):
        loc = Location(str(table.source_file), None, rec["source_row"], rec["source_column"])
        raw = " | ".join(f"{k}={rec[k]}" for k in _key(table)) + f" | value={rec['value']}"
        table.rejects.append(Reject(loc, reason, raw))


def _check_validity(frame: pl.DataFrame, table: SourceTable, spec: MappingSpec) -> pl.DataFrame:
    from migralink.codes.regions import is_valid

    pairs = frame.select("region", "period").unique()
    verdicts = []
    for region, period in pairs.iter_rows():
        day: date = (
            date.fromisoformat(spec.region.valid_on)
            if spec.region.valid_on
            else reference_day(period, spec.meta.period_day)
        )
        if region == "00":
            verdicts.append("ok")
        elif not is_known_region(region):
            verdicts.append("unknown")
        else:
            verdicts.append("ok" if is_valid(region, day) else "invalid")
    judged = pairs.with_columns(pl.Series("verdict", verdicts, dtype=pl.Utf8))
    frame = frame.join(judged, on=["region", "period"], how="left")
    empty = pl.col("value").is_null() | (pl.col("value") == 0)
    unknown = frame.filter(pl.col("verdict") == "unknown")
    _reject_rows(table, unknown, "unknown region code: it is not in the MOIS code history")
    invalid = frame.filter((pl.col("verdict") == "invalid") & ~empty)
    _reject_rows(table, invalid, "region code not valid on the period's reference day")
    structural = frame.filter((pl.col("verdict") == "invalid") & empty).height
    if structural:
        table.notes.append(
            f"{structural} blank or zero cell(s) for units that did not exist in that period "
            "(e.g. a renamed province printed twice) left out"
        )
    return frame.filter(pl.col("verdict") == "ok").drop("verdict")


def _check_duplicates(frame: pl.DataFrame, table: SourceTable, *, add_up: bool) -> pl.DataFrame:
    key = _key(table)
    if add_up:
        return _sum_duplicates(frame, table, key)
    counts = frame.group_by(key).agg(
        pl.len().alias("n"), pl.col("value").n_unique().alias("distinct")
    )
    dupes = counts.filter(pl.col("n") > 1)
    if dupes.is_empty():
        return frame
    conflicting = dupes.filter(pl.col("distinct") > 1).select(key)
    if not conflicting.is_empty():
        bad = frame.join(conflicting, on=key, how="semi")
        _reject_rows(table, bad, "two rows give different values for the same cell")
        frame = frame.join(conflicting, on=key, how="anti")
    identical = dupes.filter(pl.col("distinct") == 1).height
    if identical:
        table.notes.append(f"{identical} row(s) printed twice with the same value kept once")
    return frame.unique(subset=key, keep="first", maintain_order=True)


def _sum_duplicates(frame: pl.DataFrame, table: SourceTable, key: list[str]) -> pl.DataFrame:
    """Rows printed under the same labels are separate records: add them up."""
    counts = frame.group_by(key).len()
    repeated = counts.filter(pl.col("len") > 1)
    if repeated.is_empty():
        return frame
    rows = frame.join(repeated.select(key), on=key, how="semi")
    table.notes.append(
        f"{repeated.height} cell(s) printed on {rows.height} rows under the same labels "
        f"were added up (rows {', '.join(map(str, rows['source_row'].head(6).to_list()))}…)"
    )
    summed = rows.group_by(key, maintain_order=True).agg(
        pl.col("value").sum(),
        pl.when(pl.col("value").is_null().all()).then(pl.lit("M")).otherwise(pl.lit("A"))
        .first().alias("status"),
        pl.col("source_row").min(),
        pl.col("source_column").first(),
    )
    single = frame.join(repeated.select(key), on=key, how="anti")
    return pl.concat([single, summed.select(frame.columns)], how="vertical")


def _check_total(
    frame: pl.DataFrame,
    table: SourceTable,
    dim: str,
    total: str,
    part_codes: tuple[str, ...] | None,
    exclude: set[str],
    tolerance: float,
    rejected: pl.DataFrame,
) -> pl.DataFrame:
    """Check a total (or a subtotal of ``part_codes``) against its parts.

    The published total is kept: it is the figure the ministry released, and the parts of
    some official tables do not add up to it exactly (see ``[checks] total_tolerance``).
    Where a total is missing but its parts are there, it is derived from them.
    """
    others = [k for k in _key(table) if k != dim]
    totals = frame.filter(pl.col(dim) == total)
    if part_codes is None:
        parts = frame.filter(~pl.col(dim).is_in([total, *exclude]))
    else:
        parts = frame.filter(pl.col(dim).is_in(part_codes))
    sums = parts.group_by(others).agg(
        pl.col("value").sum().alias("parts_sum"),
        pl.col("value").is_not_null().sum().alias("parts_n"),
        pl.col("source_column").unique().sort().str.join(" + ").alias("part_columns"),
        pl.col("source_row").unique().sort().cast(pl.Utf8).str.join(", ").alias("part_rows"),
    )
    # a total with a rejected cell among it or its parts cannot be judged: the rejected
    # cell is reported (and quarantined) on its own, never as a broken total
    unjudged = rejected.select(others).unique()
    sums = sums.join(unjudged, on=others, how="anti", nulls_equal=True)
    checked = totals.join(sums, on=others, how="inner").filter(
        pl.col("value").is_not_null() & (pl.col("parts_n") > 0)
    )
    gap = (pl.col("value") - pl.col("parts_sum")).abs()
    _report(
        checked.filter(gap > 0).with_columns(gap.alias("gap")),
        table,
        tolerance,
        what=f"{'sub' if part_codes else ''}total(s) of {dim} {total!r}",
        describe=lambda r: (
            f"row {r['source_row']}, column {r['source_column']!r}: total {r['value']:,.0f} "
            f"but the parts ({dim}: rows {r['part_rows']}, columns {r['part_columns']}) add "
            f"up to {r['parts_sum']:,.0f}"
        ),
    )
    missing = sums.filter(pl.col("parts_n") > 0).join(totals, on=others, how="anti")
    if missing.is_empty():
        return frame
    table.notes.append(f"{missing.height} missing {dim} total(s) derived from their parts")
    derived = missing.select(
        *others,
        pl.lit(total).alias(dim),
        pl.col("parts_sum").alias("value"),
        pl.lit("A").alias("status"),
        pl.lit(None, dtype=pl.Int64).alias("source_row"),
        pl.lit("derived").alias("source_column"),
    )
    return pl.concat([frame, derived.select(frame.columns)], how="vertical")


def _report(
    bad: pl.DataFrame,
    table: SourceTable,
    tolerance: float,
    *,
    what: str,
    describe: Callable[[dict[str, Any]], str],
) -> None:
    """Raise for gaps above the tolerance; note the ones within it."""
    if bad.is_empty():
        return
    over = bad.filter(pl.col("gap") > tolerance)
    if not over.is_empty():
        raise ValidationError(
            title=f"{over.height} {what} do not equal the sum of their parts"
            + (f" (tolerance {tolerance:g})" if tolerance else ""),
            hint="the file may be damaged or edited; nothing was ingested. Compare it with "
            "the publisher's copy; if the publisher's own figures differ, set [checks] "
            "total_tolerance in the mapping",
            location=Location(file=str(table.source_file)),
            details=[describe(r) for r in over.head(_MAX_DETAILS).iter_rows(named=True)],
        )
    table.notes.append(
        f"{bad.height} published {what} differ from the sum of their parts by at most "
        f"{bad.select(pl.col('gap').max()).item():g} (within the mapping's tolerance); the "
        "published totals "
        "are kept"
    )


@lru_cache(maxsize=1)
def _branch_offices() -> frozenset[str]:
    """Sigungu-level branch offices (출장소 such as 41105 북부출장소): not areas.

    Population downloads print them with zeros beside the unit they serve; they are not
    a part of it, so they do not count as its sub-units. (An 읍면동-level 출장소 is an
    area with its own residents and does count.)
    """
    from migralink.codes.regions import region_table

    offices = region_table().filter(
        (pl.col("level") == "office") & (pl.col("code").str.len_chars() < 10)
    )
    return frozenset(offices["code"].to_list())


def _parent_on(code: str, period: str, period_day: str) -> str:
    """The unit containing ``code`` on the period's day, from the MOIS code history.

    The digits alone would mislead: Seoul's autonomous 광진구 (11215) and 증평군 (43745)
    end in 5 like 분당구 (41135), a district of 성남시 (41130). Codes not in the history
    fall back to the digits.
    """
    from migralink.codes.regions import parent_of

    parent = parent_of(code, reference_day(period, period_day))
    return parent if parent is not None else (structural_parent(code) or "")


def _check_hierarchy(
    frame: pl.DataFrame, table: SourceTable, tolerance: float, rejected: pl.DataFrame
) -> None:
    dims = [k for k in _key(table) if k != "region"]
    # cells with a rejected value somewhere in their slice are not judged (see totals)
    frame = frame.join(rejected.select(dims).unique(), on=dims, how="anti", nulls_equal=True)
    pairs = frame.select("region", "period").unique()
    parents = pairs.with_columns(
        pl.Series(
            "parent",
            [_parent_on(c, p, table.meta.period_day) for c, p in pairs.iter_rows()],
            dtype=pl.Utf8,
        ),
        pl.col("region").map_elements(code_level, return_dtype=pl.Utf8).alias("level"),
    )
    children = frame.join(parents, on=["region", "period"]).filter(
        pl.col("value").is_not_null() & ~pl.col("region").is_in(list(_branch_offices()))
    )
    sums = children.group_by(["parent", *dims]).agg(
        pl.col("value").sum().alias("children_sum"), pl.len().alias("children_n")
    )
    joined = frame.join(sums, left_on=["region", *dims], right_on=["parent", *dims], how="inner")
    gap = (pl.col("value") - pl.col("children_sum")).abs()
    _report(
        joined.filter(pl.col("value").is_not_null() & (gap > 0)).with_columns(gap.alias("gap")),
        table,
        tolerance,
        what="region total(s)",
        describe=lambda r: (
            f"row {r['source_row']}, column {r['source_column']!r}: region {r['region']} has "
            f"{r['value']:,.0f} but its {r['children_n']} sub-unit(s) add up to "
            f"{r['children_sum']:,.0f}"
        ),
    )

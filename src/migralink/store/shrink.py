"""Refusing a new version that would silently lose what the previous one held.

A new file replaces the periods it covers. If, for those periods, it lacks cells the
previous version holds (a category, a region, a row), it is a cut-off or damaged download
far more often than a real revision: stay foreigners at end-2024 would fall from 2,650,783
to 2,598,771 because the last lines of the file are missing. Such a version is refused,
naming what would go, unless the caller says the publisher really dropped it
(``allow_shrink``). A new period whose every cell repeats a stored period is refused the
same way: it is a file renamed for another year, not new figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from migralink.errors import Location, MigralinkError, ValidationError
from migralink.model import SourceTable
from migralink.sources.grid import ends_without_line_break
from migralink.store.catalogue_read import latest_version
from migralink.store.gateway import Gateway
from migralink.store.sql import quote_ident

__all__ = ["ShrinkVerdict", "check_shrink", "stored_cells_sql"]

_SHOWN = 8
_MIN_REPEAT = 10  # a period of fewer cells may repeat another by chance


@dataclass(frozen=True)
class ShrinkVerdict:
    """What comparing a new table with the latest version found.

    Attributes:
        notes: lines for the ingest report (what ``allow_shrink`` let through).
        unchanged: the version of which every cell of the table is already part (a file
            holding fewer periods than the one stored, with the same figures), or ``None``.
    """

    notes: tuple[str, ...] = ()
    unchanged: int | None = None


def stored_cells_sql(table: str, columns: list[str]) -> str:
    """SQL reading the key columns and value of a stored version (pure)."""
    cols = ", ".join(quote_ident(c) for c in columns)
    return f"SELECT {cols} FROM {quote_ident(table)}"


def check_shrink(gw: Gateway, table: SourceTable, *, allow: bool = False) -> ShrinkVerdict:
    """Compare ``table`` with the dataset's latest version before it is written.

    Raises:
        ValidationError: the new version would remove cells or categories present before,
            or a new period repeats a stored one cell for cell (unless ``allow``).
    """
    last = latest_version(gw, table.meta.id)
    if last is None and table.unterminated:  # no stored figure to compare the end with
        last_row = table.frame["source_row"].max() if table.frame.height else None
        raise ValidationError(
            title="the file ends without a line break, as a download cut off does (its "
            "last number may be cut short)",
            hint="download it again; if the publisher's file really ends so, set [read] "
            "final_newline = false in its mapping. Nothing was ingested",
            location=Location(file=str(table.source_file),
                              row=last_row if isinstance(last_row, int) else None),
        )
    if last is None or table.frame.is_empty():
        return ShrinkVerdict()
    version, name = last
    key = ["period", "region", *table.dimension_ids]
    try:
        old = gw.polars(stored_cells_sql(name, [*key, "value", "status"]))
    except MigralinkError:  # other dimensions: the catalogue write refuses it with its message
        return ShrinkVerdict()
    old = old.with_columns(pl.col("status").cast(pl.Utf8))
    new = table.frame.select([*key, "value", "status"])
    covered = new["period"].unique()
    lost = old.filter(pl.col("period").is_in(covered.implode())).join(
        new.select(key), on=key, how="anti", nulls_equal=True)
    _check_cut_off(table, old, key, version)
    notes: list[str] = []
    if not lost.is_empty():
        _refuse_or_note(notes, allow, ValidationError(
            title=_describe(lost, old, new, key, version),
            hint="a cut-off or damaged download? Nothing was ingested; compare the file "
            "with the publisher's. If the publisher really dropped them, ingest with "
            "--allow-shrink",
            location=_where(table),
            details=[_cell(r, key) for r in lost.head(_SHOWN).iter_rows(named=True)],
        ))
    # a figure printed before and now blank ("-", "x", an emptied cell) is lost as surely
    # as a removed row: a blanked F4 count made end-2024 2,453,564, status A, no note
    blanked = old.filter(pl.col("period").is_in(covered.implode()),
                         pl.col("value").is_not_null()).join(
        new.filter(pl.col("value").is_null()).select(key), on=key, how="semi",
        nulls_equal=True)
    if not blanked.is_empty():
        _refuse_or_note(notes, allow, ValidationError(
            title=f"the file would blank {blanked.height:,} figure(s) that version "
            f"{version} holds (first: {_cell(blanked.row(0, named=True), key)})",
            hint="a damaged copy? Nothing was ingested; compare the file with the "
            "publisher's. If the publisher really withdrew them, ingest with "
            "--allow-shrink",
            location=_cell_location(table, blanked.row(0, named=True), key),
            details=[_cell(r, key) for r in blanked.head(_SHOWN).iter_rows(named=True)],
        ))
    repeat = _repeated_period(old, new, key)
    if repeat is not None:
        _refuse_or_note(notes, allow, ValidationError(
            title=f"period {repeat[0]} repeats the stored period {repeat[1]} cell for cell "
            "(a file renamed for another period?)",
            hint="nothing was ingested; check the file name and the period it states. If "
            "the publisher's figures really repeat, ingest with --allow-shrink",
            location=_where(table),
        ))
    changed = new.join(old, on=[*key, "value", "status"], how="anti", nulls_equal=True)
    if lost.is_empty() and blanked.is_empty() and changed.is_empty():
        return ShrinkVerdict(tuple(notes), unchanged=version)
    return ShrinkVerdict(tuple(notes))


def _check_cut_off(table: SourceTable, old: pl.DataFrame, key: list[str], version: int) -> None:
    """A text file that stops without a line break, its last number a prefix of the stored
    one (20815 → 20), was cut off inside that number: refuse it, whatever ``allow``."""
    path = table.source_file
    if not ends_without_line_break(path):
        return
    last = table.frame["source_row"].max()
    tail = table.frame.filter(pl.col("source_row") == last).join(
        old.rename({"value": "stored"}), on=key, how="inner", nulls_equal=True)
    for row in tail.iter_rows(named=True):
        new, stored = row["value"], row["stored"]
        if stored is None or new == stored:
            continue
        digits, before = ("" if new is None else f"{new:.0f}"), f"{stored:.0f}"
        if len(digits) < len(before) and before.startswith(digits):
            raise ValidationError(
                title=f"the file ends inside a number: its last line gives "
                f"{'a blank' if new is None else format(new, ',.0f')} where version {version} "
                f"holds {stored:,.0f}, and no line break follows",
                hint="a cut-off download; download it again. Nothing was ingested",
                location=Location(file=str(path), row=row["source_row"],
                                  column=row.get("source_column")),
            )


def _refuse_or_note(notes: list[str], allow: bool, error: ValidationError) -> None:
    """Raise ``error``, or with ``--allow-shrink`` keep its title as a note of the version."""
    if not allow:
        raise error
    notes.append(f"{error.title} (accepted with --allow-shrink)")


def _cell_location(table: SourceTable, cell: dict[str, object], key: list[str]) -> Location:
    """Where the file prints ``cell`` (row and column, when the reader kept them)."""
    found = table.frame.filter(*(pl.col(k) == cell[k] for k in key if cell[k] is not None))
    if found.is_empty() or "source_row" not in found.columns:
        return _where(table)
    first = found.row(0, named=True)
    return Location(file=str(table.source_file), row=first.get("source_row"),
                    column=first.get("source_column"))


def _where(table: SourceTable) -> Location:
    return Location(file=str(table.source_file))


def _describe(
    lost: pl.DataFrame, old: pl.DataFrame, new: pl.DataFrame, key: list[str], version: int
) -> str:
    covered = new["period"].unique().implode()
    old_covered = old.filter(pl.col("period").is_in(covered))
    gone = []
    for col in key:
        codes = set(old_covered[col].unique().to_list()) - set(new[col].unique().to_list())
        if codes:
            shown = ", ".join(repr(c) for c in sorted(codes)[:_SHOWN])
            more = f" and {len(codes) - _SHOWN} more" if len(codes) > _SHOWN else ""
            gone.append(f"{col} {shown}{more}")
    what = f"categories gone: {'; '.join(gone)}" if gone else (
        f"first: {_cell(lost.row(0, named=True), key)}")
    return (f"the file would remove {lost.height:,} cell(s) that version {version} holds "
            f"for the periods it covers ({what})")


def _cell(row: dict[str, object], key: list[str]) -> str:
    return ", ".join(f"{k}={row[k]}" for k in key) + f" (value {row['value']})"


def _repeated_period(
    old: pl.DataFrame, new: pl.DataFrame, key: list[str]
) -> tuple[str, str] | None:
    rest = [k for k in key if k != "period"]
    stored = set(old["period"].unique().to_list())
    for period in sorted(set(new["period"].unique().to_list()) - stored):
        cells = new.filter(pl.col("period") == period).drop("period")
        if cells.height < _MIN_REPEAT or cells["value"].null_count() == cells.height:
            continue
        sizes = old.group_by("period").len().filter(pl.col("len") == cells.height)
        for other in sorted(sizes["period"].to_list()):
            theirs = old.filter(pl.col("period") == other).drop("period")
            same = theirs.join(cells, on=[*rest, "value"], how="semi", nulls_equal=True)
            if same.height == cells.height:
                return period, other
    return None

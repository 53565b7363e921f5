"""Checks of a linkage input before it reaches Splink: records, ids and dates.

Splink drops a record whose id is null and reads dates as text, so a bad input would give a
silently wrong linkage (a lost record, a recall that falls without notice). Every check here
raises one :class:`~migralink.errors.InputError` that names the file, the row and the column
of the first problem and says how many rows share it.

Rows are numbered as a user finds them: the line of a CSV file (header = line 1), else the
1-based record number.
"""

from __future__ import annotations

import polars as pl

from migralink.errors import InputError, Location
from migralink.linkage.spec import ISO_DATE, LinkageSpec

__all__ = ["check_ids", "check_records", "normalise_dates"]

_READABLE = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%y": "YY"}


def readable(fmt: str) -> str:
    """``%d/%m/%Y`` → ``DD/MM/YYYY``: a strftime format as a user writes it."""
    for code, text in _READABLE.items():
        fmt = fmt.replace(code, text)
    return fmt


def _first_row(source: str) -> int:
    """The row number of a frame's first record in ``source`` (CSV: after the header)."""
    return 2 if source.lower().endswith((".csv", ".txt")) else 1


def _where(source: str, index: int, column: str) -> Location:
    return Location(file=source, row=index + _first_row(source), column=column)


def check_records(frame: pl.DataFrame, source: str, *, dedupe: bool = False) -> None:
    """Refuse an input without records (header only), or of one record to deduplicate."""
    if frame.height == 0:
        raise InputError(f"{source}: has no records",
                         hint="give a file with a header row and at least one record")
    if dedupe and frame.height < 2:
        raise InputError(f"{source}: has one record, and deduplication needs at least two",
                         hint="give the whole register, or use `migralink link` for two files")


def check_ids(frame: pl.DataFrame, uid: str, source: str) -> None:
    """Every record needs its own, non-empty id: Splink would drop a null id silently."""
    ids = frame[uid].cast(pl.String)
    empty = ids.is_null() | (ids.str.strip_chars() == "")
    if empty.any():
        idx = empty.arg_true()
        more = f" ({len(idx)} rows have none)" if len(idx) > 1 else ""
        raise InputError(f"the unique id is empty{more}", location=_where(source, idx[0], uid),
                         hint=f"give every record its own id in column {uid!r}")
    dup = ids.is_duplicated()
    if dup.any():
        idx = dup.arg_true()
        value = ids[idx[0]]
        rows = [i + _first_row(source) for i in (ids == value).arg_true().to_list()[:3]]
        raise InputError(f"unique id {value!r} repeats (rows {', '.join(map(str, rows))}; "
                         f"{len(idx)} rows share an id)", location=_where(source, idx[0], uid),
                         hint="every record needs its own id")


def normalise_dates(frame: pl.DataFrame, spec: LinkageSpec, source: str) -> pl.DataFrame:
    """The spec's date columns as ISO ``YYYY-MM-DD`` text, every value checked.

    A text date is parsed with each of the comparison's ``date_formats`` (ISO by default),
    exactly; empty values stay missing. A value that no format reads (an impossible date, a
    date in another format) or that two formats read as different dates is an error.

    Raises:
        InputError: naming the file, row and column of the first bad value and the formats.
    """
    out = frame
    for c in spec.comparisons:
        if c.kind != "date":
            continue
        col = out[c.column]
        if col.dtype in (pl.Date, pl.Datetime):
            out = out.with_columns(pl.col(c.column).dt.strftime(ISO_DATE))
            continue
        stripped = pl.col(c.column).cast(pl.String).str.strip_chars()
        text = pl.when(stripped == "").then(None).otherwise(stripped)
        formats = c.date_formats or (ISO_DATE,)
        parsed = out.select(*[text.str.to_date(f, strict=False, exact=True).alias(str(i))
                              for i, f in enumerate(formats)])
        given = out.select(text.is_not_null()).to_series()
        read = parsed.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
        expected = " or ".join(readable(f) for f in formats)
        bad = given & ~read
        if bad.any():
            idx = bad.arg_true()
            more = f" ({len(idx)} values cannot be read)" if len(idx) > 1 else ""
            raise InputError(
                f"{col[idx[0]]!r} is not a valid date in the format {expected}{more}",
                location=_where(source, idx[0], c.column),
                hint=f"correct the dates, or list the formats the file uses in the spec's "
                     f"date_formats of comparison {c.column!r} (strftime, e.g. %d/%m/%Y)")
        if len(formats) > 1:
            distinct = parsed.select(pl.concat_list(pl.all()).list.drop_nulls()
                                     .list.n_unique()).to_series()
            if (distinct > 1).any():
                i = (distinct > 1).arg_true()[0]
                raise InputError(
                    f"{col[i]!r} reads as different dates in the formats {expected}",
                    location=_where(source, i, c.column),
                    hint="list only formats that cannot be confused in date_formats "
                         "(e.g. not both DD/MM/YYYY and MM/DD/YYYY)")
        iso = parsed.select(pl.coalesce(pl.all()).dt.strftime(ISO_DATE)).to_series()
        out = out.with_columns(iso.alias(c.column))
    return out

"""Apply a mapping to a file: the generic reader behind every built-in table.

The reader never drops a row silently: a cell it cannot turn into an observation becomes
a :class:`~migralink.sources.model.Reject` with its location and reason, and rows left out
on purpose (``[[drop]]``) are counted. It works on whole columns (Polars): texts are
transformed and codes resolved once per distinct value, so a large sheet costs a few
bytes a cell, not a Python object.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from migralink.codes.hierarchy import trim_code
from migralink.codes.lookup import resolve_code, resolve_region_text
from migralink.codes.periods import reference_day
from migralink.errors import CodeError, InputError, MigralinkError
from migralink.sources.checks import (
    check_columns,
    implausible_period,
    period_from_name,
)
from migralink.sources.grid import ROW, Grid, ends_without_line_break, read_grid
from migralink.sources.mapping import FieldSpec, MappingSpec
from migralink.sources.model import Reject, SourceTable
from migralink.sources.numbers import check_values, parse_value

__all__ = ["REJECTED", "parse_value", "read_source"]

#: Column marking cells whose value was rejected while their labels were read: the
#: validator uses them to tell a broken total from a total with a rejected part.
REJECTED = "__rejected"
_COL = "__col"
_VALUE = "__value"
_ORDER = "__order"


def read_source(path: Path, spec: MappingSpec) -> SourceTable:
    """Read ``path`` as ``spec`` describes; validation happens in :mod:`.validate`.

    Raises:
        InputError: the file cannot be read, lacks the columns the mapping expects, or
            has no data rows.
    """
    grid = read_grid(
        path, fmt=spec.format, encoding=spec.encoding, sheet=spec.sheet,
        header_row=spec.header_row, header_rows=spec.header_rows,
    )
    check_columns(grid, spec)
    if grid.height == 0:
        raise InputError(
            title="the file has a header but no data rows",
            hint="a cut-off or empty download; download it again. Nothing was ingested",
            location=grid.location(row=spec.header_row + spec.header_rows - 1),
        )
    notes: list[str] = []
    period_constant = period_from_name(path, spec, notes)
    long, dropped = _long(grid, spec)
    texts: dict[str, str] = {}
    errors: list[str] = []
    long, name = _field(long, "period", spec.period, period_constant)
    long, err = _periods(long, name, spec, path)
    errors += [err]
    long, region_text = _field(long, "region", spec.region)
    long, err = _regions(long, region_text, spec)
    errors += [err]
    own: dict[str, set[str]] = {}
    for dim, fspec in spec.dimensions:
        long, texts[dim.id] = _field(long, dim.id, fspec)
        own[dim.id] = {c for c in (fspec.total, *(code for code, _ in fspec.subtotals)) if c}
        long, err = _codes(long, texts[dim.id], dim.id, dim.codelist, fspec, own[dim.id])
        errors += [err]
    value, status, ok = check_values(pl.col(_VALUE), spec.value_kind)
    if spec.estimated:  # a masked figure printed as a number: kept, never read as exact
        masked = pl.col(_VALUE).str.strip_chars().is_in(list(spec.estimated))
        status = pl.when(masked & ok).then(pl.lit("E")).otherwise(status)
        count = long.select(masked.sum()).item()
        if count:
            notes.append(f"{count:,} cell(s) print {' or '.join(spec.estimated)}, which "
                         "stands for a masked figure: kept as printed, status E")
    long = long.with_columns(value.alias("value"), status.alias("status"),
                             pl.when(ok).then(None).otherwise(pl.lit("value")).alias("e:value"))
    label_errors = pl.coalesce([pl.col(e) for e in errors])
    fields = [spec.period, spec.region, *(f for _, f in spec.dimensions)]
    long = long.with_columns(label_errors.alias("__label_error"),
                             _error_column(errors, fields).alias("__error_column"))
    rejects = _rejects(grid, long.filter(pl.col("__label_error").is_not_null()
                                         | pl.col("e:value").is_not_null()), spec)
    labels = _labels(long.filter(pl.col("__label_error").is_null()), spec, texts)
    dims = [d.id for d, _ in spec.dimensions]
    # a row whose region, period or code cannot be read stays, marked rejected, so that
    # the checks of totals do not judge the slice it belongs to: an unknown region code
    # was reported as "region totals do not add up", not as the bad code
    frame = long.select(
        "period", "region", *dims, "value", "status",
        pl.col(ROW).alias("source_row"), pl.col(_COL).alias("source_column"),
        (pl.col("e:value").is_not_null() | pl.col("__label_error").is_not_null())
        .alias(REJECTED),
    )
    table = SourceTable(
        meta=spec.meta,
        source_file=path,
        source_sha256=_sha256(path),
        dimensions=tuple(d for d, _ in spec.dimensions),
        frame=frame,
        rejects=rejects,
        labels=labels,
        mapping_text=spec.text,
        unterminated=spec.final_newline and ends_without_line_break(path),
    )
    if dropped:
        notes.append(f"{dropped} cell(s) left out on purpose by [[drop]]/[[keep]]")
    table.notes = notes
    return table


def _error_column(errors: list[str], fields: list[FieldSpec]) -> pl.Expr:
    """The source column a label error is in (the first field that failed): a bad month
    or an unknown nationality was reported at the count's column, sending the user to the
    wrong cell. Melt groups, constants and file names fall back to the value's column."""
    column = pl.col(_COL)
    for error, fspec in reversed(list(zip(errors, fields, strict=True))):
        own = fspec.column if fspec.column and not fspec.column.startswith("@") else None
        if fspec.month_column and not fspec.month_column.startswith("@"):
            month = pl.col(error).str.ends_with("is not a month")
            target = pl.when(month).then(pl.lit(fspec.month_column)).otherwise(
                pl.lit(own) if own else pl.col(_COL))
        else:
            target = pl.lit(own) if own else pl.col(_COL)
        column = pl.when(pl.col(error).is_not_null()).then(target).otherwise(column)
    return column


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _source_columns(spec: MappingSpec) -> set[str]:
    named: set[str] = set()
    for fspec in (spec.period, spec.region, *(f for _, f in spec.dimensions)):
        for col in (fspec.column, fspec.month_column, fspec.label_column):
            if col and not col.startswith("@"):
                named.add(col)
    return named


def _long(grid: Grid, spec: MappingSpec) -> tuple[pl.DataFrame, int]:
    """One row per value cell, with the columns the fields read and melt groups."""
    index = {name: i for i, name in enumerate(grid.header)}
    frame = grid.frame
    rows = frame.height
    mask = pl.lit(True)
    for col, values in spec.drops:
        cell = pl.col(f"c{index[col]}") if col in index else pl.lit("")
        mask &= ~cell.is_in(list(values))
    for col, values in spec.keeps:
        cell = pl.col(f"c{index[col]}") if col in index else pl.lit("")
        mask &= cell.is_in(list(values))
    frame = frame.filter(mask)
    sources = {f"col:{n}": pl.col(f"c{index[n]}") for n in _source_columns(spec) if n in index}
    if spec.melt_pattern is None:
        assert spec.value_column is not None
        long = frame.select(
            pl.col(ROW), *(e.alias(k) for k, e in sources.items()),
            pl.col(f"c{index[spec.value_column]}").alias(_VALUE),
            pl.lit(spec.value_column).alias(_COL), pl.lit(0).alias(_ORDER),
        )
        return long, (rows - frame.height)
    regex = re.compile(spec.melt_pattern)
    melted: list[dict[str, object]] = []
    for i, name in enumerate(grid.header):
        found = regex.search(name) if i + 1 >= spec.melt_from_column else None
        if found:
            groups = {f"@{k}": v for k, v in found.groupdict().items() if v is not None}
            melted.append({"__c": f"c{i}", _COL: name, _ORDER: i, "@header": name, **groups})
    info = pl.DataFrame(melted, infer_schema_length=None).with_columns(pl.col(_ORDER).cast(
        pl.Int32))
    base = frame.select(pl.col(ROW), *(e.alias(k) for k, e in sources.items()),
                        *(pl.col(str(m["__c"])) for m in melted))
    long = base.unpivot(on=[str(m["__c"]) for m in melted], index=[ROW, *sources],
                        variable_name="__c", value_name=_VALUE)
    long = long.join(info, on="__c", how="left").drop("__c").sort(ROW, _ORDER)
    return long, (rows - frame.height) * len(melted)


def _apply_unique(
    long: pl.DataFrame, keys: list[str], func: Callable[..., str], out: str
) -> tuple[pl.DataFrame, str]:
    """Compute ``out`` once per distinct combination of ``keys``; errors go to ``e:out``."""
    distinct = long.select(keys).unique()
    results: list[str | None] = []
    problems: list[str | None] = []
    for values in distinct.iter_rows():
        try:
            results.append(func(*values))
            problems.append(None)
        except MigralinkError as exc:
            results.append(None)
            problems.append(exc.title)
    table = distinct.with_columns(pl.Series(out, results, dtype=pl.Utf8),
                                  pl.Series(f"e:{out}", problems, dtype=pl.Utf8))
    return long.join(table, on=keys, how="left", nulls_equal=True), f"e:{out}"


def _field(
    long: pl.DataFrame, name: str, fspec: FieldSpec, constant: str | None = None
) -> tuple[pl.DataFrame, str]:
    """The field's text (after pattern and recode) as column ``t:name``."""
    out = f"t:{name}"
    constant = constant if constant is not None else fspec.constant
    if constant is not None:
        return long.with_columns(pl.lit(constant).alias(out), pl.lit(None, pl.Utf8).alias(
            f"e:{out}")), out
    assert fspec.column is not None
    source = fspec.column if fspec.column.startswith("@") else f"col:{fspec.column}"
    if source not in long.columns:  # an optional melt group that matched nothing
        long = long.with_columns(pl.lit("").alias(source))
    long, _ = _apply_unique(long, [source], lambda text: _transform(text or "", fspec), out)
    return long, out


def _transform(text: str, fspec: FieldSpec) -> str:
    if fspec.pattern:
        found = re.search(fspec.pattern, text)
        if not found:
            raise InputError(
                title=f"{text!r} does not fit the expected pattern {fspec.pattern!r}",
                hint="the cell is malformed, or the mapping needs a wider pattern",
            )
        if fspec.replace is not None:
            text = found.expand(fspec.replace)
        else:
            text = found.group(1) if found.groups() else found.group(0)
    text = " ".join(text.split())
    return fspec.recode_map().get(text, text)


def _periods(
    long: pl.DataFrame, text: str, spec: MappingSpec, path: Path
) -> tuple[pl.DataFrame, str]:
    month = spec.period.month_column
    month_col = f"col:{month}" if month else None
    if month_col and month_col not in long.columns:
        long = long.with_columns(pl.lit("").alias(month_col))

    def period(year: str | None, month_text: str | None = None) -> str:
        if year is None:
            raise InputError(title="no period", hint="check the period column")
        if month:
            m = (month_text or "").strip()
            if not (m.isascii() and m.isdigit()) or not 1 <= int(m) <= 12:
                raise InputError(title=f"{m!r} is not a month", hint="months are 1 to 12")
            year = f"{year}-{int(m):02d}"
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?|-Q[1-4]|-H[12])?", year, re.ASCII):
            raise InputError(
                title=f"{year!r} is not a period (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM or "
                "YYYY-MM-DD)",
                hint="check the period column, or add a pattern to [period] in the mapping",
            )
        problem = implausible_period(year, spec, path)
        if problem:
            raise InputError(title=problem, hint="check the period column and the file")
        return year

    keys = [text, f"e:{text}"] + ([month_col] if month_col else [])

    def guarded(value: str | None, error: str | None, *rest: str | None) -> str:
        if error:
            raise InputError(title=error)
        return period(value, *rest)

    return _apply_unique(long, keys, guarded, "period")


def _regions(long: pl.DataFrame, text: str, spec: MappingSpec) -> tuple[pl.DataFrame, str]:
    def region(value: str | None, error: str | None, period: str | None) -> str:
        if error:
            raise InputError(title=error)
        if value is None or period is None:
            raise InputError(title="no region")
        if spec.region.kind == "name" and re.fullmatch(r"\d{2}|\d{5}|\d{10}", value):
            return trim_code(value)  # recoded to a code (a table's own total row, e.g. 합계)
        try:
            day = (date.fromisoformat(spec.region.valid_on) if spec.region.valid_on
                   else reference_day(period, spec.meta.period_day))
        except ValueError as exc:
            raise InputError(title=f"{period!r} has no reference day ({exc})") from None
        return resolve_region_text(value, spec.region.kind, spec.region.parent, day)

    return _apply_unique(long, [text, f"e:{text}", "period"], region, "region")


def _codes(
    long: pl.DataFrame, text: str, dim: str, codelist: str | None, fspec: FieldSpec,
    own: set[str],
) -> tuple[pl.DataFrame, str]:
    recoded = set(fspec.recode_map().values())

    def code(raw: str | None, error: str | None) -> str:
        if error:
            raise InputError(title=error)
        raw = raw or ""
        if codelist and raw not in own:
            return resolve_code(codelist, raw)
        if not codelist and recoded and raw not in recoded | own:
            # a closed list: the mapping recodes every category it knows
            raise CodeError(
                title=f"{raw!r} is not one of the categories of {dim} the mapping knows "
                f"({', '.join(sorted(fspec.recode_map()))})",
                hint="a misspelt label, or a new category: add it to the mapping's recode",
            )
        return raw

    return _apply_unique(long, [text, f"e:{text}"], code, dim)


def _labels(
    kept: pl.DataFrame, spec: MappingSpec, texts: dict[str, str]
) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for dim, fspec in spec.dimensions:
        label = (pl.col(f"col:{fspec.label_column}") if fspec.label_column
                 and f"col:{fspec.label_column}" in kept.columns else pl.col(texts[dim.id]))
        pairs = kept.select(pl.col(dim.id), label.alias("label")).unique(
            subset=[dim.id], keep="first", maintain_order=True)
        labels[dim.id] = {str(c): str(lbl) for c, lbl in pairs.iter_rows()}
    return labels


def _rejects(grid: Grid, bad: pl.DataFrame, spec: MappingSpec) -> list[Reject]:
    if bad.is_empty():
        return []
    raws = _raw_rows(grid, bad[ROW].unique())
    out = []
    for row in bad.iter_rows(named=True):
        reason = row["__label_error"]
        if reason is None:
            try:
                parse_value(row[_VALUE], spec.value_kind)
                reason = f"{row[_VALUE]!r} is not a number"
            except InputError as exc:
                reason = exc.title
        column = row[_COL]
        if row["__label_error"] is not None and row["__error_column"] != column:
            if spec.melt_pattern is None:  # one value a row: the label's cell is the place
                column = row["__error_column"]
            else:  # each melted cell is its own reject: keep its column, name the label's
                reason = f"column {row['__error_column']!r}: {reason}"
        out.append(Reject(grid.location(row[ROW], column), str(reason),
                          raws.get(row[ROW], "")))
    return out


def _raw_rows(grid: Grid, rows: pl.Series) -> dict[int, str]:
    picked = grid.frame.filter(pl.col(ROW).is_in(rows.implode()))
    names = grid.header
    return {
        cells[-1]: " | ".join(f"{n}={v}" for n, v in zip(names, cells[:-1], strict=False))[:500]
        for cells in picked.iter_rows()
    }

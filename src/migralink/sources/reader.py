"""Apply a mapping to a file: the generic reader behind every built-in table.

The reader never drops a row silently: a row it cannot turn into observations becomes a
:class:`~migralink.sources.model.Reject` with its location and reason, and rows left out
on purpose (``[[drop]]``) are counted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from migralink.codes.hierarchy import trim_code
from migralink.codes.lookup import resolve_code, resolve_region_text
from migralink.codes.periods import reference_day
from migralink.errors import CodeError, ConfigError, InputError
from migralink.sources.grid import Grid, read_grid
from migralink.sources.mapping import FieldSpec, MappingSpec
from migralink.sources.model import Reject, SourceTable

__all__ = ["parse_value", "read_source"]

_MISSING = {"", "-", "…", "..", "x", "X"}


@dataclass
class _Record:
    row: int
    column: str
    cells: dict[str, str]
    value: str


def read_source(path: Path, spec: MappingSpec) -> SourceTable:
    """Read ``path`` as ``spec`` describes; validation happens in :mod:`.validate`.

    Raises:
        InputError: the file cannot be read, or lacks the columns the mapping names.
    """
    grid = read_grid(
        path,
        fmt=spec.format,
        encoding=spec.encoding,
        sheet=spec.sheet,
        header_row=spec.header_row,
        header_rows=spec.header_rows,
    )
    _check_header(grid, spec)
    records = list(_records(grid, spec))
    rejects: list[Reject] = []
    labels: dict[str, dict[str, str]] = {d.id: {} for d, _ in spec.dimensions}
    out: dict[str, list[object]] = {k: [] for k in _columns(spec)}
    dropped = 0
    regions: dict[tuple[str, str], str] = {}  # a row's region, looked up once per period
    periods: dict[tuple[str, str], str] = {}  # each period text is read once
    own = {dim.id: _own_codes(fspec) for dim, fspec in spec.dimensions}
    for rec in records:
        if any(rec.cells.get(col, "") in values for col, values in spec.drops) or any(
            rec.cells.get(col, "") not in values for col, values in spec.keeps
        ):
            dropped += 1
            continue
        try:
            when = (rec.cells.get(spec.period.column or "", ""),
                    rec.cells.get(spec.period.month_column or "", ""))
            period = periods.get(when) or periods.setdefault(when, _period(rec, spec.period))
            where = (rec.cells.get(spec.region.column or "", ""), period)
            region = regions.get(where) or regions.setdefault(where, _region(rec, spec, period))
            dims = {}
            for dim, fspec in spec.dimensions:
                raw = _text(rec, fspec)
                # the total's code (after recode) is the mapping's own, not the code list's
                looked_up = dim.codelist and raw not in own[dim.id]
                code = resolve_code(dim.codelist, raw) if looked_up else raw
                label = rec.cells.get(fspec.label_column, raw) if fspec.label_column else raw
                labels[dim.id].setdefault(code, label)
                dims[dim.id] = code
            value, status = parse_value(rec.value, spec.value_kind)
        except (CodeError, InputError) as exc:
            rejects.append(Reject(grid.location(rec.row, rec.column), exc.title, _raw(rec)))
            continue
        for key, item in (("period", period), ("region", region), *dims.items()):
            out[key].append(item)
        out["value"].append(value)
        out["status"].append(status)
        out["source_row"].append(rec.row)
        out["source_column"].append(rec.column)
    frame = pl.DataFrame(out, schema=_schema(spec))
    table = SourceTable(
        meta=spec.meta,
        source_file=path,
        source_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        dimensions=tuple(d for d, _ in spec.dimensions),
        frame=frame,
        rejects=rejects,
        labels=labels,
        mapping_text=spec.text,
    )
    table.notes = [f"{dropped} cell(s) left out on purpose by [[drop]]/[[keep]]"] if dropped else []
    return table


def parse_value(text: str, kind: str = "count") -> tuple[float | None, str]:
    """Parse a published number: thousands separators, blanks and dashes.

    Returns the value and its OBS_STATUS (``M`` for a blank). Raises InputError for text
    that is not a number, and for counts that are negative or fractional.
    """
    cleaned = text.strip().replace(",", "").replace("\u00a0", "")
    if cleaned in _MISSING:
        return None, "M"
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError(
            title=f"{text!r} is not a number",
            hint="correct the cell, or leave it blank if the value is missing",
        ) from None
    if kind == "count" and (value < 0 or not value.is_integer()):
        raise InputError(
            title=f"{text!r} is not a count (a non-negative whole number)",
            hint="counts of persons cannot be negative or fractional; correct the cell",
        )
    return value, "A"


def _columns(spec: MappingSpec) -> list[str]:
    return ["period", "region", *(d.id for d, _ in spec.dimensions), "value", "status",
            "source_row", "source_column"]


def _schema(spec: MappingSpec) -> dict[str, type[pl.DataType] | pl.DataType]:
    schema: dict[str, type[pl.DataType] | pl.DataType] = {k: pl.Utf8 for k in _columns(spec)}
    schema.update(value=pl.Float64, source_row=pl.Int64)
    return schema


def _check_header(grid: Grid, spec: MappingSpec) -> None:
    names = set(grid.header)
    wanted = set(spec.header_required)
    for fspec in (spec.period, spec.region, *(f for _, f in spec.dimensions)):
        for col in (fspec.column, fspec.month_column):
            if col and not col.startswith("@"):
                wanted.add(col)
    if spec.value_column:
        wanted.add(spec.value_column)
    missing = sorted(wanted - names)
    if missing:
        raise InputError(
            title=f"the header lacks column(s) {', '.join(map(repr, missing))}",
            hint=f"the file's columns are {', '.join(grid.header[:12])}"
            f"{' …' if len(grid.header) > 12 else ''}; is this the right file for mapping "
            f"{spec.meta.id!r}?",
            location=grid.location(row=spec.header_row),
        )
    if spec.melt_pattern and not any(re.search(spec.melt_pattern, h) for h in grid.header):
        raise InputError(
            title="no column of the header fits the mapping's [melt] pattern",
            hint=f"the file's layout differs from what mapping {spec.meta.id!r} expects",
            location=grid.location(row=spec.header_row),
        )


def _records(grid: Grid, spec: MappingSpec) -> list[_Record]:
    index = {name: i for i, name in enumerate(grid.header)}
    records: list[_Record] = []
    if spec.melt_pattern is None:
        assert spec.value_column is not None
        vi = index[spec.value_column]
        for row, cells in grid.rows:
            named = {name: cells[i].strip() for name, i in index.items()}
            records.append(_Record(row, spec.value_column, named, cells[vi]))
        return records
    regex = re.compile(spec.melt_pattern)
    melted = []
    for i, name in enumerate(grid.header):
        found = regex.search(name) if i + 1 >= spec.melt_from_column else None
        if found:
            groups = {f"@{k}": v for k, v in found.groupdict().items() if v is not None}
            melted.append((i, name, {**groups, "@header": name}))
    for row, cells in grid.rows:
        named = {name: cells[i].strip() for name, i in index.items()}
        for i, name, groups in melted:
            records.append(_Record(row, name, {**named, **groups}, cells[i]))
    return records


def _own_codes(fspec: FieldSpec) -> set[str]:
    """Codes a mapping defines itself: its total and subtotals."""
    return {c for c in (fspec.total, *(code for code, _ in fspec.subtotals)) if c is not None}


def _region(rec: _Record, spec: MappingSpec, period: str) -> str:
    text = _text(rec, spec.region)
    if spec.region.kind == "name" and re.fullmatch(r"\d{2}|\d{5}|\d{10}", text):
        return trim_code(text)  # recoded to a code (a table's own total row, e.g. 합계)
    day = (
        date.fromisoformat(spec.region.valid_on)
        if spec.region.valid_on
        else reference_day(period, spec.meta.period_day)
    )
    return resolve_region_text(text, spec.region.kind, spec.region.parent, day)


def _text(rec: _Record, fspec: FieldSpec) -> str:
    if fspec.constant is not None:
        return fspec.constant
    assert fspec.column is not None
    if fspec.column not in rec.cells:
        raise ConfigError(
            title=f"the mapping refers to {fspec.column!r}, which neither the header nor the "
            "melt pattern provides",
            hint="melt groups are written @name; header names must match exactly",
        )
    text = rec.cells[fspec.column]
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


def _period(rec: _Record, fspec: FieldSpec) -> str:
    year = _text(rec, fspec)
    if fspec.month_column:
        month = rec.cells.get(fspec.month_column, "").strip()
        if not month.isdigit() or not 1 <= int(month) <= 12:
            raise InputError(title=f"{month!r} is not a month", hint="months are 1 to 12")
        year = f"{year}-{int(month):02d}"
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?|-Q[1-4]|-H[12])?", year):
        raise InputError(
            title=f"{year!r} is not a period (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM or YYYY-MM-DD)",
            hint="check the period column, or add a pattern to [period] in the mapping",
        )
    return year


def _raw(rec: _Record) -> str:
    return " | ".join(f"{k}={v}" for k, v in rec.cells.items() if not k.startswith("@"))[:500]

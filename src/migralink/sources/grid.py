"""Reading a published file, exactly as it is, into a grid of text cells.

CSV files come from Korean portals in UTF-8 (with or without BOM) or CP949; workbooks are
xlsx or BIFF xls (read with calamine). Whatever the format, the result is a header (one
name per column; a multi-row header joined with ``|`` after filling merged cells) and
data rows that keep their 1-based row number in the file, so that every later message
can point at the cell.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from migralink.errors import InputError, Location

__all__ = ["Grid", "decode_text", "read_grid"]


@dataclass(frozen=True)
class Grid:
    """A table of text cells read from one file (or one sheet of a workbook)."""

    file: str
    sheet: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str | None = None

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        """A :class:`Location` in this grid's file and sheet."""
        return Location(file=self.file, sheet=self.sheet, row=row, column=column)


def decode_text(data: bytes, encoding: str, file: str) -> tuple[str, str]:
    """Decode a text file; ``auto`` tries UTF-8 (with BOM) and then CP949.

    Returns the text and the encoding that worked. CP949 is a superset of EUC-KR, which
    Korean portals use for "ANSI" downloads.
    """
    candidates = ["utf-8-sig", "cp949"] if encoding == "auto" else [encoding]
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
        except LookupError as exc:
            raise InputError(
                title=f"unknown encoding {candidate!r}",
                hint="use auto, utf-8 or cp949 in [read] encoding",
                location=Location(file=file),
            ) from exc
    raise InputError(
        title=f"the file is not valid text in {' or '.join(candidates)}",
        hint="save it as UTF-8 or CP949 CSV, or set [read] encoding in its mapping",
        location=Location(file=file),
    )


def read_grid(
    path: Path,
    *,
    fmt: str | None = None,
    encoding: str = "auto",
    sheet: str | None = None,
    header_row: int = 1,
    header_rows: int = 1,
) -> Grid:
    """Read a CSV or workbook into a :class:`Grid`.

    Raises:
        InputError: the file is missing, empty, not of the format, or lacks the sheet.
    """
    name = str(path)
    if not path.is_file():
        raise InputError(
            title="the file does not exist", hint="check the path", location=Location(file=name)
        )
    if path.stat().st_size == 0:
        raise InputError(
            title="the file is empty (0 bytes)",
            hint="download it again from the publisher; nothing was ingested",
            location=Location(file=name),
        )
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt in {"csv", "txt", "tsv"}:
        text, used = decode_text(path.read_bytes(), encoding, name)
        delimiter = "\t" if fmt == "tsv" else ","
        cells = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
        return _to_grid(name, None, cells, header_row, header_rows, used)
    if fmt in {"xlsx", "xlsm", "xls", "ods"}:
        sheet_name, cells = _read_sheet(path, sheet)
        return _to_grid(name, sheet_name, cells, header_row, header_rows, None)
    raise InputError(
        title=f"unsupported file format {fmt!r}",
        hint="migralink reads csv, tsv, xlsx and xls files",
        location=Location(file=name),
    )


def _read_sheet(path: Path, sheet: str | None) -> tuple[str, list[list[str]]]:
    name = str(path)
    try:
        book = CalamineWorkbook.from_path(name)
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            title=f"the workbook cannot be opened ({type(exc).__name__}: {exc})",
            hint="the file may be truncated or not a real workbook; download it again",
            location=Location(file=name),
        ) from exc
    sheet_name = sheet or book.sheet_names[0]
    if sheet_name not in book.sheet_names:
        raise InputError(
            title=f"the workbook has no sheet {sheet_name!r}",
            hint=f"its sheets are {', '.join(book.sheet_names)}; fix [read] sheet in the mapping",
            location=Location(file=name),
        )
    try:
        raw = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as exc:
        raise InputError(
            title=f"the sheet cannot be read ({exc})",
            hint="the workbook may be damaged; download it again",
            location=Location(file=name, sheet=sheet_name),
        ) from exc
    return sheet_name, [[_cell_text(c) for c in row] for row in raw]


def _cell_text(cell: object) -> str:
    """Workbook cells as the text a person sees: 1990.0 is shown as 1990."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if cell is None:
        return ""
    return str(cell).strip()


def _to_grid(
    file: str,
    sheet: str | None,
    cells: list[list[str]],
    header_row: int,
    header_rows: int,
    encoding: str | None,
) -> Grid:
    start = header_row - 1
    header_lines = cells[start : start + header_rows]
    if len(header_lines) < header_rows or not any(any(c.strip() for c in r) for r in header_lines):
        raise InputError(
            title=f"no header at row {header_row}",
            hint="the file is empty or its layout changed; check [read] header_row",
            location=Location(file=file, sheet=sheet, row=header_row),
        )
    width = max(len(r) for r in cells[start:]) if cells[start:] else 0
    padded_header = [[c.strip() for c in r] + [""] * (width - len(r)) for r in header_lines]
    # merged cells span columns only in the upper header lines; the last line names columns
    filled = [_fill_merged(r) for r in padded_header[:-1]] + padded_header[-1:]
    header = []
    for col in range(width):
        parts: list[str] = []
        for line in filled:  # repeated parts (vertical merges) are kept once
            if line[col] and (not parts or parts[-1] != line[col]):
                parts.append(line[col])
        header.append("|".join(parts) or f"column{col + 1}")
    rows = []
    for offset, row in enumerate(cells[start + header_rows :]):
        padded = tuple(row) + ("",) * (width - len(row))
        if any(c.strip() for c in padded):
            rows.append((start + header_rows + offset + 1, padded))
    return Grid(file, sheet, tuple(header), tuple(rows), encoding)


def _fill_merged(line: list[str]) -> list[str]:
    """Forward-fill empty header cells after a label (merged cells read as blanks)."""
    out, last = [], ""
    for cell in line:
        last = cell or last
        out.append(last)
    return out

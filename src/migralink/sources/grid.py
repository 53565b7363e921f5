"""Reading a published file, exactly as it is, into a grid of text cells.

CSV files come from Korean portals in UTF-8 (with or without BOM) or CP949; workbooks are
xlsx or BIFF xls (read with calamine, see :mod:`.workbook`). Whatever the format, the
result is a header (one name per column; a multi-row header joined with ``|`` after filling
merged cells) and a Polars frame of text cells (columns ``c0``, ``c1``… and ``__row``, the
1-based row of the file), so that every later message can point at the cell and a large
sheet never becomes millions of Python objects.

A CSV row must have exactly the header's width: a short row is a line broken in two or a
file cut off, never a row with blanks to pad (which would land as "missing").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from migralink.errors import InputError, Location
from migralink.sources.workbook import MAX_CELLS, cell_text, column_name, open_sheet

__all__ = ["ROW", "Grid", "decode_text", "ends_without_line_break", "read_grid"]

#: The frame column holding each row's 1-based row number in the file.
ROW = "__row"

_CHUNK_ROWS = 50_000  # rows converted to a Polars frame at once (bounded Python objects)
_SHOWN = 10


@dataclass(frozen=True)
class Grid:
    """A table of text cells read from one file (or one sheet of a workbook).

    ``frame`` holds one Utf8 column per header column (``c0``, ``c1``…, in header order,
    cells stripped) and :data:`ROW`; rows with no text at all are left out.
    """

    file: str
    sheet: str | None
    header: tuple[str, ...]
    frame: pl.DataFrame
    encoding: str | None = None

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        """A :class:`Location` in this grid's file and sheet."""
        return Location(file=self.file, sheet=self.sheet, row=row, column=column)

    @property
    def height(self) -> int:
        """Number of data rows."""
        return self.frame.height


def ends_without_line_break(path: Path) -> bool:
    """A non-empty text file (csv, tsv, txt) whose last byte is not a line break: the
    sign of a download cut off, perhaps inside its last number (a workbook is never one)."""
    if (path.suffix.lower() not in {".csv", ".tsv", ".txt"} or not path.is_file()
            or not path.stat().st_size):
        return False
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) not in (b"\n", b"\r")


def decode_text(data: bytes, encoding: str, file: str, delimiter: str = ",") -> tuple[str, str]:
    """Decode a text file; ``auto`` tries UTF-8 (with BOM) and then CP949.

    Returns the text and the encoding that worked. CP949 is a superset of EUC-KR, which
    Korean portals use for "ANSI" downloads. A mapping's own encoding (cp949) still takes
    a UTF-8 copy: re-encoding changes no cell, and text in CP949 other than plain ASCII
    is never valid UTF-8, so trying UTF-8 first cannot misread it (a UTF-8 copy of a
    population table was refused with the advice to save it as UTF-8).
    """
    if encoding == "auto":
        candidates = ["utf-8-sig", "cp949"]
    elif encoding.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig"):
        candidates = [encoding]
    else:
        candidates = ["utf-8-sig", encoding]
    failures: list[tuple[str, UnicodeDecodeError]] = []
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            failures.append((candidate, exc))
        except LookupError as exc:
            raise InputError(
                title=f"unknown encoding {candidate!r}",
                hint="use auto, utf-8 or cp949 in [read] encoding",
                location=Location(file=file),
            ) from exc
    raise _undecodable(data, file, candidates, failures, delimiter)


def _undecodable(data: bytes, file: str, candidates: list[str],
                 failures: list[tuple[str, UnicodeDecodeError]], delimiter: str) -> InputError:
    """The error for a file no encoding reads, at the first bad byte of the encoding that
    read furthest (the file's own: a flipped byte or a cut-off download, not another
    encoding, is what usually stops a published file)."""
    used, exc = max(failures, key=lambda f: f[1].start)
    # utf-8-sig counts from after its BOM
    start = exc.start + (3 if used == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else 0)
    line_start = data.rfind(b"\n", 0, start) + 1
    row = data.count(b"\n", 0, start) + 1
    before = data[line_start:start].decode(used, errors="replace").lstrip("\ufeff")
    index = before.count(delimiter)  # a quoted delimiter is rare before a broken byte
    header = data[: data.find(b"\n")].decode(used, errors="replace").strip("\r\ufeff")
    names = [n.strip().strip('"') for n in header.split(delimiter)]
    column = names[index] if row > 1 and index < len(names) else column_name(index + 1)
    if start + exc.end - exc.start >= len(data.rstrip(b"\r\n")):
        return InputError(
            title=f"the file ends inside a character ({used}): the download was cut off",
            hint="download it again; nothing was ingested",
            location=Location(file=file, row=row, column=column),
        )
    return InputError(
        title=f"the file is not valid text in {' or '.join(candidates)}: byte "
        f"{data[start]:#04x} at offset {start:,} breaks a character ({used}: "
        f"{exc.reason})",
        hint="a damaged download (download it again), or the file is in another "
        "encoding (save it as UTF-8 or CP949 CSV, or set [read] encoding in its mapping)",
        location=Location(file=file, row=row, column=column),
    )


def read_grid(
    path: Path,
    *,
    fmt: str | None = None,
    encoding: str = "auto",
    sheet: str | None = None,
    header_row: int = 1,
    header_rows: int = 1,
    max_rows: int | None = None,
) -> Grid:
    """Read a CSV or workbook into a :class:`Grid`.

    Args:
        max_rows: read at most this many data rows (to recognise a file by its header).

    Raises:
        InputError: the file is missing, empty, not of the format, lacks the sheet, or a
            row does not have the header's width.
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
        data = path.read_bytes()
        if max_rows is not None:  # a peek: enough lines for the header, cut at a line end
            data = data[: data.rfind(b"\n", 0, 1 << 16) + 1] or data[: 1 << 16]
        delimiter = "\t" if fmt == "tsv" else ","
        text, used = decode_text(data, encoding, name, delimiter)
        return _csv_grid(name, text, delimiter, header_row, header_rows,
                         used, max_rows)
    if fmt in {"xlsx", "xlsm", "xls"}:
        sheet_name, rows = open_sheet(path, sheet)
        numbered = ((i + 1, list(map(cell_text, r))) for i, r in enumerate(rows))
        return _build(name, sheet_name, numbered, header_row, header_rows, None, max_rows,
                      strict_width=False)
    raise InputError(
        title=f"unsupported file format {fmt!r}",
        hint="migralink reads csv, tsv, xlsx and xls files (save other workbooks as xlsx)",
        location=Location(file=name),
    )


def _csv_grid(
    file: str, text: str, delimiter: str, header_row: int, header_rows: int, used: str,
    max_rows: int | None,
) -> Grid:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(
            title="the file contains a NUL byte: it is not a text table",
            hint="the download is damaged; download it again",
            location=Location(file=file, row=line),
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        start = 1
        try:
            for cells in reader:
                _refuse_huge_cell(file, start, cells)
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            raise InputError(
                title=f"the CSV cannot be parsed: {exc}",
                hint="a damaged or cut-off download, or a cell far larger than any "
                "published table has; download it again",
                location=Location(file=file, row=reader.line_num or start),
            ) from None

    return _build(file, None, numbered(), header_row, header_rows, used, max_rows,
                  strict_width=True)


# The csv module's own field limit is process-global and other libraries raise it
# (frictionless sets it on import), so the bound on a cell is checked here as well.
MAX_CELL_CHARS = 100_000


def _refuse_huge_cell(file: str, row: int, cells: list[str]) -> None:
    for index, text in enumerate(cells):
        if len(text) > MAX_CELL_CHARS:
            raise InputError(
                title=f"a cell of {len(text):,} characters is larger than any published "
                f"table has (the limit is {MAX_CELL_CHARS:,})",
                hint="a damaged or cut-off download; download it again",
                location=Location(file=file, row=row, column=column_name(index + 1)),
            )


def _build(
    file: str,
    sheet: str | None,
    lines: Iterable[tuple[int, list[str]]],
    header_row: int,
    header_rows: int,
    encoding: str | None,
    max_rows: int | None,
    *,
    strict_width: bool,
) -> Grid:
    stream = iter(lines)
    header, width = _read_header(stream, file, sheet, header_row, header_rows)
    names = [f"c{i}" for i in range(width)]
    chunks: list[pl.DataFrame] = []
    batch: list[list[str]] = []
    numbers: list[int] = []
    bad: list[str] = []
    first_bad: int | None = None
    cells = 0
    for number, line in stream:
        if not any(c.strip() for c in line):
            continue
        fitted = _fit(line, width, strict_width)
        if fitted is None:
            first_bad = first_bad or number
            if len(bad) < _SHOWN:
                bad.append(f"row {number}: {len(line)} cell(s)")
            continue
        batch.append(fitted)
        numbers.append(number)
        cells += width
        if cells > MAX_CELLS:
            _refuse_too_many_cells(file, sheet, number, width)
        if len(batch) >= _CHUNK_ROWS:
            chunks.append(_frame(batch, numbers, names))
            batch, numbers = [], []
        if max_rows is not None and len(numbers) + sum(c.height for c in chunks) >= max_rows:
            break
    if first_bad is not None:
        raise InputError(
            title=f"rows do not have the header's {width} cells "
            f"({', '.join(bad)}{' …' if len(bad) >= _SHOWN else ''})",
            hint="a line broken inside a row, or a download cut off; nothing was ingested. "
            "Download the file again",
            location=Location(file=file, sheet=sheet, row=first_bad),
            details=bad,
        )
    chunks.append(_frame(batch, numbers, names))
    frame = pl.concat(chunks, how="vertical") if len(chunks) > 1 else chunks[0]
    return Grid(file, sheet, tuple(header), frame, encoding)


def _refuse_too_many_cells(file: str, sheet: str | None, row: int, width: int) -> None:
    """A table of more cells than a workbook sheet may have is refused as one: held as
    text, a cell costs ~40 bytes, so a 37 MB CSV of 10,000 columns took 0.9 GB, and one a
    few times larger would have the process killed without a word."""
    raise InputError(
        title=f"the table has more than {MAX_CELLS:,} cells ({width:,} columns); no "
        "published table is near that",
        hint="a damaged or hostile file, or a table to split before ingesting; nothing was "
        "ingested",
        location=Location(file=file, sheet=sheet, row=row),
    )


def _read_header(
    stream: Iterator[tuple[int, list[str]]], file: str, sheet: str | None, header_row: int,
    header_rows: int,
) -> tuple[list[str], int]:
    header_lines: list[list[str]] = []
    for number, cells in stream:
        if number >= header_row:
            header_lines.append([c.strip() for c in cells])
            if len(header_lines) == header_rows:
                break
    if len(header_lines) < header_rows or not any(any(r) for r in header_lines):
        raise InputError(
            title=f"no header at row {header_row}",
            hint="the file is empty or its layout changed; check [read] header_row",
            location=Location(file=file, sheet=sheet, row=header_row),
        )
    width = max(len(r) for r in header_lines)
    while width > 1 and not any(len(r) >= width and r[width - 1] for r in header_lines):
        width -= 1  # trailing unnamed columns (a trailing delimiter) are not columns
    return _join_header(header_lines, width), width


def _fit(cells: list[str], width: int, strict: bool) -> list[str] | None:
    """The row's cells at the header's width, or ``None`` for a CSV row of another width.

    A trailing delimiter (empty cells past the header) adds no cell; a workbook row is
    padded, since a sheet has no notion of a short row.
    """
    if len(cells) != width:
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        elif strict:
            return None
        else:
            cells = (cells + [""] * width)[:width]
    return [c.strip() for c in cells]


def _frame(batch: list[list[str]], numbers: list[int], names: list[str]) -> pl.DataFrame:
    schema: dict[str, type[pl.DataType]] = dict.fromkeys(names, pl.Utf8)
    frame = pl.DataFrame(batch, schema=schema, orient="row") if batch else pl.DataFrame(
        schema=schema)
    return frame.with_columns(pl.Series(ROW, numbers, dtype=pl.Int64))


def _join_header(lines: list[list[str]], width: int) -> list[str]:
    padded = [(r + [""] * width)[:width] for r in lines]
    # merged cells span columns only in the upper header lines; the last line names columns
    filled = [_fill_merged(r) for r in padded[:-1]] + padded[-1:]
    header = []
    for col in range(width):
        parts: list[str] = []
        for line in filled:  # repeated parts (vertical merges) are kept once
            if line[col] and (not parts or parts[-1] != line[col]):
                parts.append(line[col])
        header.append("|".join(parts) or f"column{col + 1}")
    return header


def _fill_merged(line: list[str]) -> list[str]:
    """Forward-fill empty header cells after a label (merged cells read as blanks)."""
    out, last = [], ""
    for cell in line:
        last = cell or last
        out.append(last)
    return out


def column_letter(index: int) -> str:
    """0-based column index as spreadsheet letters, for messages about workbooks."""
    return column_name(index + 1)

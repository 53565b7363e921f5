"""Reading a workbook sheet without ever holding more than a bounded amount of it.

calamine (the engine under :mod:`python_calamine`) keeps a sheet as one dense grid from
its first to its last used cell. One stray cell at ``XFD1048576`` therefore asks for
17 billion cells (about 512 GB) and the process is killed before Python can say a word.
So an xlsx sheet is scanned first, as a stream, for the cells it really holds, and a sheet
whose extent is absurd is refused before calamine allocates anything. The rows are then
converted to text a chunk at a time into Polars frames, so that the Python objects of a
whole sheet never exist at once.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook

from migralink.errors import InputError, Location

__all__ = ["MAX_CELLS", "SheetExtent", "cell_text", "column_name", "open_sheet",
           "scan_xlsx_sheet"]

#: The largest sheet extent read (rows x columns of its used range). calamine holds every
#: cell of the extent in about 32 bytes, so 12 million cells stay under ~400 MB; the
#: largest published table we know (UN DESA, 293 x 26) is far below it.
MAX_CELLS = 12_000_000

#: The largest uncompressed sheet part read (a zip bomb guard; it is scanned as a stream).
MAX_PART_BYTES = 2_000_000_000
#: The largest uncompressed shared-string table: calamine holds it whole in memory.
MAX_STRINGS_BYTES = 300_000_000

_CHUNK = 1 << 22
# attribute order varies between writers: a row's r may follow spans or other attributes
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*? r=\"([0-9]+)\"")
# a cell's r is letters then digits (a row's r has no letters): column letters of each cell
_CELL_COLUMN = re.compile(rb" r=\"([A-Z]{1,3})[0-9]")
# a cell placed a million rows down inside a lower row tag (calamine believes the cell)
_FAR_CELL_ROW = re.compile(rb" r=\"[A-Z]{1,3}([0-9]{7,})\"")
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# a formula cell and what it holds (up to its end): a script (openpyxl, pandas) or a
# workbook saved with manual calculation writes the formula without its computed value,
# which calamine reads as a blank, so a published figure would land as "missing"
_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>((?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f\b"
                           rb"(?:(?!</(?:\w+:)?c>).)*)</(?:\w+:)?c>", re.DOTALL)
# an error cell (#REF!, #DIV/0!, #N/A) reads as a blank too: a figure lost, not missing
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?\bt=\"e\"[^>]*)>")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]|<(?:\w+:)?is>")
_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]+)"')


@dataclass(frozen=True)
class SheetExtent:
    """The used range of an xlsx sheet as found in its XML (1-based, inclusive)."""

    first_row: int
    last_row: int
    first_col: int
    last_col: int
    cells: int

    @property
    def area(self) -> int:
        """Cells in the bounding box, which calamine allocates densely."""
        if not self.cells:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_col - self.first_col + 1)


def column_name(index: int) -> str:
    """1-based column number as spreadsheet letters (1 → A, 16384 → XFD)."""
    name = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def _sheet_part(archive: zipfile.ZipFile, sheet: str | None) -> tuple[str, str]:
    """The zip member holding a sheet (by name, or the first sheet) and its name."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for node in book.iter():
        if node.tag.endswith("}sheet") and (sheet is None or node.get("name") == sheet):
            target = targets.get(node.get(f"{{{_NS_REL}}}id"), "")
            target = target.lstrip("/")
            part = target if target.startswith("xl/") else f"xl/{target}"
            return part, node.get("name", "")
    raise KeyError(sheet)


def scan_xlsx_sheet(path: Path, sheet: str | None) -> SheetExtent | None:
    """Stream through a sheet's XML and return the extent of the cells it holds.

    When the workbook's own index does not locate the sheet, every worksheet part is
    scanned and the largest extent returned (calamine then reports the missing sheet);
    ``None`` only for a workbook without worksheet parts.

    Raises:
        InputError: the file is not a readable zip, or a part is absurdly large.
    """
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                strings = member.filename.endswith("sharedStrings.xml")
                limit = MAX_STRINGS_BYTES if strings else MAX_PART_BYTES
                # a declared size may lie: the shared strings are measured as a stream
                size = _unpacked_size(archive, member, limit) if strings else member.file_size
                if size > limit:
                    raise InputError(
                        title=f"the workbook part {member.filename} unpacks to more than "
                        f"{limit:,} bytes",
                        hint="this is not a published table (a damaged or hostile file); "
                        "download it again",
                        location=Location(file=name),
                    )
            try:
                part, sheet_name = _sheet_part(archive, sheet)
                return _scan(archive, archive.getinfo(part), name, sheet_name)
            except (KeyError, ElementTree.ParseError):
                parts = [m for m in archive.infolist()
                         if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
                extents = [_scan(archive, m, name, sheet or m.filename) for m in parts]
                return max(extents, key=lambda e: (e.area, e.cells), default=None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            zlib.error) as exc:  # a flipped byte inside a deflated part: zlib.error
        raise InputError(
            title=f"the workbook cannot be opened ({type(exc).__name__}: {exc})",
            hint="the file may be truncated or not a real workbook; download it again",
            location=Location(file=name),
        ) from exc


def _unpacked_size(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> int:
    """Bytes a member really unpacks to, reading no further than just past ``limit``."""
    size = 0
    with archive.open(member) as stream:
        while size <= limit and (chunk := stream.read(_CHUNK)):
            size += len(chunk)
    return size


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, sheet: str) -> SheetExtent:
    """One streaming pass; the cost is a few regex scans in C, not a Python object a cell."""
    last_row = cells = unnamed = seen = 0
    letters: set[bytes] = set()
    carry = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            seen += len(chunk)
            if seen > MAX_PART_BYTES:
                raise InputError(
                    title=f"sheet {sheet!r} unpacks to more than {MAX_PART_BYTES:,} bytes",
                    hint="this is not a published table; download it again",
                    location=Location(file=file, sheet=sheet),
                )
            data = carry + chunk
            # a tag (or a formula cell) split by the chunk edge is read with the next
            cut = data.rfind(b"<c ") if b"<f" in data else -1
            cut = cut if cut > 0 else data.rfind(b"<")
            data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            if b"<f" in data or b't="e"' in data:
                _refuse_unreadable_cells(data, file, sheet)
            rows = _ROW.findall(data)
            far = _FAR_CELL_ROW.findall(data)
            if rows or far:
                last_row = max(last_row, *(int(r) for r in rows), *(int(r) for r in far))
            columns = _CELL_COLUMN.findall(data)
            letters.update(columns)
            n = data.count(b"<c ") + data.count(b"<c>")
            cells += n
            unnamed += max(n - len(columns), 0)
    if not cells:
        return SheetExtent(1, 1, 1, 1, 0)
    # a cell without a reference sits right of the one before it: widen conservatively
    last_col = max((_column_number(c) for c in letters), default=0) + unnamed
    return SheetExtent(first_row=1, last_row=max(last_row, 1), first_col=1,
                       last_col=max(last_col, 1), cells=cells)


def _refuse_unreadable_cells(data: bytes, file: str, sheet: str) -> None:
    for error in _ERROR_CELL.finditer(data):
        text = data[error.end():error.end() + 200].split(b"</v>")[0].split(b">")[-1]
        raise InputError(
            title=f"a cell holds the error value {text.decode(errors='replace')!r}, not a "
            "figure",
            hint="fix the formula in a spreadsheet program and save again, or use the "
            "publisher's own file; nothing was ingested",
            location=_cell_location(error.group(1), file, sheet),
        )
    for match in _FORMULA_CELL.finditer(data):
        if _VALUE.search(match.group(2)):
            continue
        raise InputError(
            title="a formula cell holds no computed value (the workbook was written by a "
            "program that does not calculate), so its figure cannot be read",
            hint="open the workbook in a spreadsheet program and save it again, or use "
            "the publisher's own file; nothing was ingested",
            location=_cell_location(match.group(1), file, sheet),
        )


def _cell_location(attributes: bytes, file: str, sheet: str) -> Location:
    ref = _REF.search(b" " + attributes)
    return Location(file=file, sheet=sheet, row=int(ref.group(2)) if ref else None,
                    column=ref.group(1).decode() if ref else None)


def check_extent(extent: SheetExtent, file: str, sheet: str | None) -> None:
    """Refuse a sheet whose used range calamine could not hold in bounded memory."""
    if extent.area <= MAX_CELLS and extent.cells <= MAX_CELLS:
        return
    corner = f"{column_name(extent.last_col)}{extent.last_row}"
    raise InputError(
        title=f"the sheet's used range reaches {corner} ({extent.area:,} cells; "
        f"{extent.cells:,} written), more than the {MAX_CELLS:,} migralink reads",
        hint="a stray cell far from the table? Delete the rows and columns beyond the "
        "table in a spreadsheet program and save again; nothing was ingested",
        location=Location(file=file, sheet=sheet, row=extent.last_row,
                          column=column_name(extent.last_col)),
    )


def cell_text(cell: object) -> str:
    """A workbook cell as the text a person sees: 1990.0 is shown as 1990.

    Non-integral numbers are written out in full (never ``1e-05``), so that the strict
    number parser judges exactly what the cell holds.
    """
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, float):
        number = cell
        if number.is_integer() and -1e16 < number < 1e16:
            return str(int(number))
        text = repr(number)
        if "e" in text and math.isfinite(number):
            return format(Decimal(text), "f")
        return text
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    return str(cell).strip()


def open_sheet(path: Path, sheet: str | None) -> tuple[str, Iterator[list[Any]]]:
    """Open a sheet after checking its extent; returns its name and its rows from A1.

    Raises:
        InputError: the workbook or sheet cannot be read, or is absurdly large.
    """
    name = str(path)
    is_zip = zipfile.is_zipfile(path)
    if is_zip:
        extent = scan_xlsx_sheet(path, sheet)
        if extent is not None:
            check_extent(extent, name, sheet)
    try:
        book = CalamineWorkbook.from_path(name)
        sheet_name = sheet or book.sheet_names[0]
        if sheet_name not in book.sheet_names:
            raise InputError(
                title=f"the workbook has no sheet {sheet_name!r}",
                hint=f"its sheets are {', '.join(book.sheet_names)}; fix [read] sheet in the "
                "mapping",
                location=Location(file=name),
            )
        data = book.get_sheet_by_name(sheet_name)
        if not is_zip and data.height * data.width > MAX_CELLS:
            raise InputError(
                title=f"the sheet's used range is {data.height:,} x {data.width:,} cells",
                hint="delete the rows and columns beyond the table and save again",
                location=Location(file=name, sheet=sheet_name),
            )
        rows: Iterator[list[Any]] = iter(data.iter_rows())
        return sheet_name, rows
    except InputError:
        raise
    except (CalamineError, OSError, ValueError, IndexError, TypeError, zlib.error) as exc:
        raise InputError(
            title=f"the workbook cannot be opened ({type(exc).__name__}: {exc})",
            hint="the file may be truncated or not a real workbook; download it again",
            location=Location(file=name, sheet=sheet),
        ) from exc

"""Helpers for the damaged-input tests: copies of real files with one thing broken."""

from __future__ import annotations

import hashlib
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb

from tests.conftest import CliResult

STATUS = "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv"
MONTHLY_STATUS = "moj_stay_foreigners/approved_fileData_15100016_2026-06-23.csv"
UNDOCUMENTED = "moj_stay_foreigners/approved_fileData_15112636_2026-06-18.csv"
STUDENTS = "moj_stay_foreigners/moj_foreign_student_stay_2024_2026-06-14.csv"
BY_TYPE = "moj_stay_foreigners/moj_naturalization_by_type_2026-07-01.csv"
JEJU = "mois_foreign_residents/jeju_foreign_resident_status_district_2026-06-23.csv"
NPS = "other/approved_fileData_3046074_2026-06-22.csv"
REGISTERED = "moj_registered_foreigners/2018 지역_및_체류자격별_등록외국인_현황.xlsx"
SEOUL = "seoul/01. population_in_Seoul.xls"
POPULATION = "population/201312_201512_연령별인구현황_연간.csv"
MOIS = "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv"


def fingerprint(db: Path) -> str:
    """The database file's bytes (and a WAL beside it, if any), hashed."""
    digest = hashlib.sha256(db.read_bytes())
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        digest.update(b"wal" + wal.read_bytes())
    return digest.hexdigest()


def latest_cells(db: Path, dataset: str) -> dict[tuple[str, ...], float | None]:
    """Every cell of a dataset's latest version: key (period, region, dims…) → value."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        table = con.execute(
            "SELECT table_name FROM ml_version WHERE dataset_id = ? ORDER BY version DESC "
            "LIMIT 1", [dataset]).fetchall()[0][0]
        cursor = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    stop = names.index("value")
    return {tuple(str(v) for v in row[:stop]): row[stop] for row in rows}


def total(db: Path, dataset: str, period: str) -> float:
    """The sum of a dataset's latest version over one period."""
    return sum(v or 0 for k, v in latest_cells(db, dataset).items() if k[0] == period)


def versions(db: Path, dataset: str) -> int:
    """How many versions a dataset has."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM ml_version WHERE dataset_id = ?",
                               [dataset]).fetchall()[0][0])
    finally:
        con.close()


def one_line_error(result: CliResult, file: Path, fragments: tuple[str, ...]) -> str:
    """Assert a refusal: exit 1, one line naming ``file`` and every fragment, no traceback."""
    message = result.stderr.strip()
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len(message.splitlines()) == 1, message
    assert str(file) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def copy_as(tmp_path: Path, name: str, data: bytes) -> Path:
    """``data`` written as ``tmp_path/in/name``."""
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def rezip(source: Path, target: Path, edit: Callable[[str, bytes], bytes]) -> Path:
    """Copy a workbook, passing each worksheet part through ``edit(name, xml)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = edit(item.filename, data)
            new.writestr(item, data)
    return target


def set_cell(sheet: str, ref: str, value: str) -> Callable[[str, bytes], bytes]:
    """An edit for :func:`rezip`: cell ``ref`` of ``sheet`` becomes the number ``value``."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(?: t="\w+")?([^>]*)>.*?</c>')

    def edit(name: str, data: bytes) -> bytes:
        if name != sheet:
            return data
        replacement = b'<c r="' + ref.encode() + rb'"\1\2><v>' + value.encode() + b"</v></c>"
        new, count = pattern.subn(replacement, data, count=1)
        assert count == 1, f"no cell {ref} in {name}"
        return new

    return edit


def add_stray_cell(name: str, data: bytes) -> bytes:
    """An edit for :func:`rezip`: one cell at the sheet's last possible position."""
    return data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                        b"<is><t>x</t></is></c></row></sheetData>")


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas'
    '.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
    'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas'
    '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
    'workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas'
    '.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="'
    'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}


def write_xlsx(path: Path, rows: Iterable[Sequence[object]]) -> Path:
    """A minimal one-sheet workbook (sheet ``data``; numbers as numbers), streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in _PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas'
                      b'.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for number, row in enumerate(rows, start=1):
                cells = []
                for index, value in enumerate(row):
                    ref = f"{_column(index)}{number}"
                    if isinstance(value, int | float):
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                    elif value != "":
                        cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}'
                                     "</t></is></c>")
                out.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            out.write(b"</sheetData></worksheet>")
    return path


def xls_numbers(data: bytes) -> list[tuple[int, int, int, float]]:
    """The BIFF NUMBER records of an xls: (offset, 0-based row, 0-based column, value)."""
    found, at = [], data.find(_NUMBER)
    while at != -1:
        row, col = struct.unpack("<HH", data[at + 4 : at + 8])
        found.append((at, row, col, struct.unpack("<d", data[at + 10 : at + 18])[0]))
        at = data.find(_NUMBER, at + 1)
    return found


def set_xls_number(data: bytes, row: int, col: int, value: float) -> bytes:
    """The xls with the NUMBER cell at (0-based) ``row``, ``col`` set to ``value``: BIFF has
    no checksum, so an edit in place is a valid workbook with one cell changed."""
    for at, r, c, _ in xls_numbers(data):
        if (r, c) == (row, col):
            return data[: at + 10] + struct.pack("<d", value) + data[at + 18 :]
    raise AssertionError(f"no NUMBER record at row {row}, column {col}")


_NUMBER = b"\x03\x02\x0e\x00"  # BIFF8 NUMBER record: id 0x0203, 14 bytes

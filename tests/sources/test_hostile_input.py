"""Careless and hostile edits of real files that used to land wrong or fail vaguely.

Each test damages a copy of a published file in one way and checks that ingesting it is a
one-line error naming the file (and the sheet, row and column), with nothing stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from migralink.errors import FetchError
from migralink.sources.kosis_files import to_long_csv
from tests.conftest import CliResult, run_cli
from tests.sources.damage import REGISTERED, copy_as, one_line_error, rezip

MONTHLY_NATIONALITY = (
    "moj_stay_foreigners/moj_foreign_resident_monthly_nationality_2026-07-01.csv")


def refused(tmp_path: Path, file: Path, *fragments: str) -> str:
    """Ingest ``file`` into a new base; assert one line naming it and ``fragments``."""
    db = tmp_path / "db" / "ev.duckdb"
    db.parent.mkdir(exist_ok=True)
    result: CliResult = run_cli("ingest", str(file), "--db", str(db))
    message = one_line_error(result, file, fragments)
    listed = run_cli("datasets", "--db", str(db), "--format", "csv").stdout
    assert "moj_" not in listed, listed
    return message


def _seoul_total_as(cell: bytes) -> Callable[[str, bytes], bytes]:
    """An edit of the registered-foreigners workbook: Seoul's 총계 (B2) written as ``cell``."""
    def edit(name: str, data: bytes) -> bytes:
        old = b'<c r="B2" s="2"><v>283984</v></c>'
        if not name.endswith("sheet1.xml"):
            return data
        assert old in data
        return data.replace(old, cell)

    return edit


# -- a formula cell saved without its computed value ------------------------------------


def test_a_formula_without_a_computed_value_is_not_read_as_missing(
    shared: Path, tmp_path: Path
) -> None:
    # a workbook written by a script (openpyxl, pandas) or saved with manual calculation
    # holds the formula but no value: it read as a blank, and Seoul's 총계 of 283,984
    # landed as a missing value (status M) without a word
    copy = rezip(shared / REGISTERED, tmp_path / Path(REGISTERED).name,
                 _seoul_total_as(b'<c r="B2" s="2"><f>SUM(C2:AD2)</f></c>'))
    refused(tmp_path, copy, "formula", "sheet '데이터'", "row 2", "column 'B'")


def test_a_formula_with_its_computed_value_is_read(shared: Path, tmp_path: Path) -> None:
    # the value a spreadsheet program saved beside the formula is what a person sees
    copy = rezip(shared / REGISTERED, tmp_path / Path(REGISTERED).name,
                 _seoul_total_as(b'<c r="B2" s="2"><f>SUM(C2:AD2)</f><v>283984</v></c>'))
    db = tmp_path / "ev.duckdb"
    assert run_cli("ingest", str(copy), "--db", str(db)).exit_code == 0
    out = run_cli("query", "moj_registered_region_status", "--db", str(db), "--region", "11",
                  "--format", "csv").stdout
    assert "283984" in out.replace(",", ""), out


# -- a text file that is not valid in any encoding tried ---------------------------------


def test_a_broken_character_in_a_utf8_file_names_its_row(shared: Path, tmp_path: Path) -> None:
    # one flipped byte inside a Korean name (line 500, 브라질): the error said only "not
    # valid text in utf-8-sig or cp949" and advised re-saving, naming no row
    lines = (shared / MONTHLY_NATIONALITY).read_bytes().split(b"\n")
    damaged = bytearray(lines[499])
    assert damaged.startswith(b"2022,03,\xeb\xb8\x8c")
    damaged[9] ^= 0x40
    lines[499] = bytes(damaged)
    copy = copy_as(tmp_path, Path(MONTHLY_NATIONALITY).name, b"\n".join(lines))
    refused(tmp_path, copy, "row 500", "column '국적지역'", "utf-8")


def test_a_download_cut_inside_a_character_names_its_row(
    shared: Path, tmp_path: Path
) -> None:
    data = (shared / MONTHLY_NATIONALITY).read_bytes()
    cut = data[: data.rindex(b"\xec") + 1]  # the last line stops inside 미상's first byte
    copy = copy_as(tmp_path, Path(MONTHLY_NATIONALITY).name, cut)
    rows = cut.count(b"\n") + 1
    refused(tmp_path, copy, f"row {rows}", "cut off")


# -- a rejected label is named by its own column, not the value's ------------------------

MONTHLY_STATUS = "moj_stay_foreigners/approved_fileData_15100016_2026-06-23.csv"


def test_a_bad_month_is_named_by_the_month_column(shared: Path, tmp_path: Path) -> None:
    # the error and the quarantine named column '체류외국인수' (the count) for month 13
    lines = (shared / MONTHLY_STATUS).read_bytes().split(b"\n")
    assert lines[1].startswith(b"2022,01,")
    lines[1] = b"2022,13," + lines[1][len(b"2022,01,"):]
    copy = copy_as(tmp_path, Path(MONTHLY_STATUS).name, b"\n".join(lines))
    refused(tmp_path, copy, "row 2, column '월'", "'13' is not a month")
    quarantine = next((tmp_path / "db" / "quarantine").glob("*.csv")).read_text("utf-8")
    assert ",2,월,'13' is not a month" in quarantine, quarantine


def test_an_unknown_nationality_is_named_by_its_column(shared: Path, tmp_path: Path) -> None:
    data = (shared / MONTHLY_NATIONALITY).read_bytes()
    brazil = "2022,03,브라질,1679".encode()
    assert data.count(brazil) == 1
    copy = copy_as(tmp_path, Path(MONTHLY_NATIONALITY).name,
                   data.replace(brazil, b"2022,03,Brazil?,1679"))
    refused(tmp_path, copy, "row 500, column '국적지역'", "unknown nationality 'Brazil?'")


# -- a KOSIS answer whose rows lack a field the files need -------------------------------

PAYLOAD = Path(__file__).parent / "kosis_payloads" / "data_migration_annual.json"


@pytest.mark.parametrize("field", ["DT", "PRD_DE", "ITM_ID"])
def test_a_kosis_row_without_a_needed_field_is_refused(tmp_path: Path, field: str) -> None:
    # an answer whose value field is renamed (DATA_VALUE for DT) was written with an empty
    # DT column, and its 64 cells landed as missing values without a word
    rows = json.loads(PAYLOAD.read_text(encoding="utf-8"))
    rows[5] = {("RENAMED" if k == field else k): v for k, v in rows[5].items()}
    target = tmp_path / "kosis.csv"
    with pytest.raises(FetchError) as caught:
        to_long_csv(rows, target)
    assert f"row 6 of {len(rows)} has no {field}" in caught.value.title
    assert "RENAMED" in caught.value.title
    assert not target.exists()
    assert not list(tmp_path.iterdir())  # no half-written .part file either



# -- a text table far wider than any published one ---------------------------------------


def test_a_csv_with_more_cells_than_a_sheet_may_have_is_refused(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 10,000 columns added to the monthly status file (37 MB) took 0.9 GB to read; a
    # larger copy had the process killed. A limit of 20,000 cells stands for 12 million.
    from migralink.sources import grid

    monkeypatch.setattr(grid, "MAX_CELLS", 20_000)
    lines = (shared / MONTHLY_STATUS).read_bytes().split(b"\r\n")
    extra = 8
    wide = [lines[0] + b"".join(b",x%d" % i for i in range(extra))]
    wide += [line + b",0" * extra for line in lines[1:] if line]
    copy = copy_as(tmp_path, Path(MONTHLY_STATUS).name, b"\r\n".join(wide) + b"\r\n")
    row = 20_000 // (4 + extra) + 2  # the first data row past the limit (header = row 1)
    refused(tmp_path, copy, "more than 20,000 cells (12 columns)", f"row {row}")
    monkeypatch.setattr(grid, "MAX_CELLS", 1_000_000)  # the same file within the limit
    db = tmp_path / "ok.duckdb"
    assert run_cli("ingest", str(copy), "--db", str(db)).exit_code == 0


def test_an_error_cell_is_not_read_as_missing(shared: Path, tmp_path: Path) -> None:
    # '#REF!' (a formula whose source was deleted) read as a blank: Seoul's 총계 landed as
    # a missing value
    copy = rezip(shared / REGISTERED, tmp_path / Path(REGISTERED).name,
                 _seoul_total_as(b'<c r="B2" s="2" t="e"><f>SUM(#REF!)</f><v>#REF!</v></c>'))
    refused(tmp_path, copy, "error value '#REF!'", "sheet '데이터'", "row 2", "column 'B'")


# -- a file name that states another year than the mapping's constant --------------------

STATUS = "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv"


def test_an_upper_case_extension_still_states_the_period(shared: Path, tmp_path: Path) -> None:
    # `.CSV` did not fit the case-sensitive name pattern: the year in the name was ignored
    # and the mapping's constant (2024) used, so a 2025 file so named landed as 2024
    copy = copy_as(tmp_path, "moj_foreign_resident_status_2025_2026-06-14.CSV",
                   (shared / STATUS).read_bytes())
    db = tmp_path / "ev.duckdb"
    result = run_cli("ingest", str(copy), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert "does not state the period" not in result.stdout
    out = run_cli("query", "moj_stay_status", "--db", str(db), "--format", "csv").stdout
    assert out.splitlines()[1].startswith("2025,00,2650783"), out


def test_a_renamed_copy_naming_another_year_is_refused(shared: Path, tmp_path: Path) -> None:
    # the download date dropped from the name: the 2025 in it was ignored and the file
    # landed as the constant 2024, replacing that year's figures with a note only
    copy = copy_as(tmp_path, "moj_foreign_resident_status_2025.csv",
                   (shared / STATUS).read_bytes())
    refused(tmp_path, copy, "2025", "2024")


# -- a column the mapping reads, printed twice --------------------------------------------


def test_a_column_printed_twice_is_refused(shared: Path, tmp_path: Path) -> None:
    # a second 체류외국인수 column (a revision pasted beside the first) was read instead of
    # the first: every count landed as 0, the 2024-12 total 2,650,783 as 0
    lines = (shared / MONTHLY_STATUS).read_bytes().decode("utf-8-sig").split("\r\n")
    wide = [lines[0] + ",체류외국인수", *(line + ",0" for line in lines[1:] if line)]
    copy = copy_as(tmp_path, Path(MONTHLY_STATUS).name, "\r\n".join(wide).encode() + b"\r\n")
    refused(tmp_path, copy, "row 1, column '체류외국인수'", "columns D and E")


def test_a_broken_character_after_a_byte_order_mark_names_its_row(
    shared: Path, tmp_path: Path
) -> None:
    # saved as "CSV UTF-8" (with a BOM) and then damaged in 서귀포시 on line 4: the offset
    # the decoder gives counts from after the BOM, and the error named row 3
    jeju = "mois_foreign_residents/jeju_foreign_resident_status_district_2026-06-23.csv"
    lines = (shared / jeju).read_bytes().split(b"\n")
    damaged = bytearray(lines[3])
    assert damaged.startswith("서귀포시".encode())
    damaged[1] ^= 0x40  # the first character's second byte is no longer a continuation
    lines[3] = bytes(damaged)
    copy = copy_as(tmp_path, Path(jeju).name, b"\xef\xbb\xbf" + b"\n".join(lines))
    # offset 289 is where the broken character starts (its lead byte)
    refused(tmp_path, copy, "row 4, column '행정시'", "offset 289")

"""Damaged downloads that used to land (issue 8, items 5-11), on copies of the real files.

Each test breaks one thing in a copy of a published file and checks that ingesting it gives
a one-line error naming the file (and the row and column where there is one), with the
evidence base byte-identical, or, where nothing is wrong with the figures, a no-op.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from migralink.evidence import Evidence
from migralink.media import Checker
from tests.conftest import CliResult, run_cli
from tests.sources.damage import (
    JEJU,
    MOIS,
    MONTHLY_STATUS,
    POPULATION,
    REGISTERED,
    SEOUL,
    STATUS,
    UNDOCUMENTED,
    add_stray_cell,
    copy_as,
    fingerprint,
    latest_cells,
    one_line_error,
    rezip,
    set_cell,
    set_xls_number,
    total,
    versions,
    write_xlsx,
)

BUILT = (STATUS, MONTHLY_STATUS, UNDOCUMENTED, JEJU, REGISTERED)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    """An evidence base holding five real tables (built once)."""
    path = tmp_path_factory.mktemp("damaged") / "ev.duckdb"
    with Evidence(path) as ev:
        ev.ingest(shared / name for name in BUILT)
    return path


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built evidence base."""
    path = tmp_path / "db" / "ev.duckdb"
    path.parent.mkdir()
    shutil.copy(built, path)
    return path


def ingest(db: Path, file: Path, *options: str) -> CliResult:
    """Run ``migralink ingest`` on one file."""
    return run_cli("ingest", str(file), "--db", str(db), *options)


def refused(db: Path, file: Path, *fragments: str) -> str:
    """Ingest ``file``; assert a one-line error with ``fragments`` and an unchanged base."""
    before = fingerprint(db)
    message = one_line_error(ingest(db, file), file, fragments)
    assert fingerprint(db) == before, "a refused file must leave the base byte-identical"
    return message


def status_lines(shared: Path) -> list[str]:
    """The lines of the MOJ status file (CP949 on disk)."""
    return (shared / STATUS).read_bytes().decode("cp949").split("\n")


def cp949(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("cp949")


# -- 5. truncated downloads, short rows, line breaks inside a row ------------------------


def test_a_download_cut_at_a_line_is_refused_and_the_total_stays(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    assert total(db, "moj_stay_status", "2024") == 2_650_783
    cut = copy_as(tmp_path, Path(STATUS).name, cp949(status_lines(shared)[:300]) + b"\n")
    refused(db, cut, "would remove", "categories gone: nationality", "--allow-shrink")
    assert total(db, "moj_stay_status", "2024") == 2_650_783


def test_a_cut_file_lands_only_with_allow_shrink(db: Path, shared: Path, tmp_path: Path) -> None:
    cut = copy_as(tmp_path, Path(STATUS).name, cp949(status_lines(shared)[:300]) + b"\n")
    result = ingest(db, cut, "--allow-shrink")
    assert result.exit_code == 0, result.stderr
    assert "accepted with --allow-shrink" in result.stdout
    assert total(db, "moj_stay_status", "2024") < 2_650_783
    assert versions(db, "moj_stay_status") == 2


def test_a_figure_blanked_in_a_new_copy_is_refused(db: Path, shared: Path,
                                                   tmp_path: Path) -> None:
    # a damaged copy with one count turned into "-" landed as version 2, and end-2024
    # read 2,453,564 (status A, no note) instead of 2,650,783
    lines = status_lines(shared)
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[1]]))
    column = header.index("F4(재외동포)")
    assert int(row[column].replace(",", "")) > 0
    row[column] = "-"
    blanked = copy_as(tmp_path, Path(STATUS).name,
                      cp949([lines[0], ",".join(row), *lines[2:]]))
    refused(db, blanked, "would blank 1 figure(s) that version 1 holds", "residence_status=F-4",
            "--allow-shrink")
    assert total(db, "moj_stay_status", "2024") == 2_650_783
    result = ingest(db, blanked, "--allow-shrink")
    assert result.exit_code == 0, result.stderr
    assert "would blank 1 figure(s)" in " ".join(result.stdout.split())
    assert versions(db, "moj_stay_status") == 2


def test_a_download_cut_inside_the_last_number_is_refused(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    data = (shared / UNDOCUMENTED).read_bytes().rstrip(b"\r\n")
    assert data.endswith(b",20815")
    cut = copy_as(tmp_path, Path(UNDOCUMENTED).name, data[:-3])
    refused(db, cut, "ends inside a number", "20,815", "row 14", "column '기타'")


def test_a_first_download_cut_inside_the_last_number_is_refused(
    shared: Path, tmp_path: Path
) -> None:
    # with no version stored there is no figure to compare the end with: the 2022 total
    # landed as 392,536 instead of 411,270. The ministries' files end with a line break
    data = (shared / UNDOCUMENTED).read_bytes()
    assert data.endswith((b"\n", b"\r"))
    fresh = tmp_path / "fresh.duckdb"
    cut = copy_as(tmp_path, Path(UNDOCUMENTED).name, data.rstrip(b"\r\n")[:-3])
    result = ingest(fresh, cut)
    assert result.exit_code == 1
    assert "ends without a line break" in result.stderr
    assert "row 14" in result.stderr
    (tmp_path / "whole").mkdir()
    whole = copy_as(tmp_path / "whole", Path(UNDOCUMENTED).name, data)
    assert ingest(fresh, whole).exit_code == 0  # the same file, whole, lands


def test_a_download_cut_inside_a_row_names_the_row(db: Path, shared: Path, tmp_path: Path) -> None:
    data = (shared / STATUS).read_bytes()
    cut = copy_as(tmp_path, Path(STATUS).name, data[:20_000])
    line = data[:20_000].count(b"\n") + 1
    refused(db, cut, f"row {line}", "do not have the header's 41 cells")


def test_a_short_row_is_not_padded_with_missing_values(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    lines = status_lines(shared)
    lines[10] = lines[10].rsplit(",", 1)[0]  # the row loses its last cell
    refused(db, copy_as(tmp_path, Path(STATUS).name, cp949(lines)), "row 11", "40 cell(s)")


def test_a_line_break_inside_a_row_invents_no_period(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    lines = (shared / MONTHLY_STATUS).read_text(encoding="utf-8").split("\n")
    lines[40] = lines[40][:-2] + "\n" + lines[40][-2:]  # 2022,03,...,1234 → …12 / 34
    broken = copy_as(tmp_path, Path(MONTHLY_STATUS).name, "\n".join(lines).encode())
    refused(db, broken, "row 42", "row 42: 1 cell(s)")
    periods = {k[0] for k in latest_cells(db, "moj_stay_monthly_status")}
    assert all(p.startswith(("2022", "2023", "2024", "2025", "2026")) for p in periods)


# -- 6. expected columns: misspelt, deleted ----------------------------------------------


def test_a_misspelt_header_is_named_with_its_look_alike(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    text = (shared / JEJU).read_text(encoding="utf-8").replace("외국국적동포", "외국국적 동포")
    message = refused(db, copy_as(tmp_path, Path(JEJU).name, text.encode()),
                      "lacks column(s) '외국국적동포'", "'외국국적 동포' instead")
    assert "row 1" in message


def test_a_deleted_last_column_is_named(db: Path, shared: Path, tmp_path: Path) -> None:
    lines = [",".join(line.split(",")[:-1]) if line else line for line in status_lines(shared)]
    refused(db, copy_as(tmp_path, Path(STATUS).name, cp949(lines)), "lacks column(s) '기타'")


def test_a_deleted_column_of_a_repeated_block_is_named(shared: Path, tmp_path: Path) -> None:
    rows = list(csv.reader((shared / POPULATION).read_text(encoding="cp949").splitlines()))
    drop = rows[0].index("2015년_여_총인구수")
    kept = [[c for i, c in enumerate(r) if i != drop] for r in rows]
    copy = tmp_path / Path(POPULATION).name
    with copy.open("w", encoding="cp949", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)
    result = ingest(tmp_path / "fresh.duckdb", copy)
    assert result.exit_code == 1
    assert "lacks column(s) '2015년_여_총인구수'" in result.stderr


# -- 7 and 10. strict counts, quarantined with their cell, in CSV and xlsx ---------------


def test_a_total_short_of_rejected_rows_says_so(shared: Path, tmp_path: Path) -> None:
    # 2011's B-1 count made negative and landed with --allow-rejects: the 2011 total
    # came back as 151,688 (published 167,780) with status A and no word, and a claim
    # of "15만" was ruled accurate against it
    text = (shared / UNDOCUMENTED).read_bytes().decode("cp949")
    lines = text.splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("2011,"))
    lines[row] = lines[row].replace("2011,16092,", "2011,-16092,", 1)
    assert "-16092" in lines[row]
    fresh = tmp_path / "fresh.duckdb"
    copy = copy_as(tmp_path, Path(UNDOCUMENTED).name, "".join(lines).encode("cp949"))
    assert ingest(fresh, copy, "--allow-rejects").exit_code == 0
    result = run_cli("query", "moj_undocumented", "--db", str(fresh), "--period", "2011",
                     "--format", "csv")
    assert result.exit_code == 0
    assert "1 row(s) of this version's source were rejected at ingest" in result.stderr
    with Evidence(fresh, read_only=True) as ev:
        assert ev.query("moj_undocumented", period="2011").incomplete
        rulings = Checker(ev).check_text("2011년 불법체류자는 15만 명이다.")
    assert rulings
    assert all(r.verdict not in ("accurate", "roughly_accurate") for r in rulings)
    whole = tmp_path / "whole.duckdb"
    (tmp_path / "w").mkdir()
    assert ingest(whole, copy_as(tmp_path / "w", Path(UNDOCUMENTED).name,
                                 (shared / UNDOCUMENTED).read_bytes())).exit_code == 0
    with Evidence(whole, read_only=True) as ev:
        assert not ev.query("moj_undocumented", period="2011").incomplete


@pytest.mark.parametrize("bad", ["12,5", "１２", "1_000", "1e3", "-5", "12.5"])
def test_a_bad_count_in_a_csv_is_quarantined_with_its_cell(
    db: Path, shared: Path, tmp_path: Path, bad: str
) -> None:
    lines = status_lines(shared)
    cells = next(csv.reader([lines[1]]))
    assert cells[6] == "18"
    cells[6] = bad
    text = ",".join(f'"{c}"' if "," in c else c for c in cells)
    copy = copy_as(tmp_path, Path(STATUS).name, cp949([lines[0], text, *lines[2:]]))
    refused(db, copy, f"{bad!r} is not a count", "row 2", "column 'B2(관광통과)'")
    quarantine = sorted((db.parent / "quarantine").glob("*.csv"))
    with quarantine[-1].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["column"]) for r in rows] == [("2", "B2(관광통과)")]


@pytest.mark.parametrize("bad", ["-5", "12.5"])
def test_a_bad_count_in_a_workbook_is_quarantined_not_a_broken_total(
    db: Path, shared: Path, tmp_path: Path, bad: str
) -> None:
    copy = rezip(shared / REGISTERED, tmp_path / Path(REGISTERED).name,
                 set_cell("xl/worksheets/sheet1.xml", "C3", bad))
    message = refused(db, copy, f"{bad!r} is not a count", "sheet '데이터'", "row 3",
                      "column '문화예술(D-1)'")
    assert "sum of their parts" not in message
    quarantine = sorted((db.parent / "quarantine").glob("*.csv"))
    with quarantine[-1].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["sheet"], r["row"], r["column"]) for r in rows] == [
        ("데이터", "3", "문화예술(D-1)")]


@pytest.mark.parametrize("bad", [-5.0, 12.5])
def test_a_bad_count_in_an_xls_is_quarantined_not_a_broken_total(
    shared: Path, tmp_path: Path, bad: float
) -> None:
    db = tmp_path / "db" / "ev.duckdb"
    db.parent.mkdir()
    assert ingest(db, shared / SEOUL).exit_code == 0
    # sheet row 5 (종로구), column J (등록외국인 계): a part of two published totals
    copy = copy_as(tmp_path, Path(SEOUL).name,
                   set_xls_number((shared / SEOUL).read_bytes(), 4, 9, bad))
    text = f"{bad:g}"
    message = refused(db, copy, f"{text!r} is not a count", "sheet 'YainSoft_Excel1'",
                      "row 5", "column '인구|등록외국인|계'")
    assert "sum of their parts" not in message


# -- 8. periods from the file, checked ---------------------------------------------------


def test_a_file_named_for_the_next_year_does_not_overwrite_this_year(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    lines = status_lines(shared)
    lines[1] = lines[1].replace(",18,0,1892,", ",19,0,1892,")  # one revised cell
    named = copy_as(tmp_path, "moj_foreign_resident_status_2025_2026-06-14.csv", cp949(lines))
    result = ingest(db, named)
    assert result.exit_code == 0, result.stderr
    cells = latest_cells(db, "moj_stay_status")
    assert {k[0] for k in cells} == {"2024", "2025"}
    assert total(db, "moj_stay_status", "2024") == 2_650_783
    assert total(db, "moj_stay_status", "2025") == 2_650_784


def test_a_copy_renamed_for_another_year_is_refused(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    text = "\n".join(status_lines(shared)).encode("utf-8")  # other bytes, same cells
    named = copy_as(tmp_path, "moj_foreign_resident_status_2025_2026-06-14.csv", text)
    refused(db, named, "period 2025 repeats the stored period 2024 cell for cell")


def test_an_implausible_period_in_a_column_is_quarantined(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    lines = (shared / MONTHLY_STATUS).read_text(encoding="utf-8").split("\n")
    assert lines[40].startswith("2022,")
    lines[40] = "0337" + lines[40][4:]
    copy = copy_as(tmp_path, Path(MONTHLY_STATUS).name, "\n".join(lines).encode())
    refused(db, copy, "period '0337-02' is before 1900", "row 41")


def test_a_period_in_the_future_is_refused(db: Path, shared: Path, tmp_path: Path) -> None:
    named = copy_as(tmp_path, "moj_foreign_resident_status_2099_2026-06-14.csv",
                    (shared / STATUS).read_bytes())
    refused(db, named, "period '2099'", "in the future")


def test_a_period_after_the_download_date_is_refused(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    named = copy_as(tmp_path, "moj_foreign_resident_status_2025_2025-06-14.csv",
                    (shared / STATUS).read_bytes())
    refused(db, named, "after the download date 2025-06-14")


# -- 9. no traceback, bounded memory -----------------------------------------------------


def test_a_header_only_csv(db: Path, shared: Path, tmp_path: Path) -> None:
    header = (shared / STATUS).read_bytes().split(b"\n")[0] + b"\n"
    refused(db, copy_as(tmp_path, Path(STATUS).name, header), "a header but no data rows")


def test_a_cell_over_the_csv_field_limit(db: Path, shared: Path, tmp_path: Path) -> None:
    # a count of row 2 grows past the csv module's field limit; the row keeps its width.
    # The answer is a one-line error naming the file, never a traceback or a landed version.
    raw = (shared / STATUS).read_bytes()
    row2 = raw.index(b"\n") + 1
    cell = raw.index(b",0,0,0,18,", row2) + len(b",0,0,0,")
    data = raw[:cell] + b"1" * 131_073 + raw[cell + 2:]
    file = copy_as(tmp_path, Path(STATUS).name, data)
    # the csv module's limit is process-global (frictionless raises it on import): with
    # the default limit the csv module meets the cell first, with a raised one our bound
    previous = csv.field_size_limit(131_072)
    try:
        refused(db, file, "row 2", "field limit")
        csv.field_size_limit(2**31 - 1)
        refused(db, file, "row 2", "131,073 characters")
    finally:
        csv.field_size_limit(previous)


def test_a_huge_cell_under_the_csv_field_limit_names_its_column(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    raw = (shared / STATUS).read_bytes()
    row2 = raw.index(b"\n") + 1
    cell = raw.index(b",0,0,0,18,", row2) + len(b",0,0,0,")
    column = raw[row2:cell].count(b",") + 1  # 1-based column of the grown cell
    data = raw[:cell] + b"1" * 120_000 + raw[cell + 2:]
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    refused(db, copy_as(tmp_path, Path(STATUS).name, data), "row 2", f"column '{letters}'",
            "120,000 characters")


def test_a_stray_cell_at_the_last_position_of_a_sheet(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    copy = rezip(shared / REGISTERED, tmp_path / Path(REGISTERED).name, add_stray_cell)
    refused(db, copy, "reaches XFD1048576", "sheet '데이터'", "row 1048576", "column 'XFD'")


@pytest.mark.parametrize(
    "stray",
    [
        b'<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>',  # no cell reference
        b'<row r="40"><c r="AB1048576"><v>1</v></c></row>',  # a cell far below its row tag
        b'<row spans="1:2" r="900000"><c r="B900000"><v>1</v></c></row>',  # attributes reordered
    ],
)
def test_stray_cells_are_found_however_they_are_written(
    db: Path, shared: Path, tmp_path: Path, stray: bytes
) -> None:
    def edit(name: str, data: bytes) -> bytes:
        return data.replace(b"</sheetData>", stray + b"</sheetData>")

    copy = rezip(shared / REGISTERED, tmp_path / Path(REGISTERED).name, edit)
    refused(db, copy, "the sheet's used range reaches", "more than the 12,000,000")


def test_a_shared_string_table_too_large_to_hold_is_refused(
    db: Path, shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migralink.sources import workbook

    # the real table's strings unpack to 2,261 bytes: a limit of 1 KB stands for a zip bomb
    monkeypatch.setattr(workbook, "MAX_STRINGS_BYTES", 1_000)
    copy = copy_as(tmp_path, Path(REGISTERED).name, (shared / REGISTERED).read_bytes())
    refused(db, copy, "xl/sharedStrings.xml unpacks to more than 1,000 bytes")


@pytest.mark.parametrize("name", [REGISTERED, SEOUL])
def test_a_truncated_or_garbled_workbook(
    db: Path, shared: Path, tmp_path: Path, name: str
) -> None:
    data = (shared / name).read_bytes()
    refused(db, copy_as(tmp_path, Path(name).name, data[: len(data) // 2]))
    garbled = bytearray(data)
    garbled[len(data) // 3 : len(data) // 3 + 64] = b"\xff" * 64
    path = copy_as(tmp_path, "g-" + Path(name).name, bytes(garbled))
    result = ingest(db, path, "--mapping", str(_mapping_of(name)))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (0, 1)
    assert len(result.stderr.strip().splitlines()) <= 1


def test_a_flipped_bit_inside_a_compressed_part_is_a_one_line_error(
    db: Path, shared: Path, tmp_path: Path
) -> None:
    # byte 7500 XOR 0x10 of the 2018 workbook ended in a zlib.error traceback (a deflated
    # stream that no longer inflates), where a flip elsewhere gave the one-line error
    data = (shared / REGISTERED).read_bytes()
    offsets = [7_500, 11_000, *range(1_000, len(data), len(data) // 10)]
    for offset in offsets:
        flipped = bytearray(data)
        flipped[offset] ^= 0x10
        path = copy_as(tmp_path, f"f{offset}-" + Path(REGISTERED).name, bytes(flipped))
        result = ingest(db, path, "--mapping", str(_mapping_of(REGISTERED)))
        assert result.exit_code in (0, 1), offset
        assert len(result.stderr.strip().splitlines()) <= 1, (offset, result.stderr)


def _mapping_of(name: str) -> Path:
    folder = Path(__file__).resolve().parents[2] / "src/migralink/sources/mappings"
    return folder / ("moj_registered_region_status.toml" if name == REGISTERED
                     else "seoul_population_by_district.toml")


def test_a_large_workbook_reads_as_its_csv(shared: Path, tmp_path: Path) -> None:
    """The 7,000 real MOIS rows, twice over in an xlsx (about 310,000 cells), land as exactly
    the observations of the CSV (the repeat is an identical duplicate)."""
    db = tmp_path / "ev.duckdb"
    assert ingest(db, shared / MOIS).exit_code == 0
    with (shared / MOIS).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    body = [[int(c) if c.isdigit() and i > 4 else c for i, c in enumerate(r)] for r in rows[1:]]
    book = write_xlsx(tmp_path / "mois.xlsx", [rows[0], *body, *body])
    mapping = tmp_path / "mois_xlsx.toml"
    folder = Path(__file__).resolve().parents[2] / "src/migralink/sources/mappings"
    text = (folder / "mois_foreign_residents_sigungu.toml").read_text(encoding="utf-8")
    mapping.write_text(text.replace('format = "csv"', 'format = "xlsx"\nsheet = "data"'),
                       encoding="utf-8")
    before = fingerprint(db)
    result = ingest(db, book, "--mapping", str(mapping))
    assert result.exit_code == 0, result.stderr
    assert "same observations as" in result.stdout
    assert fingerprint(db) == before


# -- 11. files recognised by their content -----------------------------------------------


@pytest.mark.parametrize(
    ("source", "name"),
    [
        (STATUS, "renamed.csv"),
        (STATUS, "moj_foreign_resident_status_2024_2026-06-14 (1).csv"),
        (JEJU, "renamed.csv"),
        (MONTHLY_STATUS, "approved_fileData_15100016_2026-06-23 (2).csv"),
        (REGISTERED, "renamed.xlsx"),
    ],
)
def test_a_renamed_download_is_recognised_by_its_header(
    db: Path, shared: Path, tmp_path: Path, source: str, name: str
) -> None:
    before = fingerprint(db)
    result = ingest(db, copy_as(tmp_path, name, (shared / source).read_bytes()))
    assert result.exit_code == 0, result.stderr
    assert "unchanged" in result.stdout
    assert fingerprint(db) == before


def test_a_renamed_copy_of_a_dated_file_lands_with_a_note(shared: Path, tmp_path: Path) -> None:
    result = ingest(tmp_path / "fresh.duckdb",
                    copy_as(tmp_path, "renamed.csv", (shared / STATUS).read_bytes()))
    assert result.exit_code == 0, result.stderr
    assert "does not state the period: 2024 is the mapping's [period] constant" in result.stdout


def test_a_renamed_file_whose_header_fits_unrelated_mappings_says_so(
    db: Path, tmp_path: Path
) -> None:
    both = "구분,국적,인원수(명),비율(퍼센트)\n외국인근로자,중국,10,1.0\n".encode()
    refused(db, copy_as(tmp_path, "renamed.csv", both), "its header fits several",
            "chungnam_foreign_residents_nationality", "chungnam_foreign_residents_type")


def test_a_file_that_fits_no_mapping_says_so(db: Path, tmp_path: Path) -> None:
    refused(db, copy_as(tmp_path, "renamed.csv", b"a,b\n1,2\n"),
            "no built-in mapping recognises this file, by name or by its header")

"""Benchmark: peak memory and time of ingesting the largest files, against a plain read.

Usage::

    python bench/ingest.py [--shared ../shared/data] [--megabytes 25]

Cases, each run in a process of its own (so that its peak memory, ``ru_maxrss``, is its
own, imports included):

* **largest real file**: the MOIS 외국인주민 sigungu CSV (1.8 MB, 7,000 rows, two datasets)
  ingested into a fresh evidence base by ``migralink ingest`` (reading, checks,
  validation, catalogue write); baseline: ``polars.read_csv`` of the same file;
* **a 25 MB xlsx** (``--megabytes``), written in a temporary folder from the real rows of
  that file repeated until the workbook reaches the size (numbers as numbers), ingested
  with the built-in mapping switched to xlsx; each repeat is an identical duplicate that
  the validator keeps once, so it lands as the same observations; baseline: calamine
  (``python_calamine``) reading the sheet into Python lists, which is what a naive reader
  holds;
* **an 8 MB xlsx** of the real 연령별 population rows repeated (1.4 M cells, integers but
  for the area names), the same way, read with the built-in population_sigungu mapping;
* **a stray cell** at ``XFD1048576`` in the real KOSIS workbook: the ingest must refuse it
  at once, without allocating (calamine alone would ask for 512 GB).

The memory target is at most 1 GB for the 25 MB workbook; every case must end without a
crash (a refusal is a one-line error). Figures depend on the machine's load; the
baseline runs in the same invocation.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

MOIS = "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv"
POPULATION = "population/201312_201512_연령별인구현황_연간.csv"
REGISTERED = "moj_registered_foreigners/2018 지역_및_체류자격별_등록외국인_현황.xlsx"
TARGET_MB = 1024  # the target: at most 1 GB for the 25 MB workbook


# -- child processes ---------------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(args: list[str]) -> dict[str, object]:
    kind, file = args[0], Path(args[1])
    started = time.perf_counter()
    detail = ""
    if kind == "polars":
        import polars as pl

        detail = f"{pl.read_csv(file, infer_schema_length=0).height:,} rows"
    elif kind == "calamine":
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(file)).get_sheet_by_index(0).to_python()
        detail = f"{sum(len(r) for r in rows):,} cells"
    else:
        from migralink.errors import MigralinkError
        from migralink.evidence import Evidence

        mapping = Path(args[2]) if len(args) > 2 and args[2] else None
        try:
            with Evidence(Path(args[3])) as ev:
                results = ev.ingest([file], mapping=mapping)
            detail = "; ".join(f"{r.dataset_id} v{r.version}: {r.observations:,} obs"
                               for r in results)
        except MigralinkError as exc:
            detail = f"refused: {str(exc)[:160]}"
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "detail": detail}


def _measure(*args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"),
                "detail": f"CRASHED (exit {done.returncode}): {done.stderr[-300:]}"}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- workbooks from real rows ------------------------------------------------------------


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def write_xlsx(path: Path, sheet: str, rows: Iterable[Sequence[object]]) -> None:
    """A minimal xlsx (one sheet, inline strings), streamed row by row."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.'
        'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="'
        f'{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                      b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
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


def _typed(cell: str) -> object:
    text = cell.replace(",", "")
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"-?[0-9]*\.[0-9]+", text):
        return float(text)
    return cell


def _repeated(header: list[str], body: list[list[object]], repeats: int) -> Iterator[
        Sequence[object]]:
    yield header
    for _ in range(repeats):
        yield from body


def _workbook_of(source: Path, encoding: str, target: Path, megabytes: float,
                 keep: int | None = None) -> tuple[int, int]:
    """Write ``target`` from ``source``'s rows repeated to about ``megabytes``."""
    with source.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0][:keep] if keep else rows[0]
    body = [[_typed(c) if i else c for i, c in enumerate(r[:keep] if keep else r)]
            for r in rows[1:]]
    probe = target.with_suffix(".probe.xlsx")
    write_xlsx(probe, "data", _repeated(header, body, 1))
    repeats = max(1, round(megabytes * 1e6 / probe.stat().st_size))
    probe.unlink()
    write_xlsx(target, "data", _repeated(header, body, repeats))
    return repeats, repeats * len(body) * len(header)


def _xlsx_mapping(builtin: str, folder: Path) -> Path:
    from importlib import resources

    text = (resources.files("migralink.sources") / "mappings" / builtin).read_text("utf-8")
    text = re.sub(r'format = "csv"\n(encoding = "[^"]*"\n)?', 'format = "xlsx"\nsheet = "data"\n',
                  text)
    text = re.sub(r'filename = \[.*\]', 'filename = ["*.xlsx"]', text)
    path = folder / builtin
    path.write_text(text, encoding="utf-8")
    return path


def _stray(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" '
                                    b't="inlineStr"><is><t>x</t></is></c></row></sheetData>')
            new.writestr(item, data)


# -- the run -----------------------------------------------------------------------------


def _line(case: str, method: str, result: dict[str, object]) -> str:
    seconds, peak = result["seconds"], result["peak_mb"]
    assert isinstance(seconds, float)
    assert isinstance(peak, float)
    return f"  {case:<34} {method:<22} {seconds:8.2f} s {peak:9.0f} MB   {result['detail']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--megabytes", type=float, default=25.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="migralink-bench-ingest-"))
    try:
        _run(args.shared, args.megabytes, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(shared: Path, megabytes: float, folder: Path) -> None:
    mois = shared / MOIS
    big = folder / "mois_repeated.xlsx"
    started = time.perf_counter()
    repeats, cells = _workbook_of(mois, "utf-8", big, megabytes)
    print(f"{big.name}: {big.stat().st_size / 1e6:.1f} MB, {cells:,} cells ({repeats} copies "
          f"of the real rows), written in {time.perf_counter() - started:.1f} s")
    ints = folder / "population_repeated.xlsx"
    _, int_cells = _workbook_of(shared / POPULATION, "cp949", ints, megabytes / 3)
    print(f"{ints.name}: {ints.stat().st_size / 1e6:.1f} MB, {int_cells:,} cells")
    stray = folder / Path(REGISTERED).name
    _stray(shared / REGISTERED, stray)
    mois_map = _xlsx_mapping("mois_foreign_residents_sigungu.toml", folder)
    pop_map = _xlsx_mapping("population_sigungu.toml", folder)
    cases = [
        ("largest real file (1.8 MB CSV)", "migralink ingest", ("ingest", str(mois), "")),
        ("largest real file (1.8 MB CSV)", "polars.read_csv", ("polars", str(mois))),
        (f"{big.stat().st_size / 1e6:.0f} MB xlsx", "migralink ingest",
         ("ingest", str(big), str(mois_map))),
        (f"{big.stat().st_size / 1e6:.0f} MB xlsx", "calamine to_python", ("calamine", str(big))),
        (f"{ints.stat().st_size / 1e6:.0f} MB xlsx ({int_cells / 1e6:.1f} M cells)",
         "migralink ingest",
         ("ingest", str(ints), str(pop_map))),
        (f"{ints.stat().st_size / 1e6:.0f} MB xlsx ({int_cells / 1e6:.1f} M cells)",
         "calamine to_python",
         ("calamine", str(ints))),
        ("stray cell at XFD1048576", "migralink ingest", ("ingest", str(stray), "")),
    ]
    print(f"\n  {'case':<34} {'method':<22} {'time':>10} {'peak RSS':>12}")
    measured = {}
    for number, (case, method, child) in enumerate(cases):
        extra = (str(folder / f"ev{number}.duckdb"),) if child[0] == "ingest" else ()
        result = _measure(*child, *extra)
        measured[(case, method)] = result
        print(_line(case, method, result), flush=True)
    xlsx = f"{big.stat().st_size / 1e6:.0f} MB xlsx"
    ours, theirs = measured[(xlsx, "migralink ingest")], measured[(xlsx, "calamine to_python")]
    peak, base = ours["peak_mb"], theirs["peak_mb"]
    assert isinstance(peak, float)
    assert isinstance(base, float)
    verdict = "met" if peak <= TARGET_MB else "NOT met"
    print(f"\n{xlsx}: migralink peaks at {peak:.0f} MB against calamine's {base:.0f} MB "
          f"({peak / base:.2f}x); target ≤ {TARGET_MB} MB {verdict}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2:])))
    else:
        main()

"""Bad or too-small linkage inputs and unsafe outputs: one-line errors, never a silent
wrong result (empty ids, unchecked dates, an output over an input, half-written outputs).

Inputs are derived at test time from the seeded synthetic registers (the tester's files were
made the same way) and from the official name examples in ../shared/data/names.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from migralink.errors import InputError, MigralinkError
from migralink.linkage import Comparison, LinkageSpec, default_spec, name_keys, prepare
from migralink.linkage.keys import key_columns_of
from migralink.linkage.name_gold import gold_pairs
from migralink.linkage.outputs import output_paths, write_all
from migralink.linkage.synthetic import SyntheticRegisters
from tests.conftest import run_cli


@pytest.fixture
def files(registers: SyntheticRegisters, tmp_path: Path) -> dict[str, Path]:
    """The two registers as CSV (ISO dates, as a register exports them) and the shipped spec."""
    out = {}
    for name in ("immigration", "employment"):
        path = tmp_path / f"{name}.csv"
        registers.registers[name].head(400).drop("person_id").write_csv(path)
        out[name] = path
    out["spec"] = tmp_path / "spec.json"
    out["spec"].write_text(default_spec().to_json(), "utf-8")
    return out


def link(files: dict[str, Path], right: Path, out: Path, spec: Path | None = None) -> list[str]:
    """Run ``migralink link`` expecting failure; return its stderr lines."""
    result = run_cli("link", str(files["immigration"]), str(right), "--spec",
                     str(spec or files["spec"]), "-o", str(out))
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    return lines


def with_cell(path: Path, column: str, rows: dict[int, str | None], to: Path) -> Path:
    """A copy of a CSV with some cells replaced (``rows``: 0-based record -> value)."""
    frame = pl.read_csv(path, infer_schema=False)
    values = frame[column].to_list()
    for i, v in rows.items():
        values[i] = v
    frame.with_columns(pl.Series(column, values, dtype=pl.String)).write_csv(to)
    return to


def test_an_empty_id_names_file_row_and_column(files: dict[str, Path], tmp_path: Path) -> None:
    one = with_cell(files["employment"], "rec_id", {2: None}, tmp_path / "emp_nullid.csv")
    (line,) = link(files, one, tmp_path / "o.csv")
    assert f"file {one}, row 4, column 'rec_id'" in line
    assert "id is empty" in line
    two = with_cell(files["employment"], "rec_id", {2: None, 9: " "}, tmp_path / "emp_2.csv")
    (line,) = link(files, two, tmp_path / "o.csv")
    assert "row 4" in line
    assert "2 rows have none" in line
    assert "None" not in line
    assert not list(tmp_path.glob("o*"))


def test_dates_in_another_format_or_impossible_are_refused(
        files: dict[str, Path], tmp_path: Path) -> None:
    emp = pl.read_csv(files["employment"], infer_schema=False)
    first = emp["dob"].drop_nulls()[0]
    i = emp["dob"].to_list().index(first)
    y, m, d = first.split("-")
    dmy = with_cell(files["employment"], "dob", {i: f"{d}/{m}/{y}"}, tmp_path / "emp_dmy.csv")
    (line,) = link(files, dmy, tmp_path / "o.csv")
    assert f"row {i + 2}, column 'dob'" in line
    assert f"'{d}/{m}/{y}' is not a valid date in the format YYYY-MM-DD" in line
    assert "date_formats" in line
    bad = with_cell(files["employment"], "dob", {i: "2001-02-30", i + 1: "not a date"},
                    tmp_path / "emp_baddate.csv")
    (line,) = link(files, bad, tmp_path / "o.csv")
    assert "'2001-02-30' is not a valid date" in line
    assert "(2 values cannot be read)" in line


def test_date_formats_of_the_spec_are_parsed_explicitly(registers: SyntheticRegisters) -> None:
    emp = registers.registers["employment"].head(400).drop("person_id")
    iso = emp["dob"].dt.strftime("%Y-%m-%d")
    # every third date as DD/MM/YYYY, the way the tester's mixed file was written
    mixed = emp.with_columns(pl.Series("dob", [
        None if v is None else (f"{v[8:]}/{v[5:7]}/{v[:4]}" if k % 3 == 0 else v)
        for k, v in enumerate(iso.to_list())], dtype=pl.String))
    spec = default_spec()
    two = replace(spec, comparisons=tuple(
        replace(c, date_formats=("%Y-%m-%d", "%d/%m/%Y")) if c.kind == "date" else c
        for c in spec.comparisons))
    assert prepare(mixed, two)["dob"].to_list() == iso.to_list()
    assert LinkageSpec.from_json(two.to_json()) == two
    with pytest.raises(InputError, match="not a valid date in the format YYYY-MM-DD"):
        prepare(mixed, spec)
    confusable = replace(spec, comparisons=tuple(
        replace(c, date_formats=("%d/%m/%Y", "%m/%d/%Y")) if c.kind == "date" else c
        for c in spec.comparisons))
    early = mixed.filter(pl.col("dob").str.contains(r"^(0[1-9]|1[0-2])/"))
    with pytest.raises(InputError, match="reads as different dates"):
        prepare(early, confusable)
    with pytest.raises(MigralinkError, match="date_formats apply to date comparisons"):
        Comparison("sex", date_formats=("%Y",))


def test_an_output_over_an_input_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    before = files["employment"].read_bytes()
    (line,) = link(files, files["employment"], files["employment"])
    assert "is the input" in line
    assert files["employment"].read_bytes() == before
    # the same file through another spelling of its path
    other = tmp_path / "sub" / ".." / "employment.csv"
    (tmp_path / "sub").mkdir()
    (line,) = link(files, files["employment"], other)
    assert "is the input" in line
    assert files["employment"].read_bytes() == before
    # the spec is an input too: links.csv writes links.report.json beside it
    spec = tmp_path / "links.report.json"
    spec.write_bytes(files["spec"].read_bytes())
    (line,) = link(files, files["employment"], tmp_path / "links.csv", spec)
    assert "is the input" in line
    assert spec.read_bytes() == files["spec"].read_bytes()


def test_an_output_that_is_a_folder_fails_before_any_file_is_written(
        files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out" / "links.csv"
    output_paths(out).clerical.mkdir(parents=True)
    (line,) = link(files, files["employment"], out)
    assert "links.clerical.csv is a folder" in line
    assert sorted(p.name for p in out.parent.iterdir()) == ["links.clerical.csv"]


def test_outputs_are_written_all_or_none(registers: SyntheticRegisters, tmp_path: Path) -> None:
    paths = output_paths(tmp_path / "links.parquet")
    frame = registers.registers["employment"].head(50)
    for p in (paths.links, paths.clusters):
        p.write_text("previous run", "utf-8")
    paths.clerical.mkdir()  # appears after the check, before the move: the move must fail

    def report(tmp: Path) -> None:
        tmp.write_text(json.dumps({"links": frame.height}), "utf-8")

    with pytest.raises(MigralinkError, match=r"cannot write .*links\.clerical\.csv.*no output "
                                             "was changed") as caught:
        write_all({paths.links: lambda t: frame.write_parquet(t),
                   paths.clusters: lambda t: frame.write_parquet(t),
                   paths.report: report, paths.clerical: lambda t: frame.write_csv(t)})
    assert "\n" not in str(caught.value)
    assert paths.links.read_text("utf-8") == paths.clusters.read_text("utf-8") == "previous run"
    assert not paths.report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (paths.links, paths.clusters, paths.clerical))
    paths.clerical.rmdir()
    write_all({paths.links: lambda t: frame.write_parquet(t), paths.report: report})
    assert pl.read_parquet(paths.links).equals(frame)
    assert json.loads(paths.report.read_text("utf-8")) == {"links": 50}
    assert not list(tmp_path.glob("*.tmp*"))


def test_too_small_inputs_say_what_is_needed(files: dict[str, Path], tmp_path: Path) -> None:
    header = tmp_path / "emp_header_only.csv"
    pl.read_csv(files["employment"], infer_schema=False).head(0).write_csv(header)
    (line,) = link(files, header, tmp_path / "o.csv")
    assert f"{header}: has no records" in line
    spec = tmp_path / "dedupe.json"
    spec.write_text(replace(default_spec(), one_to_one=False, link_type="dedupe_only")
                    .to_json(), "utf-8")
    one = tmp_path / "ded_one.csv"
    pl.read_csv(files["immigration"], infer_schema=False).head(1).write_csv(one)
    for src, says in ((one, "has one record, and deduplication needs at least two"),
                      (header, "has no records")):
        result = run_cli("dedupe", str(src), "--spec", str(spec), "-o", str(tmp_path / "d.csv"))
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert says in result.stderr


def test_full_width_latin_names_get_the_keys_of_plain_letters(shared: Path) -> None:
    latin = [p.latin for p in gold_pairs(shared / "names") if p.latin.isascii()][:60]
    assert len(latin) >= 30

    def wide(text: str) -> str:  # ＡＢＣ and the ideographic space, as some forms print them
        return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~"
                       else c for c in text)

    for name in latin:
        assert name_keys(wide(name)) == name_keys(name), name
    keys = key_columns_of(pl.Series([wide(n) for n in latin]), None, "full_name")
    assert keys["full_name__skey"].null_count() == 0

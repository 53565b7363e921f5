"""The damaged copies that :mod:`tests.sources.test_fuzz` ingests: seeded mutations of real
text tables, workbooks and BIFF files, each with the rows and cells its damage touched (the
oracle allows changes there and nowhere else)."""

from __future__ import annotations

import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from migralink.sources import choose_mappings, read_table
from tests.sources.damage import (
    add_stray_cell,
    rezip,
    set_cell,
    set_xls_number,
    xls_numbers,
)

BAD_NUMBERS = ("12,5", "１２", "1_000", "1e3", "-5", "12.5", "abc", "0x10", "1 000")

Cells = dict[tuple[str, ...], float | None]


@dataclass
class Mutation:
    """One damaged copy, and what the damage touched."""

    kind: str
    data: bytes
    name: str
    rows: set[int] = field(default_factory=set)  # source rows whose cells may change
    cells: dict[tuple[int, str], float | None] = field(default_factory=dict)  # exact edits
    row_in_error: tuple[int, ...] = ()  # an error must name one of these rows


@dataclass
class Original:
    """A real file with where each of its cells landed."""

    path: Path
    encoding: str | None
    keys: dict[tuple[int, str], tuple[str, tuple[str, ...]]]  # (row, column) → dataset, key
    rows: dict[int, set[tuple[str, tuple[str, ...]]]]


def original_of(path: Path, encoding: str | None) -> Original:
    keys: dict[tuple[int, str], tuple[str, tuple[str, ...]]] = {}
    rows: dict[int, set[tuple[str, tuple[str, ...]]]] = {}
    for spec in choose_mappings(path):
        table = read_table(path, spec)
        key = ["period", "region", *table.dimension_ids]
        for rec in table.frame.iter_rows(named=True):
            cell = (spec.meta.id, tuple(str(rec[k]) for k in key))
            if rec["source_row"] is not None:
                keys[(rec["source_row"], rec["source_column"])] = cell
                rows.setdefault(rec["source_row"], set()).add(cell)
    return Original(path, encoding, keys, rows)


# -- mutations of text tables ------------------------------------------------------------


def _split(line: str) -> list[str]:
    return line.split(",")


def _number(cell: str) -> float:
    return float(cell.strip('"').replace(",", ""))


def _numeric(cell: str) -> bool:
    return cell.strip('"').replace(",", "").isdigit()


def _with(lines: list[str], i: int, *replacement: str) -> list[str]:
    """``lines`` with line ``i`` replaced by ``replacement`` (none: deleted)."""
    return [*lines[:i], *replacement, *lines[i + 1 :]]


class _TextMutator:
    """Mutations of a text table, each a method returning one :class:`Mutation`."""

    def __init__(self, orig: Original, rng: random.Random) -> None:
        assert orig.encoding is not None
        self.orig, self.rng, self.encoding = orig, rng, orig.encoding
        self.raw = orig.path.read_bytes()
        self.lines = self.raw.decode(orig.encoding).split("\n")
        self.data = [i for i, line in enumerate(self.lines) if i > 0 and line.strip()]
        self.name = orig.path.name

    def enc(self, lines: list[str], encoding: str | None = None) -> bytes:
        return "\n".join(lines).encode(encoding or self.encoding)

    def numeric_cell(self) -> tuple[int, int, list[str]]:
        while True:
            i = self.rng.choice(self.data)
            cells = _split(self.lines[i])
            columns = [c for c, v in enumerate(cells) if _numeric(v)]
            if columns:
                return i, self.rng.choice(columns), cells

    def header_of(self, c: int) -> str:
        return _split(self.lines[0])[c].strip('"').strip()

    def cut_line(self) -> Mutation:
        k = self.rng.randint(1, len(self.data) - 1)
        return Mutation("cut at a line", self.enc(self.lines[: self.data[k]]) + b"\n", self.name)

    def cut_byte(self) -> Mutation:
        at = self.rng.randint(len(self.lines[0]) + 2, len(self.raw) - 2)
        return Mutation("cut inside a line", self.raw[:at], self.name)

    def delete_line(self) -> Mutation:
        i = self.rng.choice(self.data)
        return Mutation("line deleted", self.enc(_with(self.lines, i)), self.name, rows={i + 1})

    def repeat_line(self) -> Mutation:
        i = self.rng.choice(self.data)
        new = _with(self.lines, i, self.lines[i], self.lines[i])
        return Mutation("line repeated", self.enc(new), self.name, rows={i + 1, i + 2})

    def break_line(self) -> Mutation:
        i = self.rng.choice(self.data)
        line = self.lines[i]
        at = self.rng.randint(1, max(len(line.rstrip("\r")) - 1, 1))
        new = _with(self.lines, i, line[:at] + "\n" + line[at:])
        return Mutation("line break inside a row", self.enc(new), self.name,
                        row_in_error=(i + 1, i + 2))

    def plus_one(self) -> Mutation:
        i, c, cells = self.numeric_cell()
        number = _number(cells[c]) + 1
        cells[c] = str(int(number))
        return Mutation("count changed", self.enc(_with(self.lines, i, ",".join(cells))),
                        self.name, rows={i + 1}, cells={(i + 1, self.header_of(c)): number},
                        row_in_error=(i + 1,))

    def bad_number(self) -> Mutation:
        i, c, cells = self.numeric_cell()
        bad = self.rng.choice(BAD_NUMBERS)
        cells[c] = f'"{bad}"' if "," in bad else bad
        return Mutation("bad count", self.enc(_with(self.lines, i, ",".join(cells))),
                        self.name, row_in_error=(i + 1,))

    def blank(self) -> Mutation:
        i, c, cells = self.numeric_cell()
        cells[c] = ""
        return Mutation("count blanked", self.enc(_with(self.lines, i, ",".join(cells))),
                        self.name, rows={i + 1}, cells={(i + 1, self.header_of(c)): None},
                        row_in_error=(i + 1,))

    def label_typo(self) -> Mutation:
        i = self.rng.choice(self.data)
        cells = _split(self.lines[i])
        labels = [c for c, v in enumerate(cells) if v and not _numeric(v)]
        if not labels:
            return self.plus_one()
        c = self.rng.choice(labels)
        cells[c] = cells[c][:1] + " x" + cells[c][1:]
        return Mutation("label misspelt", self.enc(_with(self.lines, i, ",".join(cells))),
                        self.name, rows={i + 1}, row_in_error=(i + 1,))

    def header_typo(self) -> Mutation:
        cells = _split(self.lines[0])
        c = self.rng.randrange(len(cells))
        cells[c] = cells[c][:2] + " " + cells[c][2:]
        return Mutation("header misspelt", self.enc(_with(self.lines, 0, ",".join(cells))),
                        self.name)

    def drop_last_column(self) -> Mutation:
        new = [",".join(_split(line)[:-1]) if line.strip() else line for line in self.lines]
        return Mutation("last column deleted", self.enc(new), self.name)

    def extra_cell(self) -> Mutation:
        i = self.rng.choice(self.data)
        new = _with(self.lines, i, self.lines[i].rstrip("\r") + ",7")
        return Mutation("cell added to a row", self.enc(new), self.name, row_in_error=(i + 1,))

    def swap(self) -> Mutation:
        i = self.rng.choice(self.data)
        cells = _split(self.lines[i])
        columns = [c for c, v in enumerate(cells) if _numeric(v)]
        if len(columns) < 2:
            return self.plus_one()
        a, b = self.rng.sample(columns, 2)
        edits: dict[tuple[int, str], float | None] = {
                 (i + 1, self.header_of(a)): _number(cells[b]),
                 (i + 1, self.header_of(b)): _number(cells[a])}
        cells[a], cells[b] = cells[b], cells[a]
        return Mutation("two counts swapped", self.enc(_with(self.lines, i, ",".join(cells))),
                        self.name, rows={i + 1}, cells=edits)

    def reencode(self) -> Mutation:
        other = "utf-8" if self.encoding == "cp949" else "cp949"
        return Mutation("re-encoded", self.enc(self.lines, other), self.name)

    def crlf(self) -> Mutation:
        data = self.raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        return Mutation("CRLF line ends", data, self.name)

    def renamed(self) -> Mutation:
        name = self.rng.choice(["renamed.csv", self.orig.path.stem + " (1).csv"])
        return Mutation("renamed", self.raw, name)

    def flip(self) -> Mutation:
        at = self.rng.randrange(len(self.lines[0]) + 1, len(self.raw))
        data = bytearray(self.raw)
        data[at] = self.rng.choice(b"0123456789,.-x\xff\n\"")
        row = self.raw[:at].count(b"\n") + 1
        return Mutation("byte changed", bytes(data), self.name, rows={row, row + 1})

    def nul(self) -> Mutation:
        at = self.rng.randrange(len(self.raw))
        return Mutation("NUL byte", self.raw[:at] + b"\x00" + self.raw[at:], self.name)

    def header_only(self) -> Mutation:
        return Mutation("header only", self.enc(self.lines[:1]) + b"\n", self.name)

    def huge_cell(self) -> Mutation:
        i = self.rng.choice(self.data)
        new = _with(self.lines, i, "9" * 131_073 + "," + self.lines[i])
        return Mutation("huge cell", self.enc(new), self.name, row_in_error=(i + 1,))


def text_mutations(orig: Original, rng: random.Random, count: int) -> list[Mutation]:
    m = _TextMutator(orig, rng)
    kinds: list[Callable[[], Mutation]] = [
        m.cut_line, m.cut_byte, m.delete_line, m.repeat_line, m.break_line, m.plus_one,
        m.bad_number, m.blank, m.label_typo, m.header_typo, m.drop_last_column, m.extra_cell,
        m.swap, m.reencode, m.crlf, m.renamed, m.flip, m.flip, m.plus_one, m.bad_number,
        m.nul, m.header_only, m.huge_cell, m.break_line, m.cut_byte,
    ]
    return [kinds[n % len(kinds)]() for n in range(count)]


# -- mutations of workbooks --------------------------------------------------------------


def xlsx_mutations(orig: Original, rng: random.Random, count: int, tmp: Path) -> list[Mutation]:
    raw = orig.path.read_bytes()
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(orig.path) as book:
        xml = book.read(sheet).decode()
    numbers = [(ref, int(v)) for ref, v in
               re.findall(r'<c r="([C-Z]+[0-9]+)"[^>]*><v>([0-9]+)</v></c>', xml)]
    name = orig.path.name
    out: list[Mutation] = []
    for n in range(count):
        kind = n % 8
        target = tmp / f"x{n}.xlsx"
        ref, value = rng.choice(numbers)
        row = int("".join(ch for ch in ref if ch.isdigit()))
        if kind in (0, 1):
            rezip(orig.path, target, set_cell(sheet, ref, str(value + 1)))
            out.append(Mutation("workbook count changed", target.read_bytes(), name, rows={row},
                                ))
        elif kind == 2:
            bad = rng.choice(["-5", "12.5"])
            rezip(orig.path, target, set_cell(sheet, ref, bad))
            out.append(Mutation("workbook bad count", target.read_bytes(), name,
                                row_in_error=(row,)))
        elif kind == 3:
            rezip(orig.path, target, add_stray_cell)
            out.append(Mutation("workbook stray cell", target.read_bytes(), name,
                                row_in_error=(1048576,)))
        elif kind == 4:
            rows = re.findall(r'<row r="(\d+)"', xml)
            gone = rng.choice(rows[1:])
            pattern = re.compile(rf'<row r="{gone}".*?</row>', re.S)
            rezip(orig.path, target, _delete_row(sheet, pattern))
            out.append(Mutation("workbook row deleted", target.read_bytes(), name,
                                rows={int(gone)}))
        elif kind == 5:
            out.append(Mutation("workbook cut", raw[: rng.randrange(100, len(raw) - 1)], name))
        elif kind == 6:
            data = bytearray(raw)
            data[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
            out.append(Mutation("workbook byte changed", bytes(data), name, rows=set()))
        else:
            out.append(Mutation("workbook renamed", raw, "renamed.xlsx"))
    return out


def _delete_row(sheet: str, pattern: re.Pattern[str]) -> Callable[[str, bytes], bytes]:
    def edit(part: str, data: bytes) -> bytes:
        return pattern.sub("", data.decode(), count=1).encode() if part == sheet else data

    return edit


def xls_mutations(orig: Original, rng: random.Random, count: int) -> list[Mutation]:
    raw = orig.path.read_bytes()
    name = orig.path.name
    numbers = [(r, c, v) for _, r, c, v in xls_numbers(raw) if r >= 3]  # data rows
    out: list[Mutation] = []
    for n in range(count):
        kind = n % 5
        row, col, value = rng.choice(numbers)
        if kind == 0:
            out.append(Mutation("xls cut", raw[: rng.randrange(64, len(raw) - 1)], name))
        elif kind == 3:
            out.append(Mutation("xls count changed", set_xls_number(raw, row, col, value + 1),
                                name, rows={row + 1}))
        elif kind == 4:
            bad = rng.choice([-5.0, 12.5, 0.25])
            out.append(Mutation("xls bad count", set_xls_number(raw, row, col, bad), name,
                                row_in_error=(row + 1,)))
        elif kind in (1, 2):
            data = bytearray(raw)
            data[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
            out.append(Mutation("xls byte changed", bytes(data), name, rows={-1}))
        else:
            out.append(Mutation("xls renamed", raw, "renamed (1).xls"))
    return out

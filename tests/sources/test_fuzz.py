"""A seeded fuzz of real files: every damaged copy is refused cleanly, or changes nothing, or
changes exactly the cells that were damaged.

Small real tables in every format the portals publish (UTF-8 CSV, CP949 CSV, xlsx, BIFF
xls) are ingested once; then each mutation (a cut, a lost or repeated line, a broken row,
a bad or changed number, a misspelt label or header, a lost column, a renamed or
re-encoded copy, a flipped byte, a stray workbook cell...) is ingested on top. Each outcome
must be one of:

* an error on one line naming the file (and the row where the damage is one cell or line),
  with the database byte-identical;
* a no-op (the same observations);
* a new version whose differences from the previous one are exactly the damaged cells.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

from migralink.errors import MigralinkError
from migralink.evidence import Evidence
from tests.sources.damage import (
    BY_TYPE,
    JEJU,
    NPS,
    REGISTERED,
    SEOUL,
    STATUS,
    STUDENTS,
    UNDOCUMENTED,
    fingerprint,
    latest_cells,
)
from tests.sources.mutations import (
    Cells,
    Mutation,
    Original,
    original_of,
    text_mutations,
    xls_mutations,
    xlsx_mutations,
)

SEED = 20261204
TEXT_FILES = {UNDOCUMENTED: "cp949", STUDENTS: "cp949", STATUS: "cp949", JEJU: "utf-8",
              NPS: "utf-8", BY_TYPE: "utf-8"}
PER_TEXT_FILE = 30
PER_XLSX = 32
PER_XLS = 20


# -- the oracle --------------------------------------------------------------------------


def _allowed_changes(orig: Original, mutation: Mutation) -> set[tuple[str, tuple[str, ...]]]:
    allowed: set[tuple[str, tuple[str, ...]]] = set()
    for row in mutation.rows:
        allowed |= orig.rows.get(row, set())
    for row_column in mutation.cells:
        if row_column in orig.keys:
            allowed.add(orig.keys[row_column])
    return allowed


def _differences(before: Cells, after: Cells) -> set[tuple[str, ...]]:
    keys = set(before) | set(after)
    return {k for k in keys if before.get(k, "absent") != after.get(k, "absent")}


def _check_new_version(
    orig: Original, mutation: Mutation, datasets: list[str], base: dict[str, Cells], db: Path
) -> None:
    allowed = _allowed_changes(orig, mutation)
    any_change = False
    for ds in datasets:
        diff = _differences(base[ds], latest_cells(db, ds))
        any_change |= bool(diff)
        if mutation.rows == {-1}:  # xls: a flipped byte may touch one row of the sheet only
            assert len({k[:2] for k in diff}) <= 1, (mutation.kind, diff)
            continue
        outside = {k for k in diff if (ds, k) not in allowed}
        assert not outside, (mutation.kind, ds, sorted(outside)[:5])
        for (row, column), value in mutation.cells.items():
            cell = orig.keys.get((row, column))
            if cell and cell[0] == ds:
                assert latest_cells(db, ds).get(cell[1]) == value, (mutation.kind, cell)
    assert any_change, f"{mutation.kind}: a new version without a difference"


@pytest.fixture(scope="module")
def originals(shared: Path) -> list[Original]:
    files: list[tuple[Path, str | None]] = [(shared / n, e) for n, e in TEXT_FILES.items()]
    files += [(shared / REGISTERED, None), (shared / SEOUL, None)]
    return [original_of(path, enc) for path, enc in files]


def test_fuzz_of_real_files(
    originals: list[Original], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(SEED)
    base_db = tmp_path / "base.duckdb"
    with Evidence(base_db) as ev:
        results = ev.ingest(o.path for o in originals)
    datasets = sorted({r.dataset_id for r in results})
    base = {ds: latest_cells(base_db, ds) for ds in datasets}
    base_print = fingerprint(base_db)
    work = tmp_path / "work"
    work.mkdir()
    db = work / "ev.duckdb"
    shutil.copy(base_db, db)
    outcomes: Counter[str] = Counter()
    kinds: Counter[tuple[str, str]] = Counter()
    for orig in originals:
        if orig.encoding is not None:
            mutations = text_mutations(orig, rng, PER_TEXT_FILE)
        elif orig.path.suffix == ".xlsx":
            mutations = xlsx_mutations(orig, rng, PER_XLSX, tmp_path)
        else:
            mutations = xls_mutations(orig, rng, PER_XLS)
        for number, mutation in enumerate(mutations):
            folder = tmp_path / "m" / f"{orig.path.stem}-{number}"
            folder.mkdir(parents=True)
            path = folder / mutation.name
            path.write_bytes(mutation.data)
            outcome = _ingest_one(orig, mutation, path, db, datasets, base, base_print)
            outcomes[outcome] += 1
            kinds[(mutation.kind, outcome)] += 1
            if outcome == "new version":  # back to the base for the next mutation
                shutil.copy(base_db, db)
    total = sum(outcomes.values())
    with capsys.disabled():
        print(f"\nfuzz: {total} mutations of {len(originals)} real files: "
              + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())))
        for kind in sorted({k for k, _ in kinds}):
            counts = ", ".join(f"{kinds[(kind, o)]} {o}" for o in sorted(outcomes)
                               if kinds[(kind, o)])
            print(f"  {kind}: {counts}")
    assert total >= 200
    assert outcomes["error"]
    assert outcomes["no-op"]
    assert outcomes["new version"]


def _ingest_one(
    orig: Original, mutation: Mutation, path: Path, db: Path, datasets: list[str],
    base: dict[str, Cells], before: str,
) -> str:
    try:
        with Evidence(db) as ev:
            results = ev.ingest([path])
    except MigralinkError as exc:
        message = str(exc)
        shown = message + " " + (exc.details[0] if exc.details else "")
        assert "\n" not in message, (mutation.kind, message)
        assert str(path) in message, (mutation.kind, message)
        if mutation.row_in_error and "would remove" not in message:
            assert any(f"row {r}" in shown for r in mutation.row_in_error), (mutation.kind, shown)
        assert fingerprint(db) == before, (mutation.kind, "changed the base on error")
        return "error"
    changed = [r.dataset_id for r in results if r.changed]
    if not changed:
        assert fingerprint(db) == before, (mutation.kind, "a no-op changed the base")
        return "no-op"
    _check_new_version(orig, mutation, [d for d in datasets if d in changed], base, db)
    return "new version"

"""A figure a reshaper wrote in place of a masked count is never read as exact."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

from migralink.evidence import Evidence

DERIVED = "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv"


def test_the_threes_of_the_reshaped_mois_file_are_estimated(shared: Path,
                                                            tmp_path: Path) -> None:
    # KOSIS masks small counts in this table and the reshaper wrote 3 for each: of its
    # counts none is 1, 2 or 4 while 1,245 are 3. Stored as exact (A), 45720's students
    # of 2019 read 3 men and 3 women, a sex ratio of 100
    with (shared / DERIVED).open(encoding="utf-8", newline="") as handle:
        counts = [int(r[y]) for r in csv.DictReader(handle) if r["거주외국인별"] != "총인구"
                  for y in ("2015", "2016", "2017", "2018", "2019")]
    assert not {1, 2, 4} & set(counts)
    threes = counts.count(3)
    with Evidence(tmp_path / "ev.duckdb") as ev:
        results = ev.ingest([shared / DERIVED])
        notes = " ".join(n for r in results for n in r.notes)
        assert f"{threes:,} cell(s) print 3, which stands for a masked figure" in notes
        cells = ev.gateway.polars(
            "SELECT value, status FROM obs_mois_foreign_residents_sigungu_v1")
    assert cells.filter(pl.col("status") == "E").height == threes
    assert cells.filter(pl.col("status") == "E")["value"].unique().to_list() == [3.0]
    assert cells.filter(pl.col("value") == 3, pl.col("status") == "A").is_empty()

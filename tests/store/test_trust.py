"""Queries that cannot be wrong silently (issue 8, items 1-4), on the real files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from migralink.errors import QueryError
from migralink.evidence import Evidence
from tests.conftest import run_cli

AGES_2013 = "population/201312_201512_연령별인구현황_연간.csv"
STAY = "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv"


def _published(shared: Path, name: str, code10: str) -> dict[str, int]:
    """Totals of one unit straight from a jumin.mois.go.kr download (no migralink code)."""
    rows = csv.reader(io.StringIO((shared / name).read_bytes().decode("cp949")))
    header = next(rows)
    row = next(r for r in rows if r[0].replace(" ", "").endswith(f"({code10})"))
    return {h[:4]: int(v.replace(",", "")) for h, v in zip(header, row, strict=True)
            if h.endswith("_계_총인구수")}


@pytest.mark.parametrize("year", [2016, 2021])
def test_bucheon_is_not_doubled_on_later_boundaries(
    full_db: Path, shared: Path, year: int
) -> None:
    # its districts were abolished in 2016 under the city's unchanged code 41190
    published = _published(shared, AGES_2013, "4119000000")
    assert published == {"2013": 863_720, "2014": 855_586, "2015": 848_987}  # README figures
    with Evidence(full_db, read_only=True) as ev:
        frame = ev.query("population_sigungu", region="부천시", boundaries=year,
                         period="2013..2015").frame
    assert {r["period"]: r["value"] for r in frame.iter_rows(named=True)} == published
    assert set(frame["status"]) == {"A"}


def test_by_region_never_mixes_levels(full_db: Path) -> None:
    with Evidence(full_db, read_only=True) as ev:
        national = ev.query("population_sigungu", period=2015).frame["value"].item()
        for level in (None, "sido", "sigungu", "district"):
            frame = ev.query("population_sigungu", period=2015, by="region", level=level).frame
            assert frame["value"].sum() == national == 51_529_338, level
            # the district level is a city's districts, or the sigungu where it has none
            assert set(frame["level"]) == (
                {"sigungu", "district"} if level == "district" else {level or "sigungu"})
            assert frame["region"].is_unique().all()
        top = ev.top("population_sigungu", 10, period=2015)
    assert "41270" in top["region"].to_list()  # 안산시 ranks, not its district 단원구
    assert not {"41271", "41273"} & set(top["region"].to_list())
    assert set(top["level"]) == {"sigungu"}
    cli = run_cli("query", "population_sigungu", "--db", str(full_db), "--period", "2015",
                  "--level", "sido", "--format", "json")
    rows = json.loads(cli.stdout)["rows"]
    assert len(rows) == 17
    assert sum(r["value"] for r in rows) == 51_529_338


def test_names_and_codes_resolve_through_history(full_db: Path) -> None:
    with Evidence(full_db, read_only=True) as ev:
        gangwon = ev.query("population_sido", region="강원도").frame
        wonmi = ev.query("population_sigungu", region="원미구").frame
        held = ev.datasets()
    sido_periods = next(d for d in held if d.id == "population_sido").periods
    assert gangwon["period"].to_list() == list(sido_periods)  # every year, not 2023-24 only
    assert set(gangwon["region"]) == {"42", "51"}
    assert wonmi["period"].to_list() == ["2013", "2014", "2015"]
    assert set(wonmi["region"]) == {"41195"}
    assert set(wonmi["region_name"]) == {"경기도 부천시 원미구"}


def test_nothing_matched_is_an_error_that_says_what_the_data_hold(full_db: Path) -> None:
    db = str(full_db)
    result = run_cli("query", "population_sigungu", "--db", db, "--period", "1999")
    assert result.exit_code == 1
    assert "no period 1999" in result.stderr
    assert "2013" in result.stderr
    typed = run_cli("query", "population_sigungu", "--db", db, "--period", "2019년",
                    "--format", "json")
    assert [r["period"] for r in json.loads(typed.stdout)["rows"]] == ["2019"]
    span = run_cli("query", "population_sigungu", "--db", db, "--period", "2019..2021",
                   "--format", "json")
    assert [r["period"] for r in json.loads(span.stdout)["rows"]] == ["2019", "2020", "2021"]
    gone = run_cli("query", "population_sigungu", "--db", db, "--region", "원미구",
                   "--period", "2019")
    assert gone.exit_code == 1
    assert "2013, 2014, 2015" in gone.stderr
    assert "-v shows all" not in gone.stderr  # query has no -v


def test_a_non_additive_measure_is_never_summed(tmp_path: Path, shared: Path) -> None:
    mapping = Path(__file__).parents[2] / "src/migralink/sources/mappings/moj_stay_status.toml"
    text = mapping.read_text(encoding="utf-8").replace(
        'id = "moj_stay_status"', 'id = "stay_numbers"'
    ).replace('format = "csv"', 'format = "csv"\nvalue_kind = "number"')
    custom = tmp_path / "numbers.toml"
    custom.write_text(text, encoding="utf-8")
    db = tmp_path / "ev.duckdb"
    with Evidence(db) as ev:
        (result,) = ev.ingest([shared / STAY], mapping=custom)
        assert not any("tolerance" in note for note in result.notes)
        with pytest.raises(QueryError, match="cannot be added up over") as raised:
            ev.query("stay_numbers", period=2024)
        assert "--by" in raised.value.hint
        kept = ev.query("stay_numbers", by=["nationality", "sex", "residence_status"],
                        filters={"nationality": "VNM", "sex": "F", "residence_status": "E-9"})
        assert kept.frame.height == 1
    with Evidence(db) as ev:  # the same file as counts adds up as before
        ev.ingest([shared / STAY])
        assert ev.query("moj_stay_status", by="residence_status",
                        filters=["residence_status:E-9"]).frame["value"].item() == 337_279


def test_one_filter_syntax_everywhere(full_db: Path) -> None:
    db = str(full_db)
    colon = run_cli("query", "moj_stay_status", "--db", db, "--filter", "residence_status:E-9",
                    "--format", "json")
    equals = run_cli("query", "moj_stay_status", "--db", db, "--filter", "residence_status=E-9",
                     "--format", "json")
    assert colon.stdout == equals.stdout
    assert json.loads(colon.stdout)["rows"][0]["value"] == 337_279
    both = run_cli("query", "moj_stay_status", "--db", db, "--filter",
                   "residence_status=E-9,H-2", "--format", "json")
    assert [r["residence_status"] for r in json.loads(both.stdout)["rows"]] == ["E-9", "H-2"]
    with Evidence(full_db, read_only=True) as ev:
        typed = ev.query("mois_foreign_residents_sigungu", region=41270, period=2019,
                         by="group").frame
    assert typed["region_name"].unique().to_list() == ["경기도 안산시"]
    assert "group_name" in typed.columns


def test_code_lookups_of_the_python_api() -> None:
    assert Evidence.region("원미구")["codes"] == ["41192", "41195"]
    assert Evidence.region(51)["codes"] == ["51", "42"]
    assert Evidence.region("강원도")["level"] == "sido"
    assert Evidence.code("nationality", "베트남") == "VNM"
    assert Evidence.code("sex", "여") == "F"


MONTHLY = "moj_stay_foreigners/moj_foreign_resident_monthly_nationality_2026-07-01.csv"


def test_a_country_counted_in_two_rows_says_so(full_db: Path, shared: Path) -> None:
    # MOJ prints 중국 and 한국계중국인 as two rows: "중국" alone is a third of China's
    # nationals, so the answer names the other row and how to ask for both
    with (shared / MONTHLY).open(encoding="utf-8", newline="") as handle:
        published = {r["국적지역"]: int(r["체류외국인수"]) for r in csv.DictReader(handle)
                     if r["년"] == "2024" and r["월"] == "12"}
    for typed in ("중국", "China", "CN"):
        alone = run_cli("query", "moj_stay_monthly_nationality", "--db", str(full_db),
                        "--period", "2024-12", "--filter", f"nationality={typed}",
                        "--format", "json")
        assert alone.exit_code == 0, alone.stderr
        assert json.loads(alone.stdout)["rows"][0]["value"] == published["중국"]
        said = " ".join(alone.stderr.split())
        assert "does not count CHN-KR (한국계중국인)" in said
        assert "filter on CHN,CHN-KR for all of them" in said
    both = run_cli("query", "moj_stay_monthly_nationality", "--db", str(full_db),
                   "--period", "2024-12", "--filter", "nationality=CHN,CHN-KR",
                   "--format", "json")
    rows = json.loads(both.stdout)["rows"]
    assert sum(r["value"] for r in rows) == published["중국"] + published["한국계중국인"]
    assert "does not count" not in both.stderr
    vietnam = run_cli("query", "moj_stay_monthly_nationality", "--db", str(full_db),
                      "--period", "2024-12", "--filter", "nationality=vietnam")
    assert vietnam.exit_code == 0, vietnam.stderr
    assert "does not count" not in vietnam.stderr  # one row for the whole country

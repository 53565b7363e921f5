"""Reading series across boundary changes: Gangwon 42→51, Jeonbuk 45→52, Gunwi 47→27."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

SIDO_FILES = ("population/200912_201812_주민등록인구및세대현황_연간.csv",
              "population/201912_202412_주민등록인구및세대현황_연간.csv")
RESIDENTS = "population/202212_202412_연령별인구현황_연간.csv"
YEARS = [str(y) for y in range(2019, 2025)]


def _raw(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a jumin.mois.go.kr download keyed by their 10-digit code (read directly)."""
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("cp949")))
    return {r["행정구역"].rsplit("(", 1)[1].rstrip(")"): r for r in rows}


def _num(text: str) -> int:
    return int(text.replace(",", "").strip() or 0)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    path = tmp_path_factory.mktemp("boundaries") / "ev.duckdb"
    files = [str(shared / f) for f in (*SIDO_FILES, RESIDENTS)]
    result = run_cli("ingest", *files, "--db", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def _series(db: Path, dataset: str, region: str, *extra: str) -> dict[str, tuple[str, int, str]]:
    # the years the dataset holds (asking a year a dataset lacks is an error since issue 8)
    years = YEARS if dataset == "population_sido" else ["2022", "2023", "2024"]
    periods = [arg for y in years for arg in ("--period", y)]
    result = run_cli("query", dataset, "--db", str(db), "--region", region, "--format", "json",
                     *periods, *extra)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    return {r["period"]: (r["region"], r["value"], r["status"]) for r in rows}


@pytest.mark.parametrize(("old", "new", "name"), [("42", "51", "강원"), ("45", "52", "전북")])
def test_renamed_provinces_read_as_one_series(
    db: Path, shared: Path, old: str, new: str, name: str
) -> None:
    raw = _raw(shared / SIDO_FILES[1])
    column = "{}년_총인구수"
    published = {
        y: _num(raw[f"{old}00000000"][column.format(y)])
        or _num(raw[f"{new}00000000"][column.format(y)])
        for y in YEARS
    }
    on_2024 = _series(db, "population_sido", name, "--boundaries", "2024")
    assert on_2024 == {y: (new, v, "A") for y, v in published.items()}
    on_2018 = _series(db, "population_sido", name, "--boundaries", "2018")
    assert on_2018 == {y: (old, v, "A") for y, v in published.items()}
    # without --boundaries each code is read as published, the unit through all its
    # codes: the old code for its years, the new one after (issue 8: no silent truncation)
    as_published = _series(db, "population_sido", old)
    assert {y: v for y, (_, v, _) in as_published.items()} == published
    codes = [as_published[y][0] for y in YEARS]
    assert set(codes) == {old, new}
    assert codes == sorted(codes, key=lambda c: c == new)  # old first, then new


def test_gunwi_moves_from_gyeongbuk_to_daegu(db: Path, shared: Path) -> None:
    raw = _raw(shared / RESIDENTS)
    column = "{}년_거주자_총인구수"
    published = {
        y: _num(raw["4772000000"][column.format(y)]) or _num(raw["2772000000"][column.format(y)])
        for y in ("2022", "2023", "2024")
    }
    on_2024 = _series(db, "population_residents_sigungu", "27720", "--boundaries", "2024")
    assert on_2024 == {y: ("27720", v, "A") for y, v in published.items()}
    on_2018 = _series(db, "population_residents_sigungu", "군위군", "--boundaries", "2018")
    assert on_2018 == {y: ("47720", v, "A") for y, v in published.items()}
    # the provinces around it are rebuilt from their sigungu, exactly
    daegu = _series(db, "population_residents_sigungu", "27", "--boundaries", "2024")
    assert daegu["2022"] == ("27", _num(raw["2700000000"][column.format(2022)])
                             + published["2022"], "A")
    gyeongbuk = _series(db, "population_residents_sigungu", "47", "--boundaries", "2018")
    assert gyeongbuk["2024"] == ("47", _num(raw["4700000000"][column.format(2024)])
                                 + published["2024"], "A")


def test_sido_only_data_across_gunwi_is_flagged_estimated(db: Path) -> None:
    """A province total cannot be split without its parts: flagged E, never silently."""
    daegu = _series(db, "population_sido", "27", "--boundaries", "2024")
    assert daegu["2022"][2] == "E"
    assert daegu["2024"][2] == "A"


def test_boundaries_outside_the_code_history_are_refused(db: Path) -> None:
    result = run_cli("query", "population_sido", "--db", str(db), "--boundaries", "1990")
    assert result.exit_code == 1
    assert "no boundaries for 1990" in result.stderr


def test_a_unit_gone_by_the_boundaries_asked_is_not_a_zero(
        tmp_path: Path, shared: Path) -> None:
    # 2020's file prints 동해출장소 (42105, a branch office) with 0 persons: read on 2024
    # boundaries it kept its old code and 강원도 (42) and 전라북도 (45) showed as 0 beside
    # 51 and 52
    db = tmp_path / "sigungu.duckdb"
    name = "population/201912_202112_연령별인구현황_연간.csv"
    assert run_cli("ingest", str(shared / name), "--db", str(db)).exit_code == 0
    for level in ("sido", "sigungu"):
        result = run_cli("query", "population_sigungu", "--db", str(db), "--period", "2020",
                         "--level", level, "--boundaries", "2024", "--format", "json")
        assert result.exit_code == 0, result.stderr
        rows = json.loads(result.stdout)["rows"]
        assert all(r["value"] > 0 for r in rows), [r for r in rows if not r["value"]]
        assert not any(r["region"].startswith(("42", "45")) for r in rows), level
        national = run_cli("query", "population_sigungu", "--db", str(db), "--period", "2020",
                           "--format", "json")
        assert sum(r["value"] for r in rows) == json.loads(national.stdout)["rows"][0]["value"]


@pytest.fixture(scope="module")
def with_rates(full_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full evidence base with one rate stored (foreign_share, by region)."""
    import shutil

    from migralink.evidence import Evidence
    from migralink.indicators import compute_indicators, store_indicators

    path = tmp_path_factory.mktemp("rates") / "rates.duckdb"
    shutil.copy(full_db, path)
    with Evidence(path) as ev:
        store_indicators(ev, compute_indicators(ev, ids=["foreign_share"]))
    return path


def _rows(db: Path, *args: str) -> tuple[dict[str, float], str]:
    result = run_cli("query", *args, "--db", str(db), "--period", "2019", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {r["region"]: r["value"] for r in json.loads(result.stdout)["rows"]}
    return rows, " ".join(result.stderr.split())


def test_a_rate_that_cannot_be_redrawn_is_never_left_out_silently(with_rates: Path) -> None:
    # 대구 of 2019 on 2024's boundaries is 대구 plus 군위: a share cannot be rebuilt from
    # its parts, so 27 and 47 drop out of the answer: say so, or refuse a question about
    # them alone (before: they vanished from --by region, and "nothing matches" 대구)
    rate = ("indicators", "--filter", "indicator=foreign_share", "--by", "region")
    own, said = _rows(with_rates, *rate)
    assert {"27", "47"} <= set(own)
    assert "left out" not in said
    redrawn, said = _rows(with_rates, *rate, "--boundaries", "2024")
    assert not {"27", "47"} & set(redrawn)
    assert "left out on the boundaries of 2024: 27 (대구광역시), 47 (경상북도)" in said
    alone = run_cli("query", "indicators", "--filter", "indicator=foreign_share", "--region",
                    "대구", "--boundaries", "2024", "--period", "2019", "--db", str(with_rates))
    assert alone.exit_code == 1
    assert "27 (대구광역시) cannot be read on the boundaries of 2024" in alone.stderr
    # a count is rebuilt from its sigungu: answered, with nothing left out
    counts, said = _rows(with_rates, "mois_foreign_residents_sigungu", "--by", "region",
                         "--level", "sido", "--boundaries", "2024")
    sido, _ = _rows(with_rates, "mois_foreign_residents_sigungu", "--by", "region",
                    "--level", "sido")
    sigungu, _ = _rows(with_rates, "mois_foreign_residents_sigungu", "--by", "region",
                       "--level", "sigungu")
    assert counts["27"] == sido["27"] + sigungu["47720"]
    assert "left out" not in said


DERIVED = "mois_foreign_residents/derived/지방자치단체외국인주민현황-시군구.csv"


def test_a_code_used_before_it_existed_is_redrawn(with_rates: Path, shared: Path) -> None:
    # the reshaped MOIS file codes 2015-2019 with 2021's codes: 미추홀구 28177 for the
    # 남구 28170 of 2015-2017. On 2013's boundaries 2016 answered 28177, a unit that did
    # not exist, and 28170 was "not in it at all"
    with (shared / DERIVED).open(encoding="utf-8", newline="") as handle:
        published = next(int(r["2016"]) for r in csv.DictReader(handle)
                         if r["SGGCD"] == "28177" and r["거주외국인별"] == "합계"
                         and r["성별"] == "계")
    result = run_cli("query", "mois_foreign_residents_sigungu", "--db", str(with_rates),
                     "--period", "2016", "--region", "28170", "--boundaries", "2013",
                     "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == [
        {"period": "2016", "region": "28170", "value": published, "status": "A"}]
    every = run_cli("query", "mois_foreign_residents_sigungu", "--db", str(with_rates),
                    "--period", "2016", "--by", "region", "--level", "sigungu",
                    "--boundaries", "2013", "--format", "json")
    regions = {r["region"] for r in json.loads(every.stdout)["rows"]}
    assert "28170" in regions
    assert "28177" not in regions

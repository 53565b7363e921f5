"""The claim checker: numerals, spotting, linking and verdicts on the labelled sentences."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migralink.media import Checker, find_claims, parse_korean_number
from migralink.media.numerals import find_numbers

LABELLED = Path(__file__).parent / "data" / "claims.jsonl"
RULINGS = ("accurate", "roughly_accurate", "misleading", "wrong")


@pytest.mark.parametrize(("text", "value"), [
    ("250만", 2_500_000), ("이백오십만", 2_500_000), ("2.5백만", 2_500_000),
    ("150만", 1_500_000), ("1억 4천만", 140_000_000), ("사십만", 400_000),
    ("41만 1천", 411_000), ("천만", 10_000_000), ("4십만", 400_000), ("육십만", 600_000),
])
def test_korean_numerals_are_normalised(text: str, value: int) -> None:
    assert parse_korean_number(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("2.5 million foreigners", 2_500_000), ("over 400,000 undocumented", 400_000),
    ("150만 명", 1_500_000), ("4,300,000명", 4_300_000), ("1.5m workers", 1_500_000),
    # the digits below 만 were dropped: "8만 9000명" was read as 80,000
    ("8만 9000명", 89_000), ("41만 1270명", 411_270), ("9만 2천 787명", 92_787),
    ("39만 9999명", 399_999), ("8만9000명", 89_000),
])
def test_numbers_are_found_in_text(text: str, value: int) -> None:
    assert [m.value for m in find_numbers(text)] == [value]


@pytest.mark.parametrize(("text", "values"), [
    ("외국인 250만 2020년 기준", [2_500_000, 2020]), ("2만 5%", [20_000, 5]),
    ("3만 12월", [30_000, 12]),
])
def test_a_year_or_a_percentage_after_a_numeral_is_not_part_of_it(
        text: str, values: list[int]) -> None:
    assert [m.value for m in find_numbers(text)] == values


def test_a_long_digit_run_after_a_unit_is_read_without_backtracking() -> None:
    # the digits inside the repeated numeral token could be split 2^(n-1) ways, each tried
    # again when no 만/억/조 followed: eighteen 1s after 십만 took 36 s, forty would take
    # years (a request to the check endpoint could hold a server thread). A child process,
    # because a regular expression holds the interpreter until it returns.
    code = ("from migralink.media.numerals import find_numbers\n"
            "print([m.value for m in find_numbers('외국인 십만 ' + '1' * 40 + '명')])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == str([100_000.0, float("1" * 40)])


def test_a_claim_is_parsed_into_its_parts() -> None:
    (claim,) = find_claims("2022년 불법체류자가 무려 40만 명이 넘는다")
    assert (claim.value, claim.unit, claim.population) == (400_000, "persons", "undocumented")
    assert (claim.period, claim.area) == ("2022", "00")
    assert (claim.hedge, claim.emphasis) == ("over", True)
    (english,) = find_claims("There are about 2.5 million foreigners in Korea.")
    assert (english.value, english.hedge, english.language) == (2_500_000, "approx", "en")


def test_money_objects_and_ages_are_not_claims() -> None:
    texts = ("외국인 노동자 월급 300만 원", "중국산 마스크 200만 개", "20대 외국인 근로자 사망")
    for text in texts:
        assert find_claims(text) == [], text


def _labelled() -> list[dict[str, object]]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]


def test_the_labelled_set_meets_the_targets(checker: Checker) -> None:
    rows = _labelled()
    assert len(rows) >= 150
    assert sum(1 for r in rows if str(r["origin"]).startswith("real")) >= 35
    tp = fp = fn = linked = ruled = 0
    claims = [r for r in rows if r["claim"]]
    substantive = []
    for row in rows:
        rulings = checker.check_text(str(row["text"]))
        found = bool(rulings)
        tp += found and bool(row["claim"])
        fp += found and not row["claim"]
        fn += (not found) and bool(row["claim"])
        if not row["claim"]:
            continue
        ruling = rulings[0] if rulings else None
        verdict = ruling.verdict if ruling else "cannot_check"
        dataset = ruling.dataset if ruling else None
        if verdict == "cannot_check" and row["dataset"] is None:
            dataset = None  # an abstention may name the series it tried; gold links none
        linked += dataset == row["dataset"]
        ruled += verdict == row["verdict"]
        if ruling is not None and verdict in RULINGS:
            substantive.append(ruling)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.85, f"spotting F1 {f1:.3f}"
    assert linked / len(claims) >= 0.85, f"linking {linked / len(claims):.3f}"
    assert ruled / len(claims) >= 0.85, f"verdict accuracy {ruled / len(claims):.3f}"
    # every verdict on the scale cites a series with all its coordinates
    assert len(substantive) >= 60
    for ruling in substantive:
        assert ruling.citations, ruling.claim.sentence
        for c in ruling.citations:
            assert c.dataset
            assert c.version >= 1
            assert c.period
            assert c.source_files
            assert c.value > 0


def test_the_famous_claims_are_ruled_on_with_moj_figures(checker: Checker) -> None:
    (workers,) = checker.check_text("외노자 150만은 비극이다")
    assert workers.verdict == "misleading"
    assert all("법무부" in c.publisher for c in workers.citations)
    assert {c.dataset for c in workers.citations} == {"moj_stay_monthly_status",
                                                      "moj_stay_longterm"}
    assert "≠" in workers.explanation
    (undocumented,) = checker.check_text("불법체류자 40만")
    assert undocumented.verdict == "accurate"
    (cite,) = undocumented.citations
    assert (cite.dataset, cite.period, cite.value) == ("moj_undocumented", "2022", 411_270)
    assert "법무부" in cite.publisher
    assert cite.source_files == ("approved_fileData_15112636_2026-06-18.csv",)


def test_the_checker_abstains_without_a_series(checker: Checker) -> None:
    texts = ("외국인 범죄율이 내국인의 2배", "탈북민 3만 4천 명", "불법체류자가 2025년 50만 명")
    for text in texts:
        (ruling,) = checker.check_text(text)
        assert ruling.verdict == "cannot_check", text
        assert ruling.citations == ()
    assert checker.check_text("오늘 날씨가 좋다") == []


def test_the_cli_checks_a_sentence(sample_db: Path) -> None:
    from tests.conftest import run_cli

    result = run_cli("check", "불법체류자 40만", "--db", str(sample_db), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (ruling,) = json.loads(result.stdout)
    assert ruling["verdict"] == "accurate"
    assert ruling["citations"][0]["dataset"] == "moj_undocumented"
    missing = run_cli("check", "불법체류자 40만", "--db", str(sample_db.parent / "none.duckdb"))
    assert missing.exit_code == 1

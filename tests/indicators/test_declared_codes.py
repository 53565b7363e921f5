"""Codes a declaration names: never silently dropped, never counted twice.

The MOIS table prints 한국국적을 가지지 않은 자 (``foreign_nationals``) as a subtotal of
five of its groups; a sum or a distribution that took it beside those groups would count
the same persons twice.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from migralink.errors import QueryError
from migralink.evidence import Evidence
from migralink.indicators import compute_indicators, load_catalogue
from tests.indicators.conftest import pick
from tests.indicators.raw import ANSAN_DISTRICTS, GROUPS, chungnam_nationality_counts, mois

DECLARATION = """
[[indicator]]
id = "mine"
kind = "{kind}"
name_ko = "시험 지표"
name_en = "Test indicator"
definition_ko = "시험"
definition_en = "Test"
unit = "{unit}"
numerator = {{ dataset = "mois_foreign_residents_sigungu", filters = {{ {filters} }} }}
{extra}
levels = ["sigungu"]
gcm = [1]
"""
POPULATION = 'denominator = { dataset = "mois_population_sigungu" }'


def _compute(full_db: Path, tmp_path: Path, kind: str, filters: str, extra: str = "",
             unit: str = "percent") -> pl.DataFrame:
    path = tmp_path / "mine.toml"
    path.write_text(DECLARATION.format(kind=kind, unit=unit, filters=filters, extra=extra),
                    encoding="utf-8")
    with Evidence(full_db) as ev:
        return compute_indicators(ev, load_catalogue(path, builtin=False), ids=["mine"])


def test_a_misspelt_code_in_a_list_of_codes_is_refused(full_db: Path, tmp_path: Path) -> None:
    # before: the share of workers alone (3.54 % for 안산시 2019), 'studnets' dropped
    with pytest.raises(QueryError, match="studnets") as caught:
        _compute(full_db, tmp_path, "ratio", 'group = ["workers", "studnets"], sex = "_T"',
                 POPULATION)
    assert "indicator 'mine'" in str(caught.value)


@pytest.mark.parametrize("codes", ['["foreign_nationals", "workers"]', '["_T", "children"]'])
def test_a_total_listed_with_its_parts_is_refused(
    full_db: Path, tmp_path: Path, codes: str
) -> None:
    # before: 104,690 foreign nationals and workers in 안산시 2019, more than its 92,787
    # foreign residents (14.6 % of the population against a foreign share of 13.0 %)
    with pytest.raises(QueryError, match="twice"):
        _compute(full_db, tmp_path, "ratio", f'group = {codes}, sex = "_T"', POPULATION)


def test_the_parts_of_a_listed_subtotal_add_up_once(full_db: Path, tmp_path: Path,
                                                     shared: Path) -> None:
    frame = _compute(full_db, tmp_path, "ratio",
                     'group = ["foreign_nationals", "naturalised"], sex = "_T"', POPULATION)
    row = pick(frame, "mine", "41270", "2019")
    expected = sum(mois(shared, ANSAN_DISTRICTS, label, "2019")
                   for label in ("한국국적을 가지지 않은 자", "한국국적을 취득한 자"))
    assert row["numerator"] == expected


def test_a_composition_without_parts_leaves_the_subtotal_out(
    full_db: Path, tmp_path: Path, shared: Path
) -> None:
    # before: eight shares of 안산시 adding to 185.5 % (foreign_nationals 85.5 % beside
    # the five groups it is made of)
    frame = _compute(full_db, tmp_path, "composition", 'sex = "_T"', 'by = "group"')
    ansan = frame.filter(pl.col("region") == "41270", pl.col("period") == "2019")
    assert sorted(ansan["group"]) == sorted(GROUPS)
    total = mois(shared, ANSAN_DISTRICTS, "합계", "2019")
    assert ansan["value"].sum() == pytest.approx(
        100 * sum(mois(shared, ANSAN_DISTRICTS, label, "2019") for label in GROUPS.values())
        / total)


def test_a_diversity_without_parts_counts_each_person_once(
    full_db: Path, tmp_path: Path, shared: Path
) -> None:
    # before: the Simpson index of 안산시 over 172,143 "persons" (the subtotal counted too)
    frame = _compute(full_db, tmp_path, "diversity_simpson", 'sex = "_T"', 'by = "group"',
                     unit="index")
    row = pick(frame, "mine", "41270", "2019")
    counts = [mois(shared, ANSAN_DISTRICTS, label, "2019") for label in GROUPS.values()]
    assert row["denominator"] == sum(counts)
    assert row["value"] == pytest.approx(1 - sum((c / sum(counts)) ** 2 for c in counts))


def test_parts_naming_a_subtotal_and_its_parts_are_refused(full_db: Path,
                                                          tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="count twice"):
        _compute(full_db, tmp_path, "composition", 'sex = "_T"',
                 'by = "group"\nparts = ["foreign_nationals", "workers", "naturalised"]')


NATURALISATIONS = "moj_stay_foreigners/moj_naturalization_by_type_2026-07-01.csv"


def _granted(shared: Path, year: str) -> int:
    """귀화 and 국적회복 granted (허가) in a year, from the MOJ file."""
    with (shared / NATURALISATIONS).open(encoding="utf-8-sig", newline="") as handle:
        return sum(int(row["건수"]) for row in csv.DictReader(handle)
                   if row["년"] == year and row["신청허가"] == "허가")


def _naturalisations(full_db: Path, tmp_path: Path, filters: str = "",
                     extra: str = "") -> pl.DataFrame:
    path = tmp_path / "mine.toml"
    path.write_text(NATURALISATION_CHANGE.format(filters=filters, extra=extra),
                    encoding="utf-8")
    with Evidence(full_db) as ev:
        return compute_indicators(ev, load_catalogue(path, builtin=False), ids=["mine"])


NATURALISATION_CHANGE = """
[[indicator]]
id = "mine"
kind = "yoy_change"
relative = false
name_ko = "국적취득 증감"
name_en = "Change in naturalisations"
definition_ko = "전년 대비 증감"
definition_en = "Change since the year before"
unit = "persons"
numerator = {{ dataset = "moj_naturalisations_by_type"{filters} }}
{extra}
levels = ["country"]
gcm = [1]
"""


def test_applications_and_grants_are_not_added_up(full_db: Path, tmp_path: Path) -> None:
    # before: 2012 "naturalisations" 36,818 = 24,290 applications + 12,528 grants, which
    # `migralink query` refuses to add
    with pytest.raises(QueryError, match="different quantities"):
        _naturalisations(full_db, tmp_path, "")
    with pytest.raises(QueryError, match="different quantities"):
        _naturalisations(full_db, tmp_path, ', filters = { stage = ["applied", "granted"] }')


def test_one_stage_is_read_alone(full_db: Path, tmp_path: Path, shared: Path) -> None:
    frame = _naturalisations(full_db, tmp_path, ', filters = { stage = "granted" }')
    row = pick(frame, "mine", "00", "2012")
    assert (row["numerator"], row["denominator"]) == (_granted(shared, "2012"),
                                                      _granted(shared, "2011"))


def test_a_breakdown_by_stage_has_no_total(full_db: Path, tmp_path: Path) -> None:
    frame = _naturalisations(full_db, tmp_path, extra='disaggregations = ["stage"]')
    assert set(frame["stage"]) == {"applied", "granted"}


TOP4_CHUNGNAM = """
[[indicator]]
id = "mine"
kind = "top_share"
top = 4
name_ko = "충남 상위 4개 국적 비율"
name_en = "Chungnam: the four largest nationalities"
definition_ko = "상위 4개 국적 / 전체"
definition_en = "The four largest nationalities over all"
unit = "percent"
numerator = { dataset = "chungnam_foreign_residents_nationality" }
by = "nationality"
levels = ["sido"]
gcm = [1]
"""


def test_other_is_not_ranked_as_a_nationality(full_db: Path, tmp_path: Path,
                                              shared: Path) -> None:
    # before: 기타 (12,667, every small nationality together) ranked fourth: 70.9 %
    path = tmp_path / "mine.toml"
    path.write_text(TOP4_CHUNGNAM, encoding="utf-8")
    with Evidence(full_db) as ev:
        frame = compute_indicators(ev, load_catalogue(path, builtin=False), ids=["mine"])
    counts = chungnam_nationality_counts(shared)
    named = sorted((n for name, n in counts.items() if name != "기타"), reverse=True)
    row = pick(frame, "mine", "44", "2024")
    assert counts["기타"] > named[3]  # 기타 is larger than the fourth nationality
    assert row["numerator"] == sum(named[:4])
    assert row["denominator"] == sum(counts.values())  # 기타 still counts in the whole

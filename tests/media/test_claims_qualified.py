"""Capabilities added for the independent gold file (issue 12): residence statuses,
nationalities and statuses inside a population, shares of the population, halves,
regional tables, the latest registered count, and money that is not people."""

from __future__ import annotations

import pytest

from migralink.media import Checker, Ruling
from migralink.media.claims import find_claims


def _one(checker: Checker, text: str) -> Ruling:
    rulings = checker.check_text(text)
    assert len(rulings) == 1, (text, rulings)
    return rulings[0]


def _value(checker: Checker, dataset: str, period: str, region: str | None = None,
           **filters: str | list[str]) -> float:
    frame = checker.evidence.query(dataset, period=period, region=region,
                                   filters=dict(filters)).frame
    return float(frame["value"].sum())


@pytest.mark.parametrize(("text", "status"), [
    ("방문취업(H-2) 동포는 {n}명이다.", "H-2"),
    ("영주권자(F-5)가 {n}명이다.", "F-5"),
    ("재외동포(F-4)는 {n}명이다.", "F-4"),
    ("결혼이민 여성은 {n}명이다.", "F-6"),
])
def test_residence_statuses_are_counted_in_the_monthly_series(
        checker: Checker, text: str, status: str) -> None:
    latest = max(checker.infos["moj_stay_monthly_status"].periods)
    official = _value(checker, "moj_stay_monthly_status", latest, residence_status=status)
    ruling = _one(checker, text.format(n=f"{official:,.0f}"))
    assert ruling.verdict == "accurate"
    assert ruling.citations[0].value == official
    doubled = _one(checker, text.format(n=f"{2 * official:,.0f}"))
    assert doubled.verdict == "wrong"


def test_a_nationality_inside_a_population_narrows_the_series(checker: Checker) -> None:
    latest = max(checker.infos["moj_students_monthly"].periods)
    vietnamese = _value(checker, "moj_students_monthly", latest, nationality="VNM")
    everyone = _value(checker, "moj_students_monthly", latest)
    ruling = _one(checker, f"베트남 유학생만 {vietnamese:,.0f}명이다")
    assert ruling.verdict == "accurate"
    assert ruling.citations[0].value == vietnamese < everyone
    # the undocumented are not counted by nationality: no total stands in for Thais
    thai = _one(checker, "태국인 불법체류자만 15만 명이다.")
    assert thai.verdict == "cannot_check"
    assert "nationality" in thai.explanation


def test_a_status_inside_the_undocumented(checker: Checker) -> None:
    b1 = _value(checker, "moj_undocumented", "2022", residence_status="B-1")
    total = _value(checker, "moj_undocumented", "2022")
    share = _one(checker, "2022년 불법체류자 3명 중 1명은 사증면제(B-1)로 들어온 사람이다.")
    assert share.claim.status == "B-1"
    assert [c.value for c in share.citations] == [b1, total]
    assert f"{100 * b1 / total:.1f} %" in share.explanation
    assert share.verdict != "cannot_check"
    e9 = _value(checker, "moj_undocumented", "2022", residence_status="E-9")
    count = _one(checker, f"2022년 E-9 출신 불법체류자는 {e9:,.0f}명이다")
    assert count.verdict == "accurate"
    assert count.citations[0].value == e9


@pytest.mark.parametrize("text", ["외국인 비율이 {p}%를 넘었다.", "{y}년 외국인 비중은 {p}%였다.",
                                  "The foreign share of the population was about {p}% in {y}."])
def test_shares_of_the_population_are_computed(checker: Checker, text: str) -> None:
    foreigners = _value(checker, "moj_stay_monthly_status", "2024-12")
    people = _value(checker, "population_sido", "2024", "00", sex="_T")
    share = 100 * foreigners / (people + foreigners)
    ruling = _one(checker, text.format(p=f"{share - 0.05:.1f}", y=2024))
    assert ruling.verdict == "accurate", ruling.explanation
    far = _one(checker, text.format(p=f"{2 * share:.1f}", y=2024))
    assert far.verdict == "wrong"


def test_a_share_in_a_city_uses_the_mois_totals(checker: Checker) -> None:
    ruling = _one(checker, "안산시는 주민 10명 중 1명이 외국인이다.")
    foreign, total = (c.value for c in ruling.citations)
    assert [c.dataset for c in ruling.citations] == ["mois_foreign_residents_sigungu",
                                                     "mois_population_sigungu"]
    assert ruling.verdict != "cannot_check"
    assert f"{100 * foreign / total:.1f} %" in ruling.explanation


def test_half_is_a_share_and_a_share_among_another_group_cannot_be_checked(
        checker: Checker) -> None:
    claims = find_claims("이주 노동자 중 절반 이상이 불법 체류자라고 한다.")
    assert [(c.value, c.unit, c.hedge, c.share_of) for c in claims] == [
        (50.0, "percent", "over", "workers")]
    ruling = _one(checker, "이주 노동자 중 절반 이상이 불법 체류자라고 한다.")
    assert ruling.verdict == "cannot_check"


def test_regional_tables_answer_for_their_province(checker: Checker) -> None:
    seoul = _value(checker, "seoul_population_by_district", "2017-Q1", "11",
                   population_group="registered_foreigners")
    in_seoul = _one(checker, f"2017년 1분기 서울의 등록외국인은 {seoul:,.0f}명이다.")
    assert in_seoul.verdict == "accurate"
    jeju = _value(checker, "jeju_foreign_residents_district", "2023", "50", group="workers")
    ruling = _one(checker, f"2023년 제주의 외국인근로자는 {jeju:,.0f}명이다.")
    assert ruling.verdict == "accurate"
    assert ruling.citations[0].value == jeju
    ck = _value(checker, "chungnam_foreign_residents_nationality", "2024", "44",
                nationality="CHN-KR")
    assert _one(checker, f"충남에 사는 조선족은 {ck:,.0f}명이다.").citations[0].value == ck


def test_undated_registered_foreigners_cite_the_latest_count(checker: Checker) -> None:
    latest = _value(checker, "moj_stay_longterm", "2024")
    for text in (f"등록외국인이 약 {latest / 1e4:.0f}만 명이다.",
                 f"2024년 말 등록외국인은 {latest / 1e4:.0f}만 명이다.",
                 f"Roughly {latest / 1e6:.1f} million registered foreigners lived here at the "
                 "end of 2024."):
        ruling = _one(checker, text)
        assert ruling.citations[0].dataset == "moj_stay_longterm", text
        assert ruling.verdict == "accurate", text


def test_flows_and_world_tables(checker: Checker) -> None:
    granted = _value(checker, "moj_naturalisations_by_type", "2024",
                     acquisition_type="naturalisation", stage="granted")
    assert _one(checker, f"2024년 귀화 허가는 {granted:,.0f}명이다.").verdict == "accurate"
    stock = _value(checker, "undesa_migrant_stock", "2020", "410", sex="_T")
    ruling = _one(checker, f"Korea's international migrant stock was {stock / 1e6:.1f} million "
                  "in 2020")
    assert ruling.verdict == "accurate"
    assert ruling.citations[0].value == stock


@pytest.mark.parametrize("text", ["불법체류 단속 예산이 120억으로 늘었다.",
                                  "외국인 유학생 등록금이 30% 올랐다.",
                                  "The visa fee for foreign workers rose 10 percent."])
def test_money_is_not_people(text: str) -> None:
    assert find_claims(text) == []


def test_an_era_of_n_is_a_lower_bound(checker: Checker) -> None:
    latest = max(checker.infos["moj_students_monthly"].periods)
    students = _value(checker, "moj_students_monthly", latest)
    claim = _one(checker, f"외국인 유학생 {students / 1.1 / 1e4:.0f}만 명 시대다.")
    assert claim.claim.hedge == "over"
    assert claim.verdict == "accurate"
    assert _one(checker, "E-9 도입 쿼터는 16만 5천 명이다.").verdict == "cannot_check"


def test_a_nationality_share_inside_a_population(checker: Checker) -> None:
    latest = max(checker.infos["moj_students_monthly"].periods)
    vietnamese = _value(checker, "moj_students_monthly", latest, nationality="VNM")
    everyone = _value(checker, "moj_students_monthly", latest)
    ruling = _one(checker, "유학생 10명 중 4명은 베트남 출신이다.")
    assert [c.value for c in ruling.citations] == [vietnamese, everyone]
    assert f"{100 * vietnamese / everyone:.1f} %" in ruling.explanation
    # a share of E-9 among workers: the whole is another population, not all foreigners
    assert _one(checker, "외국인 노동자의 절반이 E-9이다.").verdict == "cannot_check"


def test_a_figure_nearer_another_population_is_named(checker: Checker) -> None:
    nationals = _value(checker, "mois_foreign_residents_sigungu", "2019", "영등포구",
                       group="foreign_nationals", sex="_T")
    residents = _value(checker, "mois_foreign_residents_sigungu", "2019", "영등포구",
                       group="_T", sex="_T")
    ruling = _one(checker, f"2019년 영등포구 외국인은 {residents:,.0f}명이다.")
    # 외국인 = foreign nationals; the 외국인주민 total (with naturalised Koreans) is named
    assert ruling.citations[0].value == nationals
    assert ruling.citations[1].value == residents
    assert "different population" in ruling.explanation


@pytest.mark.parametrize(("text", "codes"), [("타이 국적자는 19만 명이다.", ("THA",)),
                                             ("캄보디아 출신 노동자 5만 명", ("KHM",))])
def test_more_ways_of_naming_a_nationality(text: str, codes: tuple[str, ...]) -> None:
    assert [c.nationalities for c in find_claims(text)] == [codes]


def test_changes_and_antecedent_wholes_cannot_be_checked(checker: Checker) -> None:
    change = _one(checker, "외국인 유학생이 3만 명 늘었다.")
    assert change.verdict == "cannot_check"
    assert "change" in change.explanation
    # "으로 늘었다" names the level reached: a stock, checked as usual
    assert _one(checker, "외국인 유학생이 32만 명으로 늘었다.").verdict == "accurate"
    among = _one(checker, "외국인 교환학생 프로그램이 있는데, 그중 절반 정도가 러시아 출신이더라.")
    assert among.claim.share_of == "context"
    assert among.verdict == "cannot_check"


def test_english_ratios_and_visa_free_entry(checker: Checker) -> None:
    ruling = _one(checker, "One in three undocumented foreigners entered visa-free in 2022.")
    assert ruling.claim.status == "B-1"
    assert round(ruling.claim.value, 1) == 33.3
    assert ruling.verdict != "cannot_check"


def test_a_survey_share_far_from_its_group_is_spotted(checker: Checker) -> None:
    text = ("According to a recent survey, about 70 percent of the respondents answered "
            "that there are many criminals among immigrants.")
    ruling = _one(checker, text)
    assert ruling.claim.unit == "percent"
    assert ruling.verdict == "cannot_check"
    # without a survey word a far-away share stays unowned
    assert find_claims("About 70 percent of the houses in the old town, which many "
                       "immigrants left long ago, are empty.") == []


def test_undated_regional_claims_take_the_latest_table(checker: Checker) -> None:
    jeju = _value(checker, "jeju_foreign_residents_district", "2023", "50", group="workers")
    ruling = _one(checker, "제주도 외국인 근로자는 1만 1천 명이다.")
    assert ruling.citations[0].dataset == "jeju_foreign_residents_district"
    assert ruling.citations[0].value == jeju
    every = _value(checker, "jeju_foreign_residents_district", "2023", "50")
    total = _one(checker, f"2023년 11월 제주 외국인주민은 {every:,.0f}명이다.")
    assert total.verdict == "accurate"


def test_english_places_and_statuses_of_students(checker: Checker) -> None:
    assert find_claims("In 2019, Ansan had about 93,000 foreign residents.")[0].area == "41270"
    latest = max(checker.infos["moj_students_monthly"].periods)
    d2 = _value(checker, "moj_students_monthly", latest, residence_status="D-2")
    assert _one(checker, f"유학생(D-2)은 {d2:,.0f}명이다.").citations[0].value == d2
    stay = _value(checker, "moj_stay_monthly_status", "2022-12")
    undocumented = _value(checker, "moj_undocumented", "2022")
    rate = _one(checker, f"2022년 외국인 중 불법체류자 비율은 {100 * undocumented / stay:.1f}%다.")
    assert rate.verdict == "accurate"

"""Words of a profile in Korean and English, and how numbers are written."""

from __future__ import annotations

from typing import Literal

__all__ = ["LANGS", "Lang", "fmt_count", "fmt_number", "fmt_percent", "group_label", "t"]

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("외국인주민 근거 프로필", "Foreign-resident evidence profile"),
    "reference": ("기준 연도", "Reference year"),
    "generated": ("migralink 작성", "Produced by migralink"),
    "key": ("주요 수치", "Key figures"),
    "key_intro": ("이 지역의 값을 소속 시도와 전국의 값과 비교합니다.",
                  "This area's figures against its province and the nation."),
    "indicator": ("지표", "Indicator"),
    "this_area": ("이 지역", "This area"),
    "province": ("시도", "Province"),
    "nation": ("전국", "Nation"),
    "rank": ("순위", "Rank among peers"),
    "trend": ("추이", "Trends"),
    "composition": ("구성", "Composition"),
    "similar": ("비슷한 지역", "Similar areas"),
    "segregation": ("거주 분리", "Residential segregation"),
    "missing": ("빠진 자료와 그 이유", "What is missing, and why"),
    "definitions": ("지표 정의", "Definitions"),
    "sources": ("출처", "Sources"),
    "disclosure": ("공개 통제", "Disclosure control"),
    "figure": ("그림", "Figure"),
    "table": ("표", "Table"),
    "data_of": ("의 자료", "data"),
    "region": ("지역", "Area"),
    "value": ("값", "Value"),
    "count": ("인원", "Persons"),
    "share": ("비율", "Share"),
    "year": ("연도", "Year"),
    "distance": ("거리", "Distance"),
    "largest_group": ("가장 많은 유형", "Largest group"),
    "status": ("체류자격", "Residence status"),
    "group": ("유형", "Group"),
    "foreign_residents": ("외국인주민 수", "Foreign residents"),
    "population": ("총인구", "Total population"),
    "yes": ("예", "yes"),
    "no": ("아니요", "no"),
    "dataset": ("자료", "Dataset"),
    "version": ("버전", "Version"),
    "reference_date": ("기준일", "Reference date"),
    "file": ("파일", "File"),
    "publisher": ("작성기관", "Publisher"),
    "index": ("지수", "Index"),
    "scope": ("범위", "Scope"),
    "suppressed": ("비공개", "suppressed"),
}

_GROUPS: dict[str, tuple[str, str]] = {
    "workers": ("외국인근로자", "Migrant workers"),
    "marriage_migrants": ("결혼이민자", "Marriage migrants"),
    "students": ("유학생", "International students"),
    "overseas_koreans": ("외국국적동포", "Overseas Koreans"),
    "other_foreigners": ("기타 외국인", "Other foreigners"),
    "naturalised": ("한국국적 취득자", "Naturalised citizens"),
    "children": ("외국인주민 자녀", "Children of foreign residents"),
    "foreign_nationals": ("외국국적자", "Foreign nationals"),
    "_T": ("계", "Total"),
}


def t(key: str, lang: Lang) -> str:
    """The word ``key`` in ``lang``."""
    ko, en = _WORDS[key]
    return ko if lang == "ko" else en


def group_label(code: str, lang: Lang) -> str:
    """A MOIS foreign-resident type in ``lang`` (the code itself if unknown)."""
    ko, en = _GROUPS.get(code, (code, code))
    return ko if lang == "ko" else en


def fmt_count(value: float | None) -> str:
    """``92,787``; an en dash for no value."""
    return "–" if value is None else f"{round(value):,}"


def fmt_number(value: float | None, digits: int = 2) -> str:
    """``0.36``; an en dash for no value."""
    return "–" if value is None else f"{value:,.{digits}f}"


def fmt_percent(value: float | None, digits: int = 2) -> str:
    """``12.98%``; an en dash for no value."""
    return "–" if value is None else f"{value:,.{digits}f}%"

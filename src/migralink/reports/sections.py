"""The text sections of a profile: similar areas, segregation, what is missing,
definitions, sources and disclosure notes."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from migralink.codes import NATIONAL
from migralink.reports.data import ProfileData
from migralink.reports.i18n import fmt_number, fmt_percent, group_label, t

if TYPE_CHECKING:
    from migralink.reports.profile import Profile

__all__ = ["definitions_section", "disclosure_section", "missing_section",
           "segregation_section", "similar_section", "sources_section"]

_GROUPS = ("workers", "marriage_migrants", "students", "overseas_koreans", "other_foreigners",
           "naturalised", "children")
_SEGREGATION = ("dissimilarity_foreign_residents", "isolation_foreign_residents",
                "exposure_foreign_residents")


def _features(data: ProfileData, region: str, period: str) -> list[float] | None:
    cagr = next((c.value for _, code, c in data.series("foreign_residents_cagr", region)
                 if code == "_T"), None)
    values = [data.value("foreign_share", region, period), cagr,
              data.value("sex_ratio_foreign_residents", region, period),
              *(data.value("composition_by_group", region, period, g) for g in _GROUPS)]
    return None if any(v is None for v in values) else [float(v or 0) for v in values]


def similar_section(p: Profile, data: ProfileData) -> dict[str, Any] | None:
    """The five areas of the same level nearest in indicator profile (z-scored)."""
    level = data.levels.get(p.region)
    units = {r: f for r, lv in data.levels.items()
             if lv == level and (f := _features(data, r, p.period)) is not None}
    if p.region not in units or len(units) < 6:
        return None
    columns = list(zip(*units.values(), strict=True))
    means = [sum(c) / len(c) for c in columns]
    sds = [math.sqrt(sum((x - m) ** 2 for x in c) / len(c)) or 1.0
           for c, m in zip(columns, means, strict=True)]
    z = {r: [(x - m) / s for x, m, s in zip(f, means, sds, strict=True)]
         for r, f in units.items()}
    mine = z[p.region]
    near = sorted((math.dist(mine, v), r) for r, v in z.items() if r != p.region)[:5]
    rows = []
    for dist, r in near:
        largest = max(_GROUPS, key=lambda g: data.value("composition_by_group", r, p.period, g)
                      or 0)
        rows.append([data.label(r, p.lang), fmt_number(dist),
                     fmt_percent(data.value("foreign_share", r, p.period)),
                     group_label(largest, p.lang)])
    text = (f"외국인주민 비율, 증가율, 성비, 유형별 구성 {len(mine)}개 지표를 표준화해 "
            f"같은 수준의 {len(units) - 1}개 지역과 거리를 계산했습니다."
            if p.lang == "ko" else
            f"Distance over {len(mine)} standardised indicators (share, growth, sex ratio, "
            f"composition by type) to the {len(units) - 1} other areas of the same level.")
    return {"heading": t("similar", p.lang), "blocks": [
        {"type": "text", "text": text},
        {"type": "table", "title": t("similar", p.lang),
         "header": [t("region", p.lang), t("distance", p.lang),
                    data.catalogue["foreign_share"][f"name_{p.lang}"],
                    t("largest_group", p.lang)], "rows": rows}]}


def segregation_section(p: Profile, data: ProfileData) -> dict[str, Any] | None:
    """Dissimilarity, isolation and exposure across the local governments of the province."""
    province = data.province(p.region)
    rows = []
    for area in (province, NATIONAL):
        values = [data.value(ind, area, p.period) for ind in _SEGREGATION]
        if any(v is not None for v in values):
            name = data.name(area, p.lang) if area != NATIONAL else t("nation", p.lang)
            rows.append([name, *(fmt_number(v, 3) for v in values)])
    if not rows:
        return None
    p.indicators.update(_SEGREGATION)
    if p.lang == "ko":
        text = ("시도 안 시군구 사이의 분리 지수입니다. 시군구 안(읍면동 사이)의 분리는 "
                "읍면동별 외국인주민 수가 없어 계산할 수 없습니다.")
    else:
        text = ("Indices across the local governments of the province. Segregation within a "
                "local government (between 읍면동) cannot be computed: there are no "
                "foreign-resident counts below the local government.")
    header = [t("scope", p.lang), *(data.catalogue[i][f"name_{p.lang}"] for i in _SEGREGATION)]
    return {"heading": t("segregation", p.lang), "blocks": [
        {"type": "text", "text": text},
        {"type": "table", "title": f"{t('segregation', p.lang)} ({p.period})",
         "header": header, "rows": rows}]}


def missing_section(p: Profile, data: ProfileData) -> dict[str, Any]:
    """What the shipped data cannot say about this area, and how a user fills it."""
    level = data.levels.get(p.region)
    last = data.periods.get(p.region, [p.period])[-1]
    ko = p.lang == "ko"
    items = [
        f"{last}년 이후 이 지역의 외국인주민 수: 행정안전부 외국인주민 현황 시군구 표가 "
        f"{last}년에서 끝납니다." if ko else
        f"Foreign residents after {last}: the MOIS sigungu table in the shipped data ends in "
        f"{last}.",
        "국적별 구성과 다양성: 지역과 국적을 함께 나눈 표가 없습니다 (충청남도 2024년 제외)."
        if ko else "Composition and diversity by nationality: no table crosses region and "
        "nationality (except Chungcheongnam-do, 2024).",
        "고용·교육·주거 등 정착 성과 지표: 이주 배경별 성과 자료가 없습니다." if ko else
        "Settling-in outcomes (employment, education, housing): no outcome data by migrant "
        "status.",
    ]
    if level != "sido":
        items.insert(1, "체류자격별 구성: 법무부 지역별 표는 시도 단위, 2018년뿐입니다." if ko else
                     "Composition by residence status: the MOJ regional table is by province, "
                     "for 2018 only.")
        items.insert(2, "지역 안의 거주 분리: 읍면동별 외국인주민 수가 없습니다." if ko else
                     "Segregation within the area: no foreign-resident counts below the local "
                     "government.")
    if level == "gu":
        items.append("순위는 시군구(자치단체)에 대해서만 계산합니다." if ko else
                     "Ranks are computed for local governments only, not districts of cities.")
    fill = ("채우는 방법: KOSIS_API_KEY를 설정하고 'migralink fetch kosis 110 TX_11025_A000_A "
            "--start 2020 --end 2024'로 받은 표를 ingest 하십시오." if ko else
            "To fill it: set KOSIS_API_KEY and run 'migralink fetch kosis 110 TX_11025_A000_A "
            "--start 2020 --end 2024', then ingest the table it writes.")
    return {"heading": t("missing", p.lang), "blocks": [
        {"type": "list", "items": items}, {"type": "text", "text": fill}]}


def definitions_section(p: Profile, data: ProfileData) -> dict[str, Any]:
    """The definition and caveats of every indicator the profile shows."""
    rows = []
    for ind in sorted(p.indicators):
        entry = data.catalogue.get(ind)
        if entry is None:
            continue
        text = str(entry[f"definition_{p.lang}"] or "")
        caveat = str(entry.get(f"caveats_{p.lang}") or "")
        rows.append([str(entry[f"name_{p.lang}"]), f"{text} {caveat}".strip()])
    return {"heading": t("definitions", p.lang), "blocks": [
        {"type": "table", "title": t("definitions", p.lang),
         "header": [t("indicator", p.lang), t("definitions", p.lang)], "rows": rows,
         "widths": [1, 3]}]}


def sources_section(p: Profile, data: ProfileData) -> dict[str, Any]:
    """Every dataset version behind the profile, with its files and their sha256."""
    used = sorted({pair for ind in p.indicators for pair in data.provenance.get(ind, ())})
    blocks: list[dict[str, Any]] = []
    for pair in used:
        info = data.sources.get(pair)
        if info is None:
            continue
        title = info.title_ko if p.lang == "ko" else info.title_en
        lines = [f"{t('publisher', p.lang)}: {info.publisher}",
                 f"{t('version', p.lang)} {info.version} · {t('reference_date', p.lang)}: "
                 f"{info.reference_date}"]
        lines += [f"{t('file', p.lang)}: {f.name} · sha256 {f.sha256}" for f in info.files]
        blocks.append({"type": "source", "title": f"{title} ({info.dataset})", "lines": lines})
    released = data.released.ref
    blocks.append({"type": "text", "text": (
        f"지표: migralink 'indicators' 자료 버전 {released.version}." if p.lang == "ko" else
        f"Indicators: migralink dataset 'indicators', version {released.version}.")})
    return {"heading": t("sources", p.lang), "blocks": blocks}


def disclosure_section(p: Profile, data: ProfileData) -> dict[str, Any]:
    """What disclosure control did to the figures shown."""
    released = data.released
    mine = [c for ind in p.indicators for _, _, c in data.series(ind, p.region)]
    hidden = sum(1 for c in mine if c.conf_status != "F")
    policy = released.policy
    if p.lang == "ko":
        kind = ("부처가 공표한 집계표에서 계산한 값으로, 공표된 그대로 공개합니다(CONF_STATUS F)."
                if released.public else "등록부에서 만든 표로, 공개 통제를 거쳤습니다.")
        lines = [f"이 프로필의 모든 수치는 API와 같은 공개 경로(공개 통제)를 거쳤습니다. {kind}",
                 f"{'등록부 자료에 적용되는 ' if released.public else ''}공개 기준: "
                 f"{policy.threshold}명 미만 셀 비공개, 보호 폭 {policy.protection:.0%}. "
                 f"이 지역에서 비공개된 셀: {hidden}개."]
    else:
        kind = ("They are computed from the ministries' published tables and released as "
                "published (CONF_STATUS F)." if released.public else
                "They come from a register-derived table and are protected.")
        lines = [f"Every figure went through the same release path as the API (disclosure "
                 f"control). {kind}",
                 f"{'Policy for register-derived tables' if released.public else 'Policy'}: "
                 f"cells below {policy.threshold} persons are suppressed, protection "
                 f"{policy.protection:.0%}. Cells suppressed for this area: {hidden}."]
    return {"heading": t("disclosure", p.lang), "blocks": [{"type": "list", "items": lines}]}

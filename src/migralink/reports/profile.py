"""A region's profile as a document: sections of text, figures with their tables, tables.

The document is plain data (JSON-ready dicts) that the Typst and HTML templates lay out;
every figure carries the table of the values it draws, and every number comes from the
released indicators of :class:`~migralink.reports.data.ProfileData`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migralink.codes import NATIONAL
from migralink.errors import QueryError
from migralink.reports import charts
from migralink.reports.data import ProfileData
from migralink.reports.i18n import Lang, fmt_count, fmt_number, fmt_percent, group_label, t
from migralink.reports.sections import (
    definitions_section,
    disclosure_section,
    missing_section,
    segregation_section,
    similar_section,
    sources_section,
)

__all__ = ["LEVELS", "Profile", "build_profile", "resolve_profile_region"]

#: The levels a profile is made for.
LEVELS = ("sido", "sigungu", "gu")
GROUPS = ("workers", "marriage_migrants", "students", "overseas_koreans", "other_foreigners",
          "naturalised", "children")
PEERS = {"city": ("시", "cities"), "county": ("군", "counties"),
         "district": ("자치구", "autonomous districts")}


@dataclass
class Profile:
    """One region's profile in one language: its sections and its charts (Vega-Lite)."""

    region: str
    period: str
    lang: Lang
    title: str
    subtitle: str
    sections: list[dict[str, Any]] = field(default_factory=list)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: set[str] = field(default_factory=set)

    def figure(self, title: str, spec: dict[str, Any], header: list[str],
               rows: list[list[str]], note: str = "") -> dict[str, Any]:
        """A figure block: the chart, then its data table (numbered alike)."""
        number = len(self.charts) + 1
        key = f"chart{number}"
        self.charts[key] = spec
        kind = spec.get("mark", {})
        width = 72 if isinstance(kind, dict) and kind.get("type") == "bar" else 82
        if self.lang == "ko":
            caption = f"그림 {number}. {title}"
            table_caption = f"표 {number}. 그림 {number}의 자료: {title}"
        else:
            caption = f"Figure {number}. {title}"
            table_caption = f"Table {number}. Data of figure {number}: {title}"
        return {"type": "figure", "number": number, "title": title, "chart": key,
                "caption": caption, "table_caption": table_caption, "width": width,
                "table": {"header": header, "rows": rows}, "note": note}

    def texts(self) -> list[str]:
        """Every string of the document (for the glyph check)."""
        found: list[str] = [self.title, self.subtitle]

        def walk(node: Any) -> None:
            if isinstance(node, str):
                found.append(node)
            elif isinstance(node, dict):
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.sections)
        return found

    def as_dict(self) -> dict[str, Any]:
        """The document for the templates (runs of white space made one space)."""
        return {"lang": self.lang, "region": self.region, "period": self.period,
                "title": self.title, "subtitle": self.subtitle,
                "sections": _spaced(self.sections)}


def _spaced(node: Any) -> Any:
    if isinstance(node, str):
        return " ".join(node.split())
    if isinstance(node, dict):
        return {k: _spaced(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_spaced(v) for v in node]
    return node


def resolve_profile_region(data: ProfileData, text: str) -> str:
    """A region's code from a code or a name (경기도, 안산시, Ansan-si).

    Raises:
        CodeError: an unknown region. QueryError: a level with no profile.
    """
    from migralink.codes import resolve_region

    code = text if text in data.levels else str(resolve_region(text))
    level = data.levels.get(code)
    if level not in LEVELS:
        raise QueryError(title=f"no profile for {text!r} ({level or 'unknown'} level)",
                         hint="give a province (경기도), a local government (안산시) or a "
                         "district of a city")
    return code


def _former_codes(data: ProfileData, region: str) -> list[str]:
    """Earlier codes of the same unit (same name) that hold figures: 51 → 42 (강원)."""
    return sorted(c for c, (_, en) in data.names.items() if c != region
                  and en == data.name(region, "en") and data.periods.get(c))


def _with_figures(data: ProfileData, region: str) -> str:
    # a unit recoded without a boundary change (강원도 42 → 강원특별자치도 51 in 2023)
    # has its figures under the former code: the profile is of that code, as published
    if data.periods.get(region):
        return region
    former = _former_codes(data, region)
    return former[-1] if len(former) == 1 else region


def _period(data: ProfileData, region: str, period: str | None) -> str:
    periods = data.periods.get(region, [])
    if not periods:
        former = _former_codes(data, region)
        raise QueryError(
            title=f"no foreign-resident figures for {data.name(region, 'en')} ({region})",
            hint=(f"figures exist under its former code {', '.join(former)}; "
                  if former else "") + "the shipped MOIS tables cover 2015-2019 for units "
            "that existed then; ingest a newer table (see docs/reports.md)")
    if period is None:
        return periods[-1]
    if period not in periods:
        raise QueryError(title=f"no figures for {region} in {period}",
                         hint=f"periods with figures: {', '.join(periods)}")
    return period


def build_profile(data: ProfileData, region: str, period: str | None, lang: Lang) -> Profile:
    """The profile of ``region`` (a code) for ``period`` (default: the latest).

    Raises:
        QueryError: no figures for the region or period.
    """
    region = _with_figures(data, region)
    period = _period(data, region, period)
    name_ko, name_en = data.names[region]
    province = data.province(region)
    if data.levels.get(region) == "gu":  # a district is named with its city: 안산시 단원구
        city = data.parents.get(region, "")
        name_ko = f"{data.name(city, 'ko')} {name_ko}"
        name_en = f"{name_en}, {data.name(city, 'en')}"
    title = name_ko if lang == "ko" else f"{name_en} ({name_ko})"
    if province != region:
        title = f"{data.name(province, lang)} {title}" if lang == "ko" else (
            f"{title}, {data.name(province, lang)}")
    profile = Profile(region, period, lang, title,
                      f"{t('title', lang)} · {t('reference', lang)} {period}")
    builders = (_key_figures, _rank, _trend, _composition, similar_section,
                segregation_section, missing_section, definitions_section, sources_section,
                disclosure_section)
    for build in builders:
        section = build(profile, data)
        if section is not None:
            profile.sections.append(section)
    return profile


def _scope(data: ProfileData, region: str) -> list[str]:
    province = data.province(region)
    return [region] if province == region else [region, province]


def _key_figures(p: Profile, data: ProfileData) -> dict[str, Any]:
    areas = [*_scope(data, p.region), NATIONAL]
    cagr = next((period for period, code, _ in data.series("foreign_residents_cagr", p.region)
                 if code == "_T"), None)
    rows: list[list[str]] = []

    def add(label: str, indicator: str, period: str | None, show: Any,
            measure: str = "value") -> None:
        if period is None:
            return
        p.indicators.add(indicator)
        cells = [data.cell(indicator, area, period) for area in areas]
        values = [None if c is None else getattr(c, measure) for c in cells]
        rows.append([label, *(show(v) for v in values)])

    add(t("foreign_residents", p.lang), "foreign_share", p.period, fmt_count, "numerator")
    add(t("population", p.lang), "foreign_share", p.period, fmt_count, "denominator")
    for ind, show, period in (
        ("foreign_share", fmt_percent, p.period),
        ("foreign_residents_yoy", fmt_percent, p.period),
        ("foreign_residents_cagr", fmt_percent, cagr),
        ("share_of_national_foreign_residents", fmt_percent, p.period),
        ("sex_ratio_foreign_residents", fmt_number, p.period),
    ):
        name = data.catalogue[ind][f"name_{p.lang}"]
        add(f"{name} ({period})" if period != p.period else name, ind, period, show)
    if data.levels.get(p.region) != "sido":
        flag = data.value("concentration_area", p.region, p.period)
        p.indicators.add("concentration_area")
        rows.append([data.catalogue["concentration_area"][f"name_{p.lang}"],
                     "–" if flag is None else t("yes" if flag else "no", p.lang),
                     *(["–"] * (len(areas) - 1))])
    header = [t("indicator", p.lang), data.name(p.region, p.lang),
              *(data.name(a, p.lang) for a in areas[1:-1]), t("nation", p.lang)]
    return {"heading": t("key", p.lang), "blocks": [
        {"type": "text", "text": t("key_intro", p.lang)},
        {"type": "table", "title": f"{t('key', p.lang)} ({p.period})", "header": header,
         "rows": rows}]}


def _peer_group(data: ProfileData, region: str, period: str) -> str | None:
    for code in PEERS:
        if data.cell("rank_foreign_share", region, period, code) is not None:
            return code
    return None


def _rank(p: Profile, data: ProfileData) -> dict[str, Any] | None:
    level = data.levels.get(p.region)
    if level == "sido":
        peers = [c for c, lv in data.levels.items() if lv == "sido"]
        group, label = None, ("시도" if p.lang == "ko" else "provinces")
    else:
        group = _peer_group(data, p.region, p.period)
        if group is None:
            return None
        label = PEERS[group][0 if p.lang == "ko" else 1]
        peers = data.regions_with("rank_foreign_share", p.period, group)
    values: list[tuple[float, str]] = sorted(
        ((v, r) for r in set(peers) if (v := data.value("foreign_share", r, p.period))
         is not None), key=lambda x: (-x[0], x[1]))
    if len(values) < 2 or p.region not in {r for _, r in values}:
        return None
    p.indicators.update({"foreign_share", "rank_foreign_share"})
    rank = next(i for i, (_, r) in enumerate(values, 1) if r == p.region)
    name = data.catalogue["foreign_share"][f"name_{p.lang}"]
    points = [{"value": round(v, 3), "focus": r == p.region,
               "label": data.name(r, p.lang) if r == p.region else ""} for v, r in values]
    rows = [[str(i), data.label(r, p.lang) + (" ◀" if r == p.region else ""), fmt_percent(v)]
            for i, (v, r) in enumerate(values, 1)]
    overall = data.value("rank_foreign_share", p.region, p.period, "all")
    if p.lang == "ko":
        text = f"{p.period}년 외국인주민 비율은 {label} {len(values)}곳 중 {rank}위입니다."
        if overall is not None and group is not None:
            text += f" 전체 시군구 중에서는 {int(overall)}위입니다."
    else:
        text = f"In {p.period} the foreign-resident share ranks {rank} of {len(values)} {label}."
        if overall is not None and group is not None:
            text += f" Among all local governments it ranks {int(overall)}."
    figure = p.figure(f"{name}: {label} ({p.period})", charts.dot_plot(points, f"{name} (%)"),
                      ["#", t("region", p.lang), f"{t('share', p.lang)} (%)"], rows)
    return {"heading": t("rank", p.lang), "blocks": [{"type": "text", "text": text}, figure]}


def _trend(p: Profile, data: ProfileData) -> dict[str, Any] | None:
    areas = [*_scope(data, p.region), NATIONAL]
    years = [y for y in data.periods.get(p.region, []) if y <= p.period]
    if len(years) < 2:
        return None
    names = [data.name(a, p.lang) if a != NATIONAL else t("nation", p.lang) for a in areas]
    points = [{"year": y, "series": n, "value": v}
              for a, n in zip(areas, names, strict=True) for y in years
              if (v := data.value("foreign_share", a, y)) is not None]
    rows = []
    for y in years:
        count = data.cell("foreign_share", p.region, y)
        rows.append([y, fmt_count(count.numerator if count else None),
                     *(fmt_percent(data.value("foreign_share", a, y)) for a in areas)])
    name = data.catalogue["foreign_share"][f"name_{p.lang}"]
    figure = p.figure(f"{name} {years[0]}–{years[-1]}", charts.line_chart(points, f"{name} (%)"),
                      [t("year", p.lang), f"{t('foreign_residents', p.lang)} "
                       f"({data.name(p.region, p.lang)})", *names], rows)
    return {"heading": t("trend", p.lang), "blocks": [figure]}


def _composition(p: Profile, data: ProfileData) -> dict[str, Any] | None:
    blocks: list[dict[str, Any]] = []
    parts = [(g, data.cell("composition_by_group", p.region, p.period, g)) for g in GROUPS]
    present = [(g, c) for g, c in parts if c is not None and c.value is not None]
    name = data.catalogue["composition_by_group"][f"name_{p.lang}"]
    if present:
        p.indicators.add("composition_by_group")
        present.sort(key=lambda gc: -(gc[1].value or 0))
        points = [{"label": group_label(g, p.lang), "value": round(c.value or 0, 3)}
                  for g, c in present]
        rows = [[group_label(g, p.lang), fmt_count(c.numerator), fmt_percent(c.value)]
                for g, c in present]
        blocks.append(p.figure(f"{name} ({data.name(p.region, p.lang)}, {p.period})",
                               charts.bar_chart(points, f"{t('share', p.lang)} (%)"),
                               [t("group", p.lang), t("count", p.lang), t("share", p.lang)],
                               rows))
    province = data.province(p.region)
    found = data.series("composition_by_status_registered", province)
    status = [(code, c) for _, code, c in found if code != "_T" and c.value is not None]
    if status:
        p.indicators.add("composition_by_status_registered")
        year = found[0][0]
        status.sort(key=lambda sc: -(sc[1].value or 0))
        top = status[:10]
        labels = [f"{s} {data.statuses.get(s, (s, s))[0 if p.lang == 'ko' else 1]}"
                  for s, _ in top]
        points = [{"label": lab, "value": round(c.value or 0, 3)}
                  for lab, (_, c) in zip(labels, top, strict=True)]
        rows = [[lab, fmt_count(c.numerator), fmt_percent(c.value)]
                for lab, (_, c) in zip(labels, top, strict=True)]
        sname = data.catalogue["composition_by_status_registered"][f"name_{p.lang}"]
        note = "" if province == p.region else (
            "체류자격별 등록외국인은 시도 단위로만 공표되어 소속 시도의 값을 보입니다."
            if p.lang == "ko" else "Registered foreigners by residence status are published "
            "for provinces only: this is the province's composition.")
        blocks.append(p.figure(f"{sname} ({data.name(province, p.lang)}, {year}, top 10)",
                               charts.bar_chart(points, f"{t('share', p.lang)} (%)"),
                               [t("status", p.lang), t("count", p.lang), t("share", p.lang)],
                               rows, note))
    blocks += _nationality(p, data, province)
    if not blocks:
        return None
    return {"heading": t("composition", p.lang), "blocks": blocks}


def _nationality(p: Profile, data: ProfileData, province: str) -> list[dict[str, Any]]:
    """Nationality diversity where a table crosses region and nationality (Chungnam)."""
    rows = []
    for ind, show in (("nationality_shannon_chungnam", fmt_number),
                      ("nationality_top3_share_chungnam", fmt_percent)):
        for period, code, cell in data.series(ind, province):
            if code == "_T" and cell.value is not None:
                p.indicators.add(ind)
                rows.append([str(data.catalogue[ind][f"name_{p.lang}"]), period,
                             show(cell.value)])
    if not rows:
        return []
    title = (f"국적 다양성 ({data.name(province, p.lang)})" if p.lang == "ko" else
             f"Nationality diversity ({data.name(province, p.lang)})")
    return [{"type": "table", "title": title,
             "header": [t("indicator", p.lang), t("year", p.lang), t("value", p.lang)],
             "rows": rows}]

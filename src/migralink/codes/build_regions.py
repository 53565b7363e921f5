"""Build the shipped region files from the shared source data.

Run ``python -m migralink.codes.build_regions ../shared/data src/migralink/codes/data``.
Inputs (paths under the shared data folder):

* ``codes/mois-jscode-20240801/KIKcd_H.20240801.xlsx``: MOIS 행정동코드 with history;
* ``codes/tidycensuskr/adm_sgis_lookup_2024.csv``: English names and SGIS codes by year.

Outputs: ``regions.csv``, ``region_successions.csv``, ``kostat_crosswalk.csv``. Source
quirks handled here: rows whose 말소일자 is not after their 생성일자 (401 placeholders,
one inverted row) are dropped; 출장소/지소/분소 rows get level ``office``; Sejong's
sigungu row has an empty 시군구명 (named after the city).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from python_calamine import CalamineWorkbook

from migralink.codes.boundaries import (
    HAND_SUCCESSIONS,
    HISTORY_END,
    HISTORY_START,
    TOLERANCE_DAYS,
    Membership,
    partition_members,
)
from migralink.codes.regions import NATIONAL, NATIONAL_CODE10, trim_code
from migralink.errors import InputError

__all__ = [
    "add_english_names",
    "build_all",
    "build_crosswalk",
    "build_region_table",
    "derive_successions",
]

KIKCD_H = Path("codes/mois-jscode-20240801/KIKcd_H.20240801.xlsx")
SGIS_LOOKUP = Path("codes/tidycensuskr/adm_sgis_lookup_2024.csv")
_OFFICE = re.compile(r"출장|분소$|지소$")
_COLUMNS = ["code", "code10", "name_ko", "full_name_ko", "name_en", "level", "parent",
            "valid_from", "valid_to"]
_Link = tuple[str, str]
_Row = dict[str, Any]


def _day(text: str) -> date | None:
    return datetime.strptime(text, "%Y%m%d").date() if text else None


def _read_kikcd(path: Path) -> list[_Row]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("KIKcd_H").to_python()
    if [str(c) for c in rows[0]] != ["행정동코드", "시도명", "시군구명", "읍면동명", "생성일자",
                                     "말소일자"]:
        raise InputError(title=f"unexpected KIKcd_H header {rows[0]}", hint="check the file")
    out = []
    for code10, sido, sigungu, emd, start, end in ([str(c).strip() for c in r] for r in rows[1:]):
        valid_from, valid_to = _day(start), _day(end)
        if valid_to is not None and valid_from is not None and valid_to <= valid_from:
            continue  # placeholder (생성일자 = 말소일자) or inverted: never valid
        out.append({"code10": code10, "sido": sido, "sigungu": sigungu, "emd": emd,
                    "valid_from": valid_from, "valid_to": valid_to})
    return out


def _level(row: _Row) -> str:
    code10 = str(row["code10"])
    if _OFFICE.search(f"{row['sido']} {row['sigungu']} {row['emd']}"):
        return "office"
    if code10[2:] == "0" * 8:
        return "sido"
    if code10[5:] == "0" * 5:
        return "gu" if " " in str(row["sigungu"]) else "sigungu"
    return "emd"


def _city_of(row: _Row, sigungu: dict[str, list[_Row]]) -> str:
    """The city of a non-autonomous district, by name (안산시 상록구 → 41270)."""
    code, city = str(row["code"]), str(row["sigungu"]).split(" ")[0]
    guess = [code[:4] + "0", *sorted(c for c in sigungu if c[:2] == code[:2])]
    for candidate in guess:
        if any(r["name_ko"] == city for r in sigungu.get(candidate, [])):
            return candidate
    raise InputError(title=f"no city {city!r} for district {code}", hint="check KIKcd_H")


def build_region_table(kikcd_h: Path) -> pl.DataFrame:
    """The region history table (without English names) from the KIKcd_H workbook."""
    rows = _read_kikcd(kikcd_h)
    sido_names: dict[str, list[_Row]] = defaultdict(list)
    sigungu: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        row["level"] = _level(row)
        row["code"] = trim_code(str(row["code10"])) if row["level"] != "office" else (
            str(row["code10"])[:5] if str(row["code10"])[5:] == "00000" else row["code10"])
        parts = [str(row[k]) for k in ("sido", "sigungu", "emd") if row[k]]
        row["name_ko"] = parts[-1].split(" ")[-1] if row["level"] == "gu" else parts[-1]
        row["full_name_ko"] = " ".join(parts)
        if row["level"] == "sido":
            sido_names[str(row["code"])].append(row)
        if row["level"] == "sigungu":
            sigungu[str(row["code"])].append(row)
    for row in rows:
        code, level = str(row["code"]), row["level"]
        if level == "sido":
            row["parent"] = NATIONAL
        elif level == "sigungu":
            row["parent"] = code[:2]
        elif level == "gu":
            row["parent"] = _city_of(row, sigungu)
        elif level == "emd" or len(code) == 10:
            row["parent"] = code[:5]
        else:  # a sigungu-level branch office: of its city if the code says so, else sido
            row["parent"] = code[:4] + "0" if code[:4] + "0" in sigungu else code[:2]
        if level == "office" and _OFFICE.search(str(row["sido"])):
            sido = [r for r in sido_names[code[:2]] if r["valid_from"] <= row["valid_from"]]
            row["full_name_ko"] = f"{sido[-1]['name_ko'] if sido else ''} {row['name_ko']}".strip()
    country = {"code": NATIONAL, "code10": NATIONAL_CODE10, "name_ko": "전국",
               "full_name_ko": "전국", "name_en": "South Korea", "level": "country",
               "parent": "", "valid_to": None,
               "valid_from": min(r["valid_from"] for r in rows if r["level"] == "sido")}
    frame = pl.DataFrame([country, *rows], schema_overrides={"valid_to": pl.Date})
    return (frame.with_columns(pl.col("name_en").fill_null(""))
            .select(_COLUMNS).sort("code10", "valid_from"))


# --- successions ---------------------------------------------------------------------------


def _emd_units(regions: pl.DataFrame, partition: str) -> list[tuple[str, str, date, date]]:
    """(unit of the partition, 행정동 name, start, end) for every 행정동 row."""
    gu_city = dict(regions.filter(pl.col("level") == "gu").select("code", "parent").iter_rows())
    out = []
    for code, name, parent, start, end in regions.filter(pl.col("level") == "emd").select(
        "code", "name_ko", "parent", "valid_from", "valid_to"
    ).iter_rows():
        unit = code[:2] if partition == "sido" else parent
        if partition == "sigungu":
            unit = gu_city.get(unit, unit)
        out.append((unit, name, start, end or date.max))
    return out


def _children(emds: list[tuple[str, str, date, date]], day: date) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for unit, name, start, end in emds:
        if start <= day < end:
            found[unit].add(name)
    return found


def _clusters(days: list[date]) -> list[tuple[date, date]]:
    out: list[list[date]] = []
    for day in sorted(days):
        if out and (day - out[-1][-1]).days <= TOLERANCE_DAYS:
            out[-1].append(day)
        else:
            out.append([day])
    return [(group[0], group[-1]) for group in out]


def _name_links(given: dict[str, set[str]], gained: dict[str, set[str]]) -> set[_Link]:
    """Units linked by a 행정동 name that only one unit gave and only one unit gained.

    Names such as 중앙동 or 남면 recur in many units; a name shared by several givers or
    receivers says nothing about which went where, so it is ignored.
    """
    givers: dict[str, list[str]] = defaultdict(list)
    takers: dict[str, list[str]] = defaultdict(list)
    for unit, names in given.items():
        for name in names:
            givers[name].append(unit)
    for unit, names in gained.items():
        for name in names:
            takers[name].append(unit)
    return {(givers[n][0], takers[n][0]) for n in givers
            if len(givers[n]) == 1 and len(takers.get(n, [])) == 1}


def _classify(links: set[_Link], ended: set[str], existed: set[str]) -> dict[_Link, str]:
    succ: dict[str, int] = defaultdict(int)
    pred: dict[str, int] = defaultdict(int)
    for source, target in links:
        succ[source] += 1
        pred[target] += 1
    kinds = {}
    for source, target in links:
        if source not in ended:
            kinds[(source, target)] = "create"
        elif succ[source] > 1:
            kinds[(source, target)] = "split"
        elif target in existed or pred[target] > 1:
            kinds[(source, target)] = "merge"
        else:
            kinds[(source, target)] = "recode"
    return kinds


def _partition_links(regions: pl.DataFrame, partition: str, sido: Membership,
                     extra: dict[date, set[_Link]]) -> dict[date, dict[_Link, str]]:
    """The successions of one partition, by change day, from 행정동 names and ``extra``."""
    members = partition_members(regions, partition)
    emds = _emd_units(regions, partition)
    names = dict(regions.select("code", "name_ko").iter_rows())
    city = dict(regions.filter(pl.col("level") == "gu").select("code", "parent").iter_rows())
    days = [d for d in members.change_days() | set(extra) if HISTORY_START <= d <= HISTORY_END]
    out: dict[date, dict[_Link, str]] = {}
    for first, after in _clusters(days):
        before = first - timedelta(days=1)
        was, now = members.units_on(before), members.units_on(after)
        old, cont = was - now, was & now
        kids_before, kids_after = _children(emds, before), _children(emds, after)
        gained = {v: kids_after[v] - (kids_before[v] if v in cont else set()) for v in now}

        given = {u: kids_before[u] for u in old} | {u: kids_before[u] - kids_after[u]
                                                    for u in cont}
        # Across sido only from an ended unit into a new sido (강원 51, 세종 36) or under
        # the same name (군위); a part given by a unit that goes on stays in its sido.
        links = {(u, v) for u, v in _name_links(given, gained) if u != v and (
            u[:2] == v[:2] or (u in old and (names[u] == names[v]
                                             or not sido.on(v[:2], before))))}
        links |= {(u, v) for day, pairs in extra.items() if first <= day <= after
                  for u, v in pairs if u in was and v in now}
        for u in sorted(old - {u for u, _ in links}):
            # No 행정동 in common: the same name, or the city that takes over a district.
            heirs = [v for v in now if names[v] == names[u] or v == city.get(u)]
            if not heirs:
                raise InputError(title=f"{partition}: no successor for {u} on {after}",
                                 hint="add it to HAND_SUCCESSIONS with its source")
            links |= {(u, v) for v in heirs}
        orphans = sorted((now - was) - {v for _, v in links})
        if orphans:
            raise InputError(title=f"{partition}: no predecessor for {orphans} on {after}",
                             hint="add them to HAND_SUCCESSIONS with their source")
        if links:
            out[after] = _classify(links, old, cont)
    return out


def derive_successions(regions: pl.DataFrame) -> pl.DataFrame:
    """Successions of sido, sigungu and district units in 2009–2024 (see boundaries)."""
    sido = partition_members(regions, "sido")
    hand: dict[date, set[_Link]] = defaultdict(set)
    for item in HAND_SUCCESSIONS:
        hand[item.date].add((item.from_code, item.to_code))
    found: dict[tuple[str, str, date], str] = {}
    by_day: dict[date, set[_Link]] = defaultdict(set)
    for partition in ("sigungu", "finest"):
        for day, kinds in _partition_links(regions, partition, sido, hand).items():
            for (u, v), kind in kinds.items():
                found[(u, v, day)] = kind
                if partition == "sigungu" and u[:2] != v[:2]:
                    by_day[day].add((u[:2], v[:2]))  # a sigungu moving changes its sido
    for day, kinds in _partition_links(regions, "sido", sido, by_day).items():
        for (u, v), kind in kinds.items():
            found[(u, v, day)] = kind
    for item in HAND_SUCCESSIONS:
        if found.get((item.from_code, item.to_code, item.date)) != item.kind:
            raise InputError(title=f"hand succession {item} was not applied as written",
                             hint="check HAND_SUCCESSIONS against the data")
    rows = [{"from_code": u, "to_code": v, "date": d, "kind": k} for (u, v, d), k in found.items()]
    return pl.DataFrame(rows).sort("date", "from_code", "to_code")


# --- English names and the KOSTAT crosswalk ----------------------------------------------


def _read_lookup(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy").filter(
        pl.col("level").is_in(["Province", "District", "District_Nonauto", "Neighborhood"])
    )


def _lookup_codes(row: dict[str, str | None]) -> set[str]:
    """Every MOIS code a lookup row gives (its columns mix old and new codes)."""
    codes = {row[c] for c in ("adm", "adm_2023", "adm_2024", "adm10", "adm10_2023",
                              "adm10_2024") if row[c]}
    return {trim_code(str(c).ljust(10, "0")) for c in codes}


def add_english_names(regions: pl.DataFrame, lookup: pl.DataFrame,
                      successions: pl.DataFrame) -> pl.DataFrame:
    """Fill ``name_en`` from the SGIS lookup (``name_eng``, ``name_sido`` for provinces).

    A lookup row names a region row only if their Korean names agree; codes the lookup
    lacks take the name of the code they were recoded from or to (강원도 42 ← 51).
    """
    english: dict[tuple[str, str], str] = {}
    for row in lookup.iter_rows(named=True):
        name = row["name_eng"] or (row["name_sido"] if row["level"] == "Province" else None)
        if name:
            for code in _lookup_codes(row):
                english.setdefault((code, str(row["name"]).split(" ")[-1]), name)
    names = [have or english.get((c, n), "")
             for c, n, have in regions.select("code", "name_ko", "name_en").iter_rows()]
    by_code = {c: n for c, n in zip(regions["code"], names, strict=True) if n}
    recodes = successions.filter(pl.col("kind") == "recode")
    for _ in range(3):  # chains of recodes
        for source, target in recodes.select("from_code", "to_code").iter_rows():
            if source in by_code and target not in by_code:
                by_code[target] = by_code[source]
            elif target in by_code and source not in by_code:
                by_code[source] = by_code[target]
    filled = [n or (by_code.get(c, "") if lvl in ("sido", "sigungu", "gu") else "")
              for c, n, lvl in zip(regions["code"], names, regions["level"], strict=True)]
    return regions.with_columns(pl.Series("name_en", filled, dtype=pl.String))


def _valid_code(candidates: set[str], year: int, spans: dict[str, list[tuple[date, date]]],
                recodes: dict[str, set[str]]) -> str | None:
    """The candidate (or a code it was recoded to or from) valid at the end of ``year``."""
    end, start = date(year, 12, 31), date(year, 1, 1)
    seen, frontier = set(candidates), sorted(candidates)
    while frontier:
        at_end = [c for c in frontier if any(a <= end < b for a, b in spans.get(c, []))]
        in_year = [c for c in frontier if any(a <= end and b > start for a, b in spans.get(c, []))]
        if at_end or in_year:
            return (at_end or in_year)[-1]
        frontier = sorted({n for c in frontier for n in recodes.get(c, set())} - seen)
        seen |= set(frontier)
    return None


def build_crosswalk(lookup: pl.DataFrame, regions: pl.DataFrame,
                    successions: pl.DataFrame) -> pl.DataFrame:
    """KOSTAT/SGIS sido and sigungu codes to MOIS codes, by SGIS year (1998–2024)."""
    spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for code, start, end in regions.select("code", "valid_from", "valid_to").iter_rows():
        spans[code].append((start, end or date.max))
    recodes: dict[str, set[str]] = defaultdict(set)
    for source, target in successions.filter(pl.col("kind") == "recode").select(
        "from_code", "to_code"
    ).iter_rows():
        recodes[source].add(target)
        recodes[target].add(source)
    width = {"Province": 2, "District": 5, "District_Nonauto": 5}
    rows = []
    for row in lookup.filter(pl.col("level").is_in(list(width))).iter_rows(named=True):
        candidates = {c for c in _lookup_codes(row) if len(c) == width[row["level"]]}
        for column in (c for c in lookup.columns if c.startswith("sgis_")):
            if not row[column]:
                continue
            year = int(column[5:9])
            mois = _valid_code(candidates, year, spans, recodes)
            if mois is None:
                raise InputError(title=f"no MOIS code valid in {year} for {row['name']}",
                                 hint=f"lookup row {sorted(candidates)}")
            kostat = str(row[column])[: width[row["level"]]]
            if row["level"] == "District" and not kostat.endswith("0"):
                # KOSTAT sigungu codes end in 0 (districts of a city do not): the lookup
                # gives 성남시 its 수정구 code 3102100 in 2014–2015; 31020 in all other years.
                kostat = kostat[:4] + "0"
            rows.append({"year": year, "kostat_code": kostat,
                         "mois_code": mois, "sgis_column": column})
    frame = pl.DataFrame(rows).unique().sort("year", "kostat_code", "sgis_column", "mois_code")
    clash = frame.group_by("year", "kostat_code").agg(pl.col("mois_code").n_unique().alias("n"))
    if clash.filter(pl.col("n") > 1).height:
        raise InputError(title="a KOSTAT code maps to several MOIS codes in one year",
                         details=[str(r) for r in clash.filter(pl.col("n") > 1).iter_rows()])
    return frame


def _write(frame: pl.DataFrame, path: Path) -> None:
    frame.with_columns(
        pl.col(pl.Date).dt.to_string("%Y-%m-%d"), pl.col(pl.String).replace("", None)
    ).write_csv(
        path, line_terminator="\n"
    )


def build_all(shared_data_dir: Path, out_dir: Path) -> None:
    """Build ``regions.csv``, ``region_successions.csv`` and ``kostat_crosswalk.csv``."""
    regions = build_region_table(shared_data_dir / KIKCD_H)
    successions = derive_successions(regions)
    lookup = _read_lookup(shared_data_dir / SGIS_LOOKUP)
    regions = add_english_names(regions, lookup, successions)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write(regions, out_dir / "regions.csv")
    _write(successions, out_dir / "region_successions.csv")
    _write(build_crosswalk(lookup, regions, successions), out_dir / "kostat_crosswalk.csv")


if __name__ == "__main__":
    build_all(Path(sys.argv[1]), Path(sys.argv[2]))

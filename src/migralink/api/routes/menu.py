"""What the dashboard can show, in one answer: every mappable measure with the levels and
years its data hold (``GET /api/v1/indicators/menu``).

The menu is read from the stored data, not assumed: a level is offered for a measure only
where some unit of that level has a value in some year, and each level lists its own
years with the number of units covered. An indicator is offered at the levels its
declaration names (``levels`` in ``indicators/declarations``) *and* the data hold; a
published count (additive) is also offered at the levels its units add up to.

Levels are those of the region code history: ``sido`` (17 provinces), ``sigungu`` (local
governments: a city with districts is one unit, 안산시) and ``gu`` (the finest units
drawn: districts of such cities, 단원구, and every other local government as itself).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from typing import Any

import polars as pl

from migralink.api.catalogue import dataset_detail, dataset_list
from migralink.api.protection import Disclosure, dp_grid
from migralink.api.readers import Reading
from migralink.errors import DisclosureError
from migralink.store.catalogue_read import resolve_version
from migralink.store.catalogue_rows import total_codes
from migralink.store.register import TOTAL
from migralink.store.sql import obs_table_name

__all__ = ["MAP_LEVELS", "menu", "region_levels", "warm"]

#: The map levels, coarsest first.
MAP_LEVELS: tuple[str, ...] = ("sido", "sigungu", "gu")
# Indicator kinds with one value per region (ranks, flags and national-only indices are
# left to the API) and the colour scale each needs: change diverges around 0, a location
# quotient around 1, a sex ratio around 100 (as many men as women).
_SCALES: dict[str, str] = {
    "ratio": "sequential", "share_of_national": "sequential", "composition": "sequential",
    "yoy_change": "diverging:0", "cagr": "diverging:0",
    "location_quotient": "diverging:1", "sex_ratio": "diverging:100",
}
# Published counts worth mapping, with the dimension offered as "group".
_DATASETS: dict[str, str | None] = {
    "mois_foreign_residents_sigungu": "group",
    "population_sigungu": "sex",  # 2013-2021
    "population_residents_sigungu": "sex",  # 2022-2024
    "moj_registered_region_status": "residence_status",
}
_FIRST_YEAR = 2013  # the oldest boundary vintage shipped


@functools.cache  # shipped data: the same for the life of the process
def region_levels() -> pl.DataFrame:
    """code, level, parent, sido, local (the local government a unit belongs to) and the
    first and last year of every sido, sigungu and gu code since 2013."""
    from migralink.codes import region_list

    # valid_to is the first day a code no longer holds: its last 31 December is the year
    # before
    table = region_list().filter(pl.col("level").is_in(MAP_LEVELS)).with_columns(
        pl.col("valid_from").dt.year().alias("from"),
        (pl.col("valid_to").dt.year() - 1).alias("to"))
    table = table.filter(pl.col("to").is_null() | (pl.col("to") >= _FIRST_YEAR)).with_columns(
        pl.col("code").str.slice(0, 2).alias("sido"),
        pl.when(pl.col("level") == "gu").then(pl.col("parent")).otherwise(pl.col("code"))
        .alias("local"))
    return table.select("code", "name_ko", "name_en", "level", "parent", "sido", "local",
                        "from", "to").unique("code", keep="last").sort("code")


def _coverage(present: pl.DataFrame, levels: pl.DataFrame, additive: bool
              ) -> dict[str, dict[str, int]]:
    """level → period → number of units with data, from (period, region) pairs."""
    joined = present.join(levels, left_on="region", right_on="code", how="inner")
    out: dict[str, dict[str, int]] = defaultdict(dict)
    rules = {  # the units a row stands for at each level
        "sido": pl.when(pl.col("level") == "sido").then(pl.col("region"))
        .otherwise(pl.col("sido") if additive else None),
        "sigungu": pl.when(pl.col("level") == "sigungu").then(pl.col("region"))
        .when(pl.col("level") == "gu").then(pl.col("local") if additive else None),
        # the finest units: districts, and local governments that have none
        "gu": pl.when(pl.col("level").is_in(["gu", "sigungu"])).then(pl.col("region")),
    }
    for level, rule in rules.items():
        units = joined.with_columns(rule.alias("unit")).drop_nulls("unit")
        if level == "gu" and units.filter(pl.col("level") == "gu").is_empty():
            continue  # no district in the data: the finest map would equal the sigungu one
        counts = units.group_by("period").agg(pl.col("unit").n_unique()).sort("period")
        for period, n in counts.iter_rows():
            out[level][str(period)] = int(n)
    return {level: out[level] for level in MAP_LEVELS if out.get(level)}


# "행정안전부 (Ministry of the Interior and Safety), via KOSIS": Korean, then English in
# parentheses; any other text (a parenthesis in a name, markup) is shown whole in both
_BILINGUAL = re.compile(r"\s*([^()]*[가-힣][^()]*?)\s*\(\s*([^()가-힣]*[A-Za-z][^()가-힣]*?)\s*\)")


def _publisher(text: str | None) -> dict[str, str]:
    """"행정안전부 (Ministry of the Interior and Safety), via KOSIS" → ko and en parts."""
    text = text or ""
    found = _BILINGUAL.match(text)
    if found:
        return {"ko": found.group(1), "en": found.group(2)}
    return {"ko": text, "en": text}


# The indicators dataset names migralink in English only; its readers get their language.
_OWN_PUBLISHER = {"ko": "migralink 산출 (원자료는 함께 적은 표)",
                  "en": "migralink, computed from the tables cited with it"}


def _dataset_facts(detail: dict[str, Any]) -> dict[str, Any]:
    version: dict[str, Any] = next(
        (v for v in detail["versions"] if v["version"] == detail["version"]), {})
    return {
        "id": detail["id"], "title_ko": detail["title_ko"], "title_en": detail["title_en"],
        "publisher": _OWN_PUBLISHER if detail["id"] == "indicators"
        else _publisher(detail.get("publisher")), "licence": detail.get("licence"),
        "source_url": detail.get("source_url"), "unit": detail.get("unit"),
        "reference_date": detail.get("reference_date"), "period_day": detail.get("period_day"),
        "version": detail["version"], "created_at": version.get("created_at"),
        "source_sha256": version.get("source_sha256"), "notes": detail.get("notes"),
    }


@functools.cache  # shipped catalogue and code lists
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    """dimension → code → {ko, en}: the catalogue's labels, statuses and sexes."""
    import importlib

    from migralink.codes import status_table

    out: dict[str, dict[str, dict[str, str]]] = {
        "sex": {"M": {"ko": "남성", "en": "Men"}, "F": {"ko": "여성", "en": "Women"}},
        "residence_status": {r["code"]: {"ko": f"{r['code']} {r['name_ko']}",
                                         "en": f"{r['code']} {r['name_en']}"}
                             for r in status_table().iter_rows(named=True)},
    }
    catalogue = importlib.import_module("migralink.indicators").load_catalogue()
    for dim, codes in catalogue.labels.items():
        out.setdefault(dim, {}).update(
            {code: {"ko": label.ko, "en": label.en} for code, label in codes.items()})
    return out


def _group(code: str, dim: str, labels: dict[str, dict[str, dict[str, str]]],
           fallback: str | None = None) -> dict[str, str]:
    found = labels.get(dim, {}).get(code)
    return {"code": code, "ko": found["ko"] if found else fallback or code,
            "en": found["en"] if found else fallback or code}


def _dataset_measure(view: Reading, dataset: str, dim: str | None, levels: pl.DataFrame,
                     labels: dict[str, dict[str, dict[str, str]]],
                     disclosure: Disclosure | None = None) -> dict[str, Any] | None:
    try:
        detail = dataset_detail(view, dataset, None, disclosure)
        grid = dp_grid(view.gateway, resolve_version(view.gateway, dataset, detail["version"]),
                       disclosure)
    except DisclosureError:  # not releasable under the policy (a spent budget): not offered
        return None
    if grid is not None:  # under DP the stored rows would say where nobody lives
        present = grid.select("period", "region").unique()
    else:
        rows = view.gateway.rows(
            f"SELECT DISTINCT period, region FROM {obs_table_name(dataset, detail['version'])}")
        present = pl.DataFrame(rows, schema=["period", "region"], orient="row")
    coverage = _coverage(present, levels, additive=True)
    if not coverage:
        return None
    dimension = next((d for d in detail["dimensions"] if d["id"] == dim), None)
    groups = [{"code": "", "ko": "전체", "en": "All"}] if dim else []
    if dimension:
        # the version's codes carry forward earlier versions' (labels of past data), so a
        # total one of them declared is listed under a version declaring none: never a group
        totals = {TOTAL, *total_codes(view.gateway, dataset).get(dimension["id"], ())}
        groups += [_group(c["code"], dim or "", labels, c["label"]) for c in dimension["codes"]
                   if c["code"] not in totals]
    return {"id": f"ds:{dataset}", "kind": "dataset", "dataset": dataset,
            "title_ko": detail["title_ko"], "title_en": detail["title_en"],
            "unit": detail["unit"], "scale": "sequential", "additive": True,
            "protected": detail["protected"], "dim": dim if dimension else None,
            "groups": groups, "levels": coverage, "sources": [dataset]}


def _indicator_measures(view: Reading, levels: pl.DataFrame,
                        labels: dict[str, dict[str, dict[str, str]]]) -> list[dict[str, Any]]:
    import importlib

    from migralink.api.routes.indicators import INDICATORS_DATASET

    if INDICATORS_DATASET not in view.snapshot.datasets:
        return []
    table = obs_table_name(INDICATORS_DATASET, view.snapshot.datasets[INDICATORS_DATASET].version)
    # two small aggregates rather than every row: where each indicator has values, and
    # the breakdowns it has
    where = view.gateway.rows(
        f"SELECT indicator, period, region FROM {table} "
        "WHERE value IS NOT NULL GROUP BY ALL")
    kinds = view.gateway.rows(
        f"SELECT indicator, breakdown_dim, breakdown_code FROM {table} "
        "WHERE value IS NOT NULL GROUP BY ALL")
    present = {k[0]: v for k, v in pl.DataFrame(
        where, schema=["indicator", "period", "region"], orient="row").partition_by(
        "indicator", as_dict=True).items()}
    breakdowns = pl.DataFrame(kinds, schema=["indicator", "dim", "code"], orient="row")
    frame = importlib.import_module("migralink.indicators").catalogue_frame()
    out = []
    for row in frame.iter_rows(named=True):
        scale = _SCALES.get(row["kind"])
        if scale is None:
            continue
        if row["id"] not in present:
            continue
        mine = breakdowns.filter(pl.col("indicator") == row["id"])
        declared = set(row["levels"].split(","))
        coverage = {k: v for k, v in _coverage(
            present[row["id"]].select("period", "region"), levels, additive=False).items()
            if k in declared or (k == "gu" and "sigungu" in declared)}
        if not coverage:
            continue
        # one breakdown dimension (or the total): the group selector's choices
        dims = [d for d in mine.get_column("dim").unique().sort().to_list()
                if d and "+" not in d]
        dim = next((d for d in dims if d != "_T"), None)
        groups = []
        if "_T" in dims:
            groups.append({"code": "", "ko": "전체", "en": "All"})
        if dim:
            codes = mine.filter(pl.col("dim") == dim).get_column("code").unique().sort()
            groups += [_group(c, dim, labels) for c in codes.to_list()]
        out.append({
            "id": f"ind:{row['id']}", "kind": "indicator", "indicator": row["id"],
            "title_ko": row["name_ko"], "title_en": row["name_en"], "unit": row["unit"],
            "scale": scale, "additive": False, "protected": False, "dim": dim,
            "groups": groups, "levels": coverage,
            "sources": [*dict.fromkeys(_source_ids(row)), INDICATORS_DATASET],
            "definition_ko": row["definition_ko"], "definition_en": row["definition_en"],
            "caveats_ko": row["caveats_ko"], "caveats_en": row["caveats_en"],
            "formula": " / ".join(x for x in (row["numerator"], row["denominator"]) if x),
        })
    return out


def _source_ids(row: dict[str, Any]) -> list[str]:
    text = f"{row['numerator'] or ''}+{row['denominator'] or ''}"
    ids = [part.strip().split("[")[0].strip() for part in text.split("+")]
    return [i for i in ids if i and i.replace("_", "").isalnum()]


def warm() -> None:
    """Read the shipped code lists and catalogue now (at start-up), not on the first visit.

    The release gate is imported too: every dataset listing asks it which datasets are
    protected, and its first import (the disclosure package) would otherwise land on the
    first visitor's ``/api/v1/datasets``.
    """
    import importlib

    region_levels()
    _labels()
    importlib.import_module("migralink.disclosure.gate")


def menu(view: Reading, disclosure: Disclosure | None = None) -> dict[str, Any]:
    """The measures the dashboard offers, with their levels, years and provenance."""
    levels = region_levels()
    labels = _labels()
    known = {d["id"]: d for d in dataset_list(view)}
    wanted: dict[str, str | None] = {k: v for k, v in _DATASETS.items() if k in known}
    for d in known.values():  # register-derived (protected) data: where suppression shows
        if d["protected"] and "region" in d["dimensions"]:
            wanted[d["id"]] = next(
                (x for x in d["dimensions"] if x not in ("period", "region")), None)
    measures = [m for m in (_dataset_measure(view, k, v, levels, labels, disclosure)
                            for k, v in wanted.items()) if m]
    measures += _indicator_measures(view, levels, labels)
    cited = {s for m in measures for s in m["sources"] if s in known}
    datasets = {k: _dataset_facts(dataset_detail(view, k, None)) for k in sorted(cited)}
    totals = {level: {str(y): int(levels.filter(
        (pl.col("level") == level) & (pl.col("from") <= y) & (pl.col("to").is_null()
                                                               | (pl.col("to") >= y))).height)
        for y in range(_FIRST_YEAR, 2027)} for level in ("sido", "sigungu")}
    return {"levels": list(MAP_LEVELS), "measures": measures, "datasets": datasets,
            "units": totals, "vintages": _vintages()}


def _vintages() -> list[int]:
    """The boundary vintages shipped (a year is drawn on the latest not after it)."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("migralink.web") is None:
        return []
    return list(importlib.import_module("migralink.web.geo").vintages())

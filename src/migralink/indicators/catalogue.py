"""Reading and checking indicator catalogues (the built-in one and users' own files).

The built-in catalogue is the TOML files of ``indicators/declarations/`` (loaded in name
order); a user's file has the same ``[[indicator]]`` tables.

Every problem is a :class:`~migralink.errors.ConfigError` that names the indicator and
the file, so that a user who declares a new indicator learns what to fix: an unknown
kind, dataset or dimension, a missing name, a rank of an indicator that does not exist.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import fields
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from migralink.errors import ConfigError, Location
from migralink.indicators.spec import (
    KINDS,
    LEVELS,
    PEERS,
    Catalogue,
    IndicatorSpec,
    Label,
    Measure,
    Params,
    Term,
)

__all__ = ["builtin_datasets", "catalogue_frame", "load_catalogue"]

_ID = re.compile(r"[a-z][a-z0-9_]*")
_SDG = re.compile(r"\d{1,2}\.[0-9a-z]{1,2}(\.\d{1,2})?")
_TEXT = ("name_ko", "name_en", "definition_ko", "definition_en", "unit")
_KEYS = {f.name for f in fields(IndicatorSpec)} - {"params", "source"}
_PARAM_KEYS = {f.name for f in fields(Params)}
#: what each kind must (and may) be given, besides a numerator
_NEEDS_DENOMINATOR = frozenset({"ratio", "threshold_flag", "dissimilarity", "isolation",
                                "exposure"})
_MAY_DENOMINATOR = _NEEDS_DENOMINATOR | {"location_quotient"}
_NEEDS_BY = frozenset({"composition", "location_quotient", "diversity_shannon",
                       "diversity_simpson", "top_share"})
_SEGREGATION = frozenset({"dissimilarity", "isolation", "exposure"})
#: kinds whose denominator is a reference total, not split by the breakdown
_REFERENCE_DENOMINATOR = _SEGREGATION | {"location_quotient"}


def builtin_datasets() -> dict[str, tuple[str, ...]]:
    """Dataset id → dimensions, for every table a built-in mapping describes."""
    from migralink.sources import builtin_mappings

    return {m.meta.id: tuple(d.id for d, _ in m.dimensions) for m in builtin_mappings()}


def load_catalogue(
    *paths: str | Path,
    builtin: bool = True,
    datasets: Mapping[str, Iterable[str]] | None = None,
) -> Catalogue:
    """The built-in catalogue and any extra catalogue files, checked together.

    Args:
        paths: extra TOML catalogues (``[[indicator]]`` tables, as the built-in one).
        builtin: include the catalogue shipped with migralink.
        datasets: datasets an indicator may read besides the built-in tables, with
            their dimensions (``{d.id: d.dimensions[2:] for d in ev.datasets()}``).

    Raises:
        ConfigError: a declaration is wrong; the message names the indicator and file.
    """
    known = builtin_datasets()
    for name, dims in (datasets or {}).items():
        known[name] = tuple(d for d in dims if d not in ("period", "region"))
    sources: list[tuple[str, str]] = []
    if builtin:
        folder = resources.files("migralink.indicators") / "declarations"
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                sources.append((entry.read_text("utf-8"), f"declarations/{entry.name}"))
    for path in paths:
        try:
            sources.append((Path(path).read_text(encoding="utf-8"), str(path)))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                title=f"cannot read the indicator catalogue: {exc}",
                hint="give the path of a UTF-8 TOML file of [[indicator]] tables",
                location=Location(file=str(path)),
            ) from exc
    specs: list[IndicatorSpec] = []
    labels: dict[str, dict[str, Label]] = {}
    for text, name in sources:
        raw = _parse(text, name)
        for entry in raw.get("indicator", []):
            spec = _indicator(entry, name, known)
            if any(s.id == spec.id for s in specs):
                raise _error(spec.id, name, "is declared twice", "give each indicator its own id")
            specs.append(spec)
        for dim, codes in raw.get("labels", {}).items():
            for code, label in codes.items():
                labels.setdefault(dim, {})[code] = Label(str(label["ko"]), str(label["en"]))
    _check_ranks(specs)
    return Catalogue(tuple(specs), labels)


def catalogue_frame(catalogue: Catalogue | None = None) -> pl.DataFrame:
    """One row per indicator: id, names, kind, unit, tags, definitions, caveats, sources."""
    cat = catalogue or load_catalogue()
    rows = [
        {
            "id": s.id, "name_ko": s.name_ko, "name_en": s.name_en, "kind": s.kind,
            "unit": s.unit,
            "numerator": s.numerator.describe() if s.numerator else f"rank of {s.params.of}",
            "denominator": s.denominator.describe() if s.denominator else "",
            "by": s.by or "", "disaggregations": ",".join(s.disaggregations),
            "levels": ",".join(s.levels),
            "gcm": ",".join(str(g) for g in s.gcm), "sdg": ",".join(s.sdg), "oecd": s.oecd,
            "definition_ko": s.definition_ko, "definition_en": s.definition_en,
            "caveats_ko": s.caveats_ko, "caveats_en": s.caveats_en,
        }
        for s in cat.indicators
    ]
    return pl.DataFrame(rows, schema={k: pl.Utf8 for k in rows[0]} if rows else None)


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            title=f"the indicator catalogue is not valid TOML: {exc}",
            hint="check quotes and brackets near the line named",
            location=Location(file=name),
        ) from exc


def _error(indicator: str, file: str, what: str, hint: str) -> ConfigError:
    return ConfigError(
        title=f"indicator {indicator!r} {what}", hint=hint, location=Location(file=file)
    )


def _indicator(raw: dict[str, Any], file: str, known: dict[str, tuple[str, ...]]) -> IndicatorSpec:
    ident = str(raw.get("id", ""))
    if not _ID.fullmatch(ident):
        raise _error(ident or "?", file, "has no valid id",
                     "give id = a lower-case name of letters, digits and _")
    unknown = set(raw) - _KEYS - _PARAM_KEYS
    if unknown:
        raise _error(ident, file, f"has unknown keys {sorted(unknown)}",
                     "see docs/indicators.md for the keys a declaration takes")
    kind = str(raw.get("kind", ""))
    if kind not in KINDS:
        raise _error(ident, file, f"has unknown kind {kind!r}",
                     f"kinds are: {', '.join(sorted(KINDS))}")
    for key in _TEXT:
        if not str(raw.get(key, "")).strip():
            raise _error(ident, file, f"has no {key}", f"add {key} = \"…\" to its declaration")
    spec = IndicatorSpec(
        id=ident, kind=kind, unit=str(raw["unit"]),
        name_ko=str(raw["name_ko"]), name_en=str(raw["name_en"]),
        definition_ko=str(raw["definition_ko"]), definition_en=str(raw["definition_en"]),
        numerator=_measure(raw.get("numerator"), ident, file, "numerator"),
        denominator=_measure(raw.get("denominator"), ident, file, "denominator"),
        by=raw.get("by") or ("sex" if kind == "sex_ratio" else None),
        parts=tuple(str(p) for p in raw.get("parts", ())),
        disaggregations=tuple(str(d) for d in raw.get("disaggregations", ())),
        levels=tuple(str(v) for v in raw.get("levels", ("sigungu",))),
        gcm=tuple(int(g) for g in raw.get("gcm", ())),
        sdg=tuple(str(s) for s in raw.get("sdg", ())),
        oecd=str(raw.get("oecd", "")),
        caveats_ko=str(raw.get("caveats_ko", "")), caveats_en=str(raw.get("caveats_en", "")),
        params=_params(raw, ident, file), source=file,
    )
    _check_shape(spec, file)
    _check_data(spec, file, known)
    return spec


def _measure(raw: Any, ident: str, file: str, what: str) -> Measure | None:
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else [raw]
    terms = []
    for item in items:
        if not isinstance(item, dict) or not item.get("dataset"):
            raise _error(ident, file, f"has a {what} without a dataset",
                         f'write {what} = {{ dataset = "…", filters = {{ dim = "code" }} }}')
        filters = tuple(
            (str(dim), tuple(str(c) for c in (codes if isinstance(codes, list) else [codes])))
            for dim, codes in dict(item.get("filters", {})).items()
        )
        terms.append(Term(str(item["dataset"]), filters))
    return Measure(tuple(terms))


def _params(raw: dict[str, Any], ident: str, file: str) -> Params:
    values = {k: raw[k] for k in _PARAM_KEYS if k in raw}
    if "peers" in values:
        values["peers"] = tuple(str(p) for p in values["peers"])
    try:
        params = Params(**values)
    except TypeError as exc:
        raise _error(ident, file, f"has bad parameters: {exc}", "see docs/indicators.md") from exc
    if params.rank_on not in ("value", "numerator", "denominator"):
        raise _error(ident, file, f"ranks on {params.rank_on!r}",
                     "rank_on is value, numerator or denominator")
    if set(params.peers) - set(PEERS) or not params.peers:
        raise _error(ident, file, f"has peers {list(params.peers)}", f"peers are {list(PEERS)}")
    if params.units != "sigungu":
        raise _error(ident, file, f"has units {params.units!r}",
                     "segregation is measured across local governments: units = \"sigungu\"")
    return params


def _check_shape(spec: IndicatorSpec, file: str) -> None:
    """What a kind needs: a numerator, a denominator, a ``by``, thresholds."""
    ident, kind = spec.id, spec.kind
    if kind == "rank":
        if not spec.params.of:
            raise _error(ident, file, "ranks nothing", 'add of = "<indicator id>"')
    elif spec.numerator is None:
        raise _error(ident, file, "has no numerator",
                     'add numerator = { dataset = "…", filters = { … } }')
    if kind in _NEEDS_DENOMINATOR and spec.denominator is None:
        raise _error(ident, file, f"is a {kind} without a denominator", "add denominator = …")
    if spec.denominator is not None and kind not in _MAY_DENOMINATOR:
        raise _error(ident, file, f"is a {kind}, which takes no denominator",
                     "remove the denominator")
    if kind in _NEEDS_BY and not spec.by:
        raise _error(ident, file, f"is a {kind} without by", 'add by = "<dimension>"')
    if kind == "threshold_flag" and (
        spec.params.count_at_least is None and spec.params.percent_at_least is None
    ):
        raise _error(ident, file, "has no threshold",
                     "add count_at_least and/or percent_at_least")
    _check_levels_and_tags(spec, file)


def _check_levels_and_tags(spec: IndicatorSpec, file: str) -> None:
    ident = spec.id
    bad = [v for v in spec.levels if v not in LEVELS]
    if bad or not spec.levels:
        raise _error(ident, file, f"has levels {list(spec.levels)}", f"levels are {list(LEVELS)}")
    if spec.kind in _SEGREGATION and set(spec.levels) - {"sido", "country"}:
        raise _error(ident, file, "measures segregation below a province",
                     "segregation levels are sido and country (units are local governments)")
    for goal in spec.gcm:
        if not 1 <= goal <= 23:
            raise _error(ident, file, f"names GCM objective {goal}", "GCM objectives are 1-23")
    for target in spec.sdg:
        if not _SDG.fullmatch(target):
            raise _error(ident, file, f"names SDG target {target!r}",
                         "write a target as 17.18 or an indicator as 17.18.1")


def _check_data(spec: IndicatorSpec, file: str, known: dict[str, tuple[str, ...]]) -> None:
    """Datasets exist and have the dimensions filtered on, broken down by, run over."""
    wanted = tuple(d for d in (spec.by, *spec.disaggregations) if d)
    for role, measure in (("numerator", spec.numerator), ("denominator", spec.denominator)):
        if measure is None:
            continue
        for term in measure.terms:
            if term.dataset not in known:
                raise _error(spec.id, file, f"reads unknown dataset {term.dataset!r}",
                             "ingest it first, or pass its dimensions as datasets=…; known: "
                             + ", ".join(sorted(known)))
            dims = known[term.dataset]
            for dim, _ in term.filters:
                if dim not in dims:
                    raise _error(spec.id, file, f"filters {term.dataset} on {dim!r}",
                                 f"its dimensions are {list(dims) or 'none'}")
            for dim in wanted:
                reference = role == "denominator" and (
                    spec.kind in _REFERENCE_DENOMINATOR or dim == spec.by
                )
                if dim in term.filtered:
                    raise _error(spec.id, file, f"both filters and breaks down by {dim!r}",
                                 "drop the filter or the breakdown")
                if dim not in dims and not reference:
                    raise _error(spec.id, file, f"breaks down by {dim!r}, which "
                                 f"{term.dataset} ({role}) does not have",
                                 f"its dimensions are {list(dims) or 'none'}")


def _check_ranks(specs: list[IndicatorSpec]) -> None:
    ids = {s.id: s for s in specs}
    for spec in specs:
        if spec.kind != "rank":
            continue
        target = ids.get(spec.params.of or "")
        if target is None or target.kind == "rank":
            raise _error(spec.id, spec.source, f"ranks {spec.params.of!r}, which is not a "
                         "declared indicator (or is itself a rank)",
                         "name an indicator of the catalogue in of = …")

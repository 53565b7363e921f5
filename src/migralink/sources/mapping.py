"""Declarative mapping files: how a published table becomes observations.

A mapping is a small TOML file. Every built-in table is described this way (see
``sources/mappings/``), and an analyst adds next year's file or a new table by writing
one, without code. The sections:

``[dataset]``
    provenance (:class:`~migralink.sources.model.DatasetMeta` fields) plus
    ``period_day`` (``"12-31"``: the day of the year an annual period refers to).
``[match]``
    ``filename`` (glob or list of globs) and optional ``header`` (column names that must
    be present), used to pick the mapping for a file.
``[read]``
    ``format`` (csv, xlsx, xls; default from the extension), ``encoding`` (``auto``
    tries UTF-8 then CP949), ``sheet``, ``header_row`` (1-based), ``header_rows`` (a
    multi-row header is joined with ``|`` after filling merged cells), ``value_kind``
    (``count``: non-negative integers, the default; or ``number``) and ``final_newline``
    (default true: a text file without a final line break is refused as cut off; false
    for a publisher whose files end without one).
``[melt]``
    for wide tables: the columns whose header matches ``pattern`` (a regular expression;
    default: any) from ``from_column`` on (1-based; default 1) are unpivoted: their cells
    become values, the header becomes the field ``@header`` and each named group of the
    pattern a field ``@name``.
``[period]``, ``[region]``, ``[[dimension]]``
    each takes its text from ``column`` (a header name, or ``@group`` from the melt) or
    a ``constant``; then optionally ``pattern`` (a regex whose first group is kept),
    ``replace`` (with ``pattern``: a template for the match, ``\\1-Q\\2``, instead of
    the first group; e.g. ``2017.1/4`` → ``2017-Q1``), ``recode`` (a table of
    replacements) and, for dimensions, ``codelist`` and ``total`` (the code of the
    total: parts are checked to add up to it; a cell recoded to it is not looked up in
    the code list), ``subtotals`` (a table from a subtotal's code to the codes of its
    parts) and ``role`` (``measure`` where the codes are different quantities, such as
    applications and grants: queries keep them apart). ``[period]`` may add
    ``month_column``; ``[region]`` has ``kind`` = ``code``
    (MOIS code, 2-10 digits), ``name`` (a Korean name, looked up under ``parent``; a
    recode may give a MOIS code instead, e.g. ``"합계" = "11"`` for a table's own total
    row) or ``m49``.
``[value]``
    ``column`` (long tables); wide tables take the melted cells. ``estimated``: cell
    texts that stand for a masked figure rather than a count (the reshaped MOIS sigungu
    file prints 3 for every count of 1-4 that KOSIS masked): kept as printed, status
    ``E`` (estimated), counted in the ingest report.
``[[drop]]``
    rows to leave out on purpose: ``column`` and ``values`` (for example subtotal
    rows of a continent); they are counted in the ingest report, not lost silently.
    ``[[keep]]`` is the converse (keep only those rows), for a file that feeds several
    datasets: each dataset's mapping keeps its own rows.
``[checks]``
    ``hierarchy`` (default true): regions present with their parent must add up to it;
    ``total_tolerance`` (default 0): the largest difference, in units, accepted between
    a published total and the sum of its parts (for publishers whose own tables differ
    by a few persons); differences within it are noted, the published totals kept;
    ``duplicates``: what two rows with the same labels mean. ``reject`` (default): an
    identical repeat is kept once, conflicting ones are rejected; ``sum``: they are
    separate records that the publisher printed under one label (MOJ prints some small
    nationalities twice), so they are added up, with a note.
    A dimension may take its labels from another column with ``label_column``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from migralink.errors import ConfigError, Location
from migralink.model import VALUE_KINDS, DimensionRole, Measure
from migralink.sources.model import DatasetMeta, DimensionMeta

__all__ = ["FieldSpec", "MappingSpec", "load_mapping", "parse_mapping"]


@dataclass(frozen=True)
class FieldSpec:
    """How one output field (period, region or a dimension) is read from a row."""

    column: str | None = None
    constant: str | None = None
    pattern: str | None = None
    replace: str | None = None
    recode: tuple[tuple[str, str], ...] = ()
    month_column: str | None = None
    kind: str = "code"
    parent: str | None = None
    codelist: str | None = None
    total: str | None = None
    subtotals: tuple[tuple[str, tuple[str, ...]], ...] = ()
    valid_on: str | None = None
    label_column: str | None = None
    filename: str | None = None

    def recode_map(self) -> dict[str, str]:
        """The recode table as a dict."""
        return dict(self.recode)


@dataclass(frozen=True)
class MappingSpec:
    """A parsed, checked mapping file (see the module docstring for the format)."""

    meta: DatasetMeta
    filename_globs: tuple[str, ...]
    header_required: tuple[str, ...]
    format: str | None
    encoding: str
    sheet: str | None
    header_row: int
    header_rows: int
    value_kind: str
    melt_pattern: str | None
    melt_from_column: int
    melt_columns: tuple[str, ...]
    period: FieldSpec
    region: FieldSpec
    dimensions: tuple[tuple[DimensionMeta, FieldSpec], ...]
    value_column: str | None
    drops: tuple[tuple[str, tuple[str, ...]], ...]
    keeps: tuple[tuple[str, tuple[str, ...]], ...]
    check_hierarchy: bool
    total_tolerance: float
    duplicates: str
    #: the publisher's text files end with a line break: one that does not was cut off
    final_newline: bool = True
    #: cell texts that stand for a masked figure: kept, status E
    estimated: tuple[str, ...] = ()
    text: str = field(default="", repr=False)

    @property
    def sha256(self) -> str:
        """Fingerprint of the mapping text (a changed mapping makes a new version)."""
        return hashlib.sha256(self.text.encode()).hexdigest()

    def matches(self, path: Path) -> bool:
        """Whether the file name fits one of the ``[match] filename`` globs."""
        return any(path.match(glob) for glob in self.filename_globs)


_META_FIELDS = {f.name for f in fields(DatasetMeta)}


def load_mapping(path: Path) -> MappingSpec:
    """Read and check a mapping file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            title=f"cannot read the mapping file: {exc}",
            hint="give the path of a UTF-8 TOML mapping file",
            location=Location(file=str(path)),
        ) from exc
    return parse_mapping(text, source=str(path))


def parse_mapping(text: str, *, source: str = "<mapping>") -> MappingSpec:
    """Parse mapping TOML text; every problem names the file and the key to fix."""
    where = Location(file=source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            title=f"the mapping is not valid TOML: {exc}", hint="fix the syntax", location=where
        ) from exc
    dataset = _table(raw, "dataset", where)
    unknown = set(dataset) - _META_FIELDS
    if unknown:
        raise ConfigError(
            title=f"unknown key(s) in [dataset]: {', '.join(sorted(unknown))}",
            hint=f"allowed: {', '.join(sorted(_META_FIELDS))}",
            location=where,
        )
    for key in ("id", "title_ko", "title_en", "publisher", "source_url", "licence"):
        if not isinstance(dataset.get(key), str) or not dataset[key]:
            raise ConfigError(
                title=f"[dataset] {key} is missing",
                hint="every dataset needs id, titles, publisher, source_url and licence",
                location=where,
            )
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,62}", dataset["id"]):
        raise ConfigError(
            title=f"[dataset] id {dataset['id']!r} is not a valid identifier",
            hint="use lower-case letters, digits and underscores, starting with a letter",
            location=where,
        )
    meta_args: dict[str, Any] = {
        k: str(v) for k, v in dataset.items() if k in _META_FIELDS and k != "measures"
    }
    meta = DatasetMeta(**meta_args)
    if not re.fullmatch(r"\d{2}-\d{2}", meta.period_day):
        raise ConfigError(
            title=f"[dataset] period_day {meta.period_day!r} is not MM-DD",
            hint="e.g. \"12-31\" for end-of-year stocks, \"11-01\" for the MOIS survey",
            location=where,
        )
    match = raw.get("match", {})
    globs = match.get("filename", [])
    read = raw.get("read", {})
    melt = raw.get("melt", {})
    dims = tuple(_dimension(d, where) for d in raw.get("dimension", []))
    value = raw.get("value", {})
    if not melt and not value.get("column"):
        raise ConfigError(
            title="the mapping says neither [value] column nor [melt] pattern",
            hint="long tables name their value column; wide tables give a melt pattern",
            location=where,
        )
    if melt.get("pattern"):
        _check_regex(melt["pattern"], "[melt] pattern", where)
    spec = MappingSpec(
        meta=meta,
        filename_globs=tuple([globs] if isinstance(globs, str) else globs),
        header_required=tuple(match.get("header", [])),
        format=read.get("format"),
        encoding=str(read.get("encoding", "auto")),
        sheet=read.get("sheet"),
        header_row=int(read.get("header_row", 1)),
        header_rows=int(read.get("header_rows", 1)),
        final_newline=_flag(read, "final_newline", where),
        value_kind=str(read.get("value_kind", "count")),
        melt_pattern=melt.get("pattern") or (".+" if melt else None),
        melt_from_column=int(melt.get("from_column", 1)),
        melt_columns=tuple(str(c) for c in melt.get("columns", [])),
        period=_field(raw.get("period"), "[period]", where),
        region=_field(raw.get("region", {"constant": "00"}), "[region]", where),
        dimensions=dims,
        value_column=value.get("column"),
        estimated=tuple(str(v) for v in value.get("estimated", [])),
        drops=tuple(
            (str(d["column"]), tuple(str(v) for v in d["values"])) for d in raw.get("drop", [])
        ),
        keeps=tuple(
            (str(d["column"]), tuple(str(v) for v in d["values"])) for d in raw.get("keep", [])
        ),
        check_hierarchy=bool(raw.get("checks", {}).get("hierarchy", True)),
        total_tolerance=float(raw.get("checks", {}).get("total_tolerance", 0)),
        duplicates=str(raw.get("checks", {}).get("duplicates", "reject")),
        text=text,
    )
    if spec.duplicates not in {"reject", "sum"}:
        raise ConfigError(
            title=f"[checks] duplicates {spec.duplicates!r} is unknown",
            hint="use 'reject' (the default) or 'sum'",
            location=where,
        )
    if spec.value_kind not in VALUE_KINDS:
        raise ConfigError(
            title=f"[read] value_kind {spec.value_kind!r} is unknown",
            hint=f"use one of {', '.join(VALUE_KINDS)} (only count and currency add up)",
            location=where,
        )
    # the measure records the kind, so that queries never add up what is not additive
    measure = Measure(unit=meta.unit, value_kind=spec.value_kind)  # type: ignore[arg-type]
    spec = replace(spec, meta=replace(meta, measures=(measure,)))
    return spec


def _table(raw: dict[str, Any], key: str, where: Location) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise ConfigError(
            title=f"the mapping has no [{key}] table", hint=f"add a [{key}] section", location=where
        )
    return value


def _check_regex(pattern: str, what: str, where: Location) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(
            title=f"{what} is not a valid regular expression: {exc}",
            hint="check escaping: in TOML, write \\\\d for \\d inside double quotes",
            location=where,
        ) from exc


_FIELD_KEYS = {
    "column", "constant", "pattern", "replace", "recode", "month_column", "kind", "parent",
    "codelist", "total", "subtotals", "role", "id", "title_ko", "title_en", "valid_on",
    "label_column", "filename",
}


def _field(raw: Any, what: str, where: Location) -> FieldSpec:
    unknown = set(raw) - _FIELD_KEYS if isinstance(raw, dict) else set()
    if unknown:
        raise ConfigError(
            title=f"unknown key(s) in {what}: {', '.join(sorted(unknown))}",
            hint=f"allowed: {', '.join(sorted(_FIELD_KEYS))}",
            location=where,
        )
    if not isinstance(raw, dict) or not (
        raw.get("column") or raw.get("constant") is not None or raw.get("filename")
    ):
        raise ConfigError(
            title=f"{what} needs a column or a constant (or, for [period], a filename pattern)",
            hint="e.g. column = \"년\" or constant = \"2024\"",
            location=where,
        )
    for key in ("pattern", "filename"):
        if raw.get(key):
            _check_regex(raw[key], f"{what} {key}", where)
    if raw.get("replace") is not None and not raw.get("pattern"):
        raise ConfigError(
            title=f"{what} has a replace template but no pattern",
            hint="replace rewrites what pattern matched: add the pattern",
            location=where,
        )
    recode = raw.get("recode", {})
    return FieldSpec(
        column=raw.get("column"),
        constant=None if raw.get("constant") is None else str(raw["constant"]),
        pattern=raw.get("pattern"),
        replace=None if raw.get("replace") is None else str(raw["replace"]),
        recode=tuple((str(k), str(v)) for k, v in recode.items()),
        month_column=raw.get("month_column"),
        kind=str(raw.get("kind", "code")),
        parent=raw.get("parent"),
        codelist=raw.get("codelist"),
        total=raw.get("total"),
        subtotals=tuple(
            (str(k), tuple(str(p) for p in v)) for k, v in raw.get("subtotals", {}).items()
        ),
        valid_on=None if raw.get("valid_on") is None else str(raw["valid_on"]),
        label_column=raw.get("label_column"),
        filename=None if raw.get("filename") is None else str(raw["filename"]),
    )


def _dimension(raw: dict[str, Any], where: Location) -> tuple[DimensionMeta, FieldSpec]:
    if not raw.get("id"):
        raise ConfigError(
            title="a [[dimension]] has no id", hint='add id = "..."', location=where
        )
    dim_id = str(raw["id"])
    reserved = {"period", "region", "value", "status"}
    if dim_id in reserved or not re.fullmatch(r"[a-z][a-z0-9_]*", dim_id):
        raise ConfigError(
            title=f"dimension id {dim_id!r} is reserved or not an identifier",
            hint="use a lower-case name other than period, region, value and status",
            location=where,
        )
    meta = DimensionMeta(
        id=dim_id,
        title_ko=str(raw.get("title_ko", "")),
        title_en=str(raw.get("title_en", "")),
        codelist=raw.get("codelist"),
        total=raw.get("total"),
        role=_role(raw, dim_id, where),
    )
    return meta, _field(raw, f"[[dimension]] {dim_id}", where)


def _flag(section: dict[str, Any], key: str, where: Location) -> bool:
    """A true/false key of a section (default true)."""
    value = section.get(key, True)
    if not isinstance(value, bool):
        raise ConfigError(title=f"[read] {key} is {value!r}", hint=f"write {key} = true or "
                          "false", location=where)
    return value


def _role(raw: dict[str, Any], dim_id: str, where: Location) -> DimensionRole:
    """``category`` (parts of a whole), or ``measure`` (different quantities)."""
    role = raw.get("role", "category")
    if role == "measure":
        return "measure"
    if role != "category":
        raise ConfigError(
            title=f"dimension {dim_id!r} has role {role!r}",
            hint='write role = "category" (codes add up) or role = "measure" (codes are '
            "different quantities, never added up)",
            location=where,
        )
    return "category"

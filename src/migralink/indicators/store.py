"""Storing computed indicators back in the evidence base, with their provenance.

The indicators become the dataset ``indicators`` (see :data:`DIMENSIONS`): one row per
indicator, region, period and breakdown, with three measures: ``value`` (shares, rates and
indices) and the ``numerator`` and ``denominator`` counts it was made of (see
:data:`MEASURES` for why none is additive), so that disclosure control can
suppress a rate whose counts it suppresses. A breakdown is encoded in two dimensions:
``breakdown_dim`` names the dimensions that are not totals, joined by ``+`` in
alphabetical order (``group+sex``), and ``breakdown_code`` their codes (``workers+F``);
a row with no breakdown (or only totals) has ``_T`` in both. A query reads ``value``
unless asked for another measure, so ``migralink query indicators --filter
indicator=foreign_share --by region`` gives the shares and ``--measure numerator`` the
counts they were made of.

Provenance: each indicator's source datasets and versions are listed in the version's
source notes (``ml_source.notes``, one line per indicator) and the dataset's notes; the
version's source fingerprint covers those lines and the values, so storing what was
computed from the same versions again is a no-op (and a copy of the same values under a
newer polars, whose row hashes may differ, is caught by the store's content check).
Storing some indicators keeps the others of the previous version as they were.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import polars as pl

from migralink.errors import StoreError
from migralink.evidence import Evidence
from migralink.indicators.catalogue import load_catalogue
from migralink.indicators.engine import BASE_COLUMNS, TAIL_COLUMNS
from migralink.indicators.reader import TOTAL
from migralink.indicators.spec import Catalogue
from migralink.model import DatasetMeta, DatasetRef, DimensionMeta, Measure
from migralink.store import IngestResult, resolve_version
from migralink.store.catalogue import (
    NewVersion,
    SourceRecord,
    find_content,
    find_source,
    latest_source_notes,
    write_version,
)
from migralink.store.sql import quote_ident

__all__ = [
    "DATASET",
    "DIMENSIONS",
    "MEASURES",
    "distinct_indicators_sql",
    "encode_breakdowns",
    "kept_rows_sql",
    "store_indicators",
]

#: The dataset the indicators are stored as.
DATASET = "indicators"
#: Changing how indicators are stored or computed changes this, and so makes a version.
ENGINE = "migralink-indicators/1"
DIMENSIONS: tuple[DimensionMeta, ...] = (
    DimensionMeta("indicator", "지표", "Indicator"),
    DimensionMeta("breakdown_dim", "세부 구분 차원", "Breakdown dimensions", total=TOTAL),
    DimensionMeta("breakdown_code", "세부 구분 코드", "Breakdown codes", total=TOTAL),
)
#: The measures of every row: the indicator's value and the counts it was made of. The
#: counts are of persons, but not of one population: each indicator counts its own, and
#: every level is stored beside the units inside it. Summed over ``indicator`` or over
#: regions they would give a figure that means nothing (18.5 million "numerators" for
#: 2019), so no measure of this dataset is additive and a query keeps every dimension.
MEASURES: tuple[Measure, ...] = (
    Measure("value", "지표값", "Indicator value",
            unit="mixed: see the indicator catalogue", value_kind="number"),
    Measure("numerator", "분자", "Numerator (persons)", unit="persons", value_kind="number"),
    Measure("denominator", "분모", "Denominator (persons)", unit="persons", value_kind="number"),
)
_MEASURE_IDS = tuple(m.id for m in MEASURES)


def encode_breakdowns(frame: pl.DataFrame) -> pl.DataFrame:
    """Replace the breakdown columns of a computed frame by ``breakdown_dim/_code``."""
    dims = [c for c in frame.columns if c not in {*BASE_COLUMNS, *TAIL_COLUMNS}]
    key = pl.concat_str([pl.col(d).fill_null("") for d in dims], separator="\x1f")
    encoded: dict[str, tuple[str, str]] = {}
    # a few hundred distinct combinations: encode each once, not each of the rows
    for combo in frame.select(dims).unique().iter_rows():
        shown = [(d, c) for d, c in zip(dims, combo, strict=True) if c not in (None, TOTAL)]
        encoded["\x1f".join(c or "" for c in combo)] = (
            "+".join(d for d, _ in shown) or TOTAL, "+".join(c for _, c in shown) or TOTAL
        )
    if not dims:
        encoded = {"": (TOTAL, TOTAL)}
        key = pl.lit("")
    return frame.with_columns(
        key.replace_strict({k: v[0] for k, v in encoded.items()}, return_dtype=pl.Utf8)
        .alias("breakdown_dim"),
        key.replace_strict({k: v[1] for k, v in encoded.items()}, return_dtype=pl.Utf8)
        .alias("breakdown_code"),
    ).drop(dims)


def _rows(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per indicator, region, period and breakdown; rows of nulls left out."""
    return (
        encode_breakdowns(frame)
        .filter(pl.any_horizontal(pl.col(m).is_not_null() for m in _MEASURE_IDS))
        .select("period", "region", "indicator", "breakdown_dim", "breakdown_code",
                # parallel sums differ in the last bits from run to run: 10 decimals keep
                # every meaningful digit and make a recomputation store the same rows
                *(pl.col(m).cast(pl.Float64).round(10) for m in _MEASURE_IDS), "status")
    )


def distinct_indicators_sql(table: str) -> str:
    """The indicators present in one version's observation table."""
    return f"SELECT DISTINCT indicator FROM {quote_ident(table)}"


def kept_rows_sql(table: str) -> str:
    """The observations of the indicators in the list parameter, as stored."""
    dims = ", ".join(quote_ident(d.id) for d in DIMENSIONS)
    measures = ", ".join(quote_ident(m) for m in _MEASURE_IDS)
    return (
        f"SELECT period, region, {dims}, {measures}, status::VARCHAR AS status "
        f"FROM {quote_ident(table)} "
        "WHERE list_contains(?, indicator)"
    )


def _previous(ev: Evidence, replaced: set[str]) -> tuple[pl.DataFrame | None, list[str]]:
    """Rows and provenance lines of the indicators the new frame does not replace."""
    if DATASET not in {d.id for d in ev.datasets()}:
        return None, []
    ref = resolve_version(ev.gateway, DATASET)
    if "measure" in ref.dimensions:  # stored before the counts became measures
        raise StoreError(
            title="this evidence base stores indicators in the old layout (a 'measure' "
            "dimension); a new version cannot follow it",
            hint="compute the indicators into a new evidence base (make run builds one)",
        )
    table = ref.table_name
    stored = {row[0] for row in ev.gateway.rows(distinct_indicators_sql(table))}
    kept_ids = sorted(stored - replaced)
    notes = latest_source_notes(ev.gateway, DATASET)
    kept = [line for line in notes if line.split(":", 1)[0] in kept_ids]
    if not kept_ids:  # a full recompute reads nothing back
        return None, kept
    return ev.gateway.polars(kept_rows_sql(table), [kept_ids]), kept


def store_indicators(
    ev: Evidence, frame: pl.DataFrame, catalogue: Catalogue | None = None
) -> IngestResult:
    """Write computed indicators as a new version of the dataset ``indicators``.

    Args:
        ev: the evidence base (opened for writing).
        frame: what :func:`~migralink.indicators.compute_indicators` returned.
        catalogue: where the indicators' names come from (default: the built-in one).

    Returns:
        What the store did; ``changed`` is false when the same indicators from the same
        source versions are already stored.

    Raises:
        StoreError: the frame is empty or not a frame of computed indicators.
    """
    missing = {*BASE_COLUMNS, *TAIL_COLUMNS} - set(frame.columns)
    if missing:
        raise StoreError(
            title=f"there are no computed indicators to store (missing columns "
            f"{sorted(missing)})",
            hint="pass the frame compute_indicators() returned",
        )
    if frame.is_empty():  # what compute_indicators gives where no table it reads is in
        raise StoreError(
            title="there are no computed indicators to store: the evidence base holds "
            "none of the tables the indicators read",
            hint="ingest the published tables first (migralink ingest FILE…; make run "
            "builds the sample)",
        )
    cat = catalogue or load_catalogue(builtin=True)
    lines = [
        f"{ident}: {sources}"
        for ident, sources in frame.select("indicator", "sources").unique().sort("indicator")
        .iter_rows()
    ]
    replaced = {line.split(":", 1)[0] for line in lines}
    observations = _rows(frame)
    previous, kept = _previous(ev, replaced)
    if previous is not None and previous.height:
        observations = pl.concat([observations, previous])
    lines = sorted(lines + kept)
    # an order-free digest of the rows (hashes sorted): no sort of the rows themselves
    digest = np.sort(observations.hash_rows(seed=0).to_numpy())
    content = hashlib.sha256(digest.tobytes()).hexdigest()
    fingerprint = hashlib.sha256(
        json.dumps({"engine": ENGINE, "provenance": lines, "content": content}).encode()
    ).hexdigest()
    inputs = sorted({part.strip() for line in lines for part in line.split(":", 1)[1].split(";")})
    mapping_sha = hashlib.sha256(ENGINE.encode()).hexdigest()
    file_name = f"{DATASET}-{fingerprint[:12]}"
    known = find_source(ev.gateway, DATASET, fingerprint, mapping_sha)
    if known is None:  # a copy of the same values under another polars: same content
        same = find_content(ev.gateway, DATASET, content)
        known = same[0] if same else None
    if known is not None:
        return IngestResult(DATASET, known, False, 0, file_name, notes=("already stored",))
    names = {i: (cat.get(i).name_ko if i in cat.ids else i)
             for i in observations["indicator"].unique().to_list()}
    written = write_version(ev.gateway, NewVersion(
        meta=_meta(inputs),
        dimensions=DIMENSIONS,
        source=SourceRecord(file_name, fingerprint, mapping_sha, content,
                            observations.height, tuple(lines)),
        frame=observations,
        labels={
            "indicator": names,
            # filters resolve codes through the labels: every breakdown is a code
            **{d: {c: c for c in observations[d].unique().to_list()}
               for d in ("breakdown_dim", "breakdown_code")},
        },
        derived_from=tuple(sorted({_ref(text) for text in inputs})),
        origin="derived",
        carry_forward=False,  # the indicators kept from the last version are in the frame
    ))
    return IngestResult(DATASET, written.version, True, observations.height, file_name,
                        notes=tuple(lines))


def _ref(text: str) -> DatasetRef:
    """``"mois_population_sigungu v1"`` → its :class:`DatasetRef`."""
    ident, _, version = text.rpartition(" v")
    if not ident or not version.isdigit():
        raise StoreError(
            title=f"indicator source {text!r} does not name a dataset version",
            hint="sources read '<dataset> v<version>', as compute_indicators writes them",
        )
    return DatasetRef(ident, int(version))


def _meta(inputs: list[str]) -> DatasetMeta:
    return DatasetMeta(
        id=DATASET,
        title_ko="이주·통합 지표 (migralink 산출)",
        title_en="Migration and integration indicators computed by migralink",
        publisher="migralink, computed from the datasets named in the notes",
        source_url="",
        licence="as the source datasets (see their licences)",
        unit="mixed: see each indicator's unit in the indicator catalogue",
        reference_date="as the source datasets; a period first/last is a span",
        measures=MEASURES,
        notes="Computed from " + ", ".join(inputs) + ". Each indicator's sources are in "
        "the version's source notes; definitions and units in the indicator catalogue "
        "(docs/indicators.md). Measures: value (default), numerator and denominator (counts).",
    )

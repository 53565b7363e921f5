"""The catalogue: the one place that writes and reads the ``ml_*`` tables.

Every dataset — an ingested table, a register's cube, the bundled sample, computed
indicators, and later linkage and survey outputs — is written by one call,
:func:`write_version`, which records in one transaction its description, dimensions,
measures, observations, codes, source, inputs (``derived_from``) and sensitivity. A
derived dataset is at least as sensitive as the strictest of its inputs, and a dataset
id that was ever protected cannot be written as public (a published table cannot take
over a register's id).

Readers: :func:`sensitivity_of`, :func:`inputs_of`, :func:`lineage` (all inputs,
recursively, and the register(s) at their roots), :func:`measures_of`,
:func:`origin_of`. See ``docs/catalogue.md``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from migralink.codes.hierarchy import NATIONAL, structural_parent
from migralink.errors import StoreError
from migralink.model import (
    Reject,
    strictest,
)
from migralink.store import catalogue_sql as csql
from migralink.store.catalogue_read import (
    Lineage,
    inputs_of,
    latest_version,
    lineage,
    measures_of,
    origin_of,
    root_registers,
    schema_version,
    sensitivity_of,
)
from migralink.store.catalogue_types import (
    NewVersion,
    Origin,
    SourceRecord,
    WrittenVersion,
)
from migralink.store.gateway import Gateway
from migralink.store.sql import obs_table_name, quote_ident

__all__ = [
    "Lineage",
    "NewVersion",
    "Origin",
    "SourceRecord",
    "WrittenVersion",
    "check_takeover",
    "ensure_schema",
    "find_content",
    "find_source",
    "inputs_of",
    "latest_source_notes",
    "latest_version",
    "lineage",
    "measures_of",
    "origin_of",
    "record_quarantine",
    "record_sources",
    "root_registers",
    "schema_version",
    "sensitivity_of",
    "with_top",
    "write_version",
]

def ensure_schema(gw: Gateway) -> None:
    """Create the catalogue in a new file, or migrate an older one to the current schema."""
    current = schema_version(gw)
    if current >= csql.SCHEMA_VERSION:
        return
    with gw.transaction():
        gw.execute(csql.SCHEMA_TABLE)
        if current == 1:  # made before migrations were recorded: when is not known
            gw.execute("INSERT INTO ml_schema VALUES (1, NULL)")
        now = datetime.now(UTC).replace(tzinfo=None)
        for number in range(current + 1, csql.SCHEMA_VERSION + 1):
            for statement in csql.MIGRATIONS[number - 1]:
                gw.execute(statement)
            gw.execute("INSERT INTO ml_schema VALUES (?, ?)", [number, now])


def find_source(gw: Gateway, dataset: str, source_sha: str, mapping_sha: str) -> int | None:
    """The version already made from this input read this way, if any."""
    ensure_schema(gw)
    found = gw.scalar(
        "SELECT version FROM ml_source WHERE dataset_id = ? AND source_sha256 = ? "
        "AND mapping_sha256 = ?",
        [dataset, source_sha, mapping_sha],
    )
    return None if found is None else int(found)


def find_content(gw: Gateway, dataset: str, content_sha: str) -> tuple[int, str] | None:
    """The version (and file name) whose source had these very observations, if any."""
    ensure_schema(gw)
    rows = gw.rows(
        "SELECT version, file_name FROM ml_source WHERE dataset_id = ? AND content_sha256 = ?",
        [dataset, content_sha],
    )
    return (int(rows[0][0]), str(rows[0][1])) if rows else None


def write_version(gw: Gateway, new: NewVersion) -> WrittenVersion:
    """Write a whole dataset version in one transaction.

    Raises:
        StoreError: an input is not in the store; the dataset was protected and this
            version would be public; it exists with other dimensions or measures, or as
            a cube where this is a table (or the other way round).
    """
    ensure_schema(gw)
    meta = new.meta
    for ref in new.derived_from:
        if latest_version(gw, ref.id) is None or not gw.scalar(
            "SELECT count(*) FROM ml_version WHERE dataset_id = ? AND version = ?",
            [ref.id, ref.version],
        ):
            raise StoreError(
                title=f"{meta.id!r} is derived from {ref}, which is not in the evidence base",
                hint="write (or ingest) its inputs first; derived_from names stored versions",
            )
    level = strictest(new.sensitivity, *(sensitivity_of(gw, r.id, r.version)
                                         for r in new.derived_from))
    previous = _previous(gw, new, level)
    with gw.transaction():
        version = previous[0] + 1 if previous else 1
        name = obs_table_name(meta.id, version)
        gw.execute(csql.create_observation_table(
            name, [d.id for d in new.dimensions], meta.measure_ids))
        periods = _new_periods(new)
        carried = 0
        if previous and new.carry_forward:
            gw.execute(
                f"INSERT INTO {quote_ident(name)} SELECT * FROM {quote_ident(previous[1])} "
                "WHERE NOT list_contains(?, period)",
                [list(periods)],
            )
            carried = int(gw.scalar(f"SELECT count(*) FROM {quote_ident(name)}"))
        labels = {k: dict(v) for k, v in new.labels.items()}
        rows_read = new.source.rows_read
        if new.fill is not None:
            filled, rows_read = new.fill(gw, name)
            for dim, found in filled.items():
                labels.setdefault(dim, {}).update(found)
        elif new.frame is not None:
            _insert_frame(gw, name, new)
        inputs = set(new.derived_from)
        if carried and previous:  # carried rows keep the inputs they were computed from
            inputs |= set(inputs_of(gw, meta.id, previous[0]))
        written = WrittenVersion(meta.id, version, name, int(gw.scalar(
            f"SELECT count(*) FROM {quote_ident(name)}")), level, tuple(sorted(inputs)))
        _write_rows(gw, new, written, previous[0] if previous else None, labels,
                    (periods, rows_read))
    return written


def latest_source_notes(gw: Gateway, dataset: str) -> list[str]:
    """The provenance lines of the latest version's source (empty when there is none)."""
    ensure_schema(gw)
    found = gw.scalar(
        "SELECT notes FROM ml_source WHERE dataset_id = ? ORDER BY version DESC LIMIT 1",
        [dataset])
    return list(found or [])


def record_quarantine(gw: Gateway, dataset: str, source_sha: str, rejects: list[Reject]) -> None:
    """Keep rejected source rows in ``ml_quarantine`` (``--allow-rejects``)."""
    ensure_schema(gw)
    now = datetime.now(UTC).replace(tzinfo=None)
    for r in rejects:
        loc = r.location
        gw.execute(
            "INSERT INTO ml_quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [dataset, source_sha, loc.file, loc.sheet, loc.row, loc.column, r.reason, r.raw,
             now],
        )


def record_sources(
    gw: Gateway, dataset: str, version: int, sources: list[tuple[str, str, list[str]]],
    note: str,
) -> None:
    """Name further files (name, sha256, periods) a version was made from, read as is."""
    now = datetime.now(UTC).replace(tzinfo=None)
    for file_name, sha, periods in sources:
        gw.execute(
            "INSERT INTO ml_source (dataset_id, source_sha256, mapping_sha256, file_name, "
            "periods, rows_read, ingested_at, version, notes) "
            "VALUES (?, ?, 'as-published', ?, ?, NULL, ?, ?, ?) ON CONFLICT DO NOTHING",
            [dataset, sha, file_name, periods, now, version, [note]],
        )


def _new_periods(new: NewVersion) -> tuple[str, ...]:
    if new.periods or new.frame is None:
        return new.periods
    return tuple(sorted(new.frame["period"].unique().to_list()))


def check_takeover(gw: Gateway, dataset: str, level: str, origin: str = "published") -> None:
    """Refuse to write a public version under the id of a dataset that was ever protected.

    Raises:
        StoreError: it was.
    """
    ensure_schema(gw)
    if level == "public" and gw.scalar(
            "SELECT count(*) FROM ml_version WHERE dataset_id = ? AND sensitivity = 'protected'",
            [dataset]):
        raise StoreError(
            title=f"dataset {dataset!r} is protected (a register's data); this "
            f"{origin} table cannot be written under its id",
            hint="give the table another [dataset] id in its mapping",
        )


def _previous(gw: Gateway, new: NewVersion, level: str) -> tuple[int, str] | None:
    """The latest version (number, table), after checking the new one may follow it."""
    meta = new.meta
    last = latest_version(gw, meta.id)
    check_takeover(gw, meta.id, level, new.origin)
    if last is None:
        return None
    version, table = last
    old_dims = [r[0] for r in gw.rows(
        "SELECT id FROM ml_dimension WHERE dataset_id = ? AND version = ? ORDER BY position",
        [meta.id, version])]
    dims = [d.id for d in new.dimensions]
    stored = bool(gw.scalar("SELECT totals_stored FROM ml_dataset WHERE id = ?", [meta.id]))
    if stored != new.totals_stored:
        what = "a register's cube" if stored else "a published table"
        raise StoreError(
            title=f"dataset {meta.id!r} holds {what}, not a "
            f"{'register' if new.totals_stored else 'published table'}'s data",
            hint="write it as a dataset of its own (another id)",
        )
    if old_dims != dims:
        raise StoreError(
            title=f"dataset {meta.id!r} has dimensions {old_dims}, this one gives {dims}",
            hint="a table with other dimensions is another dataset: give its mapping "
            "another [dataset] id",
        )
    old_measures = tuple(m.id for m in measures_of(gw, meta.id, version))
    if old_measures != meta.measure_ids:
        raise StoreError(
            title=f"dataset {meta.id!r} has measures {list(old_measures)}, this one gives "
            f"{list(meta.measure_ids)}",
            hint="a table with other measures is another dataset: give it another id",
        )
    return version, table


def _insert_frame(gw: Gateway, name: str, new: NewVersion) -> None:
    assert new.frame is not None
    frame = new.frame if "top" in new.frame.columns else with_top(new.frame)
    if "src" not in frame.columns:  # a bundled sample keeps each row's original source
        frame = frame.with_columns(pl.lit(new.source.source_sha256).alias("src"))
    if "source_row" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int64).alias("source_row"))
    columns = ["period", "region", *(d.id for d in new.dimensions), *new.meta.measure_ids,
               "status", "top", "src", "source_row"]
    gw.register("incoming", frame.select(columns))
    try:
        gw.execute(f"INSERT INTO {quote_ident(name)} SELECT * FROM incoming")
    finally:
        gw.unregister("incoming")


def _write_rows(
    gw: Gateway, new: NewVersion, written: WrittenVersion, previous: int | None,
    labels: dict[str, dict[str, str]], read: tuple[tuple[str, ...], int | None],
) -> None:
    """The catalogue rows of a version whose observation table is filled.

    ``read`` is the periods the new rows cover and the rows read from the source.
    """
    new_periods, rows_read = read
    meta, version, now = new.meta, written.version, datetime.now(UTC).replace(tzinfo=None)
    periods = [r[0] for r in gw.rows(
        f"SELECT DISTINCT period FROM {quote_ident(written.table_name)} ORDER BY 1")]
    gw.execute("DELETE FROM ml_dataset WHERE id = ?", [meta.id])
    gw.execute(
        "INSERT INTO ml_dataset (id, title_ko, title_en, publisher, source_url, licence, unit, "
        "reference_date, region_system, notes, period_day, totals_stored, origin) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [meta.id, meta.title_ko, meta.title_en, meta.publisher, meta.source_url, meta.licence,
         meta.unit, meta.reference_date, meta.region_system, meta.notes, meta.period_day,
         new.totals_stored, new.origin],
    )
    gw.execute(
        "INSERT INTO ml_version (dataset_id, version, created_at, source_sha256, observations, "
        "periods, table_name, sensitivity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [meta.id, version, now, new.source.source_sha256, written.observations, periods,
         written.table_name, written.sensitivity],
    )
    for position, dim in enumerate(new.dimensions):
        gw.execute(
            "INSERT INTO ml_dimension (dataset_id, version, position, id, title_ko, title_en, "
            "codelist, total_code, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [meta.id, version, position, dim.id, dim.title_ko, dim.title_en, dim.codelist,
             dim.total, dim.role],
        )
    for position, m in enumerate(meta.measures):
        gw.execute(
            "INSERT INTO ml_measure VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [meta.id, version, position, m.id, m.title_ko, m.title_en, m.unit, m.value_kind],
        )
    for ref in written.derived_from:
        gw.execute("INSERT INTO ml_lineage VALUES (?, ?, ?, ?)",
                   [meta.id, version, ref.id, ref.version])
    _write_codes(gw, meta.id, version, previous, labels)
    src = new.source
    gw.execute(
        "INSERT INTO ml_source (dataset_id, source_sha256, mapping_sha256, file_name, periods, "
        "rows_read, ingested_at, version, notes, content_sha256) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [meta.id, src.source_sha256, src.mapping_sha256, src.file_name, list(new_periods),
         rows_read, now, version, list(src.notes), src.content_sha256],
    )


def _write_codes(
    gw: Gateway, dataset: str, version: int, previous: int | None,
    labels: dict[str, dict[str, str]],
) -> None:
    """Codes of this version, plus those carried forward from the previous version."""
    listed = [(dim, code, label) for dim, found in labels.items()
              for code, label in found.items()]
    if listed:
        # lists as parameters, unnested side by side: no frame to register (registering
        # one makes DuckDB import pandas, a third of a second on a small register)
        gw.execute(
            "INSERT INTO ml_code (dataset_id, version, dimension, code, label) "
            "SELECT ?, ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
            [dataset, version, [d for d, _, _ in listed], [c for _, c, _ in listed],
             [lab for _, _, lab in listed]],
        )
    if previous is not None:
        gw.execute(
            "INSERT INTO ml_code SELECT dataset_id, ?, dimension, code, label FROM ml_code o "
            "WHERE dataset_id = ? AND version = ? AND NOT EXISTS (SELECT 1 FROM ml_code n "
            "WHERE n.dataset_id = o.dataset_id AND n.version = ? AND n.dimension = o.dimension "
            "AND n.code = o.code)",
            [version, dataset, previous, version],
        )


def with_top(frame: pl.DataFrame) -> pl.DataFrame:
    """Mark rows whose region has no ancestor present in the same period (``top``)."""
    present: dict[str, set[str]] = {}
    for period, region in frame.select("period", "region").unique().iter_rows():
        present.setdefault(period, set()).add(region)
    tops = []
    for period, regions in present.items():
        for region in regions:
            parent, top = structural_parent(region), True
            while parent is not None:
                if parent in regions:
                    top = False
                    break
                parent = None if parent == NATIONAL else structural_parent(parent)
            tops.append((period, region, top))
    flags = pl.DataFrame(
        tops, schema={"period": pl.Utf8, "region": pl.Utf8, "top": pl.Boolean}, orient="row"
    )
    return frame.join(flags, on=["period", "region"], how="left")


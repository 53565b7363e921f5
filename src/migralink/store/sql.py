"""Pure functions that build the SQL of the evidence base (no connection here).

Keeping SQL construction apart from execution lets it be tested without a database and
lets the gateway report the exact statement that failed. Identifiers are validated and
quoted here; values always travel as parameters.
"""

from __future__ import annotations

import re

__all__ = [
    "SCHEMA",
    "create_observation_table",
    "obs_table_name",
    "quote_ident",
]

#: The catalogue tables. Observations live in one table per dataset version
#: (``obs_<dataset>_v<n>``) so that a query scans only what it reads.
#: ``ml_dataset.totals_stored`` is true for a dataset that stores every margin as rows
#: (a dimension's total code, region ``"00"``: a cube aggregated from a register); a
#: query asked ``by`` a dimension then leaves its margin rows out.
SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS ml_dataset (
        id VARCHAR PRIMARY KEY, title_ko VARCHAR, title_en VARCHAR, publisher VARCHAR,
        source_url VARCHAR, licence VARCHAR, unit VARCHAR, reference_date VARCHAR,
        region_system VARCHAR, notes VARCHAR, period_day VARCHAR,
        totals_stored BOOLEAN DEFAULT false)""",
    """CREATE TABLE IF NOT EXISTS ml_source (
        dataset_id VARCHAR, source_sha256 VARCHAR, mapping_sha256 VARCHAR, file_name VARCHAR,
        periods VARCHAR[], rows_read BIGINT, ingested_at TIMESTAMP, version INTEGER,
        notes VARCHAR[], content_sha256 VARCHAR,
        PRIMARY KEY (dataset_id, source_sha256, mapping_sha256))""",
    """CREATE TABLE IF NOT EXISTS ml_version (
        dataset_id VARCHAR, version INTEGER, created_at TIMESTAMP, source_sha256 VARCHAR,
        observations BIGINT, periods VARCHAR[], table_name VARCHAR,
        PRIMARY KEY (dataset_id, version))""",
    """CREATE TABLE IF NOT EXISTS ml_dimension (
        dataset_id VARCHAR, version INTEGER, position INTEGER, id VARCHAR, title_ko VARCHAR,
        title_en VARCHAR, codelist VARCHAR, total_code VARCHAR,
        PRIMARY KEY (dataset_id, version, id))""",
    """CREATE TABLE IF NOT EXISTS ml_code (
        dataset_id VARCHAR, version INTEGER, dimension VARCHAR, code VARCHAR, label VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS ml_quarantine (
        dataset_id VARCHAR, source_sha256 VARCHAR, file_name VARCHAR, sheet VARCHAR,
        row_number BIGINT, column_name VARCHAR, reason VARCHAR, raw VARCHAR,
        recorded_at TIMESTAMP)""",
)

#: OBS_STATUS as a DuckDB ENUM: one byte a cell instead of a string (the codes of
#: :data:`migralink.sources.model.OBS_STATUS`).
OBS_STATUS_TYPE = "ENUM('A', 'E', 'P', 'M', 'C')"

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def quote_ident(name: str) -> str:
    """Quote a column or table name after checking it is a plain identifier."""
    if not _IDENT.fullmatch(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return f'"{name}"'


def obs_table_name(dataset_id: str, version: int) -> str:
    """The table holding one version of a dataset's observations."""
    return f"obs_{dataset_id}_v{version}"


def create_observation_table(table: str, dimensions: list[str]) -> str:
    """DDL of an observation table.

    ``top`` is true where no unit containing the region is present for the same period:
    summing ``top`` rows gives the national total without counting a city and its
    districts twice. ``src`` is the sha256 of the source file the row came from.
    """
    dims = "".join(f", {quote_ident(d)} VARCHAR" for d in dimensions)
    return (
        f"CREATE TABLE {quote_ident(table)} (period VARCHAR, region VARCHAR{dims}, "
        f"value DOUBLE, status {OBS_STATUS_TYPE}, top BOOLEAN, src VARCHAR, source_row BIGINT)"
    )

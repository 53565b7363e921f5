"""The catalogue's tables, their migrations, and the SQL that reads lineage (pure).

Every ``ml_*`` table is created and changed here. ``ml_schema`` records which
migrations an evidence base has had; an older file (one without ``ml_schema``, made
before the catalogue had versions) counts as schema 1 and is migrated when it is next
opened for writing.
"""

from __future__ import annotations

from migralink.store.sql import quote_ident

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "code_labels_sql",
    "create_observation_table",
    "dataset_list_sql",
    "dimensions_sql",
    "lineage_sql",
    "quarantined_sql",
    "rejected_rows_sql",
    "version_sql",
]

#: Schema 1: the catalogue as it was before migrations. Observations live in one table
#: per dataset version (``obs_<dataset>_v<n>``) so that a query scans only what it reads.
#: ``ml_dataset.totals_stored`` is true for a dataset that stores every margin as rows (a
#: register's cube): a query asked ``by`` a dimension then leaves its margin rows out.
_V1: tuple[str, ...] = (
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

#: Schema 2: measures with value kinds, dimension roles, each version's sensitivity and
#: inputs, each dataset's origin. Existing register cubes become protected; an existing
#: dataset's one measure is ``value`` in its unit, a count (the indicators: a number).
_V2: tuple[str, ...] = (
    "ALTER TABLE ml_dataset ADD COLUMN origin VARCHAR DEFAULT 'published'",
    "ALTER TABLE ml_version ADD COLUMN sensitivity VARCHAR DEFAULT 'public'",
    "ALTER TABLE ml_dimension ADD COLUMN role VARCHAR DEFAULT 'category'",
    """CREATE TABLE ml_measure (
        dataset_id VARCHAR, version INTEGER, position INTEGER, id VARCHAR, title_ko VARCHAR,
        title_en VARCHAR, unit VARCHAR, value_kind VARCHAR,
        PRIMARY KEY (dataset_id, version, id))""",
    """CREATE TABLE ml_lineage (
        dataset_id VARCHAR, version INTEGER, input_id VARCHAR, input_version INTEGER,
        PRIMARY KEY (dataset_id, version, input_id, input_version))""",
    "UPDATE ml_dataset SET origin = 'register' WHERE totals_stored",
    "UPDATE ml_dataset SET origin = 'derived' WHERE id = 'indicators'",
    "UPDATE ml_version SET sensitivity = 'protected' WHERE dataset_id IN "
    "(SELECT id FROM ml_dataset WHERE origin = 'register')",
    """INSERT INTO ml_measure SELECT v.dataset_id, v.version, 0, 'value', '값', 'value',
        d.unit, CASE WHEN d.origin = 'derived' THEN 'number' ELSE 'count' END
        FROM ml_version v JOIN ml_dataset d ON d.id = v.dataset_id""",
)

#: The migrations in order; ``MIGRATIONS[n - 1]`` brings a file to schema ``n``.
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)

SCHEMA_TABLE = (
    "CREATE TABLE IF NOT EXISTS ml_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
)

#: OBS_STATUS as a DuckDB ENUM: one byte a cell instead of a string (the codes of
#: :data:`migralink.model.OBS_STATUS`).
OBS_STATUS_TYPE = "ENUM('A', 'E', 'P', 'M', 'C')"


def create_observation_table(
    table: str, dimensions: list[str], measures: tuple[str, ...] = ("value",)
) -> str:
    """DDL of an observation table: keys, the measures (``value`` first), attributes.

    ``top`` is true where no unit containing the region is present for the same period:
    summing ``top`` rows gives the national total without counting a city and its
    districts twice. ``src`` is the sha256 of the source file the row came from.
    """
    dims = "".join(f", {quote_ident(d)} VARCHAR" for d in dimensions)
    values = "".join(f", {quote_ident(m)} DOUBLE" for m in measures)
    return (
        f"CREATE TABLE {quote_ident(table)} (period VARCHAR, region VARCHAR{dims}{values}, "
        f"status {OBS_STATUS_TYPE}, top BOOLEAN, src VARCHAR, source_row BIGINT)"
    )


def lineage_sql() -> str:
    """Every input of a version, recursively: (id, version, origin, has inputs).

    Parameters: the dataset id and its version.
    """
    return """WITH RECURSIVE up(id, version) AS (
            SELECT input_id, input_version FROM ml_lineage WHERE dataset_id = ? AND version = ?
            UNION
            SELECT l.input_id, l.input_version FROM ml_lineage l
            JOIN up ON l.dataset_id = up.id AND l.version = up.version)
        SELECT up.id, up.version, coalesce(d.origin, 'published'),
               EXISTS (SELECT 1 FROM ml_lineage x
                       WHERE x.dataset_id = up.id AND x.version = up.version)
        FROM up LEFT JOIN ml_dataset d ON d.id = up.id ORDER BY up.id, up.version"""


def dataset_list_sql() -> str:
    """Every dataset with its latest version, version count, sources, periods, dimensions.

    Columns: id, title_ko, title_en, publisher, source_url, licence, unit, version,
    versions, source_sha256, source file names, periods, dimension ids, observations.
    """
    return """SELECT d.id, d.title_ko, d.title_en, d.publisher, d.source_url, d.licence, d.unit,
              v.version, (SELECT count(*) FROM ml_version x WHERE x.dataset_id = d.id),
              v.source_sha256,
              (SELECT list(file_name ORDER BY ingested_at) FROM ml_source s
                WHERE s.dataset_id = d.id AND s.version <= v.version),
              v.periods,
              (SELECT list(id ORDER BY position) FROM ml_dimension m
                WHERE m.dataset_id = d.id AND m.version = v.version),
              v.observations
       FROM ml_dataset d JOIN ml_version v ON v.dataset_id = d.id
       WHERE v.version = (SELECT max(version) FROM ml_version w WHERE w.dataset_id = d.id)
       ORDER BY d.id"""


def version_sql(*, named: bool) -> str:
    """One version of a dataset (the latest, or the one named) and its dataset's settings.

    Parameters: the dataset id, then the version when ``named``. Columns: version,
    table_name, period_day, region_system, totals_stored, periods.
    """
    return (
        "SELECT v.version, v.table_name, d.period_day, d.region_system, d.totals_stored, "
        "v.periods FROM ml_version v JOIN ml_dataset d ON d.id = v.dataset_id "
        "WHERE v.dataset_id = ? " + ("AND v.version = ? " if named else "")
        + "ORDER BY v.version DESC LIMIT 1"
    )


def quarantined_sql() -> str:
    """Whether any source row of a dataset was rejected at ingest. Parameter: its id."""
    return "SELECT EXISTS (SELECT 1 FROM ml_quarantine WHERE dataset_id = ?)"


def rejected_rows_sql(table: str) -> str:
    """How many source rows were rejected at ingest (``--allow-rejects``) from the files
    whose rows a stored version holds. Parameter: the dataset id."""
    return ("SELECT count(*) FROM ml_quarantine WHERE dataset_id = ? AND source_sha256 IN "
            f"(SELECT DISTINCT src FROM {quote_ident(table)})")


def dimensions_sql() -> str:
    """The dimensions of a version in order: id, codelist, total_code, role.

    Parameters: the dataset id and its version.
    """
    return (
        "SELECT id, codelist, total_code, role FROM ml_dimension "
        "WHERE dataset_id = ? AND version = ? ORDER BY position"
    )


def code_labels_sql() -> str:
    """Code and label of one dimension of a version.

    Parameters: the dataset id, its version and the dimension id.
    """
    return "SELECT code, label FROM ml_code WHERE dataset_id = ? AND version = ? AND dimension = ?"

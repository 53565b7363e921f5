"""Store: the evidence base in one DuckDB file (catalogue + versioned observations).

Public surface: :class:`Gateway`, :func:`store_table`, :func:`run_query`,
:class:`QuerySpec`, :class:`QueryResult`, and the catalogue's readers
(:mod:`migralink.store.catalogue_read`): :func:`list_datasets`, :class:`DatasetInfo`,
:func:`resolve_version`, :class:`VersionRef`, :func:`code_labels`.
"""

from migralink.store import query_lang
from migralink.store.catalogue_read import (
    DatasetInfo,
    VersionRef,
    code_labels,
    list_datasets,
    resolve_version,
)
from migralink.store.gateway import Gateway
from migralink.store.ingest import IngestResult, ensure_schema, store_table
from migralink.store.query import QueryResult, QuerySpec, run_query

__all__ = [
    "DatasetInfo",
    "Gateway",
    "IngestResult",
    "QueryResult",
    "QuerySpec",
    "VersionRef",
    "code_labels",
    "ensure_schema",
    "list_datasets",
    "query_lang",
    "resolve_version",
    "run_query",
    "store_table",
]

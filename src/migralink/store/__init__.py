"""Store: the evidence base in one DuckDB file (catalogue + versioned observations).

Public surface: :class:`Gateway`, :func:`store_table`, :func:`run_query`,
:class:`QuerySpec`, :class:`QueryResult`, :func:`list_datasets`, :class:`DatasetInfo`.
"""

from migralink.store import query_lang
from migralink.store.catalog import DatasetInfo, list_datasets, resolve_version
from migralink.store.gateway import Gateway
from migralink.store.ingest import IngestResult, ensure_schema, store_table
from migralink.store.query import QueryResult, QuerySpec, run_query

__all__ = [
    "DatasetInfo",
    "Gateway",
    "IngestResult",
    "QueryResult",
    "QuerySpec",
    "ensure_schema",
    "list_datasets",
    "query_lang",
    "resolve_version",
    "run_query",
    "store_table",
]

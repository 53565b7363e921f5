"""Sources: reading published tables, exactly as published, into the cube's shape.

Public surface: :func:`read_table` (file + mapping → validated table),
:func:`choose_mappings`, :func:`load_mapping`, :func:`builtin_mappings` and the model
classes.
"""

from __future__ import annotations

from pathlib import Path

from migralink.sources.boundary import guarded
from migralink.sources.mapping import MappingSpec, load_mapping, parse_mapping
from migralink.sources.model import DatasetMeta, DimensionMeta, Reject, SourceTable
from migralink.sources.reader import read_source
from migralink.sources.registry import builtin_mappings, choose_mappings
from migralink.sources.validate import validate_table

__all__ = [
    "DatasetMeta",
    "DimensionMeta",
    "MappingSpec",
    "Reject",
    "SourceTable",
    "builtin_mappings",
    "choose_mappings",
    "load_mapping",
    "parse_mapping",
    "read_table",
]


def read_table(path: Path, spec: MappingSpec) -> SourceTable:
    """Read and validate one file; rejects are recorded on the table, not raised.

    Raises:
        InputError: the file cannot be read as the mapping describes (never a library's
            own exception: those are turned into an error naming the file).
    """
    return guarded(path, lambda: validate_table(read_source(path, spec), spec))

"""Sources: reading published tables, exactly as published, into the cube's shape.

Public surface: :func:`read_table` (file + mapping → validated table),
:func:`choose_mappings`, :func:`load_mapping`, :func:`builtin_mappings` and the model
classes.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import polars as pl
from python_calamine import CalamineError

from migralink.errors import InputError, Location, MigralinkError
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


#: Errors of the libraries under the reader: a damaged file must never surface as one
#: (a traceback), but as a one-line error naming the file.
_THIRD_PARTY = (
    pl.exceptions.PolarsError, CalamineError, csv.Error, zipfile.BadZipFile, OSError,
    ValueError, TypeError, KeyError, IndexError, OverflowError, UnicodeError, RecursionError,
    MemoryError, EOFError,
)


def read_table(path: Path, spec: MappingSpec) -> SourceTable:
    """Read and validate one file; rejects are recorded on the table, not raised.

    Raises:
        InputError: the file cannot be read as the mapping describes (never a library's
            own exception: those are turned into an error naming the file here).
    """
    try:
        return validate_table(read_source(path, spec), spec)
    except MigralinkError:
        raise
    except _THIRD_PARTY as exc:
        raise _unreadable(path, exc) from exc
    except BaseException as exc:  # a Rust panic in calamine is a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: BaseException) -> InputError:
    message = " ".join(str(exc).split())[:200]
    return InputError(
        title=f"the file cannot be read ({type(exc).__name__}: {message})",
        hint="the download is probably damaged: download it again; nothing was ingested",
        location=Location(file=str(path)),
    )

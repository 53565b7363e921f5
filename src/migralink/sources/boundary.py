"""The one place where the libraries under the reader meet migralink's errors.

A damaged file must never surface as a library's exception (a traceback): polars, the csv
module, zipfile and calamine (whose Rust panics arrive as ``BaseException``) each become
one :class:`~migralink.errors.InputError` naming the file.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import polars as pl
from python_calamine import CalamineError

from migralink.errors import InputError, Location, MigralinkError

__all__ = ["THIRD_PARTY", "guarded"]

T = TypeVar("T")

#: Errors of the libraries under the reader.
THIRD_PARTY: tuple[type[BaseException], ...] = (
    pl.exceptions.PolarsError, CalamineError, csv.Error, zipfile.BadZipFile, OSError,
    ValueError, TypeError, KeyError, IndexError, OverflowError, UnicodeError, RecursionError,
    MemoryError, EOFError,
)


def guarded(path: Path, action: Callable[[], T]) -> T:
    """Run ``action``; a library's exception becomes an InputError naming ``path``.

    Raises:
        InputError: for any library failure while reading ``path``.
    """
    try:
        return action()
    except MigralinkError:
        raise
    except THIRD_PARTY as exc:
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

"""Checks of survey input that name the file, row and column of the first bad cell.

Rows are CSV lines (the header is line 1, the first data row line 2), as
:class:`~migralink.errors.Location` defines them. The library knows rows and columns;
the file name is added where the file was read (:func:`in_file`).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from migralink.errors import InputError, Location, MigralinkError

__all__ = ["csv_line", "in_file", "numeric_column", "ragged_line"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def csv_line(bad: np.ndarray[Any, np.dtype[np.bool_]]) -> int:
    """The CSV line of the first True row (header = line 1)."""
    return int(np.flatnonzero(bad)[0]) + 2


def in_file(exc: MigralinkError, path: Path | str) -> MigralinkError:
    """The error with ``path`` as the file of its location (unless it names one)."""
    where = exc.location or Location()
    if where.file is None:
        exc.location = replace(where, file=Path(path).name)
    return exc


def numeric_column(frame: pl.DataFrame, name: str, what: str, *,
                   finite: bool = False) -> FloatArray:
    """A column as floats (missing = NaN); text that is not a number is an error.

    Args:
        frame: the data.
        name: the column.
        what: what the column is, for the message (``weights``, ``variable``…).
        finite: also refuse infinite values.
    """
    if name not in frame.columns:
        raise InputError(f"{what} column {name!r} is not in the data",
                         f"use one of: {', '.join(frame.columns[:20])}")
    col = frame.get_column(name)
    if col.dtype in (pl.Utf8, pl.Categorical):
        text = col.cast(pl.Utf8)
        numbers = text.str.strip_chars().cast(pl.Float64, strict=False)
        bad = (numbers.is_null() & text.is_not_null()).to_numpy()
        if bad.any():
            value = text[int(np.flatnonzero(bad)[0])]
            raise InputError(f"{what} column {name!r} holds text {value!r}, not a number",
                             "give numbers (empty cells or NA for missing values)",
                             Location(row=csv_line(bad), column=name))
        col = numbers
    try:
        values = col.cast(pl.Float64).to_numpy().astype(float)
    except pl.exceptions.InvalidOperationError as exc:
        raise InputError(f"{what} column {name!r} is not numeric",
                         "give numbers", Location(column=name)) from exc
    if finite and np.isinf(values).any():
        raise InputError(f"{what} column {name!r} has an infinite value",
                         "give finite numbers",
                         Location(row=csv_line(np.isinf(values)), column=name))
    return values


def ragged_line(path: Path | str) -> tuple[int, int, int] | None:
    """The first line whose field count differs from the header's: (line, got, want)."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return None
            for row in reader:
                if row and len(row) != len(header):
                    return reader.line_num, len(row), len(header)
    except (OSError, csv.Error):
        return None
    return None

"""A small subset of R's model formulas, with R's column names.

``"api00 ~ ell + meals + factor(race) + stype"`` gives an intercept, the numeric columns
as they are, and treatment-coded dummies for ``factor(x)`` and for text or boolean
columns (levels sorted as R sorts them; the first level is the reference). ``- 1``
drops the intercept. Columns are named as R names them (``factor(race)2``, ``stypeH``,
``femaleTRUE``), so that results line up with R's output term by term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import polars as pl

from migralink.errors import ConfigError, InputError
from migralink.survey.design import FloatArray

__all__ = ["ModelMatrix", "factor_levels", "model_matrix", "parse_formula"]

_FACTOR = re.compile(r"^factor\(\s*([A-Za-z_.][\w.]*)\s*\)$")
_NAME = re.compile(r"^[A-Za-z_.][\w.]*$")


@dataclass(frozen=True)
class _Term:
    text: str
    column: str
    factor: bool


@dataclass(frozen=True, eq=False)
class ModelMatrix:
    """A model matrix and the rows it could use.

    Attributes:
        x: rows × columns (rows with a missing value hold zeros).
        names: R's column names.
        complete: rows with no missing value in any term.
    """

    x: FloatArray
    names: tuple[str, ...]
    complete: np.ndarray[tuple[int], np.dtype[np.bool_]]


def parse_formula(text: str) -> tuple[str | None, list[str], bool]:
    """Split ``"y ~ a + b - 1"`` into the response, the terms and the intercept flag."""
    lhs, _, rhs = text.rpartition("~")
    response = lhs.strip() or None
    terms: list[str] = []
    intercept = True
    for part in re.split(r"(?=[+-])", rhs.replace(" ", "")):
        token = part.lstrip("+")
        if token in ("-1", "+0", "0"):
            intercept = False
        elif token == "1" or not token:
            continue
        elif token.startswith("-"):
            raise ConfigError(f"cannot remove term {token[1:]!r} in formula {text!r}",
                              "only '- 1' (no intercept) is supported")
        else:
            terms.append(token)
    return response, terms, intercept


def _term(text: str, frame: pl.DataFrame, formula: str) -> _Term:
    match = _FACTOR.match(text)
    column = match.group(1) if match else text
    if not (match or _NAME.match(text)):
        raise ConfigError(f"term {text!r} of formula {formula!r} is not supported",
                          "use column names and factor(column); derive other "
                          "variables as columns first")
    if column not in frame.columns:
        raise InputError(f"formula {formula!r} names column {column!r}, which the data lack",
                         "check the column name")
    dtype = frame.schema[column]
    is_factor = bool(match) or dtype in (pl.Utf8, pl.Boolean, pl.Categorical)
    return _Term(text, column, is_factor)


def _label(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def factor_levels(series: pl.Series) -> list[object]:
    """The distinct non-missing values in R's factor order (C-locale text, numbers)."""
    values = series.drop_nulls().unique()
    if series.dtype == pl.Categorical:
        values = values.cast(pl.Utf8)
    return list(values.sort().to_list())


def model_matrix(formula: str, frame: pl.DataFrame, *, with_response: bool = True
                 ) -> tuple[FloatArray | None, ModelMatrix]:
    """The response and the model matrix of ``formula`` on ``frame``.

    Args:
        formula: ``"y ~ terms"`` or ``"~ terms"``.
        frame: the data.
        with_response: require a response.

    Returns:
        ``(y, matrix)``; ``y`` has NaN where missing (None without a response).
    """
    response, terms, intercept = parse_formula(formula)
    n = frame.height
    complete = np.ones(n, dtype=bool)
    y: FloatArray | None = None
    if response is not None:
        if response not in frame.columns:
            raise InputError(f"formula {formula!r} names column {response!r}, which the "
                             "data lack", "check the response column")
        col = frame.get_column(response)
        if col.dtype in (pl.Utf8, pl.Categorical):
            # a two-level factor response: the first level is failure (0), as R's binomial
            levels = factor_levels(col)
            if len(levels) != 2:
                raise ConfigError(f"response {response!r} has {len(levels)} levels",
                                  "a binary model needs exactly two")
            col = (col.cast(pl.Utf8) == levels[1]).cast(pl.Float64)
        if col.dtype == pl.Boolean:
            col = col.cast(pl.Float64)
        y = col.cast(pl.Float64).to_numpy().astype(float)
        complete &= ~np.isnan(y)
    elif with_response:
        raise ConfigError(f"formula {formula!r} has no response", "write it as 'y ~ x'")
    columns: list[FloatArray] = [np.ones(n)] if intercept else []
    names: list[str] = ["(Intercept)"] if intercept else []
    for text in terms:
        term = _term(text, frame, formula)
        col = frame.get_column(term.column)
        complete &= ~col.is_null().to_numpy()
        if not term.factor:
            values = col.cast(pl.Float64).to_numpy().astype(float)
            complete &= ~np.isnan(values)
            columns.append(np.nan_to_num(values))
            names.append(text)
            continue
        levels = factor_levels(col)
        start = 1 if intercept or columns else 0
        for level in levels[start:]:
            columns.append((col == level).fill_null(False).to_numpy().astype(float))
            names.append(f"{text}{_label(level)}")
    x = np.column_stack(columns) if columns else np.zeros((n, 0))
    return y, ModelMatrix(x, tuple(names), complete)

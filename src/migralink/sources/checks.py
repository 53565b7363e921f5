"""Checks that a file is the table its mapping describes, before any value is read.

* every column the mapping expects must be in the header: the columns its fields name,
  the ``[melt] columns`` it lists, every alternative of a melt pattern that is a plain
  list of names (``^(외국인근로자|결혼이민자|…)$``), and every combination of the named
  groups of a melt pattern (a year that has 계 and 남 but no 여 lost a column). A missing
  column is an error naming it, with the nearest header name when one was misspelt;
* periods are taken from the file where it states them (a column, or its name when the
  mapping says how: ``[period] filename``) and must be plausible: not in the future, not
  before 1900, not after the download date a portal file name carries, and within the
  years a ``YYYYMM_YYYYMM_`` download name covers.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path

from migralink.codes.periods import reference_day
from migralink.errors import InputError, Location, MigralinkError
from migralink.sources.grid import Grid
from migralink.sources.mapping import MappingSpec
from migralink.sources.workbook import column_name

__all__ = [
    "check_columns", "expected_columns", "implausible_period", "normalise_name",
    "period_from_name",
]

_COPY_SUFFIX = re.compile(r"(?:\s*\(\d{1,3}\)|\s*-\s*(?:복사본|Copy))+(?=\.[^.]*$)")
_META = set(".^$*+?{}[]|()\\")


def normalise_name(name: str) -> str:
    """A file name without the browser's or the desktop's copy suffix (`` (1)``)."""
    return _COPY_SUFFIX.sub("", name)


def _literal_alternatives(pattern: str) -> list[str] | None:
    """The names of a pattern that is a plain list (``^(a|b|c)$``), else ``None``."""
    body = pattern
    if body.startswith("^"):
        body = body[1:]
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1]
    found = re.fullmatch(r"\((?:\?:|\?P<\w+>)?(.*)\)", body, re.S)
    if found:
        body = found.group(1)
    return _split_literal(body)


def _split_literal(body: str) -> list[str] | None:
    out, current, i = [], "", 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt.isalnum():
                return None  # \d, \w…: a class, not a literal
            current += nxt
            i += 2
            continue
        if char == "|":
            out.append(current)
            current = ""
        elif char in _META:
            return None
        else:
            current += char
        i += 1
    out.append(current)
    return out


def _named_groups(pattern: str) -> dict[str, str]:
    """The body of each named group ``(?P<name>…)`` of a pattern."""
    groups = {}
    for found in re.finditer(r"\(\?P<(\w+)>", pattern):
        depth, i, start = 1, found.end(), found.end()
        in_class = False
        while i < len(pattern) and depth:
            char = pattern[i]
            if char == "\\":
                i += 2
                continue
            if char == "[":
                in_class = True
            elif char == "]":
                in_class = False
            elif not in_class and char == "(":
                depth += 1
            elif not in_class and char == ")":
                depth -= 1
            i += 1
        groups[found.group(1)] = pattern[start : i - 1]
    return groups


def expected_columns(spec: MappingSpec, header: tuple[str, ...]) -> list[str]:
    """Columns the header must have for ``spec`` (named, listed, or implied by the melt)."""
    wanted = list(spec.header_required)
    for fspec in (spec.period, spec.region, *(f for _, f in spec.dimensions)):
        for col in (fspec.column, fspec.month_column, fspec.label_column):
            if col and not col.startswith("@"):
                wanted.append(col)
    if spec.value_column:
        wanted.append(spec.value_column)
    wanted += spec.melt_columns
    if spec.melt_pattern and spec.melt_pattern != ".+":
        names = _literal_alternatives(spec.melt_pattern)
        if names is not None:
            wanted += names
        else:
            wanted += _missing_combinations(spec.melt_pattern, header[spec.melt_from_column - 1:])
    return list(dict.fromkeys(wanted))


def _missing_combinations(pattern: str, header: tuple[str, ...]) -> list[str]:
    """Columns a named-group melt lacks, judged by the header's own regularity.

    The groups written as plain lists (``(?P<sex>계|남|여)``) are the categories; the
    others (a year) are the repeats. Every repeat must show the same categories: a year
    with 계 and 남 but no 여 lost a column. The missing column is named by rewriting a
    sibling's name (``2021년_계_총인구수`` → ``2021년_여_총인구수``). A table whose
    categories are irregular by design (no 피부양자 under 지역) has no repeat group, and
    lists its columns in ``[melt] columns`` instead.
    """
    regex = re.compile(pattern)
    bodies = _named_groups(pattern)
    matches = [m for m in (regex.search(h) for h in header) if m]
    listed = [n for n, body in bodies.items() if _split_literal(body) is not None]
    repeats = [n for n in bodies if n not in listed]
    if not matches or not listed or not repeats:
        return []
    categories = list(dict.fromkeys(tuple(m.group(n) or "" for n in listed) for m in matches))
    by_repeat: dict[tuple[str, ...], dict[tuple[str, ...], re.Match[str]]] = {}
    for m in matches:
        key = tuple(m.group(n) or "" for n in repeats)
        by_repeat.setdefault(key, {})[tuple(m.group(n) or "" for n in listed)] = m
    missing = []
    for found in by_repeat.values():
        sibling = next(iter(found.values()))
        for combo in categories:
            if combo in found:
                continue
            text = sibling.string
            spans = sorted(zip(listed, combo, strict=True), key=lambda p: -sibling.start(p[0]))
            for name, value in spans:
                if sibling.start(name) >= 0:
                    text = text[: sibling.start(name)] + value + text[sibling.end(name):]
            missing.append(text)
    return missing


def check_columns(grid: Grid, spec: MappingSpec) -> None:
    """Refuse a file whose header lacks a column the mapping expects.

    Raises:
        InputError: naming the missing column(s) and, for a misspelt one, its look-alike.
    """
    present = set(grid.header)
    missing = [c for c in expected_columns(spec, grid.header) if c not in present]
    if missing:
        extra = [h for h in grid.header if h not in _used(spec, grid.header)]
        near = {m: _nearest(m, extra or list(grid.header)) for m in missing}
        hints = [f"{n!r} instead of {m!r}?" for m, n in near.items() if n]
        raise InputError(
            title=f"the header lacks column(s) {', '.join(map(repr, missing))}",
            hint=("misspelt or renamed: " + "; ".join(hints) + " " if hints else "")
            + f"the file's columns are {', '.join(grid.header[:12])}"
            f"{' …' if len(grid.header) > 12 else ''}; is this the right file for mapping "
            f"{spec.meta.id!r}? Nothing was ingested",
            location=grid.location(row=spec.header_row + spec.header_rows - 1,
                                   column=missing[0]),
        )
    _refuse_repeated(grid, spec)
    if spec.melt_pattern and not any(re.search(spec.melt_pattern, h) for h in
                                     grid.header[spec.melt_from_column - 1:]):
        raise InputError(
            title="no column of the header fits the mapping's [melt] pattern",
            hint=f"the file's layout differs from what mapping {spec.meta.id!r} expects",
            location=grid.location(row=spec.header_row),
        )


def _refuse_repeated(grid: Grid, spec: MappingSpec) -> None:
    """A column the mapping reads must be printed once: of two 체류외국인수 columns the
    last was read without a word (a pasted revision of zeros replaced every count)."""
    used = _used(spec, grid.header)
    for name in dict.fromkeys(h for h in grid.header if h in used):  # in header order
        places = [i for i, h in enumerate(grid.header) if h == name]
        if len(places) > 1:
            letters = " and ".join(column_name(i + 1) for i in places)
            raise InputError(
                title=f"the header prints column {name!r} {len(places)} times (columns "
                f"{letters}): which one holds the figures is not known",
                hint="delete or rename the extra column; nothing was ingested",
                location=grid.location(row=spec.header_row + spec.header_rows - 1,
                                       column=name),
            )


def _used(spec: MappingSpec, header: tuple[str, ...]) -> set[str]:
    used = set(expected_columns(spec, header))
    if spec.melt_pattern:
        regex = re.compile(spec.melt_pattern)
        used |= {h for h in header[spec.melt_from_column - 1:] if regex.search(h)}
    return used


def _nearest(name: str, candidates: list[str]) -> str | None:
    squeezed = {"".join(c.split()).casefold(): c for c in candidates}
    if "".join(name.split()).casefold() in squeezed:
        return squeezed["".join(name.split()).casefold()]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return close[0] if close else None


_DOWNLOAD_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_RANGE = re.compile(r"^(\d{4})(\d{2})_(\d{4})(\d{2})_")


def implausible_period(period: str, spec: MappingSpec, path: Path) -> str | None:
    """Why ``period`` cannot be a period of this file, or ``None`` if it can be."""
    try:
        day = reference_day(period, spec.meta.period_day)
    except (MigralinkError, ValueError):
        return f"{period!r} is not a valid period"
    if day.year < 1900:
        return f"period {period!r} is before 1900"
    if day > date.today():
        return f"period {period!r} refers to {day}, which is in the future"
    name = normalise_name(path.name)
    stated = _DOWNLOAD_DAY.search(name)
    if stated:
        try:
            downloaded = date(*map(int, stated.groups()))
        except ValueError:
            downloaded = None
        if downloaded and day > downloaded:
            return (f"period {period!r} refers to {day}, after the download date "
                    f"{downloaded} in the file name")
    covered = _RANGE.match(name)
    if covered and not int(covered.group(1)) <= day.year <= int(covered.group(3)):
        return (f"period {period!r} is outside the years {covered.group(1)}-"
                f"{covered.group(3)} the file name covers")
    return None


def _refuse_other_year(path: Path, constant: str) -> None:
    """A renamed copy whose name states another year than the constant: the constant would
    file (say) 2025's figures as 2024's, replacing them, with only a note to say so."""
    years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", normalise_name(path.name)))
    others = sorted(years - {constant[:4]})
    if others:
        raise InputError(
            title=f"the file name states {', '.join(others)} but not in the published form, "
            f"and the mapping's period for a renamed copy is {constant}",
            hint="rename the file as published, or pass a mapping whose [period] constant "
            "is the file's period; nothing was ingested",
            location=Location(file=str(path)),
        )


def period_from_name(path: Path, spec: MappingSpec, notes: list[str]) -> str | None:
    """The period a file's name states, when the mapping says where (``[period] filename``).

    Returns ``None`` when the mapping does not take the period from the name. A name that
    does not state it falls back to ``[period] constant`` with a note, or is an error.

    Raises:
        InputError: the name states no period and the mapping has no constant, or the
            period is implausible.
    """
    pattern = spec.period.filename
    if pattern is None:
        constant = spec.period.constant
        if constant is not None:
            problem = implausible_period(constant, spec, path)
            if problem:
                raise InputError(title=problem, hint="check the mapping's [period]",
                                 location=Location(file=str(path)))
        return None
    # case-blind: a `.CSV` saved by Windows fell back to the constant, ignoring its year
    found = re.search(pattern, normalise_name(path.name), re.IGNORECASE)
    if found:
        period = found.group(1) if found.groups() else found.group(0)
    elif spec.period.constant is not None:
        period = spec.period.constant
        _refuse_other_year(path, period)
        notes.append(f"the file name does not state the period: {period} is the mapping's "
                     "[period] constant")
    else:
        raise InputError(
            title="the file name does not state the period and the file has no period column",
            hint=f"keep the name as published (it must fit {pattern!r}) or pass a mapping "
            "with [period] constant; nothing was ingested",
            location=Location(file=str(path)),
        )
    problem = implausible_period(period, spec, path)
    if problem:
        raise InputError(title=problem, hint="check the file name; nothing was ingested",
                         location=Location(file=str(path)))
    return period

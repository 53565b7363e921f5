"""Which mapping reads which file.

The built-in tables are described by the mapping files shipped in
``sources/mappings/``, registered exactly as a user's own mapping would be: a file is
matched by its name (``[match] filename``) and, where several mappings fit the name, by
the header columns each one requires.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from migralink.errors import InputError, Location
from migralink.sources.grid import read_grid
from migralink.sources.mapping import MappingSpec, load_mapping, parse_mapping

__all__ = ["builtin_mappings", "choose_mappings"]


@lru_cache(maxsize=1)
def builtin_mappings() -> tuple[MappingSpec, ...]:
    """The mappings shipped with migralink, in file-name order."""
    folder = resources.files("migralink.sources") / "mappings"
    specs = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            specs.append(parse_mapping(entry.read_text(encoding="utf-8"), source=entry.name))
    return tuple(specs)


def choose_mappings(path: Path, mapping: Path | None = None) -> list[MappingSpec]:
    """The mappings that read ``path``: the one given, else every built-in one that fits.

    One file may feed several datasets (the MOIS sigungu table holds foreign residents
    and total population): each has its own mapping, and the file lands in all of them.

    Raises:
        InputError: no built-in mapping fits (the hint says how to write one).
    """
    if mapping is not None:
        return [load_mapping(mapping)]
    candidates = [spec for spec in builtin_mappings() if spec.matches(path)]
    fitting = [spec for spec in candidates if _header_fits(path, spec)]
    if fitting:
        return fitting
    if candidates:
        return candidates[:1]  # reading it will report what is wrong with the header
    raise InputError(
        title="no built-in mapping recognises this file name",
        hint="describe the table in a mapping file and pass it with --mapping "
        "(see docs/mappings.md; the built-in ones are in migralink/sources/mappings/)",
        location=Location(file=str(path)),
    )


def _header_fits(path: Path, spec: MappingSpec) -> bool:
    try:
        grid = read_grid(
            path, fmt=spec.format, encoding=spec.encoding, sheet=spec.sheet,
            header_row=spec.header_row, header_rows=spec.header_rows,
        )
    except InputError:
        return False
    if not set(spec.header_required) <= set(grid.header):
        return False
    # a wide table's columns must fit the melt pattern too (a 거주자 download and a 전체
    # download of the same table differ only there)
    if spec.melt_pattern:
        pattern = re.compile(spec.melt_pattern)
        return any(pattern.search(h) for h in grid.header[spec.melt_from_column - 1 :])
    return True

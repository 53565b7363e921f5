"""Which mapping reads which file.

The built-in tables are described by the mapping files shipped in
``sources/mappings/``, registered exactly as a user's own mapping would be. A file is
matched by its name (``[match] filename``, ignoring a browser's `` (1)`` copy suffix) and,
where several mappings fit the name, by the columns each one expects. A file whose name
fits no mapping (``renamed.csv``) is recognised by its header: the mappings whose expected
columns are all there, if they are one table's mappings (one file may feed several
datasets); several unrelated fits are an error listing them.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from migralink.errors import InputError, Location
from migralink.sources.boundary import guarded
from migralink.sources.checks import check_columns, normalise_name
from migralink.sources.grid import read_grid
from migralink.sources.mapping import MappingSpec, load_mapping, parse_mapping

__all__ = ["builtin_mappings", "choose_mappings"]

_PEEK_ROWS = 5  # data rows read to recognise a file (the header is what matters)


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
        InputError: no built-in mapping fits, or several unrelated ones do (the hint says
            how to pass one).
    """
    if mapping is not None:
        return [load_mapping(mapping)]
    name = Path(normalise_name(path.name))
    candidates = [spec for spec in builtin_mappings() if spec.matches(name)]
    fitting = [spec for spec in candidates if _header_fits(path, spec)]
    if fitting:
        return fitting
    if candidates:
        return candidates[:1]  # reading it will report what is wrong with the header
    by_content = [spec for spec in builtin_mappings() if _header_fits(path, spec)]
    families = {spec.filename_globs for spec in by_content}
    if len(families) == 1:
        return by_content
    if by_content:
        raise InputError(
            title="the file name fits no mapping and its header fits several: "
            f"{', '.join(s.meta.id for s in by_content)}",
            hint="keep the name as published, or choose with --mapping (the built-in ones "
            "are in migralink/sources/mappings/)",
            location=Location(file=str(path)),
        )
    raise InputError(
        title="no built-in mapping recognises this file, by name or by its header",
        hint="describe the table in a mapping file and pass it with --mapping "
        "(see docs/mappings.md; the built-in ones are in migralink/sources/mappings/)",
        location=Location(file=str(path)),
    )


def _header_fits(path: Path, spec: MappingSpec) -> bool:
    """Whether the file's header has every column ``spec`` expects (its signature)."""
    fmt = (spec.format or "").lower()
    suffix = path.suffix.lstrip(".").lower()
    if fmt and suffix and (fmt in {"csv", "tsv", "txt"}) != (suffix in {"csv", "tsv", "txt"}):
        return False  # a workbook mapping does not read a CSV, nor the reverse
    def peek() -> None:
        grid = read_grid(
            path, fmt=spec.format, encoding=spec.encoding, sheet=spec.sheet,
            header_row=spec.header_row, header_rows=spec.header_rows, max_rows=_PEEK_ROWS,
        )
        check_columns(grid, spec)

    try:
        guarded(path, peek)
    except InputError:
        return False
    return True

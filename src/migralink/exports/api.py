"""One call for every export format: :func:`export_as`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migralink.disclosure import DisclosurePolicy
from migralink.errors import ConfigError
from migralink.exports.files import atomic_write, write_disclosure_report
from migralink.exports.release import Released, release
from migralink.store.gateway import Gateway

__all__ = ["FORMATS", "ExportFiles", "export_as", "export_released"]

#: The formats of ``migralink export --format``.
FORMATS = ("sdmx", "datapackage", "parquet", "csv")


@dataclass(frozen=True)
class ExportFiles:
    """What an export wrote.

    Attributes:
        format: one of :data:`FORMATS`.
        files: every file written, the main one first.
        rows: cells released.
        suppressed: cells withheld by disclosure control.
        public: a ministry's published aggregate (released as published).
    """

    format: str
    files: tuple[Path, ...]
    rows: int
    suppressed: int
    public: bool


def export_as(
    gw: Gateway,
    dataset: str,
    format: str,
    out: Path,
    *,
    policy: DisclosurePolicy | None = None,
    version: int | None = None,
) -> ExportFiles:
    """Write ``dataset`` in ``format`` to ``out`` (a folder for ``datapackage``).

    Every format is written from the same released cells (:func:`release`), so a cell
    suppressed in one is suppressed in all; a disclosure report goes beside.

    Raises:
        ConfigError: an unknown format, or an output path that cannot take it.
        CodeError: a code outside its code list (SDMX and Parquet).
        QueryError: an unknown dataset or version.
    """
    check_output(format, out)  # before the (slower) release
    return export_released(gw, release(gw, dataset, policy=policy, version=version), format,
                           out)


def _check(format: str) -> None:
    if format not in FORMATS:
        raise ConfigError(title=f"unknown export format {format!r}",
                          hint=f"use one of {', '.join(FORMATS)}")


#: File suffixes that name a format: an export whose file says another is refused (SDMX
#: text in ``x.parquet`` is a damaged file to whoever opens it by its name).
_SUFFIXES = {".csv": ("csv", "sdmx"), ".parquet": ("parquet",), ".json": (), ".xml": (),
             ".zip": (), ".xlsx": (), ".tsv": (), ".pdf": (), ".html": ()}


def check_output(format: str, out: Path) -> None:
    """Refuse an output path that cannot take ``format``, before anything is read.

    Raises:
        ConfigError: an unknown format, a file name of another format, a folder given
            for a file or a file given for a package's folder.
    """
    _check(format)
    suffix = out.suffix.lower()
    if suffix in _SUFFIXES and format not in _SUFFIXES[suffix]:
        fits = [s for s, formats in _SUFFIXES.items() if format in formats]
        raise ConfigError(
            title=f"--format {format} does not match the file name {out.name}",
            hint=(f"name the file {' or '.join(fits)}" if fits else
                  "give a folder without a file suffix (the package is a folder)")
            + (f", or give --format {' or '.join(_SUFFIXES[suffix])}"
               if _SUFFIXES[suffix] else ""),
        )
    if format == "datapackage":
        if out.exists() and not out.is_dir():
            raise ConfigError(title=f"{out} is a file: a data package is written to a folder",
                              hint="give a new or existing folder")
        return
    written = [out, out.with_name(out.name + ".disclosure.json")]
    if format == "sdmx":
        written.append(out.with_name(f"{out.stem}.structure.xml"))
    for path in written:
        if path.is_dir():
            raise ConfigError(title=f"{path} is a folder: the export writes a file there",
                              hint=f"give a file name, e.g. {out / ('data' + (suffix or '.csv'))}")


def export_released(gw: Gateway, released: Released, format: str, out: Path) -> ExportFiles:
    """Write cells already released by :func:`release` (several formats, one release).

    Raises:
        ConfigError: an unknown format or an output path that cannot take it
            (:func:`check_output`). CodeError: a code outside its code list.
    """
    check_output(format, out)
    files = _write(gw, released, format, out)
    report = write_disclosure_report(released, files[0])
    return ExportFiles(format, (*files, report), released.frame.height, released.suppressed,
                       released.public)


def _write(gw: Gateway, released: Released, format: str, out: Path) -> tuple[Path, ...]:
    if format == "csv":
        return (atomic_write(out, released.frame.write_csv()),)
    from migralink.exports.structure import build_structure

    structure = build_structure(gw, released)
    if format == "sdmx":
        from migralink.exports.sdmx import export_sdmx

        files = export_sdmx(gw, released, structure, out)
        return files.data, files.structure
    if format == "parquet":
        from migralink.exports.parquet import export_parquet

        return (export_parquet(released, structure, out),)
    from migralink.exports.datapackage import export_datapackage

    package = export_datapackage(gw, released, structure, out)
    return package.descriptor, package.data

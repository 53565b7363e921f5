"""Exports in the formats statistics offices read, all through disclosure control.

Public surface:

* :func:`export_as`: a dataset as ``sdmx`` (SDMX-CSV 2.0 and its structure),
  ``datapackage`` (Frictionless), ``parquet`` (typed by the DSD) or ``csv``;
* :func:`release`: the one function that reads a dataset as it may be published;
* :func:`build_structure` / :func:`check_codes`: the DSD and code lists from our model;
* :func:`read_sdmx_csv` / :func:`validate_datapackage`: read back and validate.
"""

from migralink.exports.api import FORMATS, ExportFiles, export_as, export_released
from migralink.exports.datapackage import validate_datapackage
from migralink.exports.release import Released, release
from migralink.exports.sdmx import read_sdmx_csv, write_sdmx_csv
from migralink.exports.structure import Structure, build_structure, check_codes

__all__ = [
    "FORMATS",
    "ExportFiles",
    "Released",
    "Structure",
    "build_structure",
    "check_codes",
    "export_as",
    "export_released",
    "read_sdmx_csv",
    "release",
    "validate_datapackage",
    "write_sdmx_csv",
]

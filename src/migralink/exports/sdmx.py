"""SDMX-CSV 2.0: one dataflow per file, with an ACTION column, and its structure file.

The data file is what the OECD .Stat Suite and other SDMX pipelines load; the structure
(SDMX-ML 2.1: concept scheme, code lists, DSD, dataflow) goes beside it as
``<name>.structure.xml``. Every code is checked against its code list before anything is
written (:func:`~migralink.exports.structure.check_codes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from migralink.exports.files import atomic_write
from migralink.exports.release import Released
from migralink.exports.structure import Structure, check_codes, check_ids, sdmx_period
from migralink.store.gateway import Gateway

__all__ = ["SdmxFiles", "read_sdmx_csv", "sdmx_frame", "write_sdmx_csv", "write_structure"]


@dataclass(frozen=True)
class SdmxFiles:
    """The data file and its structure file."""

    data: Path
    structure: Path


def sdmx_frame(released: Released, structure: Structure) -> pl.DataFrame:
    """The released cells with SDMX column names, periods and value type."""
    frame = released.frame.with_columns(
        pl.col("period").cast(pl.Utf8).map_elements(sdmx_period, return_dtype=pl.Utf8))
    frame = frame.with_columns(pl.col(m).round(0).cast(pl.Int64)
                               for m, kind in structure.measures.items() if kind.value == "Long")
    return frame.select(pl.col(ours).alias(sid) for ours, sid in structure.columns.items())


def _dataset(frame: pl.DataFrame, structure: Structure) -> Any:
    import pandas as pd
    from pysdmx.io.pd import PandasDataset
    from pysdmx.model.dataset import ActionType

    data = frame.to_pandas(use_pyarrow_extension_array=True)
    # "I" (information: insert or replace the cells given) is what .Stat Suite merges
    dataset = PandasDataset(structure=structure.schema, data=data,
                            action=ActionType.Information)
    # pysdmx types a Long column int64 and then writes each value through a row-wise
    # apply that turns a nullable integer column (a table with suppressed, empty cells)
    # into floats: 18 became "18.0", which SDMX consumers refuse for a Long. Once the
    # types are checked, whole numbers go to the writer as their digits.
    for ours, kind in structure.measures.items():
        sid = structure.columns[ours]
        if kind.value == "Long" and sid in frame.columns:
            digits = frame[sid].cast(pl.Int64).cast(pl.Utf8).to_list()
            dataset.data[sid] = pd.Series(digits, index=dataset.data.index, dtype=object)
    return dataset


def write_structure(structure: Structure, path: Path) -> Path:
    """The structure message of a dataflow (SDMX-ML 2.1; 3.0 for several measures)."""
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format

    # SDMX-ML 2.1 where it suffices (one measure); 3.0 for several measures
    several = len(structure.measures) > 1
    text = write_sdmx(list(structure.artefacts), Format.STRUCTURE_SDMX_ML_3_0 if several
                      else Format.STRUCTURE_SDMX_ML_2_1)
    return atomic_write(path, str(text))


def write_sdmx_csv(frame: pl.DataFrame, structure: Structure, out: Path) -> SdmxFiles:
    """Write SDMX-CSV 2.0 (``out``) and its structure (``<stem>.structure.xml``).

    Args:
        frame: cells with SDMX column names (:func:`sdmx_frame`).
        structure: the dataflow's structure.
        out: the data file.

    Raises:
        CodeError: a code outside its code list (nothing is written).
    """
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format

    check_codes(frame, structure)
    check_ids(structure)
    text = write_sdmx([_dataset(frame, structure)], Format.DATA_SDMX_CSV_2_0_0)
    structure_path = write_structure(structure, out.with_name(f"{out.stem}.structure.xml"))
    atomic_write(out, str(text))
    return SdmxFiles(out, structure_path)


def export_sdmx(gw: Gateway, released: Released, structure: Structure, out: Path) -> SdmxFiles:
    """A released dataset as SDMX-CSV 2.0 with its structure."""
    del gw  # the structure was built from the catalogue already
    return write_sdmx_csv(sdmx_frame(released, structure), structure, out)


def read_sdmx_csv(data: Path, structure: Path) -> pl.DataFrame:
    """An SDMX-CSV file read back by pysdmx with its structure (for checks and tests).

    pysdmx's SDMX-CSV 2.0 reader lets pandas guess column types, so a code made of
    digits with a leading zero comes back as a number (the nation, ``00``, as ``0``).
    Such values are mapped back to the code of the component's code list they stand
    for; any other value is left exactly as read.
    """
    from pysdmx.io import get_datasets

    datasets = get_datasets(data, structure)
    frames = []
    for dataset in datasets:
        frame = pl.from_pandas(dataset.data)
        schema = dataset.structure
        for component in schema.components if not isinstance(schema, str) else ():
            codes = component.enumeration
            if codes is None or component.id not in frame.columns:
                continue
            ids = {code.id for code in codes}
            padded = {code.lstrip("0") or "0": code for code in ids
                      if code.isdigit() and code.startswith("0")}
            padded = {read: code for read, code in padded.items() if read not in ids}
            if padded:
                column = pl.col(component.id)
                frame = frame.with_columns(column.replace(padded).alias(component.id))
        frames.append(frame)
    return pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()

"""Parquet typed by the structure definition, with the dataflow in its metadata."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from migralink.exports.files import atomic_write
from migralink.exports.release import Released
from migralink.exports.sdmx import sdmx_frame
from migralink.exports.structure import Structure, check_codes

__all__ = ["arrow_schema", "export_parquet", "read_parquet_meta"]

_ARROW = {"Long": pa.int64(), "Double": pa.float64()}


def arrow_schema(structure: Structure) -> pa.Schema:
    """Arrow types from the DSD: coded components as dictionary-encoded strings,
    ``OBS_VALUE`` as ``int64`` (counts) or ``float64``, the period as a string."""
    fields = []
    for sid in structure.columns.values():
        component = structure.schema.components[sid]
        dtype = component.dtype.value if component.dtype is not None else "String"
        if sid in structure.codelists:
            kind: pa.DataType = pa.dictionary(pa.int32(), pa.string())
        else:
            kind = _ARROW.get(dtype, pa.string())
        role = component.role.name.lower()
        fields.append(pa.field(sid, kind, nullable=not component.required,
                               metadata={"sdmx:type": dtype, "sdmx:role": role}))
    meta = {"sdmx:dataflow": f"{structure.schema.agency}:{structure.dataflow_id}"
                             f"({structure.schema.version})",
            "migralink:dataset": structure.dataset,
            "migralink:version": str(structure.version)}
    return pa.schema(fields, metadata=meta)


def export_parquet(released: Released, structure: Structure, out: Path) -> Path:
    """The released cells with SDMX column names and the DSD's types.

    Raises:
        CodeError: a code outside its code list (nothing is written).
    """
    frame = sdmx_frame(released, structure)
    check_codes(frame, structure)
    schema = arrow_schema(structure)
    table = frame.to_arrow().cast(schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return atomic_write(out, buffer.getvalue())


def read_parquet_meta(path: Path) -> dict[str, str]:
    """The key-value metadata a Parquet export carries."""
    meta = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in meta.items() if not k.startswith(b"ARROW")}


"""A cell suppressed by disclosure control is suppressed in every format."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from migralink.evidence import Evidence
from migralink.exports import export_as, export_released, read_sdmx_csv, release
from tests.exports.conftest import REGISTER

KEYS = ["period", "region", "residence_status", "sex"]


def _suppressed(frame: pl.DataFrame) -> set[tuple[str, ...]]:
    hidden = frame.filter(pl.col("conf_status") != "F")
    assert hidden["value"].null_count() == hidden.height  # empty, never a zero
    return {tuple(str(v) for v in row) for row in hidden.select(KEYS).iter_rows()}


def _ours(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({"TIME_PERIOD": "period", "REGION": "region",
                         "RESIDENCE_STATUS": "residence_status", "SEX": "sex",
                         "OBS_VALUE": "value", "CONF_STATUS": "conf_status"}, strict=False)


def test_suppressed_cells_stay_suppressed_in_every_format(export_db: Path,
                                                           tmp_path: Path) -> None:
    with Evidence(export_db, read_only=True) as ev:
        released = release(ev.gateway, REGISTER)  # protected once, written four ways
        sdmx = export_released(ev.gateway, released, "sdmx", tmp_path / "r.csv")
        parquet = export_released(ev.gateway, released, "parquet", tmp_path / "r.parquet")
        csv = export_released(ev.gateway, released, "csv", tmp_path / "plain.csv")
        package = export_released(ev.gateway, released, "datapackage", tmp_path / "pkg")
    text = {c: pl.Utf8 for c in KEYS}
    frames = {
        "sdmx": _ours(read_sdmx_csv(sdmx.files[0], sdmx.files[1])),
        "parquet": _ours(pl.read_parquet(parquet.files[0])),
        "csv": pl.read_csv(csv.files[0], schema_overrides=text),
        "datapackage": pl.read_csv(package.files[1], schema_overrides=text),
    }
    patterns = {name: _suppressed(frame) for name, frame in frames.items()}
    assert len(patterns["csv"]) == csv.suppressed > 0
    assert all(p == patterns["csv"] for p in patterns.values())
    for frame in frames.values():  # nothing small is published
        shown = frame.filter(pl.col("conf_status") == "F")["value"]
        assert not ((shown > 0) & (shown < 10)).any()


def test_parquet_has_the_types_of_the_structure(export_db: Path, tmp_path: Path) -> None:
    with Evidence(export_db, read_only=True) as ev:
        files = export_as(ev.gateway, REGISTER, "parquet", tmp_path / "r.parquet")
    # one release path: the same cells as any other export of this register
    schema = pq.read_schema(files.files[0])
    assert schema.field("OBS_VALUE").type == pa.int64()
    assert schema.field("OBS_VALUE").nullable
    assert pa.types.is_dictionary(schema.field("REGION").type)
    assert schema.field("TIME_PERIOD").type == pa.string()
    assert schema.metadata[b"sdmx:dataflow"] == b"MIGRALINK:DF_REGISTER_SEOUL(1.0)"
    assert schema.field("CONF_STATUS").metadata[b"sdmx:role"] == b"attribute"

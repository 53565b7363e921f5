"""SDMX-CSV 2.0: what is written reads back equal through pysdmx with our structure."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from migralink.errors import CodeError
from migralink.evidence import Evidence
from migralink.exports import build_structure, export_as, read_sdmx_csv, release, write_sdmx_csv
from migralink.exports.sdmx import sdmx_frame
from tests.conftest import run_cli
from tests.exports.conftest import PUBLIC, REGISTER


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    text = frame.select(pl.col(c).cast(pl.Utf8) for c in frame.columns)
    return text.sort(text.columns, nulls_last=True)


@pytest.mark.parametrize("dataset", [PUBLIC, REGISTER])
def test_round_trip_through_pysdmx(export_db: Path, tmp_path: Path, dataset: str) -> None:
    out = tmp_path / f"{dataset}.csv"
    with Evidence(export_db, read_only=True) as ev:
        files = export_as(ev.gateway, dataset, "sdmx", out)
        released = release(ev.gateway, dataset)
        written = sdmx_frame(released, build_structure(ev.gateway, released))
    assert files.files[:2] == (out, tmp_path / f"{dataset}.structure.xml")
    raw = pl.read_csv(out, infer_schema=False)
    assert raw.columns[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    flow = f"MIGRALINK:DF_{dataset.upper()}(1.0)"
    assert raw["STRUCTURE"].unique().to_list() == ["dataflow"]
    assert raw["STRUCTURE_ID"].unique().to_list() == [flow]  # one dataflow per file
    assert raw["ACTION"].unique().to_list() == ["I"]
    back = read_sdmx_csv(out, files.files[1])
    assert back.columns == written.columns
    assert back.height == written.height > 0
    assert _as_text(back).equals(_as_text(written))
    assert back["OBS_VALUE"].dtype == pl.Int64  # counts: Long in the DSD
    if dataset == PUBLIC:  # 안산시 2019 as MOIS published it: 상록구 + 단원구
        ansan = back.filter(pl.col("REGION").is_in(["41271", "41273"])
                            & (pl.col("TIME_PERIOD") == "2019")
                            & (pl.col("GROUP") == "_T") & (pl.col("SEX") == "_T"))
        assert ansan.height == 2
        assert ansan["OBS_VALUE"].sum() == 92_787


def test_a_code_outside_its_list_is_refused(export_db: Path, tmp_path: Path) -> None:
    with Evidence(export_db, read_only=True) as ev:
        released = release(ev.gateway, PUBLIC)
        structure = build_structure(ev.gateway, released)
    frame = sdmx_frame(released, structure)
    bad = frame.with_columns(pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("99999"))
                             .otherwise(pl.col("REGION")).alias("REGION"))
    out = tmp_path / "bad.csv"
    with pytest.raises(CodeError, match=r"'99999' of REGION \(row 4 .*CL_REGION"):
        write_sdmx_csv(bad, structure, out)
    assert not out.exists()
    assert not (tmp_path / "bad.structure.xml").exists()
    odd = frame.with_columns(pl.lit("X").alias("SEX"))
    with pytest.raises(CodeError, match="'X' of SEX"):
        write_sdmx_csv(odd, structure, out)
    # a sound frame writes: the check refuses codes, not the frame
    assert write_sdmx_csv(frame, structure, out).data.exists()


def test_code_lists_come_from_the_model_not_the_data(export_db: Path) -> None:
    with Evidence(export_db, read_only=True) as ev:
        released = release(ev.gateway, PUBLIC)
        structure = build_structure(ev.gateway, released)
    present = set(released.frame["region"].to_list())
    regions = structure.codelists["REGION"]
    assert present < regions  # every code of the data, and codes the data lack
    assert {"00", "41", "41270", "46830"} <= regions
    assert structure.codelists["CONF_STATUS"] >= {"F", "A", "D"}


def test_cli_export_formats(export_db: Path, tmp_path: Path) -> None:
    small = "moj_registered_region_status"
    for fmt, target in (("sdmx", "m.csv"), ("parquet", "m.parquet"), ("csv", "plain.csv"),
                        ("datapackage", "pkg")):
        result = run_cli("export", small, "--db", str(export_db), "--format", fmt,
                         "-o", str(tmp_path / target))
        assert result.exit_code == 0, result.stderr
        assert "released as published" in result.stdout
        assert (tmp_path / target).exists()
    refused = run_cli("export", PUBLIC, "--db", str(export_db), "--format", "xlsx",
                      "-o", str(tmp_path / "x.xlsx"))
    assert refused.exit_code == 1
    assert "unknown export format 'xlsx'" in refused.stderr


def test_every_published_table_has_only_codes_of_its_lists(export_db: Path,
                                                           tmp_path: Path) -> None:
    """The code check passes on every table of the bundled sample (by 읍면동 too)."""
    from migralink.store.catalogue_read import list_datasets

    with Evidence(export_db, read_only=True) as ev:
        names = [d.id for d in list_datasets(ev.gateway)
                 if d.id not in ("indicators", REGISTER)]
        assert len(names) >= 20
        for name in names:
            files = export_as(ev.gateway, name, "parquet", tmp_path / f"{name}.parquet")
            assert files.rows > 0, name


def test_codes_that_are_not_sdmx_ids_are_refused(export_db: Path, tmp_path: Path) -> None:
    """Indicator breakdowns such as ``group+sex`` are not SDMX ids: SDMX is refused by
    name, the other formats carry them (with every measure of the dataset)."""
    out = tmp_path / "indicators.csv"
    with Evidence(export_db, read_only=True) as ev:
        with pytest.raises(CodeError, match=r"'\w+\+\w+' of BREAKDOWN_\w+ in indicators"):
            export_as(ev.gateway, "indicators", "sdmx", out)
        assert not out.exists()
        files = export_as(ev.gateway, "indicators", "parquet", tmp_path / "i.parquet")
    frame = pl.read_parquet(files.files[0])
    assert frame.filter(pl.col("BREAKDOWN_CODE").cast(pl.Utf8).str.contains(r"\+")).height > 0

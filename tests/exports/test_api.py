"""The profile and export endpoints on a real server on loopback."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import polars as pl
import pytest

from migralink.api import ApiConfig
from tests.exports.conftest import REGISTER
from tests.servers import running_all


@pytest.fixture(scope="module")
def client(export_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    config = ApiConfig(db=export_db, token=None, release_after=None)
    with running_all((config, log, None)) as (server,), \
            httpx.Client(base_url=server.url, timeout=120.0) as c:  # a loaded CI machine
        yield c


def test_profile_pdf_and_html(client: httpx.Client, tmp_path: Path) -> None:
    answer = client.get("/api/v1/regions/안산시/profile", params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert 'filename="profile-41270-2019-en.pdf"' in answer.headers["content-disposition"]
    pdf = tmp_path / "ansan.pdf"
    pdf.write_bytes(answer.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "92,787" in text
    assert "안산시" in text
    page = client.get("/api/v1/regions/41270/profile", params={"format": "html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "안산시" in page.text
    assert "<svg" in page.text  # the charts, inline


def test_profile_errors_have_the_error_shape(client: httpx.Client) -> None:
    unknown = client.get("/api/v1/regions/아틀란티스/profile")
    assert 400 <= unknown.status_code < 500
    assert unknown.json()["error"]["title"]
    late = client.get("/api/v1/regions/안산시/profile", params={"period": "2030"})
    assert 400 <= late.status_code < 500
    assert "2019" in late.json()["error"]["hint"]


def test_exports_keep_suppressed_cells_empty(client: httpx.Client) -> None:
    base = f"/api/v1/datasets/{REGISTER}/export"
    sdmx = client.get(base, params={"format": "sdmx"})
    assert sdmx.status_code == 200, sdmx.text
    assert sdmx.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    assert sdmx.headers["cache-control"].startswith("private")  # protected data
    cells = pl.read_csv(io.BytesIO(sdmx.content), infer_schema=False)
    hidden = cells.filter(pl.col("CONF_STATUS") != "F")
    assert hidden.height > 0
    assert hidden["OBS_VALUE"].null_count() == hidden.height
    structure = client.get(base, params={"format": "sdmx-structure"})
    assert b"DSD_REGISTER_SEOUL" in structure.content
    package = client.get(base, params={"format": "datapackage"})
    names = zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    assert f"{REGISTER}/datapackage.json" in names
    parquet = client.get(base, params={"format": "parquet"})
    assert parquet.content[:4] == b"PAR1"
    plain = pl.read_csv(io.BytesIO(client.get(base, params={"format": "csv"}).content),
                        infer_schema=False)
    assert plain.filter(pl.col("conf_status") != "F").height == hidden.height
    assert client.get("/api/v1/datasets/nothing/export").status_code == 404

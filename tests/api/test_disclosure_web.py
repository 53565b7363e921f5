"""Web attacks on protected data, each against the real server on loopback.

* cache poisoning: a decoded ``%26`` must not make another question's cache key;
* protected answers are never for shared caches (``Cache-Control: private``);
* an upload whose mapping takes a protected dataset's id is refused, and the dataset
  stays protected;
* an upload without the token is refused before its body is read (100 MB), and an
  authenticated upload above the cap is refused;
* an upload's error names the file as sent, never a server path.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx

from tests.api.conftest import REGISTER, TOKEN
from tests.servers import Server

OBS = f"/api/v1/datasets/{REGISTER}/observations"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
_MAPPING = """
[dataset]
id = "{id}"
title_ko = "충돌"
title_en = "clash"
publisher = "tests"
source_url = "https://example.org/"
licence = "none"
unit = "persons"
reference_date = "31 December"
period_day = "12-31"

[match]
filename = ["clash*.csv"]
header = ["region"]

[read]
format = "csv"
encoding = "utf-8"

[period]
constant = "2024"

[region]
column = "region"
kind = "code"

[value]
column = "value"
"""


def test_an_encoded_ampersand_does_not_poison_the_cache(client: httpx.Client) -> None:
    district = next(r["region"] for r in client.get(OBS, params={"by": "region"}).json()["rows"]
                    if len(r["region"]) == 5)
    poisoned = client.get(f"{OBS}?format=csv&period=2024%26region%3D{district}")
    honest = client.get(f"{OBS}?format=csv&period=2024&region={district}")
    assert honest.status_code == 200
    assert honest.headers["etag"] != poisoned.headers.get("etag")
    lines = honest.text.splitlines()
    assert len(lines) == 2
    assert lines[1].split(",")[1] == district
    again = client.get(f"{OBS}?format=csv&period=2024&region={district}")
    assert again.text == honest.text


def test_protected_answers_are_private(client: httpx.Client) -> None:
    protected = client.get(OBS, params={"by": "sex"})
    assert protected.headers["cache-control"].startswith("private")
    public = client.get("/api/v1/datasets/moj_stay_status/observations")
    assert public.headers["cache-control"].startswith("public")
    # a 304 says what its 200 said: a cache that takes the 304's headers must not
    # start sharing the protected answer (it said "public" before)
    again = client.get(OBS, params={"by": "sex"},
                       headers={"If-None-Match": protected.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["cache-control"] == protected.headers["cache-control"]


def test_an_upload_cannot_take_a_protected_id(ingest_server: Server) -> None:
    mapping = _MAPPING.replace("{id}", REGISTER).encode()
    files = [("files", ("clash_2024.csv", b"region,value\n11110,5\n")),
             ("mapping", ("clash.toml", mapping))]
    with ingest_server.client() as client:
        refused = client.post("/api/v1/ingest", files=files, headers=AUTH)
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["type"] == "disclosure_error"
        rows = client.get(OBS, params={"by": "region,sex"}).json()["rows"]
        assert {"A", "D"} & {r["conf_status"] for r in rows}  # still protected
        detail = client.get(f"/api/v1/datasets/{REGISTER}").json()
        assert detail["protected"] is True
        assert all("rows_read" not in s for s in detail["sources"])


def _post_without_reading(url: str, size: int, headers: dict[str, str]) -> tuple[int, float]:
    """Send the headers of a ``size``-byte upload, then read the answer; (status, s)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80),
                                  timeout=30) as sock:
        head = ["POST /api/v1/ingest HTTP/1.1", f"Host: {parts.hostname}",
                "Content-Type: multipart/form-data; boundary=xx",
                f"Content-Length: {size}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
        start = time.monotonic()
        sock.sendall("\r\n".join(head).encode())
        sock.sendall(b"--xx\r\n" + b"a" * 65536)  # a first chunk, the rest never comes
        answer = sock.recv(65536).decode("latin-1")
        return int(answer.split(" ", 2)[1]), time.monotonic() - start


def test_an_unauthenticated_upload_is_refused_before_it_is_read(ingest_server: Server) -> None:
    status, seconds = _post_without_reading(ingest_server.url, 100 * 2**20, {})
    assert status == 401
    assert seconds < 5  # answered at once: the 100 MB were never waited for


def test_an_oversized_upload_is_refused(ingest_server: Server) -> None:
    status, _ = _post_without_reading(ingest_server.url, 100 * 2**20, AUTH)
    assert status == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the size shows while reading
        yield (b'--xx\r\nContent-Disposition: form-data; name="files"; filename="a.csv"'
               b"\r\nContent-Type: text/csv\r\n\r\n")
        for _ in range(100):
            yield b"a," * 2**19

    with ingest_server.client() as client:
        response = client.post("/api/v1/ingest", content=chunks(), headers={
            **AUTH, "Content-Type": "multipart/form-data; boundary=xx"})
    assert response.status_code == 413


def test_upload_errors_name_no_server_path(ingest_server: Server) -> None:
    files = {"files": ("clash_2024.csv", b"region,value\n11110,5\n")}
    mapping = ("clash.toml", _MAPPING.replace("{id}", "clash_table")
               .replace('kind = "code"', 'kind = "nonsense"').encode())
    with ingest_server.client() as client:
        response = client.post("/api/v1/ingest", files=[*files.items(), ("mapping", mapping)],
                               headers=AUTH)
    assert response.status_code in (400, 422), response.text
    assert "migralink-upload-" not in response.text
    assert "/tmp" not in response.text

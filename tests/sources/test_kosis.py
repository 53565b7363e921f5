"""The KOSIS connector against a real HTTP server on 127.0.0.1 serving KOSIS-shaped answers.

The payloads in ``kosis_payloads/`` are hand-written in the documented row and error
shapes (values are illustrative). The server filters the data rows by the requested
period range and answers error 31 when a range holds more cells than its limit, as KOSIS
does past 40,000 cells.
"""

from __future__ import annotations

import csv
import json
import logging
import socket
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from migralink.errors import ConfigError, FetchError
from migralink.sources.kosis import (
    KosisClient,
    KosisFetchError,
    KosisRequest,
    fetch_to_files,
    to_long_csv,
    write_mapping,
)

PAYLOADS = Path(__file__).parent / "kosis_payloads"
KEY = "SECRET-test-key-42="  # "=" as in real (base64) keys, so it is URL-encoded too
DATA = "/openapi/Param/statisticsParameterData.do"
META = "/openapi/statisticsData.do"


def payload(name: str) -> str:
    return (PAYLOADS / name).read_text(encoding="utf-8")


@dataclass
class Seen:
    path: str
    query: dict[str, str]


@dataclass
class FakeKosis:
    """What the test server answers (``app``) and every request it saw."""

    base_url: str = ""
    requests: list[Seen] = field(default_factory=list)
    app: Callable[[Seen], tuple[int, str]] = lambda seen: (404, "")

    def ranges(self) -> list[tuple[str, str]]:
        return [(s.query["startPrdDe"], s.query["endPrdDe"]) for s in self.requests
                if s.path == DATA]


class _Server(ThreadingHTTPServer):
    kosis: FakeKosis


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        seen = Seen(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))
        kosis = self.server.kosis  # type: ignore[attr-defined]
        kosis.requests.append(seen)
        status, body = kosis.app(seen)
        data = body.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (timeout test)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


@pytest.fixture
def kosis() -> Iterator[FakeKosis]:
    fake = FakeKosis()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.kosis = fake
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/openapi/"
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()


def rows_app(data: str, cell_limit: int = 10_000) -> Callable[[Seen], tuple[int, str]]:
    """Serve the rows of ``data`` in the asked range, KOSIS-style errors 30 and 31."""
    rows = json.loads(payload(data))

    def app(seen: Seen) -> tuple[int, str]:
        if seen.path == META:
            return 200, payload("meta_tbl.json")
        q = seen.query
        chosen = [r for r in rows if q["startPrdDe"] <= r["PRD_DE"] <= q["endPrdDe"]]
        if len(chosen) > cell_limit:
            return 200, payload("err_31.json")
        if not chosen:
            return 200, payload("err_30.json")
        return 200, json.dumps(chosen, ensure_ascii=False)

    return app


def client(kosis: FakeKosis, **kwargs: Any) -> KosisClient:
    kwargs.setdefault("backoff", 0.0)
    return KosisClient(api_key=KEY, base_url=kosis.base_url, **kwargs)


MONTHLY = KosisRequest("101", "DT_1B040A3", "M", start="202401", end="202402", items="T20")
ANNUAL = KosisRequest("101", "DT_MIGRALINK_TEST", "Y", start="2015", end="2022",
                      objects=("ALL", "ALL"))


def test_fetch_writes_csv_and_mapping(kosis: FakeKosis, tmp_path: Path) -> None:
    kosis.app = rows_app("data_population_monthly.json")
    csv_path, toml_path = fetch_to_files(client(kosis), MONTHLY, tmp_path)

    data, meta = kosis.requests
    assert data.path == DATA
    assert data.query == {
        "method": "getList", "apiKey": KEY, "orgId": "101", "tblId": "DT_1B040A3",
        "itmId": "T20", "objL1": "ALL", **{f"objL{n}": "" for n in range(2, 9)},
        "prdSe": "M", "startPrdDe": "202401", "endPrdDe": "202402",
        "format": "json", "jsonVD": "Y",
    }
    assert meta.path == META
    assert (meta.query["method"], meta.query["type"]) == ("getMeta", "TBL")

    assert csv_path.name.startswith("kosis_101_DT_1B040A3_")
    assert csv_path.suffix == ".csv"
    with csv_path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["ORG_ID", "TBL_ID", "TBL_NM", "PRD_SE", "PRD_DE", "PERIOD", "C1",
                        "C1_NM", "ITM_ID", "ITM_NM", "UNIT_NM", "DT"]
    assert len(table) == 7
    assert table[1] == ["101", "DT_1B040A3", "행정구역(시군구)별 성별 인구수", "M", "202401",
                        "2024-01", "00", "전국", "T20", "총인구수", "명", "51312000"]

    assert toml_path.name == "kosis_101_DT_1B040A3.toml"
    text = toml_path.read_text(encoding="utf-8")
    spec = tomllib.loads(text)
    assert spec["dataset"] == {
        "id": "kosis_101_dt_1b040a3",
        "title_ko": "행정구역(시군구)별 성별 인구수",
        "title_en": "Resident Population by City, County and District",
        "publisher": "KOSIS (org 101)",
        "source_url": "https://kosis.kr/statHtml/statHtml.do?orgId=101&tblId=DT_1B040A3",
        "licence": "KOSIS terms of use (공공누리 as stated per table)",
        "unit": "명",
    }
    assert csv_path.match(spec["match"]["filename"])
    assert spec["read"] == {"format": "csv", "value_kind": "count"}
    assert spec["period"] == {"column": "PERIOD"}
    region, item = spec["dimension"]
    assert region == {"id": "administrative_district", "title_ko": "행정구역(시군구)별",
                      "title_en": "By Administrative District", "column": "C1",
                      "label_column": "C1_NM"}
    assert (item["id"], item["column"], item["label_column"]) == ("item", "ITM_ID", "ITM_NM")
    assert spec["value"] == {"column": "DT"}
    assert "# C1 looks like a region classification" in text
    assert KEY not in csv_path.read_text(encoding="utf-8") + text


def test_mapping_is_accepted_by_the_mapping_parser(kosis: FakeKosis, tmp_path: Path) -> None:
    from migralink.sources.mapping import parse_mapping

    kosis.app = rows_app("data_migration_annual.json")
    csv_path, toml_path = fetch_to_files(client(kosis), ANNUAL, tmp_path)
    spec = parse_mapping(toml_path.read_text(encoding="utf-8"), source=str(toml_path))
    assert spec.matches(csv_path)
    assert [d.id for d, _ in spec.dimensions] == ["province", "sex", "item"]


@pytest.mark.parametrize(
    ("name", "code", "meaning"),
    [("err_20.json", "20", "필수요청변수 누락"), ("err_30.json", "30", "조회결과 없음"),
     ("err_31.json", "31", "조회결과 초과")],
)
def test_kosis_error_answers(kosis: FakeKosis, name: str, code: str, meaning: str) -> None:
    kosis.app = lambda seen: (200, payload(name))
    request = KosisRequest("101", "DT_1B040A3", "M", latest=3)  # latest: nothing to split
    with pytest.raises(KosisFetchError) as caught:
        client(kosis).fetch(request)
    assert caught.value.code == code
    assert isinstance(caught.value, FetchError)
    assert f"KOSIS error {code} ({meaning}" in str(caught.value)
    assert "101/DT_1B040A3" in str(caught.value)
    assert len(kosis.requests) == 1
    if code == "31":
        assert "40,000" in caught.value.hint


def test_too_many_cells_splits_the_period_range(kosis: FakeKosis) -> None:
    kosis.app = rows_app("data_migration_annual.json", cell_limit=32)  # 8 cells a year
    rows = client(kosis).fetch(ANNUAL)
    assert kosis.ranges() == [("2015", "2022"), ("2015", "2018"), ("2019", "2022")]
    assert rows == json.loads(payload("data_migration_annual.json"))


def test_split_skips_empty_parts_and_stops_at_one_period(kosis: FakeKosis) -> None:
    kosis.app = rows_app("data_migration_annual.json", cell_limit=8)
    request = KosisRequest("101", "DT_MIGRALINK_TEST", start="2013", end="2016",
                           objects=("ALL", "ALL"))
    rows = client(kosis).fetch(request)
    assert kosis.ranges() == [("2013", "2016"), ("2013", "2014"), ("2015", "2016"),
                              ("2015", "2015"), ("2016", "2016")]
    assert [r["PRD_DE"] for r in rows] == ["2015"] * 8 + ["2016"] * 8

    kosis.requests.clear()
    kosis.app = rows_app("data_migration_annual.json", cell_limit=4)  # a year is too much
    with pytest.raises(KosisFetchError) as caught:
        client(kosis).fetch(request)
    assert caught.value.code == "31"


def test_missing_api_key(monkeypatch: pytest.MonkeyPatch, kosis: FakeKosis) -> None:
    monkeypatch.delenv("KOSIS_API_KEY", raising=False)
    with pytest.raises(ConfigError) as caught:
        KosisClient(base_url=kosis.base_url)
    assert "KOSIS_API_KEY" in str(caught.value)
    assert "https://kosis.kr/openapi/" in caught.value.hint

    monkeypatch.setenv("KOSIS_API_KEY", "key-from-env")
    kosis.app = rows_app("data_population_monthly.json")
    KosisClient(base_url=kosis.base_url).fetch(MONTHLY)
    assert kosis.requests[0].query["apiKey"] == "key-from-env"


def test_server_errors_are_retried(kosis: FakeKosis) -> None:
    serve = rows_app("data_population_monthly.json")
    kosis.app = lambda seen: (500, "oops") if len(kosis.requests) <= 2 else serve(seen)
    rows = client(kosis).fetch(MONTHLY)
    assert len(kosis.requests) == 3
    assert len(rows) == 6


def test_retries_are_bounded(kosis: FakeKosis) -> None:
    kosis.app = lambda seen: (503, "busy")
    with pytest.raises(FetchError, match=r"KOSIS failed 3 times .*HTTP 503"):
        client(kosis, attempts=3).fetch(MONTHLY)
    assert len(kosis.requests) == 3

    kosis.requests.clear()
    kosis.app = lambda seen: (200, payload("err_50.json"))
    with pytest.raises(KosisFetchError) as caught:
        client(kosis, attempts=2).fetch(MONTHLY)
    assert caught.value.code == "50"
    assert len(kosis.requests) == 2


def test_timeout_is_retried(kosis: FakeKosis) -> None:
    serve = rows_app("data_population_monthly.json")

    def slow_first(seen: Seen) -> tuple[int, str]:
        if len(kosis.requests) == 1:
            time.sleep(0.6)
        return serve(seen)

    kosis.app = slow_first
    rows = client(kosis, timeout=0.2).fetch(MONTHLY)
    assert len(kosis.requests) == 2
    assert len(rows) == 6


def test_api_key_never_in_messages_or_logs(kosis: FakeKosis,
                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = KEY.rstrip("=")
    kosis.app = rows_app("data_population_monthly.json")
    kosis_client = client(kosis, attempts=2)
    kosis_client.fetch(MONTHLY)
    failures: list[FetchError] = []
    echo = json.dumps({"err": "11", "errMsg": f"유효하지 않은 인증KEY입니다: {KEY}"})
    for answer in [(200, payload("err_20.json")), (200, echo), (500, "oops"),
                   (200, f"<html>bad request apiKey={KEY}</html>")]:
        kosis.app = lambda seen, answer=answer: answer  # type: ignore[misc]
        with pytest.raises(FetchError) as caught:
            kosis_client.fetch(MONTHLY)
        failures.append(caught.value)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/openapi/"
    with pytest.raises(FetchError) as caught:
        KosisClient(api_key=KEY, base_url=closed, attempts=1).fetch(MONTHLY)
    failures.append(caught.value)

    assert all(s.query["apiKey"] == KEY for s in kosis.requests)  # it is sent...
    for failure in failures:  # ...but never shown
        assert secret not in f"{failure} {failure!r} {failure.hint} {failure.details}"
    assert secret not in caplog.text
    assert "apiKey=***" in caplog.text  # httpx's request line was logged, masked
    assert secret not in repr(kosis_client)


def test_legacy_json_with_unquoted_keys(kosis: FakeKosis) -> None:
    legacy = ('[{ORG_ID:"101",TBL_ID:"DT_1B040A3",TBL_NM:"a, B: {c}",C1:"00",C1_NM:"전국",'
              'ITM_ID:"T20",ITM_NM:"총인구수",UNIT_NM:"명",PRD_SE:"M",PRD_DE:"202401",'
              'DT:"51312000"}]')
    kosis.app = lambda seen: (200, legacy)
    rows = client(kosis).fetch(MONTHLY)
    assert rows[0]["TBL_NM"] == "a, B: {c}"
    assert rows[0]["DT"] == "51312000"

    kosis.app = lambda seen: (200, '{err:"30",errMsg:"데이터가 존재하지 않습니다."}')
    with pytest.raises(KosisFetchError) as caught:
        client(kosis).fetch(MONTHLY)
    assert caught.value.code == "30"


def test_existing_mapping_is_kept(kosis: FakeKosis, tmp_path: Path) -> None:
    kosis.app = rows_app("data_population_monthly.json")
    mapping = tmp_path / "kosis_101_DT_1B040A3.toml"
    mapping.write_text("# edited by hand\n", encoding="utf-8")
    _, toml_path = fetch_to_files(client(kosis), MONTHLY, tmp_path)
    assert toml_path == mapping
    assert mapping.read_text(encoding="utf-8") == "# edited by hand\n"
    assert all(s.path == DATA for s in kosis.requests)


def test_files_from_rows(tmp_path: Path) -> None:
    rows = json.loads(payload("data_migration_annual.json"))
    rows[0] = {**rows[0], "DT": "12.5", "UNIT_NM": "%"}
    path = to_long_csv(rows, tmp_path / "out.csv")
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == ("ORG_ID,TBL_ID,TBL_NM,PRD_SE,PRD_DE,PERIOD,C1,C1_NM,C2,C2_NM,"
                      "ITM_ID,ITM_NM,UNIT_NM,DT")
    spec = tomllib.loads(write_mapping(rows, tmp_path / "m.toml", "kosis_test").read_text())
    assert spec["read"]["value_kind"] == "number"
    assert spec["dataset"]["unit"] == "mixed"
    assert spec["dataset"]["title_en"] == "DT_MIGRALINK_TEST"
    with pytest.raises(ConfigError):
        write_mapping(rows, tmp_path / "m.toml", "Kosis_101_DT_X")
    with pytest.raises(FetchError):
        to_long_csv([], tmp_path / "empty.csv")


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"period_type": "W", "latest": 1}, "period type"),
        ({"start": "2024"}, "start without end"),
        ({"start": "2020", "end": "2024", "latest": 2}, "both a range and latest"),
        ({}, "no periods"),
        ({"latest": 0}, "latest = 0"),
        ({"period_type": "M", "start": "2024", "end": "202412"}, "does not fit"),
        ({"period_type": "Q", "start": "202405", "end": "202406"}, "does not fit"),
        ({"start": "2024", "end": "2020"}, "after end"),
        ({"latest": 1, "items": " + "}, "no items"),
        ({"latest": 1, "objects": ()}, "0 classification levels"),
        ({"latest": 1, "objects": ("ALL",) * 9}, "9 classification levels"),
        ({"latest": 1, "objects": ("ALL", "")}, "empty classification level"),
    ],
)
def test_request_checks(kwargs: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        KosisRequest("101", "DT_1B040A3", **kwargs)
    with pytest.raises(ConfigError, match="table id"):
        KosisRequest("101", "DT 1B040A3&x=1", latest=1)


def test_request_periods_and_codes() -> None:
    quarters = KosisRequest("101", "T", "Q", start="202303", end="202402")
    assert quarters.periods() == ["202303", "202304", "202401", "202402"]
    months = KosisRequest("101", "T", "M", start="202311", end="202402")
    assert months.periods() == ["202311", "202312", "202401", "202402"]
    halves = KosisRequest("101", "T", "H", start="202302", end="202401", items="T1+T2, T3",
                          objects=["11*+26", "ALL"])  # type: ignore[arg-type]
    assert halves.periods() == ["202302", "202401"]
    params = halves.params()
    assert (params["itmId"], params["objL1"], params["objL2"]) == ("T1 T2 T3", "11* 26", "ALL")
    assert halves.objects == ("11*+26", "ALL")

"""KOSIS OpenAPI connector: fetch a statistical table and write it as a long CSV + mapping.

KOSIS (국가통계포털) answers ``Param/statisticsParameterData.do?method=getList`` with a JSON
list of cells (one row per period x classification values x item) and
``statisticsData.do?method=getMeta&type=TBL`` with the table's Korean and English names.
Errors come back as HTTP 200 with ``{"err": "31", "errMsg": "..."}``. One call returns at
most 40,000 cells; past that KOSIS answers error 31, and :meth:`KosisClient.fetch` then
halves the period range until every part fits. See ``docs/kosis.md`` for the sources.

The API key travels in the query string because KOSIS wants it there; it is never put in
an error message, and a log filter masks it in httpx's request log lines.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote_plus

import httpx

from migralink.errors import ConfigError, FetchError
from migralink.sources.kosis_files import kosis_dataset_id, to_long_csv, write_mapping
from migralink.sources.kosis_wire import KEY_IN_URL, install_log_redaction, quote_bare_keys

__all__ = [
    "API_KEY_ENV",
    "KOSIS_ERRORS",
    "KosisClient",
    "KosisFetchError",
    "KosisRequest",
    "fetch_to_files",
    "kosis_dataset_id",
    "to_long_csv",
    "write_mapping",
]

logger = logging.getLogger(__name__)

API_KEY_ENV = "KOSIS_API_KEY"
DATA_PATH = "Param/statisticsParameterData.do"
META_PATH = "statisticsData.do"
_SPLIT_HINT = (
    "KOSIS returns at most 40,000 cells per call: ask for fewer items or classification "
    "codes, or give start and end (not latest) so that migralink can split the period range"
)
#: KOSIS error codes (개발가이드 §1.4.2 오류메시지 유형): meaning, and what to do.
KOSIS_ERRORS: dict[str, tuple[str, str]] = {
    "10": ("인증키 누락: the API key is missing", f"set {API_KEY_ENV} to your KOSIS key"),
    "11": ("인증키 기간만료: the API key has expired",
           "extend the key under 마이페이지 on https://kosis.kr/openapi/ and retry"),
    "20": ("필수요청변수 누락: a required parameter is missing",
           "the table probably has more classification levels: pass one code (or ALL) "
           "per level in objects, and check items"),
    "21": ("잘못된 요청변수: a request parameter is wrong",
           "check the org and table IDs, the period type (the table may not be published "
           "at that frequency) and the item/classification codes"),
    "30": ("조회결과 없음: no data for this request",
           "check the period range and type against the table's 수록기간 on kosis.kr"),
    "31": ("조회결과 초과: the result exceeds 40,000 cells", _SPLIT_HINT),
    "40": ("호출가능건수 제한: too many calls", "wait a minute and retry"),
    "41": ("호출가능ROW수 제한: row quota exceeded", "ask KOSIS (관리자에게 문의)"),
    "42": ("사용자별 이용 제한: this key is restricted", "ask KOSIS (관리자에게 문의)"),
    "50": ("서버오류: KOSIS server error", "KOSIS had an internal error; retry later"),
}
_RETRY_ERRORS = {"50"}  # a KOSIS-side failure, like HTTP 5xx: worth another attempt
_PERIOD_FORMS = {"Y": r"\d{4}", "H": r"\d{4}0[12]", "Q": r"\d{4}0[1-4]",
                 "M": r"\d{4}(0[1-9]|1[0-2])"}
_SUBPERIODS = {"H": 2, "Q": 4, "M": 12}


class KosisFetchError(FetchError):
    """A KOSIS error answer; ``code`` is KOSIS's ``err`` (``"31"``...)."""

    code: str = ""


@dataclass(frozen=True)
class KosisRequest:
    """One table query. Give either ``start`` and ``end`` or ``latest`` (newest N periods).

    Periods are written as KOSIS wants them: ``YYYY`` (Y), ``YYYYHH`` with HH 01-02 (H),
    ``YYYYQQ`` with QQ 01-04 (Q) or ``YYYYMM`` (M). ``items`` and each entry of
    ``objects`` (classification levels objL1..objL8) are ``ALL`` or codes separated by
    ``+`` or spaces; ``11*`` means code 11 and all its sub-levels.

    Raises:
        ConfigError: at construction, when a field is not a valid KOSIS parameter.
    """

    org_id: str
    table_id: str
    period_type: Literal["Y", "H", "Q", "M"] = "Y"
    start: str | None = None
    end: str | None = None
    latest: int | None = None
    items: str = "ALL"
    objects: tuple[str, ...] = ("ALL",)

    def __post_init__(self) -> None:
        object.__setattr__(self, "objects", tuple(self.objects))
        problem = self._problem()
        if problem:
            raise ConfigError(title=f"invalid KOSIS request: {problem[0]}", hint=problem[1])

    def _problem(self) -> tuple[str, str] | None:
        form = _PERIOD_FORMS.get(self.period_type)
        checks = [
            (not re.fullmatch(r"[A-Za-z0-9]+", self.org_id),
             f"org id {self.org_id!r}", "KOSIS org ids are short codes such as 101"),
            (not re.fullmatch(r"[A-Za-z0-9_]+", self.table_id),
             f"table id {self.table_id!r}", "KOSIS table ids look like DT_1B040A3"),
            (form is None, f"period type {self.period_type!r}", "use Y, H, Q or M"),
            ((self.start is None) != (self.end is None), "start without end or end without "
             "start", "give both start and end, or latest"),
            (self.latest is not None and self.start is not None, "both a range and latest",
             "give start and end, or latest, not both"),
            (self.latest is None and self.start is None, "no periods asked for",
             "give start and end (e.g. 2015 and 2024), or latest (e.g. 3)"),
            (self.latest is not None and self.latest < 1, f"latest = {self.latest}",
             "latest is the number of newest periods: 1 or more"),
            (not _codes(self.items), "no items", "use ALL or item codes such as T20"),
            (not 1 <= len(self.objects) <= 8, f"{len(self.objects)} classification levels",
             "KOSIS tables have 1 to 8 levels (objL1..objL8)"),
            (any(not _codes(o) for o in self.objects), "an empty classification level",
             "use ALL or codes for every level you pass"),
        ]
        for bad, what, hint in checks:
            if bad:
                return what, hint
        for value in (self.start, self.end):
            if value is not None and form and not re.fullmatch(form, value):
                return (f"period {value!r} does not fit period type {self.period_type}",
                        "write YYYY (Y), YYYY01-02 (H), YYYY01-04 (Q) or YYYYMM (M)")
        if self.start and self.end and self.start > self.end:
            return f"start {self.start} is after end {self.end}", "swap them"
        return None

    @property
    def label(self) -> str:
        """``ORG/TABLE``, for messages."""
        return f"{self.org_id}/{self.table_id}"

    def periods(self) -> list[str]:
        """Every period from ``start`` to ``end`` in KOSIS form (empty with ``latest``)."""
        if self.start is None or self.end is None:
            return []
        years = range(int(self.start[:4]), int(self.end[:4]) + 1)
        if self.period_type == "Y":
            return [str(y) for y in years]
        count = _SUBPERIODS[self.period_type]
        every = (f"{y}{s:02d}" for y in years for s in range(1, count + 1))
        return [p for p in every if self.start <= p <= self.end]

    def params(self, start: str | None = None, end: str | None = None) -> dict[str, str]:
        """Query parameters (without the key) for this request or a sub-range of it."""
        params = {"method": "getList", "orgId": self.org_id, "tblId": self.table_id,
                  "itmId": _codes(self.items), "prdSe": self.period_type,
                  "format": "json", "jsonVD": "Y"}
        for level in range(1, 9):
            # KOSIS's own URL builder sends unused levels as empty parameters.
            objects = self.objects[level - 1] if level <= len(self.objects) else ""
            params[f"objL{level}"] = _codes(objects)
        if self.latest is not None:
            params["newEstPrdCnt"] = str(self.latest)
        else:
            params["startPrdDe"] = start or self.start or ""
            params["endPrdDe"] = end or self.end or ""
        return params


class KosisClient:
    """Calls the KOSIS OpenAPI, with bounded retries and the 40,000-cell split.

    Args:
        api_key: the KOSIS key; read from ``KOSIS_API_KEY`` when not given.
        base_url: the OpenAPI root (a test server in tests).
        timeout: seconds to wait for one answer.
        transport: an httpx transport (proxies, custom TLS); the caller closes it.
        attempts: tries per call on HTTP 5xx, timeouts, connection errors, KOSIS error 50.
        backoff: seconds before the first retry, doubled for each further one.

    Raises:
        ConfigError: no key, or a base URL that is not http(s).
    """

    def __init__(self, api_key: str | None = None, base_url: str = "https://kosis.kr/openapi/",
                 timeout: float = 30.0, transport: httpx.BaseTransport | None = None, *,
                 attempts: int = 4, backoff: float = 1.0) -> None:
        key = (os.environ.get(API_KEY_ENV, "") if api_key is None else api_key).strip()
        if not key:
            raise ConfigError(
                title="no KOSIS API key",
                hint=f"get a free key at https://kosis.kr/openapi/ (sign up, then 활용신청; "
                f"approval is automatic) and set the {API_KEY_ENV} environment variable",
            )
        if not base_url.startswith(("http://", "https://")) or attempts < 1:
            raise ConfigError(title=f"bad KOSIS client settings: {base_url!r}, {attempts}",
                              hint="base_url must be http(s) and attempts at least 1")
        self._key = key
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout, self.attempts, self.backoff = timeout, attempts, backoff
        self._transport = transport
        install_log_redaction()

    def __repr__(self) -> str:
        return f"KosisClient(base_url={self.base_url!r}, api_key='***')"

    def fetch(self, request: KosisRequest) -> list[dict[str, str]]:
        """All rows of the request; a range too large for one call is split by period.

        Raises:
            KosisFetchError: KOSIS answered an error (``code`` says which).
            FetchError: KOSIS could not be reached or answered something unexpected.
        """
        with self._session() as http:
            if request.latest is not None:
                return self._rows(http, DATA_PATH, request.params(), request.label)
            rows = self._span(http, request, request.periods(), nested=False)
        if not rows:  # every part of a split range was empty
            raise self._error({"err": "30"}, request.label)
        return rows

    def table_meta(self, org_id: str, table_id: str) -> dict[str, str]:
        """The table's names (``TBL_NM``, ``TBL_NM_ENG``) from ``getMeta type=TBL``."""
        params = {"method": "getMeta", "type": "TBL", "orgId": org_id, "tblId": table_id,
                  "format": "json", "jsonVD": "Y"}
        with self._session() as http:
            rows = self._rows(http, META_PATH, params, f"{org_id}/{table_id}")
        return rows[0] if rows else {}

    def _span(self, http: httpx.Client, request: KosisRequest, periods: list[str],
              nested: bool) -> list[dict[str, str]]:
        try:
            return self._rows(http, DATA_PATH, request.params(periods[0], periods[-1]),
                              request.label)
        except KosisFetchError as exc:
            if exc.code == "31" and len(periods) > 1:
                half = len(periods) // 2
                logger.info("KOSIS %s: over 40,000 cells for %s..%s, splitting", request.label,
                            periods[0], periods[-1])
                return (self._span(http, request, periods[:half], nested=True)
                        + self._span(http, request, periods[half:], nested=True))
            if exc.code == "30" and nested:  # one half of a split range may hold no data
                return []
            raise

    def _rows(self, http: httpx.Client, path: str, params: dict[str, str],
              label: str) -> list[dict[str, str]]:
        payload = self._call(http, path, params, label)
        if isinstance(payload, dict):
            if "err" in payload or "errMsg" in payload:
                raise self._error(payload, label)
            payload = [payload]
        if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
            raise FetchError(title=f"KOSIS answered {label} with something other than rows",
                             hint="the API may have changed; see docs/kosis.md")
        return [{str(k): "" if v is None else str(v) for k, v in r.items()} for r in payload]

    def _call(self, http: httpx.Client, path: str, params: dict[str, str],
              label: str) -> object:
        failure = ""
        for attempt in range(1, self.attempts + 1):
            payload: object = None
            if attempt > 1:
                time.sleep(self.backoff * 2 ** (attempt - 2))
            logger.debug("KOSIS %s %s (attempt %d of %d)", path, params, attempt, self.attempts)
            try:
                response = http.get(path, params={**params, "apiKey": self._key})
            except httpx.TimeoutException:
                failure = f"no answer within {self.timeout:g} s"
                continue
            except httpx.TransportError as exc:
                failure = f"connection failed ({self._redact(str(exc)) or type(exc).__name__})"
                continue
            if response.status_code >= 500:
                failure = f"HTTP {response.status_code}"
                continue
            if response.status_code != 200:
                raise FetchError(title=f"KOSIS answered HTTP {response.status_code} to {path}",
                                 hint="check base_url and the API key")
            payload = self._parse(response.text)
            if not (isinstance(payload, dict) and str(payload.get("err")) in _RETRY_ERRORS):
                return payload
            failure = "KOSIS error 50"
        if isinstance(payload, dict):
            raise self._error(payload, label)
        raise FetchError(title=f"KOSIS failed {self.attempts} times for {label}: {failure}",
                         hint="KOSIS may be down or slow: retry later, or raise the timeout")

    def _parse(self, text: str) -> object:
        for candidate in (text, quote_bare_keys(text)):
            try:
                return json.loads(candidate)
            except json.JSONDecodeError:
                continue
        raise FetchError(title="KOSIS answered something that is not JSON",
                         hint=f"it starts with {self._redact(text)[:80]!r}; retry later")

    def _error(self, payload: dict[str, object], label: str) -> KosisFetchError:
        code = str(payload.get("err", "")).strip()
        meaning, hint = KOSIS_ERRORS.get(code, ("unknown error", "see docs/kosis.md"))
        message = self._redact(str(payload.get("errMsg", "")).strip())
        error = KosisFetchError(
            title=f"KOSIS error {code} ({meaning}) for {label}"
            + (f": {message}" if message else ""),
            hint=hint,
        )
        error.code = code
        return error

    def _redact(self, text: str) -> str:
        for secret in (self._key, quote_plus(self._key)):
            text = text.replace(secret, "***")
        return KEY_IN_URL.sub(r"\1***", text)

    @contextmanager
    def _session(self) -> Iterator[httpx.Client]:
        http = httpx.Client(base_url=self.base_url, timeout=self.timeout,
                            transport=self._transport)
        try:
            yield http
        finally:
            if self._transport is None:  # a caller's transport is the caller's to close
                http.close()


def fetch_to_files(client: KosisClient, request: KosisRequest,
                   out_dir: Path) -> tuple[Path, Path]:
    """Fetch a table into ``kosis_<org>_<tbl>_<UTC timestamp>.csv`` and its mapping.

    The mapping is ``kosis_<org>_<tbl>.toml``, one per table: its filename glob matches
    every later snapshot. An existing mapping is kept as it is, since the user may have
    edited it.
    """
    rows = client.fetch(request)
    stem = f"kosis_{request.org_id}_{request.table_id}"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    csv_path = to_long_csv(rows, out_dir / f"{stem}_{stamp}.csv")
    mapping = out_dir / f"{stem}.toml"
    if mapping.exists():
        logger.info("keeping the existing mapping %s", mapping)
        return csv_path, mapping
    title_en = None
    try:
        title_en = client.table_meta(request.org_id, request.table_id).get("TBL_NM_ENG")
    except FetchError as exc:  # the English title is a nicety: the data is already saved
        logger.warning("no English title for %s: %s", request.label, exc)
    write_mapping(rows, mapping, kosis_dataset_id(request.org_id, request.table_id),
                  title_en=title_en)
    return csv_path, mapping


def _codes(text: str) -> str:
    # KOSIS joins codes with "+" in its URLs, i.e. spaces once decoded; send spaces.
    return " ".join(part for part in re.split(r"[\s+,]+", text) if part)

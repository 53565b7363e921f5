"""The shapes of the API's JSON answers, for the OpenAPI document.

Routes build their bodies directly (the tests check them against these models through
schemathesis' ``response_schema_conformance``); the models exist so that the document
describes every answer, with examples, to anyone writing a client.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CodeList",
    "DatasetDetail",
    "DatasetSummary",
    "ErrorBody",
    "IngestReport",
    "ObservationPage",
]

Cell = str | int | float | bool | None


class ErrorLocation(BaseModel):
    """Where the problem is: a file's sheet, row and column, or a request parameter."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    in_: str | None = Field(None, alias="in", description="query, path, header or body")
    parameter: str | None = None


class ErrorDetail(BaseModel):
    """One error, as the CLI would print it."""

    type: str = Field(description="machine-readable kind: query_error, code_error, "
                      "not_found_error, request_error, auth_error, validation_error, "
                      "disclosure_error, store_busy_error, internal_error...")
    title: str = Field(description="what went wrong, in one sentence")
    hint: str = Field(description="what to do about it")
    location: ErrorLocation | None
    status: int = Field(description="the HTTP status, repeated")
    details: list[str] = Field(description="further lines: every problem found")


class ErrorBody(BaseModel):
    """The one error shape of the API (오류 응답)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"error": {
        "type": "not_found_error", "title": "no dataset 'moj_stay' in the evidence base",
        "hint": "known datasets: moj_stay_status, …; see /api/v1/datasets",
        "location": None, "status": 404, "details": []}}]})

    error: ErrorDetail


class DatasetSummary(BaseModel):
    """A dataset with its latest version, as ``migralink datasets --format json``."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "moj_stay_status", "title_ko": "체류자격별 체류외국인 현황",
        "title_en": "Foreign residents by residence status", "publisher": "법무부 (MOJ)",
        "source_url": "https://www.data.go.kr/", "licence": "공공누리 1유형",
        "unit": "persons", "version": 1, "versions": 1, "source_sha256": "cb5b…",
        "sources": ["moj_stay_status.parquet"], "periods": ["2024"],
        "dimensions": ["period", "region", "residence_status"], "observations": 38,
        "protected": False}]})

    id: str
    title_ko: str | None
    title_en: str | None
    publisher: str | None
    source_url: str | None
    licence: str | None
    unit: str | None
    version: int
    versions: int
    source_sha256: str | None
    sources: list[str]
    periods: list[str]
    dimensions: list[str]
    observations: int
    protected: bool = Field(description="served through disclosure control (register data)")


class VersionInfo(BaseModel):
    """One version of a dataset."""

    version: int
    created_at: str
    source_sha256: str | None
    observations: int
    periods: list[str]


class SourceInfo(BaseModel):
    """One file a dataset was built from (provenance, 출처)."""

    file_name: str | None
    sha256: str
    periods: list[str]
    rows_read: int | None
    ingested_at: str | None
    version: int | None
    notes: list[str]


class CodeInfo(BaseModel):
    """A code of a dimension with the label it was published under."""

    code: str
    label: str | None


class DimensionInfo(BaseModel):
    """A dimension of a dataset version, with its codes (from ``ml_code``)."""

    id: str
    title_ko: str | None
    title_en: str | None
    codelist: str | None
    total_code: str | None
    #: ``measure``: the codes are different quantities (applications, grants), which a
    #: query keeps apart (``by`` or ``filter``); ``category``: parts of a whole
    role: str = "category"
    codes: list[CodeInfo]


class DatasetDetail(BaseModel):
    """Everything the catalogue knows about a dataset."""

    id: str
    title_ko: str | None
    title_en: str | None
    publisher: str | None
    source_url: str | None
    licence: str | None
    unit: str | None
    reference_date: str | None
    region_system: str | None
    period_day: str | None
    notes: str | None
    protected: bool
    version: int = Field(description="the version the dimensions describe")
    versions: list[VersionInfo]
    sources: list[SourceInfo]
    dimensions: list[DimensionInfo]


class ObservationPage(BaseModel):
    """One page of a query's rows (관측값)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "dataset": "moj_stay_status", "version": 1,
        "rows": [{"period": "2024", "region": "00", "residence_status": "E-9",
                  "value": 337279, "status": "A", "conf_status": "F"}],
        "total": 1, "limit": 1000, "offset": 0, "next": None, "notes": []}]})

    dataset: str
    version: int
    rows: list[dict[str, Cell]] = Field(
        description="period, region, the dimensions kept, value, status (SDMX "
        "OBS_STATUS: A normal, E estimated, P provisional, M missing) and conf_status "
        "(SDMX CONF_STATUS: F free, A primary and D secondary confidentiality, "
        "N withheld); a suppressed value is null")
    total: int = Field(description="rows in the whole result")
    limit: int | None
    offset: int
    next: str | None = Field(description="address of the next page, or null")
    notes: list[str]


class CodeList(BaseModel):
    """A code list (코드 목록): regions, nationalities or residence statuses."""

    codelist: str
    year: int | None = None
    total: int
    rows: list[dict[str, Cell]]


class IngestedFile(BaseModel):
    """What one ingestion did to one dataset."""

    dataset_id: str
    version: int
    changed: bool
    observations: int
    file: str
    rejects: int
    notes: list[str]
    quarantine_file: str | None


class IngestReport(BaseModel):
    """The result of ``POST /api/v1/ingest``."""

    results: list[IngestedFile]


def example(value: Any, summary: str) -> dict[str, Any]:
    """An OpenAPI example object."""
    return {"summary": summary, "value": value}

"""Observations: a cube query as ``migralink query`` takes it, protected, paged, rendered.

The query path is the library's (:func:`migralink.store.run_query`); this module only
turns URL parameters into a :class:`~migralink.store.QuerySpec`, checks that the dataset
and version exist (so that they are 404s, not 400s), applies disclosure control, and
writes one page as JSON, or the result as CSV or Parquet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

import polars as pl

from migralink.api.errors import NotFoundError
from migralink.api.protection import Disclosure, is_protected, protect_result, release_of
from migralink.api.readers import Reading
from migralink.api.responses import Payload, json_payload
from migralink.store import QueryResult, QuerySpec, query_lang, resolve_version, run_query
from migralink.store.catalogue_read import dataset_hint

__all__ = ["Format", "Page", "answer", "parse_by", "parse_filters", "render"]

Format = Literal["json", "csv", "parquet"]
_MEDIA = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


@dataclass(frozen=True)
class Page:
    """Which rows of a result to return.

    Attributes:
        limit: at most this many rows; ``None`` for all of them (downloads).
        offset: rows to skip first.
        path: the request's path, for the ``next`` link.
        query: the request's query parameters, for the ``next`` link.
    """

    limit: int | None
    offset: int
    path: str
    query: tuple[tuple[str, str], ...] = ()

    def next_link(self, total: int) -> str | None:
        """The address of the following page, or ``None`` after the last."""
        if self.limit is None or self.offset + self.limit >= total:
            return None
        kept = [(k, v) for k, v in self.query if k not in ("limit", "offset")]
        kept += [("limit", str(self.limit)), ("offset", str(self.offset + self.limit))]
        return f"{self.path}?{urlencode(kept)}"


def parse_filters(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``["residence_status:E-9"]`` (or ``=``) → ``(("residence_status", "E-9"),)``.

    The one parser of the query language (:mod:`migralink.store.query_lang`).

    Raises:
        QueryError: a value is not ``dimension:code``.
    """
    return query_lang.parse_filters(values)


def parse_by(text: str | None) -> tuple[str, ...]:
    """``"region,sex"`` → ``("region", "sex")``."""
    return query_lang.parse_by(text)


def check_version(view: Reading, dataset: str, version: int | None) -> None:
    """Raise :class:`NotFoundError` for an unknown dataset or version."""
    known = view.snapshot.datasets
    if dataset not in known:
        raise NotFoundError(
            title=f"no dataset {dataset!r} in the evidence base",
            hint=(dataset_hint(dataset, list(known)) if known else "known datasets: none yet")
            + "; see /api/v1/datasets",
        )
    if version is not None and not 1 <= version <= known[dataset].version:
        raise NotFoundError(
            title=f"dataset {dataset!r} has no version {version}",
            hint=f"its versions are 1 to {known[dataset].version}",
        )


def answer(view: Reading, spec: QuerySpec, disclosure: Disclosure) -> QueryResult:
    """The protected result of ``spec``, computed once per snapshot.

    Raises:
        NotFoundError: unknown dataset or version.
        QueryError, CodeError: a parameter the query cannot use.
        DisclosureError: a protected dataset asked what cells cannot answer.
    """
    check_version(view, spec.dataset, spec.version)

    def compute() -> QueryResult:
        gw = view.gateway
        ref = resolve_version(gw, spec.dataset, spec.version)
        if is_protected(gw, spec.dataset):
            from migralink.disclosure.gate import grid_answer, refuse_other_boundaries

            refuse_other_boundaries(spec)  # before the stored table is asked anything
            if disclosure.policy.dp_epsilon is not None:
                # never asked of the stored table: whether it has a row must not decide
                return grid_answer(gw, spec, release_of(gw, ref, disclosure))
        result = run_query(gw, spec)
        frame = protect_result(gw, ref, spec, result, disclosure)
        return QueryResult(result.dataset, result.version, frame, result.notes)

    found: QueryResult = view.snapshot.derived(("query", spec, disclosure.key), compute)
    return found


def render(result: QueryResult, fmt: Format, page: Page) -> Payload:
    """One page (JSON) or the rows asked for (CSV, Parquet) as a payload."""
    total = result.frame.height
    rows = result.frame.slice(page.offset, page.limit)
    nxt = page.next_link(total)
    headers = [("X-Total-Count", str(total))]
    if nxt:
        headers.append(("Link", f'<{nxt}>; rel="next"'))
    if fmt == "json":
        body = QueryResult(result.dataset, result.version, rows, result.notes).as_json()
        body.update(total=total, limit=page.limit, offset=page.offset, next=nxt,
                    notes=list(result.notes))
        return json_payload(body, tuple(headers))
    name = f"{result.dataset}_v{result.version}.{fmt}"
    headers.append(("Content-Disposition", f'attachment; filename="{name}"'))
    return Payload(_encode(rows, fmt), _MEDIA[fmt], tuple(headers))


def _encode(frame: pl.DataFrame, fmt: Format) -> bytes:
    if fmt == "csv":
        return frame.write_csv().encode("utf-8")
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()

"""The Python face of migralink: ``migralink.open(path)``.

>>> import migralink
>>> ev = migralink.open("migralink.duckdb")          # doctest: +SKIP
>>> ev.query("moj_stay_status", by=["residence_status"]).frame  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl

from migralink.errors import InputError, Location
from migralink.sources import choose_mappings, read_table
from migralink.store import (
    DatasetInfo,
    Gateway,
    IngestResult,
    QueryResult,
    QuerySpec,
    list_datasets,
    run_query,
    store_table,
)
from migralink.store.names import with_names
from migralink.store.query_lang import (
    FilterInput,
    parse_by,
    parse_filters,
    parse_measure,
    parse_periods,
)

__all__ = ["Evidence", "open_evidence"]


class Evidence:
    """An evidence base in one DuckDB file.

    Args:
        path: the DuckDB file (created when missing unless ``read_only``).
        read_only: open for reading only, so another process may ingest meanwhile.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.gateway = Gateway(path, read_only=read_only)

    def ingest(
        self,
        files: Iterable[str | Path],
        *,
        mapping: str | Path | None = None,
        allow_rejects: bool = False,
        allow_shrink: bool = False,
        quarantine_dir: str | Path | None = None,
        progress: Callable[[Path], None] | None = None,
    ) -> list[IngestResult]:
        """Ingest files, each atomically (one file's failure leaves the store as it was).

        Rejected rows are written to ``quarantine_dir`` (default: beside the database).
        A file that would remove cells or categories of a dataset's latest version is
        refused unless ``allow_shrink``.
        """
        results = []
        qdir = Path(quarantine_dir) if quarantine_dir else self.path.parent / "quarantine"
        for file in files:
            path = Path(file)
            if not path.is_file():
                raise InputError(
                    title="the file does not exist",
                    hint="check the path; nothing else was ingested from this file",
                    location=Location(file=str(path)),
                )
            specs = choose_mappings(path, Path(mapping) if mapping else None)
            with self.gateway.transaction():  # a file lands in all its datasets, or in none
                for spec in specs:
                    table = read_table(path, spec)
                    results.append(
                        store_table(
                            self.gateway, table, allow_rejects=allow_rejects, quarantine_dir=qdir,
                            allow_shrink=allow_shrink,
                        )
                    )
            if progress:
                progress(path)
        return results

    def datasets(self) -> list[DatasetInfo]:
        """The datasets in the store, each with its latest version."""
        return list_datasets(self.gateway)

    def query(
        self,
        dataset: str,
        *,
        version: int | None = None,
        period: str | int | Sequence[str | int] | None = None,
        region: str | int | None = None,
        filters: FilterInput = None,
        by: str | Sequence[str] = (),
        boundaries: int | None = None,
        level: str | None = None,
        measure: str | None = None,
        names: bool = True,
    ) -> QueryResult:
        """Query a dataset; ``.frame`` is Polars, ``.frame.to_arrow()`` Arrow.

        Takes what people type: ``period=2019``, ``"2019년"``, ``"2019..2021"``;
        ``region=41270`` or a name (every code of the unit through its history);
        ``filters={"residence_status": ["E-9", "H-2"]}`` or ``["sex=F"]``;
        ``by="group"`` or ``["region", "sex"]``; ``level="sido"``; ``measure`` for a
        dataset with several (``"numerator"``). With ``names`` the
        frame has ``region_name`` and ``<dimension>_name`` beside the codes.
        """
        spec = QuerySpec(
            dataset=dataset,
            version=version,
            periods=parse_periods(period),
            region=None if region is None else str(region),
            filters=parse_filters(filters),
            by=parse_by(by),
            boundaries=boundaries,
            level=level,
            measure=parse_measure(measure),
        )
        result = run_query(self.gateway, spec)
        return replace(result, frame=with_names(self.gateway, result)) if names else result

    def top(
        self, dataset: str, n: int = 10, *, period: str | int | None = None,
        level: str = "sigungu", filters: FilterInput = None,
    ) -> pl.DataFrame:
        """The ``n`` regions of one level with the largest values (latest period by default)."""
        if period is None:
            period = next(d for d in self.datasets() if d.id == dataset).periods[-1]
        frame = self.query(dataset, period=period, filters=filters, level=level,
                           names=True).frame
        return frame.sort("value", descending=True, nulls_last=True).head(n)

    def indicators(
        self, indicator: str | None = None, *, region: str | int | None = None,
        period: str | int | Sequence[str | int] | None = None, by: str | None = None,
    ) -> pl.DataFrame:
        """Computed indicators with numerator and denominator (``migralink indicators``)."""
        from migralink.indicators.listing import list_indicators

        return list_indicators(
            self, indicator=indicator, region=None if region is None else str(region),
            periods=list(parse_periods(period)) or None, by=by)

    @staticmethod
    def region(text: str | int) -> dict[str, object]:
        """A region's code, name, level and every code its unit has had."""
        from migralink.codes.lookup import region_name, same_unit_codes
        from migralink.codes.regions import resolve_region
        from migralink.store.levels import user_level

        code = resolve_region(str(text))
        return {"code": code, "name": region_name(code), "level": user_level(code),
                "codes": list(same_unit_codes(code))}

    @staticmethod
    def code(codelist: str, text: str) -> str:
        """The code of a label in a code list (``sex``, ``nationality``, ``status``)."""
        from migralink.codes.lookup import resolve_code

        return resolve_code(codelist, text)

    def close(self) -> None:
        """Close the database."""
        self.gateway.close()

    def __enter__(self) -> Evidence:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_evidence(path: str | Path, *, read_only: bool = False) -> Evidence:
    """Open (or create) an evidence base."""
    return Evidence(path, read_only=read_only)

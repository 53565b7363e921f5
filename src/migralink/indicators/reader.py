"""Reading the measures of indicators from the cube, at every level, once per run.

A measure read for a set of dimensions gives one row per period, region, level and
combination of codes, where each dimension also takes the code ``_T`` for "all": the
total is read the way the cube reads it (the table's published total where it prints
one, else the sum of the codes). Reads use the store's own query builder on the latest
version of each dataset, so the indicators see what ``migralink query`` sees; the
versions read are recorded for provenance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations

import polars as pl

from migralink.errors import QueryError
from migralink.evidence import Evidence
from migralink.indicators.geography import expand, worst_of, worst_status
from migralink.indicators.spec import Measure, Term
from migralink.store.catalogue_read import VersionRef, resolve_version
from migralink.store.query_sql import QueryPlan, build_query

__all__ = ["TOTAL", "Reader", "builtin_subtotals"]

#: SDMX code of "all codes of a dimension".
TOTAL = "_T"


@lru_cache(maxsize=1)
def builtin_subtotals() -> dict[tuple[str, str], dict[str, frozenset[str]]]:
    """(dataset, dimension) → {subtotal code → the codes it adds up}, from the mappings.

    The store keeps a dimension's total code but not its subtotals (MOIS's
    ``foreign_nationals`` = five groups), so they are read from the built-in mappings.
    """
    from migralink.sources import builtin_mappings

    return {
        (m.meta.id, dim.id): {code: frozenset(parts) for code, parts in spec.subtotals}
        for m in builtin_mappings()
        for dim, spec in m.dimensions
        if spec.subtotals
    }


class Reader:
    """Reads measures for one computation, caching each query and recording versions.

    Args:
        ev: the evidence base.
    """

    def __init__(self, ev: Evidence) -> None:
        self.ev = ev
        self.versions: dict[str, int] = {}
        self._refs: dict[str, VersionRef] = {}
        self._present: frozenset[str] | None = None
        self._terms: dict[tuple[Term, tuple[str, ...], tuple[str, ...]], pl.DataFrame] = {}

    def _ref(self, dataset: str) -> VersionRef:
        """The latest version of a dataset (resolved once per computation)."""
        if dataset not in self._refs:
            ref = resolve_version(self.ev.gateway, dataset)
            if ref.region_system != "mois":  # levels and sums follow the MOIS hierarchy
                raise QueryError(
                    title=f"dataset {dataset!r} is coded by {ref.region_system} regions",
                    hint="indicators are computed on MOIS regions (sigungu, sido, nation)",
                )
            self._refs[dataset] = ref
            self.versions[dataset] = ref.version
        return self._refs[dataset]

    def dimensions(self, dataset: str) -> tuple[str, ...]:
        """The dimensions of a dataset's latest version (besides period and region)."""
        return self._ref(dataset).dimensions

    def period_day(self, measure: Measure) -> str:
        """The day of the year an annual period of the measure refers to (``11-01``)."""
        return self._ref(measure.terms[0].dataset).period_day

    def subtotals(self, dataset: str, dim: str) -> dict[str, frozenset[str]]:
        """Subtotal code → its parts, for one dimension of a dataset (empty if none)."""
        return builtin_subtotals().get((dataset, dim), {})

    def available(self, datasets: Iterable[str]) -> bool:
        """Whether every dataset is in the evidence base."""
        if self._present is None:
            self._present = frozenset(d.id for d in self.ev.datasets())
        return all(d in self._present for d in datasets)

    def measure(
        self, measure: Measure, dims: Sequence[str], levels: Iterable[str]
    ) -> pl.DataFrame:
        """``period, region, level, <dims it has>, value, status`` for a sum of terms.

        Only the dimensions of ``dims`` that the measure's datasets have are kept; a
        region present in some terms only has no row.
        """
        wanted = tuple(sorted(set(levels)))
        kept = tuple(d for d in dims if all(d in self.dimensions(t.dataset) for t in measure.terms))
        frames = [self._term(term, kept, wanted) for term in measure.terms]
        keys = ["period", "region", "level", *kept]
        total = frames[0]
        for i, other in enumerate(frames[1:], start=1):
            total = (
                total.join(other, on=keys, suffix=f"_{i}")
                .with_columns(
                    (pl.col("value") + pl.col(f"value_{i}")).alias("value"),
                    worst_of("status", f"status_{i}").alias("status"),
                )
                .drop(f"value_{i}", f"status_{i}")
            )
        return total

    def _term(self, term: Term, dims: tuple[str, ...], levels: tuple[str, ...]) -> pl.DataFrame:
        key = (term, dims, levels)
        if key not in self._terms:
            published = self._published(term, dims)
            self._terms[key] = expand(published, ["period", *dims], levels)
        return self._terms[key]

    def _published(self, term: Term, dims: tuple[str, ...]) -> pl.DataFrame:
        """The term's regions as published, each dimension with its codes and ``_T``.

        One query keeps every dimension asked for; each combination of them is then
        summed here the way the cube sums (:func:`migralink.store.query_sql.build_query`):
        a dimension left out reads its published total where the table prints one, and
        adds up its codes where it does not.
        """
        ref = self._ref(term.dataset)
        single = tuple((d, codes[0]) for d, codes in term.filters if len(codes) == 1)
        several = {d: codes for d, codes in term.filters if len(codes) > 1}
        apart = self._kept_apart(term, ref, dims, several)
        plan = QueryPlan(
            table=ref.table_name, dimensions=ref.dimensions, filters=single,
            totals=tuple(ref.totals.items()), by=("region", *dims, *several),
            totals_stored=ref.totals_stored,
        )
        read = self.ev.gateway.polars(*build_query(plan))
        if read.is_empty():
            raise QueryError(
                title=f"reading {term.describe()} gives no observations",
                hint="check the codes in the filters of the indicator's declaration",
            )
        read = read.filter(pl.col("value").is_not_null()).with_columns(
            pl.col("value").cast(pl.Float64)
        )
        for dim, codes in several.items():
            self._check_listed(term, ref, dim, codes, set(read[dim].unique().to_list()))
            read = read.filter(pl.col(dim).is_in(list(codes)))
        totals = ref.totals
        parts = []
        for size in range(len(dims) + 1):
            for subset in combinations(dims, size):
                if not apart <= set(subset):
                    continue  # no "all" of codes that are different quantities
                frame = read
                for dim in dims:
                    if dim in totals:  # a printed total: read it, or leave it out of parts
                        keep = pl.col(dim) != totals[dim] if dim in subset else (
                            pl.col(dim) == totals[dim])
                        frame = frame.filter(keep)
                frame = frame.group_by(["period", "region", *subset]).agg(
                    pl.col("value").sum(), worst_status()
                )
                missing = [pl.lit(TOTAL).alias(d) for d in dims if d not in subset]
                parts.append(frame.with_columns(missing).select(
                    ["period", "region", *dims, "value", "status"]
                ))
        return pl.concat(parts)

    def _check_listed(self, term: Term, ref: VersionRef, dim: str, codes: Sequence[str],
                      present: set[str]) -> None:
        """Refuse a list of codes to add up with a code the table lacks (a misspelling
        would give a smaller sum) or a total beside its own parts (counted twice)."""
        unknown = sorted(set(codes) - present)
        if unknown:
            raise QueryError(
                title=f"{term.describe()}: {ref.dataset_id} has no {dim} "
                f"{', '.join(map(repr, unknown))}",
                hint=f"its {dim} codes are: {', '.join(sorted(present))}",
            )
        nested = dict(self.subtotals(ref.dataset_id, dim))
        if dim in ref.totals:
            nested[ref.totals[dim]] = frozenset(present - {ref.totals[dim]})
        for code in codes:
            inside = sorted(nested.get(code, frozenset()) & set(codes))
            if inside:
                raise QueryError(
                    title=f"{term.describe()} would count {', '.join(inside)} twice: "
                    f"{code!r} already includes {'them' if len(inside) > 1 else 'it'}",
                    hint=f"list either {code!r} or the codes it is made of, not both",
                )

    @staticmethod
    def _kept_apart(term: Term, ref: VersionRef, dims: tuple[str, ...],
                    several: dict[str, tuple[str, ...]]) -> set[str]:
        """The broken-down dimensions whose codes are different quantities (applications
        and grants), which have no total; refused where they would be added up, as
        ``migralink query`` refuses it."""
        single = {d for d, codes in term.filters if len(codes) == 1}
        for dim in ref.kept_apart:
            if dim in single or (dim in dims and dim not in several):
                continue
            raise QueryError(
                title=f"{term.describe()}: the codes of {dim} are different quantities, "
                "which are not added up",
                hint=f'filter on one code of {dim} (filters = {{ {dim} = "CODE" }}) or '
                f"break down by it (disaggregations = [\"{dim}\"])",
            )
        return {d for d in ref.kept_apart if d in dims}

"""The release gate: the one function through which migralink publishes stored data.

Every path that shows numbers outside migralink — ``migralink query`` and ``export``,
the API, the dashboard, and the reports, survey, linkage and media outputs — gets them
from here, never from the stored tables.

**How a capability publishes a dataset through the gate**

1. Write the dataset *only* through the catalogue's write call
   (:mod:`migralink.store.catalogue`), naming every input version in ``derived_from``.
   The catalogue records its sensitivity: a dataset computed from a protected input (a
   register, a linked or surveyed person-level table) is ``protected`` (the strictest
   of its inputs wins). The gate reads that record and the lineage; it never looks at
   a dataset's name or at a flag of the caller.
2. A protected dataset must be a count table that stores every margin (all
   combinations of its codes, totals included, as ``GROUP BY CUBE`` and
   :func:`migralink.store.register.aggregate_register` write them). Rates and shares
   are published by releasing their numerator and denominator counts and computing
   the rate from the released cells (:func:`migralink.disclosure.suppress_rates`).
3. Publish with ``release(gw, dataset_id, version)``: its :attr:`Release.cells` are
   every cell that may leave migralink (``value`` null where suppressed, ``obs_status``,
   ``conf_status``), and :meth:`Release.metadata` is what to print beside them (the
   policy, the statuses, the privacy-loss budget). To answer a query, call
   ``publish_query(gw, spec)``: the answer is read from the release, cell by cell.
   Never publish a number computed from the stored table next to a release.
4. Choose the policy once, where the output is made (a CLI option, the server's
   configuration) and pass it to every call; the first release of a register fixes its
   policy in the release registry (:mod:`migralink.disclosure.registry`), and a
   different policy for the same register is refused.

A release is computed once per dataset version, period and policy, recorded in the
registry beside the evidence base, and served from there ever after (a DP release is
drawn once). Public datasets pass through with ``conf_status`` ``F``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from migralink.disclosure.policy import DisclosurePolicy
from migralink.disclosure.registry import ReleaseStore
from migralink.disclosure.report import DisclosureReport
from migralink.errors import DisclosureError, QueryError
from migralink.store.catalogue_read import VersionRef, resolve_version
from migralink.store.gateway import Gateway
from migralink.store.query import QueryResult, QuerySpec, run_query

__all__ = [
    "CONF_STATUSES",
    "WITHHELD",
    "Release",
    "grid_answer",
    "publish_query",
    "refuse_other_boundaries",
    "release",
    "sensitivity",
]

#: The one status of a cell that is asked for but is not a cell of the release (SDMX
#: CONF_STATUS ``N``, not for publication); its value is null.
WITHHELD = "N"
#: What each ``conf_status`` of a released cell means, shown in every release's metadata.
CONF_STATUSES = {
    "F": "free: published",
    "A": "primary confidentiality: a small count, suppressed",
    "D": "secondary confidentiality: suppressed to protect another cell",
    "C": "confidential: suppressed (a small count or one protecting another)",
    "N": "not a cell of the release: withheld",
}


@dataclass(frozen=True)
class Release:
    """What may be published of one dataset version.

    Attributes:
        dataset: the dataset id.
        version: its version.
        sensitivity: ``public`` or ``protected``.
        policy: the policy applied (``None`` for a public dataset released as is).
        cells: period, region, the dataset's dimensions, ``value`` (null when
            suppressed), ``obs_status`` and ``conf_status``.
        reports: the disclosure report of each period.
        roots: the register each period was computed from (protected data).
        budget: per root, the privacy-loss budget and what is spent of it.
        notes: caveats to show beside the release.
    """

    dataset: str
    version: int
    sensitivity: str
    policy: DisclosurePolicy | None
    cells: pl.DataFrame = field(repr=False)
    reports: tuple[tuple[str, DisclosureReport], ...] = ()
    roots: tuple[tuple[str, str], ...] = ()
    budget: tuple[tuple[str, dict[str, Any]], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def protected(self) -> bool:
        """Whether disclosure control was applied."""
        return self.policy is not None

    def metadata(self) -> dict[str, Any]:
        """What to show beside the cells: no exact count of persons or of non-empty cells.

        The policy, the meaning of each status, per period the kind of protection and
        the number of suppressed cells, and per register the privacy-loss budget.
        """
        out: dict[str, Any] = {
            "dataset": self.dataset, "version": self.version,
            "sensitivity": self.sensitivity, "protected": self.protected,
            "conf_status": CONF_STATUSES,
        }
        if self.policy is None:
            return out
        out["policy"] = self.policy.to_json_dict()
        out["periods"] = {
            period: {
                "audit": report.audit, "primary": report.primary,
                "secondary": report.secondary,
                "dp_epsilon": report.dp_epsilon, "dp_mechanism": report.dp_mechanism,
                **({} if report.dp_epsilon is not None else {"cells": report.cells}),
            }
            for period, report in self.reports
        }
        out["privacy_budget"] = {root[:12]: spent for root, spent in self.budget}
        out["notes"] = list(self.notes)
        return out

    def answer(self, result: pl.DataFrame, spec: QuerySpec,
               filters: Sequence[tuple[str, str]], region: str | None,
               dims: Sequence[str]) -> pl.DataFrame:
        """The cells of this release that answer a query.

        A suppression release answers with the query's rows (each a cell of the
        release; presence is part of what the audit assumes known). A DP release
        answers with every cell of its full grid that the question names, so that the
        row set does not depend on which combinations are empty.

        Args:
            result: the query's rows as the store answered them (their shape).
            spec: the query.
            filters: its filters with their codes resolved.
            region: the region asked for, resolved (``None``: none).
            dims: the dataset's dimensions other than period and region.
        """
        from migralink.disclosure.answer import answer_from_cells, cells_of

        if self.policy is not None and self.policy.dp_epsilon is not None:
            out = answer_from_cells(self.cells, spec, filters, region, dims)
            if "level" in result.columns:
                from migralink.codes.hierarchy import code_level

                codes = out["region"].unique().to_list()
                out = out.with_columns(pl.col("region").replace_strict(
                    codes, [code_level(c) for c in codes], return_dtype=pl.String
                ).alias("level"))
                out = out.select("period", "region", "level",
                                 *[c for c in out.columns
                                   if c not in ("period", "region", "level")])
            return out
        return cells_of(result, self.cells, dims)


def sensitivity(gw: Gateway, dataset: str, version: int | None = None) -> str:
    """``public`` or ``protected``, as the catalogue records it (latest version by default).

    The single place the gate reads a dataset's sensitivity.
    """
    from migralink.disclosure.lineage import sensitivity_of

    return sensitivity_of(gw, dataset, version)


def release(
    gw: Gateway,
    dataset: str,
    version: int | None = None,
    *,
    policy: DisclosurePolicy | None = None,
    store: ReleaseStore | None = None,
) -> Release:
    """Every cell of a dataset version that may be published.

    Args:
        gw: the evidence base.
        dataset: the dataset id.
        version: the version; the latest when ``None``.
        policy: the policy of this release (chosen once by the caller); the defaults
            of :class:`DisclosurePolicy` when ``None``.
        store: the release registry; the one beside ``gw``'s file when ``None``.

    Returns:
        The release: cells, reports, lineage roots, budget, metadata.

    Raises:
        DisclosureError: the dataset is protected but cannot be protected (not a count
            table with every margin), its register was released under another policy,
            its privacy-loss budget is spent, or no pattern protects it.
        NotFoundError/StoreError: no such dataset or version.
    """
    from migralink.disclosure.releasing import compute_release

    policy = policy or DisclosurePolicy()
    ref = resolve_version(gw, dataset, version)
    level = sensitivity(gw, dataset, ref.version)
    if level == "public" and not policy.protect_public:
        cells = _read_cells(gw, ref, tuple(m.id for m in ref.measures)).with_columns(
            pl.col("status").alias("obs_status"), pl.lit("F").alias("conf_status"),
        ).drop("status")
        return Release(dataset, ref.version, level, None, cells)
    registry = store or ReleaseStore.beside(gw.path)
    return compute_release(gw, ref, lambda: _read_cells(gw, ref), policy, registry, level)


def publish_query(
    gw: Gateway,
    spec: QuerySpec,
    *,
    policy: DisclosurePolicy | None = None,
    store: ReleaseStore | None = None,
) -> QueryResult:
    """The answer to a query as it may be published: ``status`` and ``conf_status`` set.

    A public dataset's rows pass through (``conf_status`` ``F``). A protected dataset's
    answer is read from its release, never from the stored table: every row is a cell
    of the release, so no combination of queries reveals more than the release.

    Raises:
        DisclosureError: a protected dataset asked on other boundaries (a region split
            by estimates is no cell of the release), or see :func:`release`.
        QueryError, CodeError: a question the dataset cannot answer.
    """
    # the version asked (the latest when none is), for every branch below; an unknown
    # dataset or version is named here, before any refusal speaks of its protection
    level = sensitivity(gw, spec.dataset, resolve_version(gw, spec.dataset, spec.version).version)
    public = level == "public" and not (policy and policy.protect_public)
    if not public:
        refuse_other_boundaries(spec)
    if (policy is not None and policy.dp_epsilon is not None and spec.boundaries is None
            and level == "protected"):
        return grid_answer(gw, spec, release(gw, spec.dataset, spec.version, policy=policy,
                                             store=store))
    result = run_query(gw, spec)  # validates the question and shapes public answers
    if public:
        return replace(result, frame=result.frame.with_columns(conf_status=pl.lit("F")))
    from migralink.disclosure.answer import resolved_question

    done = release(gw, spec.dataset, result.version, policy=policy, store=store)
    filters, region, dims = resolved_question(gw, spec, result.version)
    frame = done.answer(result.frame, spec, filters, region, dims)
    return QueryResult(result.dataset, result.version, frame, result.notes)


def refuse_other_boundaries(spec: QuerySpec) -> None:
    """Refuse a protected dataset asked on other boundaries, before its stored table is
    read: asked first, the table's "nothing matches" (or "not a code") against this
    refusal would tell which cells are empty.

    Raises:
        DisclosureError: ``spec`` has ``boundaries``.
    """
    if spec.boundaries is not None:
        raise DisclosureError(
            title=f"{spec.dataset!r} is protected: it cannot be read on other boundaries",
            hint="re-reading regions splits units by estimates that are not cells of the "
            "protected table; ask without boundaries",
        )


def grid_answer(gw: Gateway, spec: QuerySpec, done: Release) -> QueryResult:
    """The answer of a DP release ``done``, the question checked against its grid only
    (:func:`~migralink.disclosure.answer.grid_question`): never read from the stored
    table, whose rows and codes say which cells are empty. Every path that serves a DP
    release (``publish_query``, the API) answers through here."""
    from migralink.disclosure.answer import grid_question

    filters, region, dims = grid_question(gw, spec, done.version, done.cells)
    by_region = "region" in spec.by or spec.level is not None
    shape = pl.DataFrame(schema={"level": pl.String}) if by_region else pl.DataFrame()
    frame = done.answer(shape, spec, filters, region, dims)
    if frame.is_empty():
        asked = ", ".join(f"{k}={v}" for k, v in (
            ("period", ",".join(spec.periods)), ("region", spec.region)) if v)
        held = sorted(done.cells["period"].unique().to_list())
        raise QueryError(title=f"no cell of the release of {spec.dataset!r} answers "
                         f"{asked or 'the query'}",
                         hint=f"the release holds periods {', '.join(held)} and every "
                         "declared region and code of them")
    return QueryResult(spec.dataset, done.version, frame)


def _read_cells(gw: Gateway, ref: VersionRef, measures: tuple[str, ...] = ("value",)
                ) -> pl.DataFrame:
    """The stored cells; a public dataset's other measures (an indicator's counts) too."""
    from migralink.store.sql import quote_ident

    dims = "".join(f", {quote_ident(d)}" for d in ref.dimensions)
    values = ", ".join(quote_ident(m) for m in measures)
    return gw.polars(
        f"SELECT period, region{dims}, {values}, status::VARCHAR AS status "
        f"FROM {quote_ident(ref.table_name)} ORDER BY ALL"
    )

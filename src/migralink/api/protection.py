"""Disclosure control on every observation the API returns.

Published aggregates (the ministries' own tables) pass through with ``conf_status``
``F``. A dataset derived from a register is *protected*: its whole cube — every cell of
every margin, one table per period — goes once through
:func:`migralink.disclosure.protect` (primary and secondary suppression checked across
all the table's hierarchies), and each query's answer is then read from that one
protected cube, cell by cell. Because a register cube stores every margin, every row a
query returns *is* a cell of the cube, so no combination of queries (a total minus its
visible parts, two overlapping filters) can reveal a suppressed cell: each answer is a
subset of one consistently protected table. What cannot be answered by cells — regions
re-read on other boundaries, which splits units by population weights — is refused
for protected datasets.
"""

from __future__ import annotations

import threading
from typing import Any

import polars as pl

from migralink.api.readers import SnapshotGateway
from migralink.errors import DisclosureError
from migralink.store import QueryResult, QuerySpec
from migralink.store.catalog import VersionRef

__all__ = ["PROTECTED_PREFIXES", "Disclosure", "is_protected", "protect_result"]

#: Dataset ids that name register-derived data whatever their catalogue entry says.
PROTECTED_PREFIXES = ("register_", "bench_")
_FREE = "F"
# SDMX CL_CONF_STATUS "N" (not for publication): a row that is not a cell of the
# protected cube is withheld rather than guessed at; it should not happen.
_WITHHELD = "N"


class Disclosure:
    """The disclosure policy in force, built on first use.

    The disclosure package (linear programming with SciPy) takes seconds to import; a
    server that is never asked for protected data should not pay for it at start-up.

    Args:
        policy_json: the policy as ``DisclosurePolicy.to_json`` writes it, or ``None``
            for the policy's defaults.
    """

    def __init__(self, policy_json: str | None) -> None:
        self.key = policy_json or "default"
        self._json = policy_json
        self._policy: Any = None
        self._lock = threading.Lock()

    @property
    def policy(self) -> Any:
        """The ``DisclosurePolicy``."""
        with self._lock:
            if self._policy is None:
                from migralink.disclosure import DisclosurePolicy

                self._policy = (DisclosurePolicy.from_json(self._json) if self._json
                                else DisclosurePolicy())
            return self._policy


def is_protected(ref: VersionRef) -> bool:
    """Whether a dataset version is served through disclosure control."""
    return ref.totals_stored or ref.dataset_id.startswith(PROTECTED_PREFIXES)


def protect_result(
    gw: SnapshotGateway, ref: VersionRef, spec: QuerySpec, result: QueryResult,
    disclosure: Disclosure,
) -> pl.DataFrame:
    """``result.frame`` with ``value`` and ``status`` as published and ``conf_status``.

    Args:
        gw: the request's connection (the protected cube is kept in its snapshot).
        ref: the dataset version queried.
        spec: the query (a protected dataset refuses ``boundaries``).
        result: what :func:`~migralink.store.run_query` returned.
        disclosure: the policy in force.

    Raises:
        DisclosureError: a protected dataset was asked on other boundaries, or its cube
            cannot be protected (missing margins).
    """
    frame = result.frame
    if not is_protected(ref):
        return frame.with_columns(pl.lit(_FREE).alias("conf_status"))
    if spec.boundaries is not None:
        raise DisclosureError(
            title=f"{ref.dataset_id!r} is protected: it cannot be read on other boundaries",
            hint="re-reading regions splits units by estimates that are not cells of the "
            "protected table; ask without 'boundaries'",
        )
    from migralink.export import cells_of

    cube: pl.DataFrame = gw.snapshot.derived(
        ("protected-cube", ref.dataset_id, ref.version, disclosure.key),
        lambda: protected_cube(gw, ref, disclosure.policy),
    )
    return cells_of(frame, cube, ref, missing=_WITHHELD)


def protected_cube(gw: SnapshotGateway, ref: VersionRef, policy: Any) -> pl.DataFrame:
    """Every cell of a dataset version, protected one period at a time."""
    from migralink.export import protected_cube as protect_stored

    if not ref.totals_stored:
        raise DisclosureError(
            title=f"{ref.dataset_id!r} is register-derived but does not store its margins",
            hint="aggregate it with migralink.store.register.aggregate_register, which "
            "stores every margin, so that it can be protected",
        )
    cube, _ = protect_stored(gw, ref, policy, public=False)
    return cube

"""Disclosure control on every observation the API returns.

Everything goes through the release gate (:mod:`migralink.disclosure.gate`), which
decides from the catalogue whether a dataset is protected. Published aggregates pass
through with ``conf_status`` ``F``. A protected dataset's answers are read, cell by
cell, from its one release (recorded beside the evidence base), so no combination of
queries reveals more than that release; what cannot be answered by cells — regions
re-read on other boundaries — is refused.
"""

from __future__ import annotations

import threading
from typing import Any

import polars as pl

from migralink.api.readers import SnapshotGateway
from migralink.store import QueryResult, QuerySpec
from migralink.store.catalogue_read import VersionRef

__all__ = ["Disclosure", "dp_grid", "is_protected", "protect_result"]

_FREE = "F"


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


def is_protected(gw: SnapshotGateway, dataset: str) -> bool:
    """Whether a dataset is served through disclosure control (the release gate decides)."""
    from migralink.disclosure.gate import sensitivity

    return bool(sensitivity(gw, dataset) == "protected")


def protect_result(
    gw: SnapshotGateway, ref: VersionRef, spec: QuerySpec, result: QueryResult,
    disclosure: Disclosure,
) -> pl.DataFrame:
    """``result.frame`` as the release gate publishes it, with ``conf_status``.

    A protected dataset's answer is read from its release (computed once, recorded in
    the registry beside the evidence base, kept in the snapshot), never from the
    stored table.

    Raises:
        DisclosureError: a protected dataset was asked on other boundaries, or cannot
            be released (see :func:`migralink.disclosure.release`).
    """
    if not is_protected(gw, ref.dataset_id):
        return result.frame.with_columns(pl.lit(_FREE).alias("conf_status"))
    from migralink.disclosure.answer import resolved_question
    from migralink.disclosure.gate import refuse_other_boundaries

    refuse_other_boundaries(spec)  # (the API asks it before the stored table: answer())

    done: Any = release_of(gw, ref, disclosure)
    filters, region, dims = resolved_question(gw, spec, ref.version)
    frame: pl.DataFrame = done.answer(result.frame, spec, filters, region, dims)
    return frame


def release_of(gw: SnapshotGateway, ref: VersionRef, disclosure: Disclosure) -> Any:
    """The gate's release of a dataset version, kept for the life of the snapshot."""
    from migralink.disclosure import release

    return gw.snapshot.derived(
        ("release", ref.dataset_id, ref.version, disclosure.key),
        lambda: release(gw, ref.dataset_id, ref.version, policy=disclosure.policy),
    )


def dp_grid(gw: SnapshotGateway, ref: VersionRef, disclosure: Disclosure | None
            ) -> pl.DataFrame | None:
    """The cells of a DP release, when ``ref`` is protected and served under DP; else None.

    Under DP, what the API says about a protected dataset — its codes, the regions and
    periods it covers — comes from this grid (the declared code lists), never from the
    stored table, whose codes and rows say which combinations are empty.
    """
    if disclosure is None or not is_protected(gw, ref.dataset_id):
        return None
    if disclosure.policy.dp_epsilon is None:
        return None
    cells: pl.DataFrame = release_of(gw, ref, disclosure).cells
    return cells

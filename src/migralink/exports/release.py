"""The one door through which reports and exports read data: the release path.

Every cell a profile prints or an export writes comes from :func:`release`, which is the
release gate of :mod:`migralink.disclosure` (``migralink.disclosure.release``): the gate
reads the dataset's sensitivity and lineage from the catalogue, passes public tables
through (``CONF_STATUS F``) and protects the others with the policy given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from migralink.disclosure import DisclosurePolicy, DisclosureReport
from migralink.store.catalogue_read import VersionRef, resolve_version
from migralink.store.gateway import Gateway

__all__ = ["Released", "measure_columns", "release"]


@dataclass(frozen=True)
class Released:
    """A dataset version as it may be published.

    Attributes:
        ref: the version read.
        frame: ``period, region, <dims>, value, obs_status, conf_status``; a suppressed
            cell has a null ``value`` and ``conf_status`` ``A`` or ``D``.
        public: released as published (a public dataset, not protected).
        policy: the disclosure policy chosen for the release.
        reports: the disclosure report of each period (protected data).
        metadata: what the gate says may be shown beside the cells (no exact counts
            of persons for protected data).
    """

    ref: VersionRef
    frame: pl.DataFrame
    public: bool
    policy: DisclosurePolicy
    reports: tuple[tuple[str, DisclosureReport], ...]
    metadata: dict[str, Any]

    @property
    def suppressed(self) -> int:
        """How many cells are withheld."""
        return self.frame.filter(pl.col("conf_status") != "F").height


def release(
    gw: Gateway,
    dataset: str,
    *,
    policy: DisclosurePolicy | None = None,
    version: int | None = None,
) -> Released:
    """Every cell of ``dataset`` (latest or given version) as the release gate gives it.

    Raises:
        QueryError: unknown dataset or version.
        DisclosureError: a protected table the gate cannot release.
    """
    from migralink.disclosure import release as gate

    policy = policy or DisclosurePolicy()
    ref = resolve_version(gw, dataset, version)
    done = gate(gw, dataset, ref.version, policy=policy)
    # a public dataset's other measures (an indicator's counts) come beside its value
    extra = [m.id for m in ref.measures[1:] if m.id in done.cells.columns]
    columns = ["period", "region", *ref.dimensions, "value", *extra, "obs_status",
               "conf_status"]
    return Released(ref, done.cells.select(columns), not done.protected, policy,
                    tuple(done.reports), done.metadata())


def measure_columns(released: Released) -> list[str]:
    """The measure columns of a release: ``value`` first, then any others."""
    keys = {"period", "region", *released.ref.dimensions, "obs_status", "conf_status"}
    return [c for c in released.frame.columns if c not in keys]

"""The one door through which reports and exports read data: the release path.

Every cell a profile prints or an export writes comes from :func:`release`, which reads
a stored dataset version through disclosure control. It calls the protected-cube path
of :mod:`migralink.export` (the one the API and the CLI's queries use); when the release
gate of :mod:`migralink.disclosure` lands, this function is the only one to switch.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from migralink.disclosure import DisclosurePolicy, DisclosureReport
from migralink.store.catalog import VersionRef, resolve_version
from migralink.store.gateway import Gateway

__all__ = ["Released", "release"]


@dataclass(frozen=True)
class Released:
    """A dataset version as it may be published.

    Attributes:
        ref: the version read.
        frame: ``period, region, <dims>, value, obs_status, conf_status``; a suppressed
            cell has a null ``value`` and ``conf_status`` ``A`` or ``D``.
        public: whether it is a ministry's published aggregate (released as published).
        policy: the disclosure policy applied.
        reports: the disclosure report of each period.
    """

    ref: VersionRef
    frame: pl.DataFrame
    public: bool
    policy: DisclosurePolicy
    reports: tuple[tuple[str, DisclosureReport], ...]

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
    """Every cell of ``dataset`` (latest or given version) as it may be published.

    Raises:
        QueryError: unknown dataset or version.
        DisclosureError: a register-derived table that cannot be protected.
    """
    from migralink.export import protected_cube

    policy = policy or DisclosurePolicy()
    ref = resolve_version(gw, dataset, version)
    public = _is_public(gw, ref)
    frame, reports = protected_cube(gw, ref, policy, public=public)
    return Released(ref, frame, public, policy, tuple(reports))


def _is_public(gw: Gateway, ref: VersionRef) -> bool:
    """A published aggregate, unless it stores its margins (a register's cube)."""
    if ref.dataset_id.startswith(("register_", "bench_")):
        return False
    return not ref.totals_stored

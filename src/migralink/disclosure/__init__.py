"""Disclosure control of everything migralink publishes.

Everything migralink publishes from stored data goes through the release gate,
:func:`release` / :func:`publish_query` (:mod:`migralink.disclosure.gate`, whose
docstring says how a capability publishes a dataset). Underneath: one typed policy
(:class:`DisclosurePolicy`) applied by one function (:func:`protect`)
to a table that holds every margin (:class:`TableSpec`): primary suppression of small
counts, secondary suppression across the table's hierarchies checked by linear
programming (:func:`audit`), rates suppressed with their terms (:func:`suppress_rates`),
optional controlled rounding and an optional differentially private release (OpenDP).
Every published cell carries SDMX ``OBS_STATUS`` and ``CONF_STATUS``. See
``docs/disclosure.md``.
"""

from migralink.disclosure.audit import audit
from migralink.disclosure.gate import WITHHELD, Release, publish_query, release, sensitivity
from migralink.disclosure.policy import DisclosurePolicy
from migralink.disclosure.protect import ProtectedTable, protect
from migralink.disclosure.rates import suppress_rates
from migralink.disclosure.registry import ReleaseStore
from migralink.disclosure.report import DisclosureReport
from migralink.disclosure.spec import TOTAL, Hierarchy, TableSpec, flat, region_hierarchy

__all__ = [
    "TOTAL",
    "WITHHELD",
    "DisclosurePolicy",
    "DisclosureReport",
    "Hierarchy",
    "ProtectedTable",
    "Release",
    "ReleaseStore",
    "TableSpec",
    "audit",
    "flat",
    "protect",
    "publish_query",
    "region_hierarchy",
    "release",
    "sensitivity",
    "suppress_rates",
]

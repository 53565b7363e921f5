"""Disclosure control of everything migralink publishes.

One typed policy (:class:`DisclosurePolicy`) applied by one function (:func:`protect`)
to a table that holds every margin (:class:`TableSpec`): primary suppression of small
counts, secondary suppression across the table's hierarchies checked by linear
programming (:func:`audit`), rates suppressed with their terms (:func:`suppress_rates`),
optional controlled rounding and an optional differentially private release (OpenDP).
Every published cell carries SDMX ``OBS_STATUS`` and ``CONF_STATUS``. See
``docs/disclosure.md``.
"""

from migralink.disclosure.audit import audit
from migralink.disclosure.policy import DisclosurePolicy
from migralink.disclosure.protect import ProtectedTable, protect
from migralink.disclosure.rates import suppress_rates
from migralink.disclosure.report import DisclosureReport
from migralink.disclosure.spec import TOTAL, Hierarchy, TableSpec, flat, region_hierarchy

__all__ = [
    "TOTAL",
    "DisclosurePolicy",
    "DisclosureReport",
    "Hierarchy",
    "ProtectedTable",
    "TableSpec",
    "audit",
    "flat",
    "protect",
    "region_hierarchy",
    "suppress_rates",
]

"""The neutral model every capability describes its data with.

Datasets (:class:`DatasetMeta`) have dimensions with roles (:class:`DimensionMeta`),
measures with a value kind that says whether they may be summed (:class:`Measure`),
SDMX ``OBS_STATUS``/``CONF_STATUS`` codes, a sensitivity (``public`` | ``protected``) and
inputs (``derived_from``: :class:`DatasetRef`). The catalogue
(:mod:`migralink.store.catalogue`) writes and reads them.
"""

from migralink.model.codec import from_dict, from_json, to_json
from migralink.model.kinds import (
    ADDITIVE_KINDS,
    CONF_STATUS,
    OBS_STATUS,
    ROLES,
    SENSITIVITIES,
    VALUE_KINDS,
    DimensionRole,
    Sensitivity,
    ValueKind,
    is_additive,
    strictest,
)
from migralink.model.meta import DEFAULT_MEASURE, DatasetMeta, DatasetRef, DimensionMeta, Measure
from migralink.model.table import Reject, SourceTable

__all__ = [
    "ADDITIVE_KINDS",
    "CONF_STATUS",
    "DEFAULT_MEASURE",
    "OBS_STATUS",
    "ROLES",
    "SENSITIVITIES",
    "VALUE_KINDS",
    "DatasetMeta",
    "DatasetRef",
    "DimensionMeta",
    "DimensionRole",
    "Measure",
    "Reject",
    "Sensitivity",
    "SourceTable",
    "ValueKind",
    "from_dict",
    "from_json",
    "is_additive",
    "strictest",
    "to_json",
]

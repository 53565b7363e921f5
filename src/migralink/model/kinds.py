"""Closed vocabularies of the model: value kinds, sensitivity, roles and status codes."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "ADDITIVE_KINDS",
    "CONF_STATUS",
    "OBS_STATUS",
    "ROLES",
    "SENSITIVITIES",
    "VALUE_KINDS",
    "DimensionRole",
    "Sensitivity",
    "ValueKind",
    "is_additive",
    "strictest",
]

#: What a measure's numbers are. Only counts and money add up across a dimension: a sum
#: of rates, shares, indices or unqualified numbers (percentages) is not a figure.
ValueKind = Literal["count", "rate", "share", "index", "currency", "number"]
VALUE_KINDS: tuple[str, ...] = get_args(ValueKind)
ADDITIVE_KINDS: frozenset[str] = frozenset({"count", "currency"})

#: ``public``: published tables and what is derived only from them. ``protected``: a
#: register's cube and everything derived from one; it is released only through
#: disclosure control.
Sensitivity = Literal["public", "protected"]
SENSITIVITIES: tuple[str, ...] = get_args(Sensitivity)

#: The role of a dimension (SDMX: time dimension, reference area, other dimensions, and
#: the measure dimension: codes that are different quantities, such as applications and
#: grants, never added up over the dimension).
DimensionRole = Literal["time", "area", "category", "measure"]
ROLES: tuple[str, ...] = get_args(DimensionRole)

#: SDMX OBS_STATUS codes used by migralink, with their meaning.
OBS_STATUS: dict[str, str] = {
    "A": "normal value",
    "E": "estimated value",
    "P": "provisional value",
    "M": "missing value (blank in the source)",
    "C": "confidential: suppressed by disclosure control",
}

#: SDMX CONF_STATUS codes (confidentiality of a released cell).
CONF_STATUS: dict[str, str] = {
    "F": "free: may be published",
    "A": "primary confidential: too few units",
    "C": "confidential by secondary suppression",
    "D": "secondary confidentiality set to protect another cell",
    "N": "not for publication, restricted for internal use only",
}


def is_additive(kind: str) -> bool:
    """Whether values of this kind may be summed over a dimension."""
    return kind in ADDITIVE_KINDS


def strictest(*levels: str) -> Sensitivity:
    """The strictest of some sensitivities (``protected`` wins; none given is public)."""
    return "protected" if "protected" in levels else "public"

"""What a table is made of: its dimensions, and each dimension's hierarchy of codes.

A table protected by :func:`migralink.disclosure.protect` is additive along every
dimension: each code's cell is the sum of the cells of its children (with the codes of
the other dimensions held fixed). A :class:`Hierarchy` says which code is whose child:
flat for nationality or sex (every code → ``_T``), several levels for regions
(sigungu → sido → ``"00"``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from migralink.codes.hierarchy import NATIONAL, structural_parent
from migralink.errors import ConfigError

__all__ = ["TOTAL", "Hierarchy", "TableSpec", "flat", "region_hierarchy"]

#: SDMX code of a dimension summed over.
TOTAL = "_T"


@dataclass(frozen=True)
class Hierarchy:
    """The codes of one dimension and their parents.

    Attributes:
        dim: the dimension's column name in the table.
        total: the code of the dimension summed over (``_T``, or ``"00"`` for regions).
        parent: each code other than the total, mapped to its parent (the total at the
            top). A code that is nobody's parent is a leaf: the finest level.
    """

    dim: str
    total: str
    parent: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parent", MappingProxyType(dict(self.parent)))
        if not self.dim or not isinstance(self.dim, str):
            raise ConfigError(title="a hierarchy needs a dimension name",
                              hint="give the column name of the dimension")
        if self.total in self.parent:
            raise ConfigError(title=f"{self.dim}: the total {self.total!r} has a parent",
                              hint="the total is the top of the hierarchy")
        codes = set(self.parent) | {self.total}
        orphans = sorted(p for p in set(self.parent.values()) if p not in codes)
        if orphans:
            raise ConfigError(
                title=f"{self.dim}: parents that are not codes: {', '.join(orphans[:5])}",
                hint="every parent must itself be a code of the hierarchy, or its total",
            )
        for code in self.parent:  # a cycle never reaches the total
            seen = {code}
            up = self.parent[code]
            while up != self.total:
                if up in seen:
                    raise ConfigError(title=f"{self.dim}: the code {code!r} is in a cycle",
                                      hint="each chain of parents must end at the total")
                seen.add(up)
                up = self.parent[up]

    def __hash__(self) -> int:
        return hash((self.dim, self.total, tuple(sorted(self.parent.items()))))

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """The total first, then every other code in sorted order."""
        return (self.total, *sorted(self.parent))

    @cached_property
    def depth(self) -> Mapping[str, int]:
        """Each code's distance from the total (the total is 0)."""
        depth = {self.total: 0}
        for code in self.codes:
            chain = []
            while code not in depth:
                chain.append(code)
                code = self.parent[code]
            for item in reversed(chain):
                depth[item] = depth[self.parent[item]] + 1
        return MappingProxyType(depth)

    @cached_property
    def leaves(self) -> frozenset[str]:
        """Codes that are nobody's parent (the total alone if there is no other code)."""
        parents = set(self.parent.values())
        return frozenset(c for c in self.codes if c not in parents)

    def to_dict(self) -> dict[str, Any]:
        """The hierarchy as plain JSON-ready values."""
        return {"dim": self.dim, "total": self.total, "parent": dict(sorted(self.parent.items()))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Hierarchy:
        """Read what :meth:`to_dict` wrote."""
        return cls(str(data["dim"]), str(data["total"]), dict(data.get("parent", {})))


@dataclass(frozen=True)
class TableSpec:
    """The dimensions of a table, in order, each with its hierarchy.

    Attributes:
        hierarchies: one :class:`Hierarchy` per dimension column of the table.
    """

    hierarchies: tuple[Hierarchy, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "hierarchies", tuple(self.hierarchies))
        if not self.hierarchies:
            raise ConfigError(title="a table needs at least one dimension",
                              hint="give one Hierarchy per dimension column")
        dims = [h.dim for h in self.hierarchies]
        repeated = sorted({d for d in dims if dims.count(d) > 1})
        if repeated:
            raise ConfigError(title=f"dimensions given twice: {', '.join(repeated)}",
                              hint="give each dimension one hierarchy")
        reserved = {"value", "status", "obs_status", "conf_status"}.intersection(dims)
        if reserved:
            raise ConfigError(title=f"a dimension cannot be called {sorted(reserved)[0]!r}",
                              hint="that name is a column of the protected table")

    @property
    def dims(self) -> tuple[str, ...]:
        """The dimension column names, in order."""
        return tuple(h.dim for h in self.hierarchies)

    def to_json(self) -> str:
        """The spec as a JSON list of hierarchies."""
        return json.dumps([h.to_dict() for h in self.hierarchies], sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TableSpec:
        """Read a spec written by :meth:`to_json`.

        Raises:
            ConfigError: not JSON, or not a list of hierarchies.
        """
        try:
            data = json.loads(text)
            return cls(tuple(Hierarchy.from_dict(item) for item in data))
        except (json.JSONDecodeError, TypeError, KeyError, AttributeError) as exc:
            raise ConfigError(title=f"a table spec cannot be read: {exc}",
                              hint="write it as TableSpec.to_json does") from exc


def flat(dim: str, codes: Iterable[str], total: str = TOTAL) -> Hierarchy:
    """A one-level hierarchy: every code is a child of the total.

    The total itself may be among ``codes`` (as in a cube's column): it is skipped.
    """
    return Hierarchy(dim, total, {c: total for c in codes if c != total})


def region_hierarchy(codes: Iterable[str], dim: str = "region") -> Hierarchy:
    """The MOIS region hierarchy of ``codes``: sigungu → sido → ``"00"`` (the nation).

    Parents come from :func:`migralink.codes.hierarchy.structural_parent`; the
    ancestors of a code are added even when they are not in ``codes``.
    """
    parent: dict[str, str] = {}
    for code in codes:
        while code != NATIONAL and code not in parent:
            up = structural_parent(code) or NATIONAL
            parent[code] = up
            code = up
    return Hierarchy(dim, NATIONAL, parent)

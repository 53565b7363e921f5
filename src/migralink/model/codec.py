"""JSON round trip of the model's frozen dataclasses."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, TypeVar

from migralink.model.meta import DatasetMeta, DatasetRef, DimensionMeta, Measure

__all__ = ["from_dict", "from_json", "to_json"]

T = TypeVar("T", DatasetMeta, DimensionMeta, Measure, DatasetRef)


def to_json(obj: DatasetMeta | DimensionMeta | Measure | DatasetRef) -> str:
    """The object as a JSON text (Korean kept as is)."""
    return json.dumps(asdict(obj), ensure_ascii=False, sort_keys=True)


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild an object of ``cls`` from :func:`dataclasses.asdict` output."""
    if cls is DatasetMeta:
        measures = tuple(Measure(**m) for m in data.get("measures") or ())
        return cls(**{**data, "measures": measures})
    return cls(**data)


def from_json(cls: type[T], text: str) -> T:
    """Rebuild an object of ``cls`` from :func:`to_json` output."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"not a JSON object: {text[:80]!r}")
    return from_dict(cls, data)

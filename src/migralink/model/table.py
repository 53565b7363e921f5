"""What a source reader produces: a dataset's metadata, its observations and its rejects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from migralink.errors import Location
from migralink.model.meta import DatasetMeta, DimensionMeta

__all__ = ["Reject", "SourceTable"]


@dataclass(frozen=True)
class Reject:
    """A source row that could not be turned into observations, and why."""

    location: Location
    reason: str
    raw: str = ""


@dataclass
class SourceTable:
    """A source file read into the cube's shape, not yet stored.

    ``frame`` has the columns ``period``, ``region``, one column per dimension in
    ``dimensions`` (all strings), one per measure of ``meta`` (``value`` first; Float64,
    null when missing), ``status`` and ``source_row`` (the 1-based row of the source file
    it came from).
    """

    meta: DatasetMeta
    source_file: Path
    source_sha256: str
    dimensions: tuple[DimensionMeta, ...]
    frame: pl.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    mapping_text: str = ""
    retrieved: str = ""
    notes: list[str] = field(default_factory=list)
    #: a text file that stops without a line break although its publisher's files end
    #: with one: cut off, perhaps inside its last number (see ``[read] final_newline``)
    unterminated: bool = False

    @property
    def dimension_ids(self) -> list[str]:
        """The dimension columns, in order, without period and region."""
        return [d.id for d in self.dimensions]

"""What the catalogue's one write call takes and returns (:mod:`migralink.store.catalogue`).

Kept apart from the write itself so that a capability can build a :class:`NewVersion`
(its description, dimensions, measures, frame, inputs and sensitivity) by reading this
file alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from migralink.model import DatasetMeta, DatasetRef, DimensionMeta, Sensitivity
from migralink.store.gateway import Gateway

__all__ = ["Filler", "NewVersion", "Origin", "SourceRecord", "WrittenVersion"]

#: Where a dataset comes from: a published table, a register's cube, something computed
#: from other datasets, or the bundled sample of published tables.
Origin = Literal["published", "register", "derived", "sample"]
#: Fills a new observation table by SQL (a register's cube); returns the code labels by
#: dimension and the rows (persons) read.
Filler = Callable[[Gateway, str], tuple[Mapping[str, Mapping[str, str]], int | None]]


@dataclass(frozen=True)
class SourceRecord:
    """What a version was made from, as ``ml_source`` keeps it.

    Attributes:
        file_name: the file (or register, or computation) it was read from.
        source_sha256: fingerprint of that input; with ``mapping_sha256`` it makes a
            repeated write a no-op (see :func:`find_source`).
        mapping_sha256: fingerprint of how it was read (mapping, aggregation, engine).
        content_sha256: fingerprint of the observations (see :func:`find_content`).
        rows_read: rows (or persons) read.
        notes: provenance lines.
    """

    file_name: str
    source_sha256: str
    mapping_sha256: str
    content_sha256: str | None = None
    rows_read: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewVersion:
    """A whole dataset version to write.

    Attributes:
        meta: the dataset's description and measures.
        dimensions: its dimensions besides period and region.
        source: what it was made from.
        frame: the observations: ``period``, ``region``, the dimensions, the measures
            (``value`` first), ``status``; optionally ``src`` and ``source_row``.
        fill: instead of ``frame``, a function that inserts the rows into the new
            table by SQL and returns code labels (a register's cube).
        periods: the periods the new rows cover (taken from ``frame`` when empty);
            with ``carry_forward`` the previous version's other periods are kept.
        labels: code labels by dimension.
        derived_from: the dataset versions this one was computed from.
        sensitivity: ``protected`` for a register's cube; a derived dataset gets the
            strictest of this and its inputs'.
        origin: ``published``, ``register``, ``derived`` or ``sample``.
        totals_stored: every margin is stored as rows (a register's cube).
        carry_forward: keep the previous version's periods that this one does not cover.
    """

    meta: DatasetMeta
    dimensions: tuple[DimensionMeta, ...]
    source: SourceRecord
    frame: pl.DataFrame | None = None
    fill: Filler | None = None
    periods: tuple[str, ...] = ()
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    derived_from: tuple[DatasetRef, ...] = ()
    sensitivity: Sensitivity = "public"
    origin: Origin = "published"
    totals_stored: bool = False
    carry_forward: bool = True


@dataclass(frozen=True)
class WrittenVersion:
    """What :func:`write_version` wrote."""

    dataset_id: str
    version: int
    table_name: str
    observations: int
    sensitivity: Sensitivity
    derived_from: tuple[DatasetRef, ...]

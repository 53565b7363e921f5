"""What the gate reads from the catalogue: sensitivity and the register behind a release.

These two small readers are the gate's only contact with the catalogue's records: the
catalogue's own readers (:mod:`migralink.store.catalogue`) when they are available,
otherwise the records the store already keeps.
"""

from __future__ import annotations

import hashlib
from typing import Any

from migralink.errors import MigralinkError
from migralink.store.gateway import Gateway

__all__ = ["root_of", "sensitivity_of"]


def _columns(gw: Gateway, table: str) -> set[str]:
    return {str(r[0]) for r in gw.rows(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])}


def sensitivity_of(gw: Gateway, dataset: str, version: int | None = None) -> str:
    """``protected`` or ``public``, as the catalogue records it for a version.

    The catalogue's reader (:func:`migralink.store.catalogue.sensitivity_of`: a
    register's cube and everything derived from one are protected). An unknown dataset
    is protected: nothing is released by mistake.
    """
    reader: Any = getattr(_catalogue(), "sensitivity_of", None)
    if reader is not None:
        try:
            return str(reader(gw, dataset, version))
        except MigralinkError:
            return "protected"
    columns = _columns(gw, "ml_dataset")
    if "totals_stored" not in columns:
        return "public" if "id" in columns else "protected"
    from migralink.store.catalogue_rows import totals_flags

    stored = totals_flags(gw).get(dataset)
    if stored is None:
        return "protected"
    return "protected" if stored else "public"


def root_of(gw: Gateway, dataset: str, version: int, period: str) -> str:
    """The identity of the persons behind one period of a protected dataset version.

    Every table computed from the same persons has the same root, so that the registry
    protects them jointly: the catalogue names the register datasets behind a version
    (:func:`migralink.store.catalogue.root_registers`), and each register is known by
    the content it was aggregated from (its source's sha256 for that period) — two
    cubes of one register (by sex, by age) have different ids but the same persons.
    """
    reader: Any = getattr(_catalogue(), "root_registers", None)
    registers = sorted(str(r) for r in reader(gw, dataset, version)) if reader else []
    # the dataset's own version, if it is a register itself; another register's latest
    sources = [_source(gw, r, version if r == dataset else None, period)
               for r in registers or [dataset]]
    if not registers:
        sources = [_source(gw, dataset, version, period)]
    return hashlib.sha256(f"{'|'.join(sorted(sources))}|{period}".encode()).hexdigest()


def _source(gw: Gateway, dataset: str, version: int | None, period: str) -> str:
    """The sha256 of the source a dataset's period was last read from (else its id)."""
    from migralink.store.catalogue_rows import source_rows

    rows = [s for s in source_rows(gw, dataset)
            if s["version"] is not None and (version is None or s["version"] <= version)
            and period in (s["periods"] or [])]
    return str(max(rows, key=lambda s: s["version"])["source_sha256"]) if rows else dataset


def _catalogue() -> Any:
    try:
        from migralink.store import catalogue
    except ImportError:  # pragma: no cover - the catalogue ships with the store
        return None
    return catalogue

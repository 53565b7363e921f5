"""What the gate reads from the catalogue: sensitivity and the register behind a release.

These two small readers are the gate's only contact with the catalogue's records; when
the catalogue's own readers (:mod:`migralink.store.catalogue`) are available they are
used, otherwise the records the store already keeps answer the same questions.
"""

from __future__ import annotations

import hashlib
from typing import Any

from migralink.store.gateway import Gateway

__all__ = ["root_of", "sensitivity_of"]


def _columns(gw: Gateway, table: str) -> set[str]:
    return {str(r[0]) for r in gw.rows(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])}


def sensitivity_of(gw: Gateway, dataset: str) -> str:
    """``protected`` or ``public``, as the catalogue records it.

    The catalogue's ``sensitivity`` when it records one; otherwise a dataset whose
    margins were computed from persons (``totals_stored``: a register cube) is
    protected. An unknown dataset is protected: nothing is released by mistake.
    """
    try:
        from migralink.store import catalogue
    except ImportError:
        catalogue = None  # type: ignore[assignment]
    reader: Any = getattr(catalogue, "sensitivity_of", None)
    if reader is not None:
        return str(reader(gw, dataset))
    columns = _columns(gw, "ml_dataset")
    if "sensitivity" in columns:
        found = gw.scalar("SELECT sensitivity FROM ml_dataset WHERE id = ?", [dataset])
        return "public" if found == "public" else "protected"
    if "totals_stored" not in columns:
        return "public" if "id" in columns else "protected"
    row = gw.rows("SELECT totals_stored FROM ml_dataset WHERE id = ?", [dataset])
    if not row:
        return "protected"
    return "protected" if row[0][0] else "public"


def root_of(gw: Gateway, dataset: str, version: int, period: str) -> str:
    """The identity of the persons behind one period of a protected dataset version.

    Every table computed from the same register content has the same root, so that
    the registry protects them jointly: the sha256 of the register source that the
    period was last ingested from (``ml_source``), or the catalogue's root when it
    records lineage.
    """
    try:
        from migralink.store import catalogue
    except ImportError:
        catalogue = None  # type: ignore[assignment]
    reader: Any = getattr(catalogue, "root_registers", None)
    if reader is not None:
        roots = sorted(str(r) for r in reader(gw, dataset, version))
        if roots:
            return hashlib.sha256(f"{'|'.join(roots)}|{period}".encode()).hexdigest()
    rows = gw.rows(
        "SELECT source_sha256 FROM ml_source WHERE dataset_id = ? AND version <= ? "
        "AND list_contains(periods, ?) ORDER BY version DESC LIMIT 1",
        [dataset, version, period],
    )
    source = str(rows[0][0]) if rows else f"{dataset}"
    return hashlib.sha256(f"{source}|{period}".encode()).hexdigest()

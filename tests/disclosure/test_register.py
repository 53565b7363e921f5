"""Disclosure control of a real-shaped cube: the synthetic register of 20,000 persons."""

from __future__ import annotations

from functools import cache

import polars as pl

from migralink.disclosure import DisclosurePolicy, TableSpec, audit, flat, protect
from migralink.disclosure.spec import region_hierarchy
from migralink.store import Gateway
from migralink.store.register import aggregate_register
from migralink.store.sql import obs_table_name
from migralink.store.synthetic import REGISTER_DIMENSIONS, REGISTER_META, synthetic_register
from tests.disclosure.tables import by_cell, relations

PERSONS = 20_000  # enough for a long tail of small cells, small enough for a unit test
SEED = 7


@cache
def _cube(*dims: str) -> tuple[TableSpec, pl.DataFrame]:
    """The register's cube by region and ``dims``, every margin, as the store builds it."""
    with Gateway(":memory:") as gw:
        gw.register("persons", synthetic_register(PERSONS, SEED))
        result = aggregate_register(gw, "persons", [d for d in REGISTER_DIMENSIONS
                                                    if d.id in dims],
                                    REGISTER_META, period="2024")
        table = obs_table_name(REGISTER_META.id, result.version)
        frame = gw.polars(f'SELECT region, {", ".join(dims)}, value FROM "{table}"')
    spec = TableSpec((
        region_hierarchy(frame.get_column("region").unique().to_list()),
        *(flat(d, frame.get_column(d).unique().to_list()) for d in dims),
    ))
    return spec, frame


def test_region_by_sex_is_audited_by_lp() -> None:
    spec, frame = _cube("sex")
    protected = protect(frame, spec, DisclosurePolicy())
    report = protected.report
    assert report.audit == "lp"
    assert report.primary > 0
    assert report.unprotected == 0
    attack = audit(protected, frame, spec)
    assert attack.height == report.suppressed
    assert attack.get_column("ok").all()
    national = protected.frame.filter((pl.col("region") == "00") & (pl.col("sex") == "_T"))
    assert national.get_column("value").to_list() == [PERSONS]


def test_four_dimension_cube_gets_the_heuristic() -> None:
    spec, frame = _cube("nationality", "residence_status", "sex")
    # audit_limit measures the heuristic alone (the release gate always audits)
    protected = protect(frame, spec, DisclosurePolicy(audit_limit=5_000))
    report = protected.report
    assert report.audit == "skipped"
    assert "audit_limit" in report.audit_note
    out = protected.frame
    assert out.height == frame.height
    small = out.filter((pl.col("conf_status") == "F") & pl.col("value").is_between(1, 9))
    assert small.height == 0
    hidden = {c for c, s in by_cell(out, spec, "conf_status").items() if s != "F"}
    cells = set(by_cell(out, spec, "value"))
    lonely = [p for p, kids in relations(spec, cells)
              if sum(m in hidden for m in (p, *kids)) == 1]
    assert lonely == []
    assert report.suppressed == len(hidden)

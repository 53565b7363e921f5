"""The exact behaviour of disclosure control on tiny tables, and its errors."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from scipy.optimize import linprog

from migralink.disclosure import (
    DisclosurePolicy,
    Hierarchy,
    TableSpec,
    audit,
    flat,
    protect,
    region_hierarchy,
    suppress_rates,
)
from migralink.errors import ConfigError, DisclosureError
from tests.disclosure.tables import Cell, by_cell, full_table, hierarchical_tables, relations

SPEC = TableSpec((flat("nat", ["A", "B"]), flat("sex", ["M", "F"])))
#: A-M is sensitive (3); its complements close a rectangle A/B × M/F.
TINY = full_table(SPEC, {("A", "M"): 3, ("A", "F"): 20, ("B", "M"): 15, ("B", "F"): 30})


def _conf(frame: pl.DataFrame, spec: TableSpec = SPEC) -> dict[Cell, object]:
    return by_cell(frame, spec, "conf_status")


def test_rectangle_of_complements() -> None:
    protected = protect(TINY, SPEC, DisclosurePolicy())
    assert _conf(protected.frame) == {
        ("A", "M"): "A", ("A", "F"): "D", ("B", "M"): "D", ("B", "F"): "D",
        ("A", "_T"): "F", ("B", "_T"): "F", ("_T", "M"): "F", ("_T", "F"): "F",
        ("_T", "_T"): "F",
    }
    values = by_cell(protected.frame, SPEC, "value")
    assert values[("A", "_T")] == 23
    assert values[("A", "M")] is None
    statuses = by_cell(protected.frame, SPEC, "obs_status")
    assert statuses[("A", "M")] == "M"
    assert statuses[("A", "_T")] == "A"
    # A-M = t gives A-F = 23 - t, B-M = 18 - t, B-F = 27 + t. The attacker knows
    # A-M is primary (1 <= t <= 9) and the others secondary (>= 10): t ranges over [1, 8].
    attack = audit(protected, TINY, SPEC).sort("nat", "sex")
    # Sorted A-F, A-M, B-F, B-M:
    assert attack.select("lo", "hi").rows() == [(15.0, 22.0), (1.0, 8.0), (28.0, 35.0),
                                                (10.0, 17.0)]
    assert attack.get_column("required").to_list() == [1.0, 1.0, 1.0, 1.0]
    report = protected.report
    assert (report.primary, report.secondary, report.cells, report.audit) == (1, 3, 9, "lp")
    assert "4 suppressed" in report.to_text()
    assert report.to_dict()["suppressed"] == 4


def test_protection_level_forces_wider_intervals() -> None:
    # A protection of 2.5x the value asks for an interval of 7.5 around A-M = 3: the
    # rectangle gives [1, 8] only (7), so the audit must add complements. (Status A
    # tells 1 <= A-M <= 9: no policy can ask for more than 8.)
    policy = DisclosurePolicy(protection=2.5)
    protected = protect(TINY, SPEC, policy)
    attack = audit(protected, TINY, SPEC)
    assert attack.get_column("ok").all()
    cell = attack.filter((pl.col("nat") == "A") & (pl.col("sex") == "M"))
    assert cell.get_column("width")[0] >= 7.5
    assert protected.report.secondary > 3


def test_public_tables_are_released_as_they_are() -> None:
    published = protect(TINY, SPEC, DisclosurePolicy(), public=True)
    assert published.frame.get_column("value").to_list() == TINY.get_column("value").to_list()
    assert set(published.frame.get_column("conf_status")) == {"F"}
    assert not published.report.protected
    assert "released as published" in published.report.to_text()
    asked = protect(TINY, SPEC, DisclosurePolicy(protect_public=True), public=True)
    assert asked.report.primary == 1
    assert asked.report.public


def test_status_and_constant_columns_are_kept() -> None:
    frame = TINY.with_columns(pl.lit("P").alias("status"), pl.lit("2024").alias("period"))
    protected = protect(frame, SPEC, DisclosurePolicy())
    statuses = by_cell(protected.frame, SPEC, "obs_status")
    assert statuses[("_T", "_T")] == "P"
    assert statuses[("A", "M")] == "M"
    assert set(protected.frame.get_column("period")) == {"2024"}
    varying = frame.with_columns(pl.Series("period", ["2023", "2024"] * 4 + ["2024"]))
    with pytest.raises(DisclosureError, match="period"):
        protect(varying, SPEC, DisclosurePolicy())


def test_rates_follow_their_terms() -> None:
    numerator = protect(TINY, SPEC, DisclosurePolicy())
    denominator = protect(TINY.with_columns(pl.col("value") * 10), SPEC, DisclosurePolicy())
    rates = TINY.select("nat", "sex", pl.lit(0.1).alias("value"))
    out = suppress_rates(rates, numerator, denominator, ["nat", "sex"])
    conf = _conf(out)
    assert conf[("A", "M")] == "A"  # the numerator is a small count
    assert conf[("B", "F")] == "D"  # a complement
    assert conf[("_T", "_T")] == "F"
    values = by_cell(out, SPEC, "value")
    assert values[("A", "M")] is None
    assert values[("_T", "_T")] == 0.1
    with pytest.raises(DisclosureError, match="several cells"):
        suppress_rates(rates, numerator, denominator, ["nat"])


def test_dp_release_through_opendp() -> None:
    protected = protect(TINY, SPEC, DisclosurePolicy(threshold=1, dp_epsilon=2.0))
    noisy = {k: int(v) for k, v in by_cell(protected.frame, SPEC, "value").items()}  # type: ignore[call-overload]
    assert min(noisy.values()) >= 0
    for parent, children in relations(SPEC, set(noisy)):
        assert noisy[parent] == sum(noisy[c] for c in children)
    report = protected.report
    assert report.dp_mechanism is not None
    assert "OpenDP" in report.dp_mechanism
    assert report.dp_epsilon == pytest.approx(2.0)
    assert "epsilon 2 spent" in report.to_text()


def test_region_hierarchy_has_every_level() -> None:
    h = region_hierarchy(["11110", "26110"])
    assert h.parent["11110"] == "11"
    assert h.parent["11"] == "00"
    assert h.depth["26110"] == 2
    assert h.leaves == frozenset({"11110", "26110"})


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (TINY.filter(pl.col("nat") != "_T"), "no margin"),
        (TINY.with_columns(pl.when(pl.col("nat") == "_T").then(0).otherwise(pl.col("value"))
                           .alias("value")), "not the sum"),
        (TINY.with_columns(pl.col("nat").replace("B", "C")), "not in its hierarchy"),
        (pl.concat([TINY, TINY.head(1)]), "more than once"),
        (TINY.with_columns(pl.col("value") - 100), "not counts"),
        (TINY.drop("sex"), "no column sex"),
    ],
)
def test_bad_tables(frame: pl.DataFrame, message: str) -> None:
    with pytest.raises(DisclosureError, match=message):
        protect(frame, SPEC, DisclosurePolicy())


@pytest.mark.parametrize(
    "fields",
    [{"threshold": 0}, {"threshold": True}, {"protection": -1.0}, {"rounding_base": 1},
     {"dp_epsilon": 0.0}, {"dp_epsilon": float("inf")}, {"audit_limit": -1},
     {"suppress_zeros": 1}],
)
def test_bad_policies(fields: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        DisclosurePolicy(**fields)  # type: ignore[arg-type]


def test_policy_json_errors() -> None:
    with pytest.raises(ConfigError, match="unknown"):
        DisclosurePolicy.from_json('{"treshold": 5}')
    with pytest.raises(ConfigError, match="JSON object"):
        DisclosurePolicy.from_json("[1]")
    assert DisclosurePolicy.from_json("{}") == DisclosurePolicy()


def test_bad_hierarchies() -> None:
    with pytest.raises(ConfigError, match="cycle"):
        Hierarchy("x", "T", {"a": "b", "b": "a"})
    with pytest.raises(ConfigError, match="not codes"):
        Hierarchy("x", "T", {"a": "z"})
    with pytest.raises(ConfigError, match="twice"):
        TableSpec((flat("x", ["a"]), flat("x", ["b"])))


def _attacker(spec: TableSpec, frame: pl.DataFrame, cell: Cell) -> tuple[float, float]:
    """Min and max of ``cell`` from the published cells, as a dense LP built here."""
    values = by_cell(frame, spec, "value")
    cells = sorted(values)
    hidden = [c for c in cells if values[c] is None]
    index = {c: i for i, c in enumerate(hidden)}
    rows, rhs = [], []
    for parent, children in relations(spec, set(cells)):
        row, known = np.zeros(len(hidden)), 0.0
        for member, sign in [(parent, -1.0), *((c, 1.0) for c in children)]:
            if member in index:
                row[index[member]] += sign
            else:
                known += sign * float(values[member])  # type: ignore[arg-type]
        if row.any():
            rows.append(row)
            rhs.append(-known)
    # what the attacker knows of each suppressed cell: A is 1..9, D is >= 10
    status = by_cell(frame, spec, "conf_status")
    box = [(1, 9) if status[c] == "A" else (10, None) for c in hidden]
    bounds = []
    for sense in (1.0, -1.0):
        objective = np.zeros(len(hidden))
        objective[index[cell]] = sense
        result = linprog(objective, A_eq=np.array(rows), b_eq=np.array(rhs),
                         bounds=box, method="highs")
        bounds.append(np.inf if result.status == 3 else sense * result.fun)
    return bounds[0], bounds[1]


@settings(max_examples=12, deadline=None)
@given(hierarchical_tables(max_dims=2))
def test_audit_matches_a_dense_lp(table: tuple[TableSpec, pl.DataFrame]) -> None:
    spec, original = table
    protected = protect(original, spec, DisclosurePolicy())
    attack = audit(protected, original, spec)
    for row in attack.iter_rows(named=True):
        cell = tuple(row[d] for d in spec.dims)
        lo, hi = _attacker(spec, protected.frame, cell)
        assert row["lo"] == pytest.approx(lo, abs=1e-6)
        assert row["hi"] == pytest.approx(hi, abs=1e-6)


def test_suppressed_zeros_are_protected() -> None:
    finest: dict[Cell, int] = dict.fromkeys(itertools.product(["A", "B", "C"], ["M", "F"]), 12)
    finest[("A", "M")] = 0
    table = full_table(SPEC_3 := TableSpec((flat("nat", ["A", "B", "C"]),
                                            flat("sex", ["M", "F"]))), finest)
    protected = protect(table, SPEC_3, DisclosurePolicy(suppress_zeros=True))
    assert _conf(protected.frame, SPEC_3)[("A", "M")] == "A"
    assert audit(protected, table, SPEC_3).get_column("ok").all()


def test_missing_rows_under_a_suppressed_zero_are_reported() -> None:
    # A has no row under its margin: everyone reads A-M = A-F = 0, hence A = 0.
    finest: dict[Cell, int] = {("B", "M"): 20, ("B", "F"): 30}
    table = pl.concat([full_table(SPEC, finest),
                       pl.DataFrame({"nat": ["A"], "sex": ["_T"], "value": [0]})])
    policy = DisclosurePolicy(suppress_zeros=True)
    heuristic = protect(table, SPEC, replace(policy, audit_limit=0)).report
    assert heuristic.unprotected == 1
    assert "alone" in heuristic.audit_note
    audited = protect(table, SPEC, policy)
    assert audited.report.unprotected == 1
    assert "WARNING" in audited.report.to_text()
    attack = audit(audited, table, SPEC).filter(~pl.col("ok"))
    assert attack.select("nat", "sex", "lo", "hi").rows() == [("A", "_T", 0.0, 0.0)]

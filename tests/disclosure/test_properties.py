"""Property tests of the disclosure invariants on random hierarchical tables."""

from __future__ import annotations

from random import Random

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migralink.disclosure import DisclosurePolicy, TableSpec, audit, protect
from tests.disclosure.tables import Cell, by_cell, hierarchical_tables, relations

# Each example solves a few dozen small LPs: a few hundred ms. These budgets keep the
# whole module under ~20 s on two cores while covering 2- and 3-dimension tables.
_LP = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Rounding to a coarse base zeroes many cells, and the audit may need several rounds.
_SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

policies = st.builds(
    DisclosurePolicy,
    threshold=st.integers(2, 12),
    protection=st.sampled_from([0.0, 0.1, 0.25, 0.5]),
    min_interval=st.sampled_from([0.0, 1.0, 2.0]),
)
Table = tuple[TableSpec, pl.DataFrame]


def _values(frame: pl.DataFrame, spec: TableSpec) -> dict[Cell, int]:
    return {k: int(v) for k, v in by_cell(frame, spec, "value").items()}  # type: ignore[call-overload]


@_LP
@given(hierarchical_tables(), policies)
def test_suppression_protects_every_cell(table: Table, policy: DisclosurePolicy) -> None:
    spec, original = table
    protected = protect(original, spec, policy)
    truth = _values(original, spec)
    out = protected.frame
    assert out.height == original.height
    assert set(out.get_column("conf_status")) <= {"F", "A", "D"}
    rows = {tuple(r[:-2]): (r[-2], r[-1]) for r in
            out.select(*spec.dims, "value", "conf_status").iter_rows()}
    for cell, (value, conf) in rows.items():
        true = truth[cell]
        sensitive = 0 < true < policy.threshold
        assert (conf == "A") == sensitive
        if conf == "F":
            assert value == true  # published cells are exact, and never small
            assert not 0 < value < policy.threshold
        else:
            assert value is None
    attack = audit(protected, original, spec)
    assert attack.height == protected.report.suppressed
    # the attacker knows present rows are >= 1, A cells <= T - 1 and D cells >= T: a
    # cell that knowledge pins down (a total of 2 with two present parts) is reported
    # unprotected, and the release gate refuses such a table; every other cell holds
    failed = attack.filter(~pl.col("ok")).height
    assert failed <= protected.report.unprotected, attack.filter(~pl.col("ok"))
    assert protected.report.audit in ("lp", "none")


@_FAST
@given(hierarchical_tables(), st.integers(2, 12))
def test_heuristic_leaves_no_relation_with_one_suppressed_cell(table: Table, threshold: int
                                                               ) -> None:
    spec, original = table
    policy = DisclosurePolicy(threshold=threshold, audit_limit=0)  # the heuristic alone
    protected = protect(original, spec, policy)
    hidden = {cell for cell, conf in by_cell(protected.frame, spec, "conf_status").items()
              if conf != "F"}
    cells = set(_values(original, spec))
    for parent, children in relations(spec, cells):
        members = [parent, *children]
        assert sum(m in hidden for m in members) != 1, (parent, children)
    assert protected.report.audit in ("skipped", "none")


@_FAST
@given(hierarchical_tables(), st.sampled_from([2, 3, 5, 10]))
def test_rounded_totals_add_up(table: Table, base: int) -> None:
    spec, original = table
    protected = protect(original, spec, DisclosurePolicy(threshold=1, rounding_base=base))
    rounded = _values(protected.frame, spec)
    truth = _values(original, spec)
    assert all(v % base == 0 for v in rounded.values())
    for parent, children in relations(spec, set(rounded)):
        assert rounded[parent] == sum(rounded[c] for c in children)
    for cell, value in rounded.items():
        if all(h.total != c and c in h.leaves for h, c in zip(spec.hierarchies, cell,
                                                               strict=True)):
            assert abs(value - truth[cell]) < base  # a finest cell moves to a neighbour
    grand = tuple(h.total for h in spec.hierarchies)
    assert abs(rounded[grand] - truth[grand]) <= base // 2  # the carry keeps the total
    assert set(protected.frame.get_column("obs_status")) == {"E"}


@_SLOW
@given(hierarchical_tables(), st.sampled_from([3, 5]))
def test_rounding_with_suppression(table: Table, base: int) -> None:
    spec, original = table
    protected = protect(original, spec, DisclosurePolicy(rounding_base=base))
    published = protected.frame.filter(pl.col("conf_status") == "F")
    assert (published.get_column("value") % base == 0).all()
    truth = _values(original, spec)
    for cell in _values(published, spec):
        assert not 0 < truth[cell] < 10
    assert audit(protected, original, spec).get_column("ok").all()


@_FAST
@given(hierarchical_tables(), st.sampled_from([0.1, 0.5, 1.0, 4.0]), st.integers(0, 2**31))
def test_dp_counts_are_non_negative_and_additive(table: Table, epsilon: float, seed: int
                                                 ) -> None:
    spec, original = table
    policy = DisclosurePolicy(threshold=1, dp_epsilon=epsilon, dp_seed=seed)
    protected = protect(original, spec, policy)
    noisy = _values(protected.frame, spec)
    assert min(noisy.values()) >= 0
    assert set(noisy) >= set(_values(original, spec))
    for parent, children in relations(spec, set(noisy)):
        assert noisy[parent] == sum(noisy[c] for c in children)
    again = protect(original, spec, policy)
    assert again.frame.equals(protected.frame)
    report = protected.report
    assert report.dp_epsilon is not None
    assert abs(report.dp_epsilon - epsilon) < 1e-9
    assert report.dp_scale == 1 / epsilon


@_LP
@given(hierarchical_tables(), st.sampled_from([None, 3]), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(table: Table, base: int | None, random: Random) -> None:
    spec, original = table
    policy = DisclosurePolicy(rounding_base=base)
    shuffled = original.sample(fraction=1.0, shuffle=True, seed=random.randrange(2**31))
    first = protect(original, spec, policy).frame.sort(*spec.dims)
    second = protect(shuffled, spec, policy).frame.sort(*spec.dims)
    assert first.equals(second)


@_FAST
@given(policies, st.sampled_from([None, 2, 5]), st.sampled_from([None, 0.5]))
def test_policy_json_round_trip(policy: DisclosurePolicy, base: int | None,
                                epsilon: float | None) -> None:
    from dataclasses import replace

    full = replace(policy, rounding_base=base, dp_epsilon=epsilon)
    assert DisclosurePolicy.from_json(full.to_json()) == full


@_FAST
@given(hierarchical_tables())
def test_spec_json_round_trip(table: Table) -> None:
    spec, _ = table
    assert TableSpec.from_json(spec.to_json()) == spec

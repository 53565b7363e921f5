"""The LP system of the audit: one relation per margin gives the same LP as them all.

``widths._System`` keeps, of the relations of each margin cell, only the first (the
others follow from it and from the relations of the margins below). On random
hierarchical tables, the interval of every suppressed cell over that system must be
the interval of a dense LP over every relation, written here from the codes
(:func:`tests.disclosure.test_soundness._lp_intervals`).
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migralink.disclosure import DisclosurePolicy, protect
from migralink.disclosure.cube import encode
from migralink.disclosure.knowledge import cell_bounds
from migralink.disclosure.widths import _System
from tests.disclosure.tables import by_cell, exact_interval, hierarchical_tables
from tests.disclosure.test_soundness import Table, _lp_intervals
from tests.disclosure.test_sparse_audit import heuristic


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchical_tables(), st.integers(3, 40), st.booleans())
def test_one_relation_per_margin_keeps_every_interval(table: Table, threshold: int,
                                                      distinguish: bool) -> None:
    spec, original = table
    policy = DisclosurePolicy(threshold=threshold, distinguish_statuses=distinguish,
                              audit_limit=0)
    released = protect(original, spec, policy).frame
    cube = encode(original, spec)
    conf = by_cell(released, spec, "conf_status")
    labels = list(zip(*(s.to_list() for s in cube.labels().values()), strict=True))
    pattern = np.array([conf[c] != "F" for c in labels], np.bool_)
    primary = np.array([conf[c] == "A" for c in labels], np.bool_)
    rows = np.flatnonzero(pattern)
    if not len(rows):
        return
    lo, hi = cell_bounds(policy, primary, pattern, cube.values)
    system = _System.build(cube, pattern, cube.values, lo, hi, rows, np.ones(len(rows)))
    box = [(float(a), None if np.isinf(b) else float(b)) for a, b in zip(lo[rows], hi[rows],
                                                                           strict=True)]
    dense = _lp_intervals(spec, released, policy.threshold, policy.distinguish_statuses)
    for j, row in enumerate(rows):
        ends = exact_interval(system.a, system.b, box, j)
        want = dense[labels[row]]
        assert abs(ends[0] - want[0]) < 1e-6, (labels[row], ends, want)
        assert ends[1] == want[1] or abs(ends[1] - want[1]) < 1e-6, (labels[row], ends, want)


def test_a_real_table_loses_its_dependent_relations() -> None:
    """In the sparse 3,000-person cube some margins have relations along two or three
    dimensions: the system keeps one of each, and no row without a suppressed cell."""
    cube, work, policy, primary, pattern = heuristic()
    rows = np.flatnonzero(pattern)
    lo, hi = cell_bounds(policy, primary, pattern, work)
    system = _System.build(cube, pattern, work, lo, hi, rows, np.ones(len(rows)))
    rel, members, is_parent, _ = cube.relations
    touched = np.unique(rel[pattern[members]])
    parents = np.unique(members[is_parent & np.isin(rel, touched)])
    assert system.a.shape[0] == len(parents) < len(touched)
    assert (np.diff(system.a.indptr) > 0).all()

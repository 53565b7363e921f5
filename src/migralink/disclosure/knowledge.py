"""The attacker's true knowledge, and the audit that holds against it.

What anyone knows of a released table:

* every published cell's value, and that the table adds up along every dimension;
* a row that is returned is a cell that exists: its count is at least 1 (empty
  combinations have no row), unless zeros are rows too (``suppress_zeros``);
* a cell with ``conf_status`` ``A`` (primary) holds a count below the threshold,
  ``≤ T − 1``; one with ``D`` (secondary) was published-able, hence ``≥ T``;
* counts are whole numbers.

:func:`audit_pattern` checks a suppression pattern against that knowledge, for every
table however large: first integer bound propagation over every relation (cheap,
vectorised, and sound: a cell it pins down is pinned down), then linear programs
(HiGHS) only to show that the cells propagation leaves wide really are wide — a few
LPs with mixed objectives per connected group of suppressed cells move most cells at
once, and a cell is settled as soon as two feasible tables differ enough in it. Cells
that fail get a complement next to them and the audit runs again; a cell that cannot be
protected makes the release fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from migralink.disclosure.cube import BoolArray, Cube, IntArray
from migralink.disclosure.policy import DisclosurePolicy
from migralink.disclosure.secondary import candidates_near, complement
from migralink.disclosure.widths import shown_wide
from migralink.errors import DisclosureError

__all__ = ["AuditResult", "audit_pattern", "cell_bounds", "knowledge_bounds", "propagate"]

FloatArray = npt.NDArray[np.float64]
_ITERATIONS = 200  # propagation rounds at most; bounds stay sound if it stops early
_ONE_BY_ONE = 50  # failing cells above this get their complements all at once
# A cell left unproven this many times gets a complement in every relation at once:
# one per round, each new complement waiting for its own proof, took ~90 rounds of a
# 100k table for the last few dozen cells. At the first failure (not the second): a
# cell the first round's LPs could not move rarely moves with one complement, and every
# round of a 100k table costs a full pass of block LPs (~35 s); 15 rounds, 165-203 s ->
# 9-10 rounds, 94-104 s, information loss 6.98 % -> 7.02-7.16 % (bench/disclosure.py --merged).
_STUBBORN = 1
_EPS = 1e-6


def cell_bounds(policy: DisclosurePolicy, primary: BoolArray, pattern: BoolArray,
                work: IntArray) -> tuple[FloatArray, FloatArray]:
    """What anyone knows of each cell: ``[value, value]`` if published, else by status."""
    lo = work.astype(np.float64)
    hi = work.astype(np.float64)
    secondary = pattern & ~primary
    t = policy.threshold
    if policy.rounding_base is not None:
        # A rounded margin is a sum of rounded cells: it may stray from its count by
        # more than one base, so a status bounds a rounded cell only by >= 0.
        lo[pattern], hi[pattern] = 0.0, np.inf
    elif not policy.distinguish_statuses:  # one status: only "at least one"
        lo[pattern], hi[pattern] = (0.0 if policy.suppress_zeros else 1.0), np.inf
    else:
        lo[primary], hi[primary] = (0.0 if policy.suppress_zeros else 1.0), float(t - 1)
        lo[secondary], hi[secondary] = float(t), np.inf
    return lo, hi


def knowledge_bounds(policy: DisclosurePolicy) -> list[pl.Expr]:
    """``lo``/``hi`` columns of a released frame, as :func:`cell_bounds` gives them."""
    t = float(policy.threshold)
    if policy.dp_epsilon is not None:
        return [pl.col("value").cast(pl.Float64).alias("lo"),
                pl.col("value").cast(pl.Float64).alias("hi")]
    floor = 0.0 if policy.suppress_zeros else 1.0
    primary, secondary = pl.col("conf_status") == "A", pl.col("conf_status") == "D"
    if not policy.distinguish_statuses:
        hidden = pl.col("conf_status") != "F"
        return [pl.when(hidden).then(floor).otherwise(pl.col("value").cast(pl.Float64))
                .alias("lo"),
                pl.when(hidden).then(float("inf")).otherwise(pl.col("value").cast(pl.Float64))
                .alias("hi")]
    return [
        pl.when(primary).then(floor).when(secondary).then(t)
        .otherwise(pl.col("value").cast(pl.Float64)).alias("lo"),
        pl.when(primary).then(t - 1).when(secondary).then(float("inf"))
        .otherwise(pl.col("value").cast(pl.Float64)).alias("hi"),
    ]


def propagate(cube: Cube, lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Integer bound propagation over every relation, until nothing changes.

    Each relation says ``parent = Σ children``: every cell is then bounded by the
    bounds of the others in the relation, rounded inwards to whole numbers. The
    result contains every table consistent with the bounds and the relations.

    Raises:
        DisclosureError: the bounds contradict the relations.
    """
    rel, rows, is_parent, n = cube.relations
    sign = np.where(is_parent, -1.0, 1.0)
    lo, hi = lo.copy(), hi.copy()
    free = np.flatnonzero(lo < hi)
    active = np.isin(rel, np.unique(rel[np.isin(rows, free)]))
    rel, rows, sign = rel[active], rows[active], sign[active]
    for _ in range(_ITERATIONS):
        t_lo = np.where(sign > 0, lo[rows], -hi[rows])
        t_hi = np.where(sign > 0, hi[rows], -lo[rows])
        lo_inf, hi_inf = np.isinf(t_lo), np.isinf(t_hi)
        s_lo = np.bincount(rel, np.where(lo_inf, 0.0, t_lo), n)
        s_hi = np.bincount(rel, np.where(hi_inf, 0.0, t_hi), n)
        n_lo = np.bincount(rel, lo_inf, n)
        n_hi = np.bincount(rel, hi_inf, n)
        # the sum of the others' terms, without this member's own
        o_lo = np.where(n_lo[rel] - lo_inf > 0, -np.inf, s_lo[rel] - np.where(lo_inf, 0, t_lo))
        o_hi = np.where(n_hi[rel] - hi_inf > 0, np.inf, s_hi[rel] - np.where(hi_inf, 0, t_hi))
        # s·x = −(others): x ∈ [−o_hi, −o_lo] for a child, [o_lo, o_hi] for a parent
        new_lo = np.where(sign > 0, -o_hi, o_lo)
        new_hi = np.where(sign > 0, -o_lo, o_hi)
        best_lo = np.full(len(lo), -np.inf)
        best_hi = np.full(len(hi), np.inf)
        np.maximum.at(best_lo, rows, np.ceil(new_lo - _EPS))
        np.minimum.at(best_hi, rows, np.floor(new_hi + _EPS))
        up = best_lo > lo + _EPS
        down = best_hi < hi - _EPS
        if not (up.any() or down.any()):
            break
        lo = np.maximum(lo, best_lo)
        hi = np.minimum(hi, best_hi)
        if (lo > hi + _EPS).any():
            raise DisclosureError(title="the published cells and statuses admit no table",
                                  hint="this is a bug in disclosure control: please report it")
    return lo, hi


@dataclass(frozen=True)
class AuditResult:
    """The outcome of :func:`audit_pattern`."""

    pattern: BoolArray
    unprotected: int
    rounds: int
    lps: int
    note: str
    narrow: tuple[int, ...] = ()


def audit_pattern(
    cube: Cube, pattern: BoolArray, primary: BoolArray, work: IntArray,
    policy: DisclosurePolicy, need: Callable[[IntArray], FloatArray],
    allowed: BoolArray | None = None, extra: tuple[FloatArray, FloatArray] | None = None,
) -> AuditResult:
    """Add complements until no suppressed cell is pinned below its required width.

    Args:
        cube: the table.
        pattern: suppressed so far (primary and heuristic complements).
        primary: the primary cells.
        work: the values the attacker's relations hold (published) and the true ones.
        policy: gives the bounds a status implies.
        need: the width each suppressed row requires.
        allowed: cells that may become complements (default: every cell).
        extra: further bounds known from other releases (``lo``, ``hi`` per cell).
    """
    allowed = np.ones(len(pattern), np.bool_) if allowed is None else allowed
    pattern = pattern.copy()
    rounds = lps = shown = 0
    hopeless: set[int] = set()
    proven = np.zeros(len(pattern), np.bool_)  # shown wide in an earlier round
    failed = np.zeros(len(pattern), np.int64)  # rounds each cell was left unproven
    while True:
        rounds += 1
        pattern, _ = complement(cube, pattern, work, allowed)
        lo, hi = cell_bounds(policy, primary, pattern, work)
        if extra is not None:
            lo, hi = np.maximum(lo, extra[0]), np.minimum(hi, extra[1])
        lo, hi = propagate(cube, lo, hi)
        rows = np.flatnonzero(pattern)
        required = need(rows)
        stuck = np.isin(rows, np.array(sorted(hopeless), np.int64))
        narrow = (hi[rows] - lo[rows]) < required - _EPS
        if not (narrow & ~stuck).any():
            wide, used, cycled = shown_wide(cube, pattern, work, lo, hi, rows, required,
                                            proven[rows])
            proven[rows[wide]] = True
            lps += used
            shown += cycled
            narrow = ~wide
            failed[rows[narrow]] += 1
        failing = rows[narrow & ~stuck]
        if not len(failing):
            left = int(narrow.sum())
            note = (f"{rounds} round{'s' if rounds > 1 else ''} of bound propagation, "
                    f"{lps} LPs, {shown} cells shown wide by integer cycles; "
                    f"{int((pattern & ~primary).sum())} complements")
            if left:
                note += f"; {left} suppressed cells cannot be protected"
            return AuditResult(pattern, left, rounds, lps, note,
                               tuple(int(r) for r in rows[narrow]))
        added = 0
        # many at once, or any left unproven by the LPs: one vectorised choice (a cell
        # the LPs could not move gets a complement in every relation; one by one, a
        # single such cell took a round of block LPs per complement: 50 rounds of 4 s)
        if len(failing) > _ONE_BY_ONE or (failed[failing] >= _STUBBORN).any():
            chosen, alone = _pick_many(cube, pattern, work, failing, need(failing), allowed,
                                       failed >= _STUBBORN)
            added = int((~pattern[chosen]).sum())
            pattern[chosen] = True
            hopeless.update(int(r) for r in alone)
            failing = failing[:0]
        for r in failing[np.argsort(cube.keys[failing], kind="stable")]:
            choice = _pick(cube, pattern, work, int(r), float(need(np.array([r]))[0]),
                           allowed)
            if choice < 0:
                hopeless.add(int(r))
                continue
            if not pattern[choice]:
                pattern[choice] = True
                added += 1
        if not added:
            left = int(narrow.sum())
            note = f"{left} suppressed cells cannot be protected"
            return AuditResult(pattern, left, rounds, lps, note,
                               tuple(int(r) for r in rows[narrow]))


def _pick(cube: Cube, pattern: BoolArray, work: IntArray, row: int, need: float,
          allowed: BoolArray) -> int:
    near = candidates_near(cube, pattern, row)
    near = near[allowed[near]]
    if not len(near):  # look one step further: next to the suppressed cells beside it
        rel, members, _, _ = cube.relations
        beside = np.unique(members[np.isin(rel, rel[members == row])])
        beside = beside[pattern[beside] & (beside != row)]
        if len(beside):
            near = np.unique(np.concatenate([candidates_near(cube, pattern, int(r))
                                             for r in beside]))
            near = near[allowed[near]]
    if not len(near):
        return -1
    value = work[near]
    climbs = _levels(cube)[near] > _levels(cube)[row]
    order = np.lexsort((cube.keys[near], value, value < need, climbs, cube.grand_total[near],
                        value <= 0))
    return int(near[order[0]])


def _levels(cube: Cube) -> IntArray:
    """How many dimensions of each cell are at a margin (0 for a finest cell)."""
    out = np.zeros(len(cube.values), np.int64)
    for d, parents in enumerate(cube.parent_codes):
        margin = np.zeros(len(parents), np.bool_)
        margin[parents[parents >= 0]] = True
        out += margin[cube.codes[:, d]]
    return out


def _pick_many(cube: Cube, pattern: BoolArray, work: IntArray, failing: IntArray,
               need: FloatArray, allowed: BoolArray, stubborn: BoolArray | None = None
               ) -> tuple[IntArray, IntArray]:
    """:func:`_pick` for many cells at once: the cells chosen, and the failing cells
    with no candidate even one step further (they cannot be protected). A ``stubborn``
    cell gets a complement in each of its relations, not one in all."""
    want = np.zeros(len(pattern))
    want[failing] = need
    who, near, via = _members(cube, failing)
    ok = ~pattern[near] & allowed[near]
    owners = failing[who[ok]]
    apart = np.zeros(len(owners), np.int64)
    if stubborn is not None:
        apart = np.where(stubborn[owners], via[ok] + 1, 0)
    chosen = _best(cube, work, want, owners, near[ok], apart)
    alone = np.setdiff1d(failing, failing[who[ok]])
    if len(alone):  # one step further: next to the suppressed cells beside it
        who, beside, _ = _members(cube, alone)
        keep = pattern[beside] & (beside != alone[who])
        who, beside = who[keep], beside[keep]
        order = np.lexsort((cube.keys[beside], who))
        who, beside = who[order], beside[order]
        rank = np.arange(len(who)) - np.searchsorted(who, who)
        who, beside = who[rank < _BESIDE], beside[rank < _BESIDE]
        unique, back = np.unique(beside, return_inverse=True)
        via, near, _ = _members(cube, unique)
        ok = ~pattern[near] & allowed[near]
        # pairs (beside cell, candidate) → (alone cell, candidate)
        order = np.argsort(back, kind="stable")
        first = np.searchsorted(back[order], np.arange(len(unique) + 1))
        counts = (first[1:] - first[:-1])[via[ok]]
        owners = alone[who[order][np.repeat(first[:-1][via[ok]], counts)
                                  + _ranges(counts)]]
        far = np.repeat(near[ok], counts)
        chosen = np.concatenate([chosen, _best(cube, work, want, owners, far,
                                               np.zeros(len(owners), np.int64))])
        alone = np.setdiff1d(alone, owners)
    return np.unique(chosen), alone


_BESIDE = 8  # suppressed neighbours looked past per failing cell


def _ranges(counts: IntArray) -> IntArray:
    """``0 … c - 1`` for each count ``c``, concatenated."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _members(cube: Cube, cells: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Every member of every relation of each of ``cells`` (unique): (index, member,
    relation)."""
    rel, members, _, n = cube.relations
    order = np.argsort(rel, kind="stable")
    start = np.searchsorted(rel[order], np.arange(n + 1))
    position = np.full(len(cube.values), -1, np.int64)
    position[cells] = np.arange(len(cells))
    mine = position[members] >= 0
    owner, owned = position[members[mine]], rel[mine]
    counts = start[owned + 1] - start[owned]
    near = members[order][np.repeat(start[owned], counts) + _ranges(counts)]
    return np.repeat(owner, counts), near, np.repeat(owned, counts)


def _best(cube: Cube, work: IntArray, want: FloatArray, owners: IntArray, near: IntArray,
          apart: IntArray) -> IntArray:
    """Per owner (and per ``apart`` value of it), the candidate :func:`_pick` prefers."""
    value = work[near]
    # a margin above the failing cell is itself hard to protect: its complements climb
    # further, up to the sido and national totals that hold most persons
    level = _levels(cube)
    climbs = level[near] > level[owners]
    order = np.lexsort((cube.keys[near], value, value < want[owners], climbs,
                        cube.grand_total[near], value <= 0, apart, owners))
    pairs = np.stack([owners[order], apart[order]], 1)
    first = np.unique(pairs, axis=0, return_index=True)[1]
    out: IntArray = near[order[first]]
    return out

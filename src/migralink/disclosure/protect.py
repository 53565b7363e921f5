"""Protecting a table before it is published: the one entry point, :func:`protect`.

The steps, each timed in the report:

1. **prepare**: encode the table and check that it holds every margin and adds up;
2. **dp** (``policy.dp_epsilon``): noisy finest cells, margins rebuilt;
3. **rounding** (``policy.rounding_base``): rounded finest cells, margins rebuilt;
4. **primary**: counts from 1 to ``threshold - 1`` (and zeros with ``suppress_zeros``)
   are suppressed, ``CONF_STATUS`` ``A``;
5. **secondary**: complements until no relation has a single suppressed cell,
   ``CONF_STATUS`` ``D`` (:mod:`migralink.disclosure.secondary`);
6. **audit** (every table, unless ``policy.audit_limit`` says otherwise): the attacker's
   true knowledge (present rows ≥ 1, primary ≤ T − 1, secondary ≥ T, whole numbers)
   by integer bound propagation, then LPs where needed; complements are added where an
   interval is too narrow (:mod:`migralink.disclosure.knowledge`).

Complements are chosen, and intervals computed, on the values the attacker's relations
hold (rounded or noisy, when the table is perturbed); whether a cell is sensitive is
decided on its true count. A DP release is the exception: everything after the noise
must be post-processing of the noisy counts to keep the DP guarantee, so there the
threshold applies to the noisy counts and the required width is ``min_interval``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from migralink.disclosure.cube import BoolArray, Cube, IntArray, encode
from migralink.disclosure.knowledge import audit_pattern
from migralink.disclosure.lp import FloatArray
from migralink.disclosure.perturb import dp_release, round_cube
from migralink.disclosure.policy import DisclosurePolicy
from migralink.disclosure.report import DisclosureReport
from migralink.disclosure.secondary import complement
from migralink.disclosure.spec import TableSpec
from migralink.errors import DisclosureError

__all__ = ["CONF_FREE", "CONF_PRIMARY", "CONF_SECONDARY", "ProtectedTable", "protect",
           "protect_with"]

#: SDMX CL_CONF_STATUS: free, primary confidentiality (small counts), secondary, and
#: confidential (either, when the policy does not tell them apart).
CONF_FREE, CONF_PRIMARY, CONF_SECONDARY, CONF_HIDDEN = "F", "A", "D", "C"
#: SDMX CL_OBS_STATUS: normal, estimated (rounded or noisy), missing (suppressed).
OBS_NORMAL, OBS_ESTIMATED, OBS_MISSING = "A", "E", "M"


@dataclass(frozen=True)
class ProtectedTable:
    """A table ready to publish.

    Attributes:
        frame: the dimension columns, ``value`` (``null`` when suppressed),
            ``obs_status`` (SDMX OBS_STATUS: ``A`` normal, ``E`` estimated — rounded or
            noisy —, ``M`` missing) and ``conf_status`` (SDMX CL_CONF_STATUS: ``F`` free,
            ``A`` primary confidentiality, ``D`` secondary confidentiality), plus any
            column of the input that had one value on every row (a period, a unit).
        report: what was done.
        policy: the policy applied.
    """

    frame: pl.DataFrame
    report: DisclosureReport
    policy: DisclosurePolicy


class _Clock:
    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []
        self._start = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.steps.append((step, round(now - self._start, 6)))
        self._start = now


def protect(
    frame: pl.DataFrame,
    spec: TableSpec,
    policy: DisclosurePolicy,
    *,
    public: bool = False,
) -> ProtectedTable:
    """Apply the policy to a table.

    Args:
        frame: one string column per dimension of ``spec``, ``value`` (counts) and
            optionally ``status`` (the input's OBS_STATUS, kept for published cells).
            It must hold every margin (all combinations of codes, totals included); a
            missing combination is read as a published zero.
        spec: the table's dimensions and hierarchies.
        policy: how to protect it.
        public: the table is an aggregate a ministry already publishes: unless
            ``policy.protect_public``, it is released as it is, every cell free.

    Returns:
        The protected table, its report and the policy.

    Raises:
        DisclosureError: the table lacks a margin, does not add up, has unknown codes,
            repeated cells, or values that are not counts.
    """
    if public and not policy.protect_public:
        return _as_published(frame, spec, policy)
    done = protect_with(frame, spec, policy)
    return replace(done, report=replace(done.report, public=public)) if public else done


def protect_with(
    frame: pl.DataFrame, spec: TableSpec, policy: DisclosurePolicy,
    linked: tuple[pl.DataFrame, pl.DataFrame] | None = None,
) -> ProtectedTable:
    """:func:`protect`, knowing the cells other releases of the same persons published.

    Args:
        frame: as for :func:`protect`.
        spec: as for :func:`protect`.
        policy: as for :func:`protect`.
        linked: ``(frozen, carried)``, each keyed by ``spec``'s dimensions with
            ``value``, ``conf_status``, ``lo`` and ``hi``: cells already released from
            the same register (they keep their status; their bounds are known) and
            cells of earlier versions of this table (suppressed there, suppressed here).

    Raises:
        DisclosureError: as :func:`protect`; or a suppressed cell cannot be protected
            (the release must not happen).
    """
    clock = _Clock()
    # The same cells in any row order get the same release: the LPs' variables follow
    # the rows, and HiGHS' solutions, hence the complements chosen, follow the variables'
    # order (a 100k table read twice from DuckDB got 4,767 and 4,770 complements).
    if all(d in frame.columns for d in spec.dims):
        frame = frame.sort(list(spec.dims))
    extra = _constant_columns(frame, spec)
    cube = encode(frame, spec)
    cube.check_additive()
    clock.lap("prepare")
    work_cube, dp_info = cube, None
    if policy.dp_epsilon is not None:
        release = dp_release(cube, policy.dp_epsilon, policy.dp_seed)
        work_cube, dp_info = release.cube, release
        work_cube.check_additive()  # builds the relations of the new cells
        clock.lap("dp")
    if policy.rounding_base is not None:
        work_cube = round_cube(work_cube, policy.rounding_base)
        work_cube.check_additive()  # builds the relations; rebuilt margins must add up
        clock.lap("rounding")
    work = work_cube.values
    basis = work if dp_info is not None else cube.values  # same rows unless DP
    primary = _primary(basis, policy)
    forced, allowed, known = _linked(work_cube, linked, same_rows=dp_info is None)
    clock.lap("primary")
    # A zero is never a complement: then every suppressed cell is ≥ 1 (or a suppressed
    # zero), so that a status tells the attacker no more than the audit assumes.
    allowed = (work > 0) if allowed is None else allowed & (work > 0)
    pattern, lonely = complement(work_cube, primary | forced, work, allowed)
    clock.lap("secondary")
    checked, note, unprotected = _audit(work_cube, (pattern, lonely), primary, basis, policy,
                                        dp=dp_info is not None, allowed=allowed, extra=known)
    if unprotected and linked is not None:  # a release (the gate): never with a gap
        raise DisclosureError(
            title=f"{unprotected} suppressed cells cannot be protected: no cell is left "
            f"to suppress next to them ({note})",
            hint="the table is not released; "
            + ("publish every suppressed cell as C (policy distinguish_statuses=false), "
               if policy.distinguish_statuses else "")
            + "or release a coarser table")
    pattern = checked[0]
    clock.lap("audit")
    perturbed = dp_info is not None or policy.rounding_base is not None
    out = _output(frame, work_cube, pattern, primary, perturbed, extra,
                  same_rows=dp_info is None, distinguish=policy.distinguish_statuses)
    clock.lap("output")
    report = DisclosureReport(
        cells=out.height,
        primary=int(primary.sum()),
        secondary=int((pattern & ~primary).sum()),
        public=False,
        audit=checked[1],
        audit_note=note,
        unprotected=unprotected,
        rounding_base=policy.rounding_base,
        dp_epsilon=dp_info.epsilon if dp_info else None,
        dp_mechanism=dp_info.mechanism if dp_info else None,
        dp_scale=dp_info.scale if dp_info else None,
        timings=tuple(clock.steps),
    )
    return ProtectedTable(out, report, policy)


def _primary(basis: IntArray, policy: DisclosurePolicy) -> BoolArray:
    sensitive: BoolArray = (basis > 0) & (basis < policy.threshold)
    if policy.suppress_zeros:
        sensitive |= basis == 0
    return sensitive


def requirement(
    primary: BoolArray, basis: IntArray, policy: DisclosurePolicy, *, dp: bool
) -> Callable[[IntArray], FloatArray]:
    """The width each suppressed row's interval needs (see :class:`DisclosurePolicy`)."""

    def need(rows: IntArray) -> FloatArray:
        proportional = 0.0 if dp else policy.protection
        scaled = np.where(primary[rows], proportional * basis[rows], 0.0)
        out: FloatArray = np.maximum(scaled, policy.min_interval).astype(np.float64)
        if policy.distinguish_statuses:  # A tells 1 <= v <= T - 1: no wider interval
            cap = max(float(policy.threshold - 2), policy.min_interval)
            out = np.where(primary[rows], np.minimum(out, cap), out)
        return out

    return need


def _linked(cube: Cube, linked: tuple[pl.DataFrame, pl.DataFrame] | None, *, same_rows: bool
            ) -> tuple[BoolArray, BoolArray | None, tuple[FloatArray, FloatArray] | None]:
    """Cells forced suppressed, cells allowed as complements, bounds from elsewhere."""
    n = len(cube.values)
    forced = np.zeros(n, np.bool_)
    if linked is None or not same_rows:
        return forced, None, None
    frozen, carried = linked
    allowed = np.ones(n, np.bool_)
    lo, hi = np.full(n, -np.inf), np.full(n, np.inf)
    labels = pl.DataFrame(cube.labels()).with_row_index("_row")
    dims = list(cube.spec.dims)
    shared = labels.join(frozen, on=dims, how="inner")
    rows = shared["_row"].to_numpy().astype(np.int64)
    hidden = (shared["conf_status"] != CONF_FREE).to_numpy()
    forced[rows[hidden]] = True
    allowed[rows] = False  # a shared cell keeps the status it was released with
    lo[rows] = shared["lo"].to_numpy()
    hi[rows] = shared["hi"].to_numpy()
    old = labels.join(carried.filter(pl.col("conf_status") != CONF_FREE), on=dims,
                      how="inner")
    forced[old["_row"].to_numpy().astype(np.int64)] = True
    return forced, allowed, (lo, hi)


def _audit(
    cube: Cube, heuristic: tuple[BoolArray, int], primary: BoolArray, basis: IntArray,
    policy: DisclosurePolicy, *, dp: bool, allowed: BoolArray | None = None,
    extra: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[tuple[BoolArray, str], str, int]:
    """Run the LP audit if the table is small enough: ((pattern, kind), note, unprotected).

    ``heuristic`` is the pattern of the heuristic and its count of suppressed cells left
    alone in a relation (a suppressed zero whose children are all missing rows).
    """
    pattern, lonely = heuristic
    cells = len(cube.values)
    if not pattern.any():
        return (pattern, "none"), "no cell is suppressed", 0
    if policy.audit_limit is not None and cells > policy.audit_limit:
        note = (f"{cells:,} cells is more than audit_limit ({policy.audit_limit:,}); "
                "the heuristic alone ran: no relation has a single suppressed cell")
        if lonely:
            note = (f"{cells:,} cells is more than audit_limit ({policy.audit_limit:,}); "
                    f"the heuristic alone ran: {lonely:,} suppressed cells stay alone in "
                    "a relation (suppressed zeros with no row under them)")
        return (pattern, "skipped"), note, lonely
    need = requirement(primary, basis, policy, dp=dp)
    found = audit_pattern(cube, pattern, primary, cube.values, policy, need, allowed, extra)
    note = found.note
    if found.narrow:
        note += ", e.g. " + "; ".join(cube.describe(r) for r in found.narrow[:3])
    return (found.pattern, "lp"), note, found.unprotected


def _constant_columns(frame: pl.DataFrame, spec: TableSpec) -> dict[str, object]:
    """Columns besides dimensions, value and status: each must hold one value."""
    extra = [c for c in frame.columns if c not in (*spec.dims, "value", "status")]
    out: dict[str, object] = {}
    for column in extra:
        values = frame.get_column(column).unique()
        if len(values) > 1:
            raise DisclosureError(
                title=f"the column {column!r} is neither a dimension of the table nor "
                "constant",
                hint="protect one table at a time: filter on it, or add it to the TableSpec",
            )
        out[column] = values[0] if len(values) else None
    return out


def _output(
    frame: pl.DataFrame, cube: Cube, pattern: BoolArray, primary: BoolArray,
    perturbed: bool, extra: dict[str, object], *, same_rows: bool, distinguish: bool = True,
) -> pl.DataFrame:
    if perturbed:
        published = pl.lit(OBS_ESTIMATED)
    elif same_rows and "status" in frame.columns:
        published = pl.col("status").cast(pl.String).fill_null(OBS_NORMAL)
    else:
        published = pl.lit(OBS_NORMAL)
    kinds = np.where(primary, CONF_PRIMARY, CONF_SECONDARY) if distinguish else CONF_HIDDEN
    conf = np.where(pattern, kinds, CONF_FREE)
    columns = {
        **cube.labels(),
        "value": pl.Series("value", cube.values, dtype=pl.Int64),
        "suppressed": pl.Series("suppressed", pattern),
        "conf_status": pl.Series("conf_status", conf, dtype=pl.String),
    }
    if same_rows and "status" in frame.columns:
        columns["status"] = frame.get_column("status")
    hidden = pl.col("suppressed")
    out = pl.DataFrame(columns).select(
        *cube.spec.dims,
        pl.when(hidden).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(hidden).then(pl.lit(OBS_MISSING)).otherwise(published).alias("obs_status"),
        "conf_status",
    )
    if extra:
        out = out.with_columns(pl.lit(v).alias(k) for k, v in extra.items())
    return out


def _as_published(frame: pl.DataFrame, spec: TableSpec, policy: DisclosurePolicy
                  ) -> ProtectedTable:
    """A public table, released as it is: every cell free."""
    missing = [c for c in (*spec.dims, "value") if c not in frame.columns]
    if missing:
        raise DisclosureError(title=f"the table has no column {', '.join(missing)}",
                              hint=f"a table has the columns {', '.join(spec.dims)}, value")
    status = (pl.col("status").cast(pl.String).fill_null(OBS_NORMAL)
              if "status" in frame.columns else pl.lit(OBS_NORMAL))
    out = frame.with_columns(
        pl.when(pl.col("value").is_null()).then(pl.lit(OBS_MISSING)).otherwise(status)
        .alias("obs_status"),
        pl.lit(CONF_FREE).alias("conf_status"),
    ).drop("status", strict=False)
    report = DisclosureReport(cells=frame.height, public=True, protected=False,
                              audit_note="public table: not protected")
    return ProtectedTable(out, report, policy)

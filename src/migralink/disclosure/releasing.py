"""Computing a protected release, once, jointly with what its register already released.

:func:`compute_release` is the gate's worker for protected data. Per period of the
dataset version it finds the register behind it (its *root*), and either reads the
release recorded for that dataset version, period and policy, or computes it — with
every release already recorded from the same root as the attacker's knowledge
(:mod:`migralink.disclosure.linked`) — and records it before anyone sees it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import polars as pl

from migralink.disclosure.gate import Release
from migralink.disclosure.lineage import root_of
from migralink.disclosure.linked import Frozen, protect_linked
from migralink.disclosure.policy import DisclosurePolicy
from migralink.disclosure.registry import ReleaseStore, StoredRelease, release_key
from migralink.disclosure.report import DisclosureReport
from migralink.disclosure.spec import Hierarchy, TableSpec, flat, region_hierarchy
from migralink.errors import DisclosureError
from migralink.store.catalogue_read import VersionRef
from migralink.store.catalogue_rows import code_rows, version_rows
from migralink.store.gateway import Gateway

__all__ = ["compute_release"]


def compute_release(
    gw: Gateway, ref: VersionRef, read: Callable[[], pl.DataFrame], policy: DisclosurePolicy,
    store: ReleaseStore, level: str,
) -> Release:
    """The release of every period of ``ref`` (see :func:`migralink.disclosure.release`)."""
    if not ref.totals_stored:
        raise DisclosureError(
            title=f"{ref.dataset_id!r} is protected but does not store its margins",
            hint="write it as a count cube with every margin (aggregate_register, or "
            "the catalogue's write with GROUP BY CUBE margins) so that it can be protected",
        )
    if policy.audit_limit is not None:
        raise DisclosureError(
            title=f"a release is always audited: audit_limit = {policy.audit_limit} "
            "is for benchmarks only",
            hint="leave audit_limit out of the policy (null)",
        )
    policy_json = policy.to_json()
    parts: list[pl.DataFrame] = []
    reports: list[tuple[str, DisclosureReport]] = []
    roots: list[tuple[str, str]] = []
    notes: set[str] = set()
    stored = next((v["periods"] for v in version_rows(gw, ref.dataset_id)
                   if v["version"] == ref.version), None)
    frame: pl.DataFrame | None = None
    with store.locked():
        for period in sorted(str(p) for p in stored or ()):
            root = root_of(gw, ref.dataset_id, ref.version, period)
            key = release_key(ref.dataset_id, ref.version, period, policy_json)
            found = store.get(key)
            if found is None:  # the stored table is read only when a release is drawn
                frame = read() if frame is None else frame
                rows = frame.filter(pl.col("period") == period).drop("period")
                found = _compute(gw, ref, rows, period, root, key, policy, store)
            parts.append(found.cells.drop("lo", "hi").with_columns(
                pl.lit(period).alias("period")))
            reports.append((period, DisclosureReport(**_report_args(found.meta["report"]))))
            roots.append((period, root))
            notes.update(found.meta.get("notes", []))
        budget = tuple((root, _budget(store, root, policy)) for _, root in roots)
    columns = ["period", "region", *ref.dimensions, "value", "obs_status", "conf_status"]
    cells = pl.concat(parts, how="diagonal_relaxed").select(columns) if parts else (
        pl.DataFrame(schema={c: pl.String for c in columns}))
    return Release(ref.dataset_id, ref.version, level, policy, cells, tuple(reports),
                   tuple(roots), budget, tuple(sorted(notes)))


def _report_args(data: dict[str, Any]) -> dict[str, Any]:
    keep = {k: v for k, v in data.items() if k not in ("suppressed", "timings")}
    keep["timings"] = tuple((k, float(v)) for k, v in data.get("timings", {}).items())
    return keep


def _budget(store: ReleaseStore, root: str, policy: DisclosurePolicy) -> dict[str, Any]:
    spent = store.ledger(root)
    return {"budget": policy.dp_budget, "spent": round(sum(e["epsilon"] for e in spent), 9),
            "releases": len(spent)}


def _compute(
    gw: Gateway, ref: VersionRef, table: pl.DataFrame, period: str, root: str, key: str,
    policy: DisclosurePolicy, store: ReleaseStore,
) -> StoredRelease:
    """Protect one period jointly with its root's releases, record it, spend its ε."""
    same_root = store.of_root(root)
    for other in same_root:
        if other.meta["policy"] != policy.to_json():
            raise DisclosureError(
                title=f"the register behind {ref.dataset_id!r} ({period}) was released "
                f"under another policy ({other.meta['dataset']} v{other.meta['version']})",
                hint="a register is released under one policy: two policies of one "
                f"register, compared, reveal what each hides; use {other.meta['policy']}",
            )
    notes: list[str] = []
    if policy.dp_epsilon is not None:
        spent = sum(e["epsilon"] for e in store.ledger(root))
        if spent + policy.dp_epsilon > policy.dp_budget + 1e-12:
            raise DisclosureError(
                title=f"the privacy-loss budget of the register behind {ref.dataset_id!r} "
                f"({period}) is spent: {spent:g} of {policy.dp_budget:g}, this release "
                f"needs {policy.dp_epsilon:g}",
                hint="serve the releases already drawn, or release fewer tables from it",
            )
        spec, notes = _declared_spec(gw, ref, table, period)
    else:
        table = table.filter(pl.col("value") != 0)  # an absent row is a published zero
        spec = _data_spec(table, ref)
    if policy.rounding_base is not None and [
            r for r in same_root if r.meta["dataset"] != ref.dataset_id]:
        raise DisclosureError(
            title=f"another table of the register behind {ref.dataset_id!r} is already "
            "released with controlled rounding",
            hint="tables rounded one by one can be compared on their common margins: "
            "release one combined table, or use suppression or differential privacy",
        )
    earlier = [r for r in store.all() if r.meta["dataset"] == ref.dataset_id
               and r.meta["period"] == period and r.meta["version"] < ref.version
               and r.meta["policy"] == policy.to_json()]
    frozen = [Frozen(r.cells, r.meta["dataset"]) for r in same_root]
    carried = [Frozen(r.cells, r.meta["dataset"]) for r in earlier]
    protected, report, bounds = protect_linked(table, spec, policy, frozen, carried)
    cells = protected.with_columns(bounds)
    meta = {"dataset": ref.dataset_id, "version": ref.version, "period": period,
            "root": root, "policy": policy.to_json(), "report": report.to_dict(),
            "epsilon": report.dp_epsilon or 0.0, "notes": notes,
            "spec": json.loads(spec.to_json())}
    stored = store.put(key, StoredRelease(meta, cells))
    if report.dp_epsilon is not None and stored.cells is cells:
        store.spend(root, key, float(report.dp_epsilon))
    return stored


def _data_spec(table: pl.DataFrame, ref: VersionRef) -> TableSpec:
    hierarchies = [region_hierarchy(table["region"].unique().to_list())]
    for dim in ref.dimensions:
        hierarchies.append(flat(dim, table[dim].unique().to_list(), ref.totals.get(dim, "_T")))
    return TableSpec(tuple(hierarchies))


def _declared_spec(gw: Gateway, ref: VersionRef, table: pl.DataFrame, period: str
                   ) -> tuple[TableSpec, list[str]]:
    """The hierarchies of the declared code lists: a DP grid must not depend on the data."""
    from migralink.codes import nationality_table, region_list, status_table

    notes = []
    year = int(period[:4])
    regions = region_list(year).filter(pl.col("level") == "sigungu")["code"].to_list()
    hierarchies: list[Hierarchy] = [region_hierarchy(regions)]
    declared: dict[str, Callable[[], list[str]]] = {
        "nationality": lambda: [str(c) for c in nationality_table()["code"]],
        "status": lambda: [str(c) for c in status_table()["code"]],
        "sex": lambda: ["M", "F"],
    }
    for dim in ref.dimensions:
        codelist = ref.codelists.get(dim)
        total = ref.totals.get(dim, "_T")
        if codelist is not None and codelist in declared:
            codes = declared[codelist]()
        else:
            codes = list(dict.fromkeys(
                str(code) for code, _ in code_rows(gw, ref.dataset_id, ref.version).get(dim, [])))
            notes.append(f"{dim} has no declared code list: its codes were taken from the "
                         "catalogue, so the DP grid shows which of them occur; declare one")
        hierarchies.append(flat(dim, [c for c in codes if c != total], total))
    unknown = table.filter(pl.col("region") != "00")["region"].unique()
    missing = sorted(set(unknown.to_list()) - set(hierarchies[0].codes))
    if missing:
        raise DisclosureError(
            title=f"regions {', '.join(missing[:5])} of {ref.dataset_id!r} are not MOIS "
            f"units of {year}",
            hint="a DP release covers the full grid of the declared code lists",
        )
    return TableSpec(tuple(hierarchies)), notes

"""An attacker with every public answer, integer bound propagation and an LP (HiGHS).

Register tables of 20,000 persons (by sex, age group, nationality, residence status:
four tables of one register) and of 200,000 persons (by sex, age group), and two
versions of a corrected register, are served by the real server on loopback. The
attacker harvests every answer the API gives for them (every ``by``, filter and region
spelling, JSON and CSV, every version, the other tables of the same register) and
knows what anyone knows: a returned row is at least 1 (``A`` at most T − 1 and ``D``
at least T when the policy tells them apart), counts are whole numbers, every table
adds up, cells of one register are the same in every table, and two versions differ
by at most the number of corrected records. The relations are enumerated here from the
codes, not by the code under test.

Asserted: no suppressed cell is determined to an interval narrower than the policy's
protection (1 person; ``protection × v`` is below 1 for every count below T = 10).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import polars as pl
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from migralink.api import ApiConfig
from migralink.codes.hierarchy import structural_parent
from migralink.disclosure import DisclosurePolicy
from migralink.evidence import Evidence
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_DIMENSIONS, REGISTER_META, synthetic_register
from tests.api.conftest import running
from tests.servers import Server

T = 10
NEED = 1.0
Key = tuple[str, str, str, str]  # root, region, dimension, code
SMALL = ("sex", "age_group", "nationality", "residence_status")
LARGE = ("sex", "age_group")
CHANGED = 200  # records corrected between the two versions


def _ingest(ev: Evidence, persons: pl.DataFrame, prefix: str, dims: tuple[str, ...],
            source: str) -> None:
    ev.gateway.register("persons", persons)
    for dim in dims:
        aggregate_register(ev.gateway, "persons", [d for d in REGISTER_DIMENSIONS if d.id == dim],
                           replace(REGISTER_META, id=f"{prefix}_{dim}"), period="2024",
                           source=source)
    ev.gateway.unregister("persons")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server over four 20k tables, two 200k tables and a register in two versions."""
    db = tmp_path_factory.mktemp("attacker") / "evidence.duckdb"
    small = pl.DataFrame(synthetic_register(20_000, seed=7))
    corrected = small.with_columns(  # a correction moves some records to other districts
        pl.when(pl.int_range(pl.len()) < CHANGED).then(pl.lit("11110"))
        .otherwise(pl.col("region")).alias("region"))
    with Evidence(db) as ev:
        _ingest(ev, small, "r20k", SMALL, "register 20k seed 7")
        _ingest(ev, pl.DataFrame(synthetic_register(200_000, seed=8)), "r200k", LARGE,
                "register 200k seed 8")
        _ingest(ev, small, "corr", ("sex",), "corrected register, first delivery")
        _ingest(ev, corrected, "corr", ("sex",), "corrected register, second delivery")
    # one status for every suppressed cell: with A and D apart, 9 present rows under a
    # primary total pin each other down whatever is suppressed (the gate refuses those)
    policy = DisclosurePolicy(distinguish_statuses=False).to_json()
    with running(ApiConfig(db=db, token=None, release_after=None, disclosure_policy=policy),
                 db.parent / "server.log") as started:
        yield started


def _rows(client: httpx.Client, dataset: str, **params: str) -> list[dict[str, Any]]:
    url = f"/api/v1/datasets/{dataset}/observations"
    if params.pop("format", "json") == "csv":
        response = client.get(url, params={**params, "format": "csv"})
        assert response.status_code == 200, response.text
        frame = pl.read_csv(io.BytesIO(response.content), infer_schema=False)
        return [{k: (None if v in (None, "") else v) for k, v in r.items()}
                for r in frame.iter_rows(named=True)]
    response = client.get(url, params={**params, "limit": "10000"})
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


def _harvest(client: httpx.Client, dataset: str, dim: str, version: str
             ) -> dict[tuple[str, str], tuple[int | None, str]]:
    """Every answer about one dataset version: (region, code) → (value, conf_status)."""
    seen: dict[tuple[str, str], set[tuple[int | None, str]]] = defaultdict(set)

    def learn(rows: list[dict[str, Any]], region: str = "00", code: str = "_T") -> None:
        for row in rows:
            value = row["value"]
            cell = (str(row.get("region") or region), str(row.get(dim) or code))
            seen[cell].add((None if value is None else int(value), str(row["conf_status"])))

    asks = {"version": version}
    learn(_rows(client, dataset, **asks))
    learn(_rows(client, dataset, by=dim, **asks))
    for by in ("region", f"region,{dim}"):
        for level in ("sido", "sigungu"):
            for fmt in ("json", "csv"):
                learn(_rows(client, dataset, by=by, level=level, format=fmt, **asks))
    codes = sorted({c for _, c in seen if c != "_T"})
    for code in codes[:8]:
        for level in ("sido", "sigungu"):
            learn(_rows(client, dataset, by="region", level=level, filter=f"{dim}:{code}",
                        **asks), code=code)
    for region in ("11", "41", "11110", "서울특별시"):
        rows = _rows(client, dataset, region=region, by=dim, **asks)
        learn(rows, region=str(rows[0]["region"]) if rows else region)
    conflicting = {cell: answers for cell, answers in seen.items() if len(answers) > 1}
    assert conflicting == {}  # every question gives a cell the same answer
    return {cell: next(iter(answers)) for cell, answers in seen.items()}


class Attacker:
    """Linear relations, bounds and LPs over every harvested cell of one register."""

    def __init__(self) -> None:
        self.index: dict[Key, int] = {}
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.truth: list[float] = []
        self.relations: list[list[tuple[int, float]]] = []
        self.close: list[tuple[int, int, float]] = []  # |x_i - x_j| <= d

    def cell(self, key: Key, value: int | None, status: str, true: int) -> int:
        if value is not None:
            lo = hi = float(value)
        else:
            lo, hi = {"A": (1.0, T - 1.0), "D": (float(T), np.inf)}.get(status, (1.0, np.inf))
        if key not in self.index:
            self.index[key] = len(self.lo)
            self.lo.append(lo)
            self.hi.append(hi)
            self.truth.append(float(true))
        i = self.index[key]
        self.lo[i], self.hi[i] = max(self.lo[i], lo), min(self.hi[i], hi)
        return i

    def table(self, root: str, dim: str, cells: dict[tuple[str, str], tuple[int | None, str]],
              truth: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
        """Add one table's cells and relations (region: sigungu → sido → 00; dim → _T)."""
        ids = {}
        for (region, code), (value, status) in cells.items():
            key = (root, region, dim if code != "_T" else "", code)
            ids[(region, code)] = self.cell(key, value, status, truth[(region, code)])
        groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for (region, code), i in ids.items():
            if region != "00":
                groups[("region", structural_parent(region) or "00", code)].append(i)
            if code != "_T":
                groups[("dim", region, "_T")].append(i)
        for (kind, region, code), children in groups.items():
            parent = ids.get((region, code if kind == "region" else "_T"))
            assert parent is not None, (kind, region, code)
            self.relations.append([(parent, -1.0), *((c, 1.0) for c in children)])
        return ids

    def intervals(self) -> tuple[Any, Any]:
        """Integer propagation, then LPs: the attacker's interval of every cell."""
        lo, hi = np.array(self.lo), np.array(self.hi)
        rel = np.array([r for r, members in enumerate(self.relations) for _ in members])
        cell = np.array([i for members in self.relations for i, _ in members])
        sign = np.array([s for members in self.relations for _, s in members])
        n = len(self.relations)
        for _ in range(100):  # integer bound propagation: s_i x_i = -(the others' terms)
            t_lo = np.where(sign > 0, sign * lo[cell], sign * hi[cell])
            t_hi = np.where(sign > 0, sign * hi[cell], sign * lo[cell])
            inf_lo, inf_hi = np.isinf(t_lo), np.isinf(t_hi)
            s_lo = np.bincount(rel, np.where(inf_lo, 0, t_lo), n)
            s_hi = np.bincount(rel, np.where(inf_hi, 0, t_hi), n)
            k_lo, k_hi = np.bincount(rel, inf_lo, n), np.bincount(rel, inf_hi, n)
            o_lo = np.where(k_lo[rel] > inf_lo, -np.inf, s_lo[rel] - np.where(inf_lo, 0, t_lo))
            o_hi = np.where(k_hi[rel] > inf_hi, np.inf, s_hi[rel] - np.where(inf_hi, 0, t_hi))
            new_lo = np.ceil(np.where(sign > 0, -o_hi, o_lo) - 1e-9)
            new_hi = np.floor(np.where(sign > 0, -o_lo, o_hi) + 1e-9)
            best_lo, best_hi = lo.copy(), hi.copy()
            np.maximum.at(best_lo, cell, new_lo)
            np.minimum.at(best_hi, cell, new_hi)
            if (best_lo <= lo).all() and (best_hi >= hi).all():
                break
            lo, hi = best_lo, best_hi
        hidden = np.flatnonzero(hi > lo)
        return self._lp(lo, hi, hidden) if len(hidden) else (lo, hi)

    def _matrices(self, lo: Any, col: dict[int, int]) -> tuple[Any, list[float], Any,
                                                                 list[float]]:
        """Equalities (relations) and inequalities (versions) over the suppressed cells."""
        rows, cols, vals, rhs = [], [], [], []
        for r, rel in enumerate(self.relations):
            known = 0.0
            for i, s in rel:
                if i in col:
                    rows.append(r)
                    cols.append(col[i])
                    vals.append(s)
                else:
                    known += s * lo[i]
            rhs.append(-known)
        a = csr_matrix((vals, (rows, cols)), shape=(len(self.relations), len(col)))
        ub_rows, ub_cols, ub_vals, ub_rhs = [], [], [], []
        for n, (i, j, d) in enumerate(self.close):
            for sign in (1.0, -1.0):  # sign * (x_i - x_j) <= d, known cells as constants
                row = 2 * n + (sign < 0)
                constant = 0.0
                for cell, s in ((i, sign), (j, -sign)):
                    if cell in col:
                        ub_rows.append(row)
                        ub_cols.append(col[cell])
                        ub_vals.append(s)
                    else:
                        constant += s * lo[cell]
                ub_rhs.append(d - constant)
        a_ub = csr_matrix((ub_vals, (ub_rows, ub_cols)), shape=(2 * len(self.close), len(col)))
        return a, rhs, a_ub, ub_rhs

    def _lp(self, lo: Any, hi: Any, hidden: Any) -> tuple[Any, Any]:
        """Settle each suppressed cell: feasible tables that differ in it, or its LP bound."""
        col = {int(c): k for k, c in enumerate(hidden)}
        a, rhs, a_ub, ub_rhs = self._matrices(lo, col)
        truth = np.array(self.truth)[hidden]
        # feasible points first, under a cap just above each truth (bounded LPs that move
        # every cell); a point under the cap is a point without it
        capped = [(lo[c], min(hi[c], t + NEED + 1)) for c, t in zip(hidden, truth, strict=True)]
        box = [(lo[c], None if np.isinf(hi[c]) else hi[c]) for c in hidden]
        low, high = truth.copy(), truth.copy()

        def solve(c: np.ndarray, bounds: list[tuple[float, float | None]] = capped) -> None:
            res = linprog(c, A_eq=a, b_eq=rhs, A_ub=a_ub if len(ub_rhs) else None,
                          b_ub=ub_rhs if len(ub_rhs) else None, bounds=bounds, method="highs")
            if res.status == 3:
                high[np.flatnonzero(c)] = np.inf
                return
            assert res.status == 0, res.message
            np.minimum(low, np.ceil(res.x - 1e-6), out=low)
            np.maximum(high, np.floor(res.x + 1e-6), out=high)

        for seed in range(3):
            solve(np.random.default_rng(seed).choice([-1.0, 1.0], len(hidden)))
        for _ in range(4):
            for sense in (-1.0, 1.0):
                solve(np.where(high - low < NEED, sense, 0.0))
        for k in np.flatnonzero(high - low < NEED):  # the attacker's exact bounds
            for sense in (-1.0, 1.0):
                if high[k] - low[k] < NEED:
                    c = np.zeros(len(hidden))
                    c[k] = sense
                    solve(c, box)  # the attacker's exact bound
        out_lo, out_hi = lo.copy(), hi.copy()
        out_lo[hidden] = np.maximum(lo[hidden], low)
        out_hi[hidden] = np.minimum(hi[hidden], high)
        return out_lo, out_hi


def _truth(db: Path, dataset: str, dim: str, version: int) -> dict[tuple[str, str], int]:
    with Evidence(db, read_only=True) as ev:
        rows = ev.gateway.rows("SELECT table_name FROM ml_version WHERE dataset_id = ? AND "
                               "version = ?", [dataset, version])
        frame = ev.gateway.polars(f'SELECT region, "{dim}" AS code, value FROM "{rows[0][0]}"')
    return {(r, c): int(v) for r, c, v in frame.iter_rows()}


def _check(attacker: Attacker) -> None:
    lo, hi = attacker.intervals()
    suppressed = np.array(attacker.hi) > np.array(attacker.lo)
    narrow = suppressed & (hi - lo < NEED - 1e-9)
    keys = list(attacker.index)
    assert not narrow.any(), [keys[i] for i in np.flatnonzero(narrow)][:10]
    assert suppressed.sum() > 50  # there was something to attack


def test_four_tables_of_20000_persons_hold(server: Server) -> None:
    attacker = Attacker()
    with httpx.Client(base_url=server.url, timeout=300.0) as client:  # first: releases
        for dim in SMALL:
            cells = _harvest(client, f"r20k_{dim}", dim, "1")
            attacker.table("r20k", dim, cells, _truth(server.db, f"r20k_{dim}", dim, 1))
    _check(attacker)


def test_tables_of_200000_persons_hold(server: Server) -> None:
    attacker = Attacker()
    with httpx.Client(base_url=server.url, timeout=300.0) as client:  # first: releases
        for dim in LARGE:
            cells = _harvest(client, f"r200k_{dim}", dim, "1")
            attacker.table("r200k", dim, cells, _truth(server.db, f"r200k_{dim}", dim, 1))
    _check(attacker)


def test_two_versions_of_one_register_hold(server: Server) -> None:
    attacker = Attacker()
    ids = {}
    with httpx.Client(base_url=server.url, timeout=300.0) as client:  # first: releases
        for version in (1, 2):
            cells = _harvest(client, "corr_sex", "sex", str(version))
            ids[version] = attacker.table(f"v{version}", "sex", cells,
                                          _truth(server.db, "corr_sex", "sex", version))
    for cell, first in ids[1].items():  # the attacker knows how much was corrected
        if cell in ids[2]:
            attacker.close.append((first, ids[2][cell], float(CHANGED)))
    _check(attacker)

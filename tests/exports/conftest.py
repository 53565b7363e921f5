"""An evidence base with the bundled sample, a protected register cube and indicators."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from migralink.evidence import Evidence
from migralink.exports import release
from migralink.indicators import compute_indicators, store_indicators
from migralink.sample import load_sample
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_DIMENSIONS, REGISTER_META, synthetic_register

#: The register-derived dataset: Seoul's districts by residence status and sex, thin on
#: purpose so that many cells are suppressed.
REGISTER = "register_seoul"
#: A ministry's published table (released as published).
PUBLIC = "mois_foreign_residents_sigungu"


@pytest.fixture(scope="session")
def export_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exports") / "ev.duckdb"
    with Evidence(path) as ev:
        with ev.gateway.transaction():
            load_sample(ev.gateway)
        ev.gateway.register("persons", synthetic_register(5_000, seed=7))
        aggregate_register(
            ev.gateway, "(SELECT * FROM persons WHERE region LIKE '11%')",
            [d for d in REGISTER_DIMENSIONS if d.id in ("residence_status", "sex")],
            replace(REGISTER_META, id=REGISTER), period="2024",
            source="tests: synthetic register n=5000 seed=7, Seoul",
        )
        store_indicators(ev, compute_indicators(ev, ids=("foreign_share",
                                                         "composition_by_group")))
    with Evidence(path, read_only=True) as ev:
        # the gate records a register's release beside the evidence base once; later
        # releases (the tests', the server's) read it from there
        release(ev.gateway, REGISTER)
    return path

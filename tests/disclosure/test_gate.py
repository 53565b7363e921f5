"""The release gate on a real evidence base (DuckDB file) with synthetic register cubes.

* a release is computed once, recorded beside the evidence base and read back by any
  later caller (another process would read the same files);
* DP: one draw per table version, served for every request; the answer's rows do not
  depend on which cells are empty; the privacy-loss budget is in the metadata and a
  release beyond it is refused; margins are not biased by the non-negativity step;
* one policy per register; tables of one register share
  the status of their common cells.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from migralink.disclosure import DisclosurePolicy, ReleaseStore, publish_query, release
from migralink.disclosure.gate import sensitivity
from migralink.errors import DisclosureError, QueryError
from migralink.evidence import Evidence
from migralink.store import QuerySpec
from migralink.store.catalogue_read import sensitivity_of
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_DIMENSIONS, REGISTER_META, synthetic_register

DP = DisclosurePolicy(dp_epsilon=0.5, dp_budget=1.0)


def _evidence(path: Path, persons: int = 20_000, drop_region: str | None = None,
              dims: tuple[str, ...] = ("sex",), source: str = "synthetic seed 7") -> Path:
    """An evidence base with one register cube per dimension (ids ``register_<dim>``)."""
    register = pl.DataFrame(synthetic_register(persons, seed=7))
    if drop_region is not None:  # the same register with one district emptied
        register = register.filter(pl.col("region") != drop_region)
    with Evidence(path) as ev:
        ev.gateway.register("persons", register)
        for dim in dims:
            aggregate_register(ev.gateway, "persons",
                               [d for d in REGISTER_DIMENSIONS if d.id == dim],
                               replace(REGISTER_META, id=f"register_{dim}"), period="2024",
                               source=f"{source}{drop_region or ''}")
    return path


def test_a_release_is_recorded_and_read_back(tmp_path: Path) -> None:
    db = _evidence(tmp_path / "e.duckdb")
    with Evidence(db, read_only=True) as ev:
        first = release(ev.gateway, "register_sex")
        again = release(ev.gateway, "register_sex", store=ReleaseStore.beside(db))
    assert (tmp_path / "e.duckdb.releases").is_dir()
    assert first.cells.equals(again.cells)
    assert first.protected
    assert {"A", "D", "F"} <= set(first.cells["conf_status"])
    meta = first.metadata()
    assert meta["policy"]["threshold"] == 10
    assert "rows_read" not in str(meta)


def test_dp_is_drawn_once_and_served_for_every_request(tmp_path: Path) -> None:
    db = _evidence(tmp_path / "e.duckdb")
    spec = QuerySpec("register_sex", by=("region", "sex"))
    with Evidence(db, read_only=True) as ev:
        answers = [publish_query(ev.gateway, spec, policy=DP).frame for _ in range(100)]
        meta = release(ev.gateway, "register_sex", policy=DP).metadata()
    first = answers[0]
    assert all(a.equals(first) for a in answers)
    values = pl.concat([a.select("value").with_row_index() for a in answers])
    mean = values.group_by("index").agg(pl.col("value").mean()).sort("index")["value"]
    assert (mean == first["value"].cast(pl.Float64)).all()  # averaging removes nothing
    (budget,) = meta["privacy_budget"].values()
    assert budget == {"budget": 1.0, "spent": 0.5, "releases": 1}
    assert set(first["conf_status"]) == {"F"}
    assert set(first["status"]) == {"E"}


def test_dp_rows_do_not_depend_on_empty_cells(tmp_path: Path) -> None:
    spec = QuerySpec("register_sex", by=("region", "sex"))
    keys = []
    for name, dropped in (("full", None), ("emptied", "11110")):
        (tmp_path / name).mkdir()
        db = _evidence(tmp_path / name / "e.duckdb", drop_region=dropped)
        with Evidence(db, read_only=True) as ev:
            frame = publish_query(ev.gateway, spec, policy=DP).frame
        keys.append(frame.select("region", "sex").sort("region", "sex"))
    assert keys[0].equals(keys[1])
    assert keys[0].height == 2 * (229 + 17)  # every sigungu and sido of 2024, both sexes


def test_dp_budget_is_spent_per_register(tmp_path: Path) -> None:
    db = _evidence(tmp_path / "e.duckdb", dims=("sex", "age_group", "nationality"))
    with Evidence(db, read_only=True) as ev:
        release(ev.gateway, "register_sex", policy=DP)
        second = release(ev.gateway, "register_nationality", policy=DP)
        (budget,) = second.metadata()["privacy_budget"].values()
        assert budget["spent"] == pytest.approx(1.0)
        with pytest.raises(DisclosureError, match="budget"):
            release(ev.gateway, "register_age_group", policy=DP)
        # what was drawn is still served
        assert release(ev.gateway, "register_sex", policy=DP).cells.height > 0


def test_dp_margins_are_not_biased(tmp_path: Path) -> None:
    db = _evidence(tmp_path / "e.duckdb", persons=5_000)
    with Evidence(db, read_only=True) as ev:  # a seeded draw: the same test every run
        cells = release(ev.gateway, "register_sex", policy=replace(DP, dp_seed=3)).cells
    national = cells.filter((pl.col("region") == "00") & (pl.col("sex") == "_T"))["value"][0]
    # 458 finest cells, many of them empty: clamping each at 0 alone adds about 1 per
    # empty cell at epsilon 0.5; the unclamped noise of the total has an sd of ~60
    assert abs(national - 5_000) < 250
    assert (cells["value"] >= 0).all()


def test_one_policy_per_register(tmp_path: Path) -> None:
    db = _evidence(tmp_path / "e.duckdb", dims=("sex", "age_group"))
    with Evidence(db, read_only=True) as ev:
        release(ev.gateway, "register_sex")
        with pytest.raises(DisclosureError, match="another policy"):
            release(ev.gateway, "register_age_group", policy=DisclosurePolicy(threshold=5))


def test_tables_of_one_register_agree_on_common_cells(tmp_path: Path) -> None:
    db = _evidence(tmp_path / "e.duckdb", dims=("sex", "age_group"))
    with Evidence(db, read_only=True) as ev:
        by_sex = release(ev.gateway, "register_sex").cells
        by_age = release(ev.gateway, "register_age_group").cells
    common = by_sex.filter(pl.col("sex") == "_T").join(
        by_age.filter(pl.col("age_group") == "_T"), on=["period", "region"])
    assert common.height == by_sex.filter(pl.col("sex") == "_T").height
    assert (common["conf_status"] == common["conf_status_right"]).all()



def test_a_version_that_is_not_there_is_never_public_and_is_named(tmp_path: Path) -> None:
    """A register cube asked at a version it does not have: the gate reads it as
    protected (the catalogue called it public), and a careless query is told what is
    missing, not that a dataset it misspelt is protected."""
    db = _evidence(tmp_path / "e.duckdb", persons=2_000)
    with Evidence(db, read_only=True) as ev:
        assert sensitivity(ev.gateway, "register_sex", 99) == "protected"
        with pytest.raises(QueryError, match="has no version 99"):
            sensitivity_of(ev.gateway, "register_sex", 99)
        for spec, said in ((QuerySpec("register_sex", version=99, boundaries=2013),
                            "has no version 99"),
                           (QuerySpec("register_sexx", boundaries=2013),
                            "did you mean 'register_sex'")):
            with pytest.raises(QueryError, match=said):
                publish_query(ev.gateway, spec)
        with pytest.raises(DisclosureError, match="other boundaries"):
            publish_query(ev.gateway, QuerySpec("register_sex", boundaries=2013))

"""Listing stored indicators: what a user types gets the rows or a one-line reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migralink.errors import QueryError
from migralink.evidence import Evidence
from migralink.indicators import compute_indicators, store_indicators
from migralink.indicators.listing import list_indicators


@pytest.fixture(scope="module")
def stored(full_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full evidence base with three indicators stored: one only by group, one of
    Seoul alone (so that the indicators are not a national table)."""
    path = tmp_path_factory.mktemp("listing") / "stored.duckdb"
    shutil.copy(full_db, path)
    with Evidence(path) as ev:
        store_indicators(ev, compute_indicators(ev, ids=[
            "foreign_share", "composition_by_group", "registered_foreigner_share_seoul"]))
    return path


def test_a_breakdown_the_indicator_lacks_is_named(stored: Path) -> None:
    # before: "nothing in 'indicators' v1 matches period=2019, region=41270, …" and the
    # periods 안산시 is in, as if the period or the region were wrong
    with Evidence(stored) as ev, pytest.raises(QueryError) as caught:
        list_indicators(ev, indicator="composition_by_group", region="41270",
                        periods=["2019"], by="sex")
    text = str(caught.value)
    assert "has no breakdown by 'sex'" in text
    assert "group, group+sex" in text


def test_a_breakdown_it_has_gives_its_rows(stored: Path) -> None:
    with Evidence(stored) as ev:
        rows = list_indicators(ev, indicator="composition_by_group", region="안산시",
                               periods=["2019년"], by="group+sex")
    assert rows.height == 14  # seven groups × two sexes
    assert set(rows["breakdown_dim"]) == {"group+sex"}


@pytest.mark.parametrize("typed", ["", "  "])
def test_an_empty_id_is_refused_not_read_as_every_indicator(stored: Path, typed: str) -> None:
    # `--id "$ID"` with ID unset listed every indicator of 안산시, as if no id were given
    from tests.conftest import run_cli

    result = run_cli("indicators", "--db", str(stored), "--id", typed, "--region", "41270",
                     "--period", "2019")
    assert result.exit_code == 1
    assert "--id is empty" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

"""A DP release answers from its grid: the stored table never decides what is answered.

Asked through the gate with a DP policy, a region where nobody of a rare nationality
lives got "nothing matches" and the two regions where its 5 persons live got a noisy
0: the error told an attacker where they live. A declared nationality nobody has was
refused with the list of the codes that occur. Every such question is answered now.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from migralink.codes.nationalities import nationality_table
from migralink.disclosure import DisclosurePolicy, publish_query
from migralink.errors import QueryError
from migralink.evidence import Evidence
from migralink.store.query import QuerySpec
from migralink.store.register import aggregate_register
from migralink.store.synthetic import REGISTER_DIMENSIONS, REGISTER_META, synthetic_register

DP = DisclosurePolicy(dp_epsilon=1.0)
REGISTER = "register_nationality"


def build_register(path: Path) -> pl.DataFrame:
    """A 3,000-person register by nationality (seed 7); its persons."""
    persons = pl.DataFrame(pl.from_arrow(synthetic_register(3_000, seed=7)))
    with Evidence(path) as ev:
        ev.gateway.register("persons", persons)
        aggregate_register(ev.gateway, "persons",
                           [d for d in REGISTER_DIMENSIONS if d.id == "nationality"],
                           replace(REGISTER_META, id=REGISTER), period="2024",
                           source="tests: synthetic register n=3000 seed=7")
    return persons


def rare_and_absent(persons: pl.DataFrame) -> tuple[str, list[str], list[str], str]:
    """The rarest nationality, the regions it lives in, two where it does not, and a
    declared nationality nobody has."""
    counts = persons["nationality"].value_counts().sort("count", "nationality")
    rare = str(counts["nationality"][0])
    lives = sorted(set(persons.filter(pl.col("nationality") == rare)["region"].to_list()))
    others = sorted(set(persons["region"].to_list()) - set(lives))[:2]
    absent = next(c for c in nationality_table()["code"].to_list()
                  if c not in set(persons["nationality"].to_list()) and "-" not in c)
    return rare, lives, others, absent


def test_a_dp_answer_does_not_depend_on_which_cells_are_empty(tmp_path: Path) -> None:
    persons = build_register(tmp_path / "ev.duckdb")
    rare, lives, others, absent = rare_and_absent(persons)
    assert lives
    assert others
    with Evidence(tmp_path / "ev.duckdb") as ev:
        shapes = set()
        for code in (rare, absent):
            for region in (None, *lives, *others):
                got = publish_query(ev.gateway, QuerySpec(
                    dataset=REGISTER, periods=("2024",), region=region,
                    filters=(("nationality", code),)), policy=DP)
                assert got.frame.height == 1, (code, region)
                shapes.add((tuple(got.frame.columns), got.frame["conf_status"][0]))
                assert not got.notes
        assert len(shapes) == 1  # the same shape, present or not
        # a code that is no nationality is still refused, by the declared list
        with pytest.raises(QueryError, match="'Atlantis' is not a code of nationality"):
            publish_query(ev.gateway, QuerySpec(dataset=REGISTER, filters=(
                ("nationality", "Atlantis"),)), policy=DP)

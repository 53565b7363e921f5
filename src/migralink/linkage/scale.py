"""A spec for registers of a million records, and a DuckDB connection sized for the run.

The blocking rules of :func:`.presets.default_spec` join on a name key or a name word alone,
or on the date of birth alone: the pairs they generate grow with the square of the register
(5.3 M pairs at 100,000 × 94,082, ~600 M at a million). :func:`scale_spec` compares the same
fields with the same comparisons, but every blocking rule joins a name key *and* part of the
date of birth, or the full date of birth *and* demographics, so that each block stays small:
1.9 M pairs at 300,000 × 282,489 for a blocking recall of 0.975 (0.988 with the default
rules), measured by ``bench/linkage.py --scale``.

Training is what recovers the generating m of the synthetic registers
(``tests/linkage/test_training.py``):

* the name is trained on pairs with the same date of birth and region (not on names);
* the date of birth, sex and region are trained on pairs with the same sorted name key *and
  nationality*. A name predicts the nationality, so among namesakes of different origin
  nationality agrees far more often than its random-pair u says; with nationality in the
  rule, EM no longer mistakes namesakes for matches (m of dob exact 0.59 → 0.94);
* both sessions run on a random share of the left records (``<uid>__bucket``, see
  :func:`.engine.prepare`): unbiased, and the cost stays bounded at a million records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migralink.errors import ConfigError
from migralink.linkage.spec import Comparison, LinkageSpec

__all__ = ["duckdb_api", "scale_spec"]


def _rules(n: str) -> tuple[str, ...]:
    s, a, f, la, lk = (f"l.{n}__skey = r.{n}__skey", f"l.{n}__akey = r.{n}__skey",
                       f"l.{n}__first", f"l.{n}__last", f"l.{n}__lkey = r.{n}__skey")
    year = "substr(l.dob, 1, 4) = substr(r.dob, 1, 4)"
    day = "substr(l.dob, 6, 5) = substr(r.dob, 6, 5)"  # month and day: the year mistyped
    no_dob = "(l.dob IS NULL OR r.dob IS NULL)"
    words = [f"{x} = r.{n}__{y}" for x in (f, la) for y in ("first", "last")]
    return (
        f"{s} AND {year}", f"{a} AND {year}", f"l.{n}__skey = r.{n}__akey AND {year}",
        f"{lk} AND {year}", f"{s} AND {day}",
        f"{s} AND l.nationality = r.nationality AND l.sex = r.sex AND l.region = r.region",
        f"{a} AND {no_dob}",
        f"{f} = r.{n}__first AND {la} = r.{n}__last AND {no_dob} AND l.sex = r.sex",
        *(f"{w} AND l.dob = r.dob" for w in words),
        f"{f} = r.{n}__first AND {la} = r.{n}__last AND {year}",
        f"{f} = r.{n}__last AND {la} = r.{n}__first AND {year}",
        *(f"{w} AND {day} AND l.region = r.region" for w in words),
        # names that share no key: the date of birth and demographics must agree
        "l.dob = r.dob AND l.nationality = r.nationality AND l.sex = r.sex",
        "l.dob = r.dob AND l.region = r.region",
        f"{year} AND substr(l.dob, 6, 2) = substr(r.dob, 9, 2) AND substr(l.dob, 9, 2) = "
        "substr(r.dob, 6, 2) AND l.nationality = r.nationality AND l.sex = r.sex",
        "substr(l.dob, 1, 7) = substr(r.dob, 1, 7) AND l.nationality = r.nationality AND "
        f"l.sex = r.sex AND l.region = r.region AND substr(l.{n}__skey, 1, 1) = "
        f"substr(r.{n}__skey, 1, 1)",
    )


def scale_spec(*, training_share: float = 1.0, name: str = "full_name",
               unique_id: str = "rec_id", u_max_pairs: float = 5e6) -> LinkageSpec:
    """Migrant registers at scale: the comparisons of :func:`.presets.default_spec`, blocking
    that grows slowly with the registers, EM that recovers m (see module docstring).

    Args:
        training_share: share of the left records the EM sessions use (1.0: all; e.g. 0.2
            at a million records).
        name: the full-name column.
        unique_id: the record id column.
        u_max_pairs: random pairs sampled for u.
    """
    if not 0 < training_share <= 1:
        raise ConfigError(f"training_share {training_share} is not a share in (0, 1]",
                          hint="give e.g. 0.2 to train on a fifth of the records")
    sample = "" if training_share >= 1 else \
        f" AND l.{unique_id}__bucket < {max(1, round(training_share * 1000))}"
    s = f"{name}__skey"
    return LinkageSpec(
        comparisons=(Comparison(name, "xscript_name", (0.92, 0.85, 0.75), True, "nationality"),
                     Comparison("dob", "date"), Comparison("sex"), Comparison("nationality"),
                     Comparison("region")),
        blocking_rules=_rules(name),
        training_rules=(f"l.dob = r.dob AND l.region = r.region{sample}",
                        f"l.{s} = r.{s} AND l.nationality = r.nationality{sample}"),
        deterministic_rules=(f"l.{s} = r.{s} AND l.dob = r.dob",),
        deterministic_recall=0.6,
        unique_id=unique_id,
        # one record per person in each register: a record keeps its single best link, so
        # even odds suffice (at 100,000 × 94,082: P 0.982 → 0.9996, R 0.953 → 0.961)
        threshold=0.5,
        one_to_one=True,
        u_max_pairs=u_max_pairs,
        ignore_columns=("person_id",),
        name="migrant registers at scale",
    )


def duckdb_api(*, threads: int | None = None, memory_limit: str | None = None,
               temp_directory: Path | None = None) -> Any:
    """A Splink ``DuckDBAPI`` on a new in-memory DuckDB with explicit resources: ``threads``
    (default: all cores), ``memory_limit`` (e.g. ``"12GB"``; DuckDB spills beyond it to
    ``temp_directory``)."""
    import duckdb
    from splink import DuckDBAPI

    config: dict[str, Any] = {}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_directory is not None:
        temp_directory.mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(temp_directory)
    return DuckDBAPI(connection=duckdb.connect(config=config))

"""The linkage spec: JSON round trip, and errors that say what to fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migralink.errors import ConfigError
from migralink.linkage import Comparison, LinkageSpec, default_spec, febrl_spec
from migralink.linkage.comparisons import splink_comparison
from migralink.linkage.scale import scale_spec


@pytest.mark.parametrize("spec", [default_spec(), default_spec(cross_script=False),
                                  febrl_spec(link_type="dedupe_only"),
                                  scale_spec(training_share=0.2)])
def test_spec_round_trips_through_json(spec: LinkageSpec, tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(spec.to_json(), "utf-8")
    assert LinkageSpec.load(path) == spec


def test_unknown_keys_and_bad_values_are_named() -> None:
    raw = json.loads(febrl_spec().to_json())
    with pytest.raises(ConfigError, match="unknown linkage spec keys: blocking"):
        LinkageSpec.from_dict({**raw, "blocking": []})
    with pytest.raises(ConfigError, match=r"threshold 1\.5"):
        LinkageSpec.from_dict({**raw, "threshold": 1.5})
    with pytest.raises(ConfigError, match="unknown comparison kind 'soundex'"):
        Comparison("surname", "soundex")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="needs thresholds"):
        Comparison("surname", "jaro_winkler")
    with pytest.raises(ConfigError, match="not JSON"):
        LinkageSpec.from_json("{")


def test_cross_script_comparison_sql_per_dialect() -> None:
    c = Comparison("full_name", "xscript_name", (0.9,), True, "nationality")
    duck = json.dumps(splink_comparison(c, "duckdb"))
    spark = json.dumps(splink_comparison(c, "spark"))
    assert "jaro_winkler_similarity(" in duck
    assert "jaro_winkler_similarity(" not in spark
    assert "jaro_winkler(" in spark
    levels = splink_comparison(c, "duckdb")["comparison_levels"]
    assert levels[0]["is_null_level"]
    assert levels[-1]["sql_condition"] == "ELSE"
    assert levels[1]["tf_adjustment_column"] == "full_name__skey"

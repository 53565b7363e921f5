"""The neutral model: value kinds, defaults, validation and the JSON round trip."""

from __future__ import annotations

import pytest

from migralink.model import (
    ADDITIVE_KINDS,
    VALUE_KINDS,
    DatasetMeta,
    DatasetRef,
    DimensionMeta,
    Measure,
    from_json,
    is_additive,
    strictest,
    to_json,
)


def test_only_counts_and_currency_add_up() -> None:
    assert set(VALUE_KINDS) == {"count", "rate", "share", "index", "currency", "number"}
    assert {"count", "currency"} == ADDITIVE_KINDS
    assert [k for k in VALUE_KINDS if is_additive(k)] == ["count", "currency"]
    assert Measure(value_kind="share").additive is False
    assert Measure(value_kind="currency").additive is True


def test_a_dataset_without_measures_has_one_count_in_its_unit() -> None:
    meta = DatasetMeta("d", "표", "Table", "pub", "", "", unit="households")
    assert meta.measures == (Measure(unit="households"),)
    assert meta.measure_ids == ("value",)
    assert meta.measure().value_kind == "count"


def test_bad_vocabulary_is_refused() -> None:
    with pytest.raises(ValueError, match="value_kind"):
        Measure(value_kind="percent")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="role"):
        DimensionMeta("sex", role="quantity")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="first measure"):
        DatasetMeta("d", "", "", "", "", "", measures=(Measure("numerator"),))


def test_json_round_trip() -> None:
    meta = DatasetMeta(
        "indicators", "지표", "Indicators", "migralink", "", "", unit="mixed",
        measures=(Measure(value_kind="number", unit="%"), Measure("numerator", "분자", "n")),
    )
    assert from_json(DatasetMeta, to_json(meta)) == meta
    dim = DimensionMeta("sex", "성별", "Sex", "sex", "_T")
    assert from_json(DimensionMeta, to_json(dim)) == dim
    assert from_json(Measure, to_json(Measure())) == Measure()
    ref = DatasetRef("population_sigungu", 3)
    assert from_json(DatasetRef, to_json(ref)) == ref
    assert "지표" in to_json(meta)


def test_strictest_sensitivity() -> None:
    assert strictest() == "public"
    assert strictest("public", "public") == "public"
    assert strictest("public", "protected") == "protected"
    assert str(DatasetRef("a", 2)) == "a v2"

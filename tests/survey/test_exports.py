"""The survey capability's public surface."""

from __future__ import annotations

import migralink.survey as survey


def test_public_names_exist_and_are_few() -> None:
    for name in survey.__all__:
        assert hasattr(survey, name), name
    assert {"Survey", "DesignSpec", "fay_herriot", "store_estimates"} <= set(survey.__all__)
    assert len(survey.__all__) <= 16

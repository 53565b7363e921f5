"""The dashboard menu's facts about a dataset, from what a mapping says."""

from __future__ import annotations

import pytest

from migralink.api.routes.menu import _publisher
from migralink.sources.registry import builtin_mappings


def _hangul(text: str) -> bool:
    return any("가" <= ch <= "힣" for ch in text)


def test_every_shipped_publisher_splits_into_korean_and_english() -> None:
    split = 0
    for spec in builtin_mappings():
        text = spec.meta.publisher or ""
        parts = _publisher(text)
        if "(" in text and _hangul(text.split("(", 1)[0]):
            assert parts["ko"] != parts["en"], text
            assert not _hangul(parts["en"]), parts
            split += 1
    assert split >= 10


@pytest.mark.parametrize("text", [
    "<b onmouseover=alert(1)>Evil</b> publisher",  # was {"ko": "<b onmouseover=alert", "en": "1"}
    "법무부 (출입국)", "UN DESA Population Division",
])
def test_a_publisher_that_is_not_korean_then_english_is_shown_whole(text: str) -> None:
    assert _publisher(text) == {"ko": text, "en": text}

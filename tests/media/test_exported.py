"""The media package's public surface."""

from __future__ import annotations

import migralink.media as media


def test_all_names_exist() -> None:
    assert media.__all__ == sorted(media.__all__, key=lambda n: (n[0].islower(), n))
    for name in media.__all__:
        assert hasattr(media, name), name

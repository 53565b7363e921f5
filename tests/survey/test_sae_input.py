"""`survey sae` input checks through the real CLI, on real direct estimates and covariates.

The direct estimates are apisrs's mean API by county (``Survey.mean``); the covariate is
each county's share of meals from the API population file. Each bad file changes one
cell of the good one, so the message's row can be checked.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from migralink.survey import DesignSpec, Survey
from tests.conftest import run_cli
from tests.survey.designs import dataset


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sae")
    srs = Survey.build(dataset("apisrs"), DesignSpec(fpc=("fpc",)))
    direct = (srs.mean("api00", by="cname").filter(pl.col("se") > 0)
              .select(pl.col("cname").alias("region"), "estimate", "se"))
    cov = (dataset("apipop").group_by("cname").agg(pl.col("meals").mean().alias("x1"))
           .rename({"cname": "region"}).sort("region"))
    assert direct.height > 10
    direct.write_csv(folder / "sae_dir.csv")
    cov.write_csv(folder / "sae_cov.csv")
    return folder / "sae_dir.csv", folder / "sae_cov.csv"


def _edit(path: Path, name: str, column: str, index: int, value: str) -> Path:
    frame = pl.read_csv(path)
    cells = frame.get_column(column).cast(pl.Utf8).to_list()
    cells[index] = value
    out = path.with_name(name)
    frame.with_columns(pl.Series(column, cells)).write_csv(out)
    return out


def _sae(direct: Path, cov: Path) -> tuple[int, str]:
    result = run_cli("survey", "sae", str(direct), "--covariates", str(cov), "--x", "x1",
                     "--format", "csv")
    return result.exit_code, result.stdout if result.exit_code == 0 else result.stderr


def test_good_files_give_one_estimate_per_county(files: tuple[Path, Path]) -> None:
    code, text = _sae(*files)
    assert code == 0, text
    assert pl.read_csv(files[1]).height == text.count("\n") - 1


def test_a_repeated_area_is_refused(files: tuple[Path, Path]) -> None:
    direct, cov = files
    frame = pl.read_csv(direct)
    dup = direct.with_name("sae_dir_dup.csv")
    pl.concat([frame, frame.slice(2, 1)]).write_csv(dup)
    code, text = _sae(dup, cov)
    line = " ".join(text.split())
    assert code == 1
    assert len(text.strip().splitlines()) == 1
    area = frame["region"][2]
    assert f"file sae_dir_dup.csv, row {frame.height + 2}, column 'region'" in line
    assert f"repeat area {area!r} (first on row 4)" in line


@pytest.mark.parametrize(("which", "column", "value", "says"), [
    ("direct", "se", "-1.166", "direct SE -1.166 is not positive"),
    ("direct", "estimate", "n/a", "holds text 'n/a'"),
    ("covariates", "x1", "high", "holds text 'high'"),
])
def test_bad_cells_name_file_row_and_column(files: tuple[Path, Path], which: str,
                                            column: str, value: str, says: str) -> None:
    direct, cov = files
    name = f"bad_{which}.csv"
    if which == "direct":
        direct = _edit(direct, name, column, 1, value)
    else:
        cov = _edit(cov, name, column, 3, value)
    code, text = _sae(direct, cov)
    assert code == 1, text
    assert len(text.strip().splitlines()) == 1, text
    row = 3 if which == "direct" else 5
    line = " ".join(text.split())
    assert f"file {name}, row {row}, column '{column}'" in line
    assert says in line

"""R ``survey`` as the test oracle: run an R script on the same data and read its CSV.

The tests call the real ``Rscript`` (Debian's r-base-core with r-cran-survey, installed
by ``make``); nothing here is used by the product.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polars as pl

PRELUDE = """
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail", survey.replicates.mse = FALSE)
"""


def run_r(script: str, workdir: Path, timeout: float = 120) -> pl.DataFrame:
    """Run ``script`` (which must write ``out.csv`` in its working directory)."""
    rscript = shutil.which("Rscript")
    assert rscript is not None, "Rscript is needed as the test oracle (make installs it)"
    path = workdir / "oracle.R"
    path.write_text(PRELUDE + script, encoding="utf-8")
    done = subprocess.run([rscript, "--vanilla", str(path)], cwd=workdir, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"R failed:\n{done.stderr[-2000:]}"
    return pl.read_csv(workdir / "out.csv", null_values=["NA", ""], infer_schema_length=None)

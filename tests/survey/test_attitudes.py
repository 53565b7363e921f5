"""Real attitudes-to-immigration data by region and sex, against R's own numbers.

ESS round 10 Norway (three 0–10 items) and the GSS 2016/2018 immigration item, each
estimated by region × sex with migralink and with R ``survey`` on the same CSV files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from migralink.survey import DesignSpec, ReplicateSpec, Survey
from tests.survey.designs import ATTITUDES, dataset
from tests.survey.oracle import run_r

ESS_ITEMS = ("imbgeco", "imueclt", "imwbcnt")


def _compare(mine: pl.DataFrame, r: pl.DataFrame, keys: list[str], item: str) -> int:
    # domain labels are text in migralink's tables
    r = r.with_columns([pl.col(k).cast(pl.Utf8) for k in keys])
    mine = mine.with_columns([pl.col(k).cast(pl.Utf8) for k in keys])
    joined = mine.join(r.rename({item: "r_est", "se": "r_se"}), on=keys, how="inner")
    assert joined.height == r.height == mine.height, (
        f"{item}: domains differ: migralink {mine.height}, R {r.height}, common {joined.height}")
    np.testing.assert_allclose(joined["estimate"], joined["r_est"], rtol=1e-9)
    np.testing.assert_allclose(joined["se"], joined["r_se"], rtol=1e-7)
    return joined.height


@pytest.fixture(scope="module")
def ess_r(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    # one R session for the three items (R takes seconds to start)
    both = run_r(f"""
ess <- read.csv("{ATTITUDES / 'ess10_norway.csv'}", encoding = "UTF-8")
d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~anweight, data = ess)
out <- do.call(rbind, lapply(c({", ".join(repr(i) for i in ESS_ITEMS)}), function(item) {{
  b <- svyby(as.formula(paste0("~", item)), ~region + female, d, svymean, na.rm = TRUE)
  data.frame(item = item, region = b$region, female = b$female, est = coef(b), se = SE(b))
}}))
write.csv(out, "out.csv", row.names = FALSE, fileEncoding = "UTF-8")
""", tmp_path_factory.mktemp("ess"))
    return {item: both.filter(pl.col("item") == item).drop("item").rename({"est": item})
            for item in ESS_ITEMS}


@pytest.mark.parametrize("item", ESS_ITEMS)
def test_ess10_norway_by_region_and_sex(item: str, ess_r: dict[str, pl.DataFrame]) -> None:
    s = Survey.build(dataset("ess"), DesignSpec(weights="anweight", strata="stratum",
                                                clusters=("psu",)))
    mine = s.mean(item, by=["region", "female"], na_rm=True)
    r = ess_r[item]
    # 6 NUTS-2 regions × 2 sexes
    assert _compare(mine, r, ["region", "female"], item) == 12


@pytest.mark.parametrize(("year", "replicate"), [(2016, False), (2018, False), (2018, True)])
def test_gss_by_region_and_sex(year: int, replicate: bool, tmp_path: Path) -> None:
    rep = "BRR" if replicate else None
    r = run_r(f"""
gss <- subset(read.csv("{ATTITUDES / 'gss_2016_2018_immigration.csv'}"), year == {year})
gss$reduce <- ifelse(is.na(gss$letin1a), NA, as.numeric(gss$letin1a %in% 4:5))
d <- svydesign(ids = ~vpsu, strata = ~vstrat, weights = ~wtssall, nest = TRUE, data = gss)
if ({'TRUE' if replicate else 'FALSE'}) d <- as.svrepdesign(d, type = "BRR")
a <- svyby(~letin1a, ~region + sex, d, svymean, na.rm = TRUE)
b <- svyby(~reduce, ~region + sex, d, svymean, na.rm = TRUE)
write.csv(data.frame(region = a$region, sex = a$sex, letin1a = coef(a), se = SE(a),
                     reduce = coef(b), se_reduce = SE(b)), "out.csv", row.names = FALSE)
""", tmp_path)
    frame = dataset("gss").filter(pl.col("year") == year)
    spec = DesignSpec(weights="wtssall", strata="vstrat", clusters=("vpsu",), nest=True,
                      replicate=None if rep is None else ReplicateSpec("BRR"))
    s = Survey.build(frame, spec)
    keys = ["region", "sex"]
    mean = s.mean("letin1a", by=keys, na_rm=True)
    share = s.mean("reduce", by=keys, na_rm=True)
    # 9 census divisions × 2 sexes
    assert _compare(mean, r.select(*keys, "letin1a", "se"), keys, "letin1a") == 18
    assert _compare(share, r.select(*keys, pl.col("reduce"), pl.col("se_reduce").alias("se")),
                    keys, "reduce") == 18
    assert share["reliability"].is_in(["ok", "caution", "withheld"]).all()

"""Figures that cannot be right are errors: empty domains, impossible replicate designs,
and the domain case of lonely_psu "average" (checked against R's svyby)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from migralink.errors import ConfigError, InputError
from migralink.survey import DesignSpec, ReplicateSpec, Survey
from tests.conftest import run_cli
from tests.survey.designs import DATASETS, dataset
from tests.survey.oracle import run_r

STRAT = DesignSpec(weights="pw", strata="stype", fpc=("fpc",))


def _dom_empty() -> pl.DataFrame:
    """apistrat with api00 (and a 0/1 item made from it) blank for every high school."""
    frame = pl.read_csv(DATASETS / "apistrat.csv", infer_schema_length=None)
    high = pl.col("stype") == "H"
    return frame.with_columns(
        pl.when(high).then(None).otherwise(pl.col("api00")).alias("api00"),
        pl.when(high).then(None).otherwise((pl.col("api00") > 700).cast(pl.Int64))
        .alias("over700"))


@pytest.mark.parametrize("statistic", ["total", "mean", "quantile", "proportion"])
def test_a_domain_without_answers_is_not_estimable(statistic: str) -> None:
    s = Survey.build(_dom_empty(), STRAT)
    variable = "over700" if statistic == "proportion" else "api00"
    with pytest.raises(InputError, match="domain stype = H has no answered rows"):
        getattr(s, statistic)(variable, by="stype", na_rm=True)
    # the other domains are estimable on their own
    fine = Survey.build(_dom_empty().filter(pl.col("stype") != "H"), STRAT)
    table = getattr(fine, statistic)(variable, by="stype", na_rm=True)
    assert set(table["stype"]) == {"E", "M"}
    assert table["se"].min() > 0


def test_a_ratio_with_a_zero_denominator_in_a_domain_is_not_estimable() -> None:
    frame = pl.read_csv(DATASETS / "apistrat.csv", infer_schema_length=None)
    zero = frame.with_columns(pl.when(pl.col("stype") == "H").then(0)
                              .otherwise(pl.col("enroll")).alias("enroll"))
    with pytest.raises(InputError, match="api00/enroll in domain stype = H cannot be"):
        Survey.build(zero, STRAT).ratio("api00", "enroll", by="stype")
    assert Survey.build(frame, STRAT).ratio("api00", "enroll", by="stype")["se"].gt(0).all()


def test_an_empty_domain_is_not_stored(tmp_path: Path) -> None:
    data = tmp_path / "dom_empty.csv"
    _dom_empty().write_csv(data)
    design = tmp_path / "strat.json"
    design.write_text(STRAT.to_json(), encoding="utf-8")
    db = tmp_path / "e.duckdb"
    result = run_cli("survey", "estimate", str(data), "--design", str(design), "--total",
                     "api00", "--by", "stype", "--na-rm", "--store", "survey_dom",
                     "--db", str(db), "--period", "2000")
    assert result.exit_code == 1
    assert "file dom_empty.csv: domain stype = H has no answered rows" in \
        " ".join(result.stderr.split())
    assert "stored" not in result.stderr
    assert not db.exists()  # nothing reached the evidence base


def test_lonely_average_by_domain_matches_r_svyby(tmp_path: Path) -> None:
    # apistrat with a single high school: stratum H is lonely
    frame = pl.read_csv(DATASETS / "apistrat.csv", infer_schema_length=None)
    frame = frame.filter((pl.col("stype") != "H") | (pl.col("snum") == pl.col("snum")
                                                        .filter(pl.col("stype") == "H").min()))
    frame.write_csv(tmp_path / "lonely.csv")
    r = run_r("""
options(survey.lonely.psu = "average")
d <- read.csv("lonely.csv")
des <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, data = d)
b <- svyby(~api00, ~stype, des, svymean)
m <- svymean(~api00, des)
write.csv(data.frame(stype = c(as.character(b$stype), "all"), est = c(b$api00, coef(m)),
                     se = c(b$se, SE(m))), "out.csv", row.names = FALSE)
""", tmp_path)
    spec = DesignSpec(weights="pw", strata="stype", lonely_psu="average")
    s = Survey.build(frame, spec)
    assert r.filter(pl.col("stype") == "H")["se"].null_count() == 1  # R: NaN
    with pytest.raises(ConfigError, match=r"domain stype = H .* no other stratum"):
        s.mean("api00", by="stype")
    # a proportion and a quantile are estimated one domain at a time: the message must
    # still name the domain and the variable, not "the sample" and "proportion"
    high = Survey.build(frame.with_columns((pl.col("api00") > 650).cast(pl.Int64)
                                           .alias("high")), spec)
    with pytest.raises(ConfigError, match=r"^domain stype = H has rows of high only"):
        high.proportion("high", by="stype")
    with pytest.raises(ConfigError, match=r"^domain stype = H has rows of api00 only"):
        s.quantile("api00", by="stype")
    whole = s.mean("api00")
    assert whole["se"][0] == pytest.approx(r.filter(pl.col("stype") == "all")["se"][0],
                                           rel=1e-9)
    # E and M by domain, on the full design (H still in it, lonely)
    no_h = frame.with_columns(pl.when(pl.col("stype") == "H").then(None)
                              .otherwise(pl.col("stype")).alias("dom"))
    by = Survey.build(no_h, spec).mean("api00", by="dom")
    for stype in ("E", "M"):
        want = r.filter(pl.col("stype") == stype)
        got = by.filter(pl.col("dom") == stype)
        assert got["estimate"][0] == pytest.approx(want["est"][0], rel=1e-12)
        assert got["se"][0] == pytest.approx(want["se"][0], rel=1e-9)


def _scd_rep() -> pl.DataFrame:
    return dataset("scd_given")  # scd.csv with R's ?svrepdesign BRR columns r1..r4 (0/2)


def test_replicate_columns_that_do_not_look_combined_are_refused(tmp_path: Path) -> None:
    _scd_rep().write_csv(tmp_path / "scd_rep.csv")
    r = run_r("""
d <- read.csv("scd_rep.csv")
msg <- ""
withCallingHandlers(
  svrepdesign(data = d, repweights = d[, c("r1", "r2", "r3", "r4")], type = "BRR",
              weights = ~arrests, combined.weights = TRUE),
  warning = function(w) { msg <<- conditionMessage(w); invokeRestart("muffleWarning") })
write.csv(data.frame(msg = msg), "out.csv", row.names = FALSE)
""", tmp_path)
    assert "do not look like combined weights" in r["msg"][0]
    cols = ("r1", "r2", "r3", "r4")
    with pytest.raises(ConfigError, match="do not look like combined weights"):
        Survey.build(_scd_rep(), DesignSpec(weights="arrests", replicate=ReplicateSpec(
            "BRR", columns=cols, combined=True)))
    # declared as factors they are fine, and give R's ?svrepdesign answer
    ok = Survey.build(_scd_rep(), DesignSpec(weights="arrests", replicate=ReplicateSpec(
        "BRR", columns=cols, combined=False)))
    assert ok.total("alive")["se"][0] > 0


@pytest.mark.parametrize(("replicate", "says"), [
    ({"type": "BRR", "columns": ["r1", "r2", "r3", "r4"], "scale": -1}, "not a positive"),
    ({"type": "BRR", "columns": ["r1", "r2", "r3", "r4"], "scale": 0}, "not a positive"),
    ({"type": "BRR", "columns": ["r1", "r1", "r1", "r1"]}, "repeat 'r1'"),
])
def test_impossible_replicate_specs_are_refused(tmp_path: Path, replicate: dict[str, object],
                                                says: str) -> None:
    _scd_rep().write_csv(tmp_path / "scd_rep.csv")
    design = tmp_path / "rep.json"
    design.write_text(json.dumps({"replicate": replicate}), encoding="utf-8")
    result = run_cli("survey", "estimate", str(tmp_path / "scd_rep.csv"), "--design",
                     str(design), "--total", "alive")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "rep.json" in result.stderr
    assert says in result.stderr


def test_identical_replicate_columns_are_refused() -> None:
    data = _scd_rep().with_columns(pl.col("r1").alias("r1_again"))
    with pytest.raises(ConfigError, match="'r1' and 'r1_again' are identical"):
        Survey.build(data, DesignSpec(replicate=ReplicateSpec(
            "BRR", columns=("r1", "r2", "r3", "r1_again"))))


def test_a_negative_replicate_weight_gives_r_s_answer(tmp_path: Path) -> None:
    # calibrated replicate weights can go below zero; R's svrepdesign takes them as they
    # are, and so do we (refusing them would refuse real published replicate files)
    data = _scd_rep().with_columns(pl.when(pl.int_range(pl.len()) == 0).then(-0.5)
                                   .otherwise(pl.col("r1")).alias("r1"))
    data.write_csv(tmp_path / "neg.csv")
    r = run_r("""
d <- read.csv("neg.csv")
des <- svrepdesign(data = d, repweights = d[, c("r1", "r2", "r3", "r4")], type = "BRR",
                   weights = ~arrests, combined.weights = FALSE)
t <- svytotal(~alive, des)
m <- svymean(~alive, des)
write.csv(data.frame(tot = coef(t), tse = SE(t), mean = coef(m), mse = SE(m)), "out.csv",
          row.names = FALSE)
""", tmp_path)
    s = Survey.build(data, DesignSpec(weights="arrests", replicate=ReplicateSpec(
        "BRR", columns=("r1", "r2", "r3", "r4"), combined=False)))
    total, mean = s.total("alive"), s.mean("alive")
    assert total["estimate"][0] == pytest.approx(r["tot"][0], rel=1e-12)
    assert total["se"][0] == pytest.approx(r["tse"][0], rel=1e-9)
    assert mean["se"][0] == pytest.approx(r["mse"][0], rel=1e-9)
    unchanged = Survey.build(_scd_rep(), DesignSpec(weights="arrests", replicate=ReplicateSpec(
        "BRR", columns=("r1", "r2", "r3", "r4"), combined=False)))
    assert unchanged.total("alive")["se"][0] != pytest.approx(total["se"][0])  # it counted

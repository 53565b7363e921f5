"""Training, scoring, thresholding and clustering with Splink 5, on DuckDB or Spark.

:func:`prepare` adds the derived columns a spec needs (phonetic name keys, ISO date strings);
:func:`run` fits the model — prior from deterministic rules, u by random sampling, m by
expectation maximisation on each training blocking rule — scores the candidate pairs, keeps
the links at the threshold, clusters them and builds the quality report.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from migralink.errors import ConfigError, InputError
from migralink.linkage.comparisons import Dialect, splink_comparison
from migralink.linkage.keys import key_columns_of
from migralink.linkage.spec import LinkageSpec
from migralink.linkage.validate import check_ids, check_records, normalise_dates

__all__ = ["LinkResult", "prepare", "run", "splink_settings", "with_parameters"]

Step = Callable[[str], None]


@dataclass(frozen=True)
class LinkResult:
    """What a linkage run produces.

    Attributes:
        links: pairs at or above the threshold (``<uid>_l``, ``<uid>_r``, ``source_dataset_l``,
            ``source_dataset_r``, ``match_weight``, ``match_probability``).
        scores: every scored candidate pair above a low floor, for the quality report.
        clusters: ``cluster_id`` of every record (links only connect across a threshold).
        model: the fitted Splink model (settings with m and u) as a JSON-able dict.
    """

    links: pl.DataFrame
    scores: pl.DataFrame
    clusters: pl.DataFrame
    model: dict[str, Any]


def prepare(frame: pl.DataFrame, spec: LinkageSpec, *, source: str = "input") -> pl.DataFrame:
    """Add the columns the spec's comparisons read; check that the inputs are there.

    Raises:
        InputError: no records, a column the spec needs is missing, an id is empty or
            repeats, a date is impossible or not in the spec's format (:mod:`.validate`).
    """
    needed = {spec.unique_id, *(c.column for c in spec.comparisons)}
    needed |= {c.nationality_column for c in spec.comparisons if c.nationality_column}
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise InputError(f"{source}: columns {', '.join(missing)} are missing",
                         hint=f"the spec {spec.name!r} compares them; rename or add them")
    check_records(frame, source, dedupe=spec.link_type == "dedupe_only")
    check_ids(frame, spec.unique_id, source)
    out = normalise_dates(frame.drop([c for c in spec.ignore_columns if c in frame.columns]),
                          spec, source)
    for c in spec.comparisons:
        if c.kind == "date":
            # the birth month under another name: an EM rule blocking on it still trains
            # the date comparison (Splink skips comparisons whose column a rule names)
            out = out.with_columns(pl.col(c.column).cast(pl.String).str.slice(5, 2)
                                   .alias(f"{c.column}__month"))
        if c.kind == "xscript_name":
            nat = c.nationality_column
            out = pl.concat([out, key_columns_of(out[c.column], out[nat] if nat else None,
                                                 c.column)], how="horizontal")
    # a stable pseudo-random bucket (0-999) per record: training rules that add
    # ``l.<uid>__bucket < k`` run EM on a random share of the records, which leaves the
    # conditional distributions (hence m) unbiased and bounds the cost at scale
    buckets = [zlib.crc32(str(v).encode()) % 1000 for v in out[spec.unique_id].to_list()]
    return out.with_columns(pl.Series(f"{spec.unique_id}__bucket", buckets, dtype=pl.Int32))


def splink_settings(spec: LinkageSpec, dialect: Dialect) -> dict[str, Any]:
    """The Splink settings dictionary of a spec."""
    return {
        "link_type": spec.link_type,
        "unique_id_column_name": spec.unique_id,
        "comparisons": [splink_comparison(c, dialect) for c in spec.comparisons],
        "blocking_rules_to_generate_predictions": list(spec.blocking_rules),
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": True,
        "additional_columns_to_retain": [],
        "em_convergence": 0.0001,
        "max_iterations": 25,
    }


def with_parameters(settings: dict[str, Any], model: dict[str, Any]) -> dict[str, Any]:
    """``settings`` with the prior and the m and u of a fitted ``model`` (same spec, any
    dialect): how a model trained on one engine scores on another."""
    fitted = {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}
    comparisons = []
    for comp in settings["comparisons"]:
        levels = fitted[comp["output_column_name"]]
        if len(levels) != len(comp["comparison_levels"]):
            raise ConfigError(f"the fitted model does not match comparison "
                              f"{comp['output_column_name']!r}", hint="refit with this spec")
        comparisons.append({**comp, "comparison_levels": [
            {**mine, **{k: lv[k] for k in ("m_probability", "u_probability") if k in lv}}
            for mine, lv in zip(comp["comparison_levels"], levels, strict=True)]})
    return {**settings, "comparisons": comparisons, "probability_two_random_records_match":
            model["probability_two_random_records_match"]}


def _linker(frames: Sequence[pl.DataFrame], names: Sequence[str], spec: LinkageSpec,
            db_api: Any, dialect: Dialect, model: dict[str, Any] | None = None) -> Any:
    from splink import Linker

    # Splink reports untrained levels (e.g. no day/month swap in a sample) as log warnings;
    # the quality report lists them, so they are not repeated on the console.
    logging.getLogger("splink").setLevel(logging.ERROR)

    dice_cols = [c.column for c in spec.comparisons if c.kind in ("dice", "bloom_name")]
    if dice_cols and dialect != "duckdb":
        raise ConfigError("Dice (Bloom-filter) comparisons run on DuckDB only",
                          hint="link encoded registers with the DuckDB backend")
    if dice_cols:
        # filters arrive as '0101…' text; stored once as BIT, so pairs compare with bit_count
        con = db_api.duckdb_con
        registered = []
        for f, n in zip(frames, names, strict=True):
            con.register("__ml_in", f.to_arrow())
            casts = ", ".join(f'CAST("{c}" AS BIT) AS "{c}"' for c in dice_cols)
            con.execute(f'CREATE OR REPLACE TABLE "__ml_{n}" AS '
                        f"SELECT * REPLACE ({casts}) FROM __ml_in")
            con.unregister("__ml_in")
            registered.append(db_api.register(f"__ml_{n}", dataset_display_name=n))
    else:
        registered = [db_api.register(f.to_arrow(), dataset_display_name=n)
                      for f, n in zip(frames, names, strict=True)]
    inputs = registered[0] if spec.link_type == "dedupe_only" else registered
    settings = splink_settings(spec, dialect)
    if model is not None:
        settings = with_parameters(settings, model)
    return Linker(inputs, settings, log_level=None)


def _train(linker: Any, spec: LinkageSpec, step: Step) -> None:
    step("prior from deterministic rules")
    rules = list(spec.deterministic_rules or spec.blocking_rules[:1])
    try:
        linker.training.estimate_probability_two_random_records_match(
            rules, recall=spec.deterministic_recall)
        prior = linker.misc.save_model_to_json().get("probability_two_random_records_match", 0)
    except ZeroDivisionError:  # Splink divides by the number of pairs: none at all
        prior = 0
    if not prior or prior <= 0:
        raise ConfigError(f"the deterministic rules {rules} find no pairs, so the prior "
                          "probability of a match would be 0",
                          hint="give deterministic_rules that hold for many true matches")
    step("u by random sampling")
    # no early stopping: Splink 5's probe chunk gave a biased u (nationality 0.26 instead of
    # 0.22 on the synthetic registers), the full sample does not
    linker.training.estimate_u_using_random_sampling(
        max_pairs=spec.u_max_pairs, seed=spec.seed, min_count_per_level=None)
    for rule in spec.training_rules:
        step(f"m by EM on {rule}")
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True)
        except (ValueError, ZeroDivisionError) as exc:  # Splink's EM when no pair matches
            raise ConfigError(
                f"EM training on blocking rule {rule!r} failed ({exc})",
                hint="choose a training rule whose pairs include true matches, e.g. equal "
                     "date of birth") from exc


def _orient(scores: pl.DataFrame, names: Sequence[str], uid: str) -> pl.DataFrame:
    """Put the record of the earlier input on the left (Splink orders by dataset name)."""
    rank = {n: i for i, n in enumerate(names)}
    flip = (pl.col("source_dataset_l").replace_strict(rank, return_dtype=pl.Int64)
            > pl.col("source_dataset_r").replace_strict(rank, return_dtype=pl.Int64))
    swaps = {"source_dataset_l": "source_dataset_r", f"{uid}_l": f"{uid}_r"}
    return scores.with_columns(
        *[pl.when(flip).then(pl.col(b)).otherwise(pl.col(a)).alias(a) for a, b in swaps.items()],
        *[pl.when(flip).then(pl.col(a)).otherwise(pl.col(b)).alias(b) for a, b in swaps.items()])


def _same_cluster(links: pl.DataFrame, clusters: pl.DataFrame, uid: str) -> pl.DataFrame:
    """The links whose two records ended in the same cluster."""
    ids = clusters.with_columns(pl.col(uid).cast(links[f"{uid}_l"].dtype))
    keyed = [ids.rename({"cluster_id": f"cluster_{s}", "source_dataset": f"source_dataset_{s}",
                         uid: f"{uid}_{s}"}) for s in ("l", "r")]
    joined = (links.join(keyed[0], on=["source_dataset_l", f"{uid}_l"], how="left")
              .join(keyed[1], on=["source_dataset_r", f"{uid}_r"], how="left"))
    return (joined.filter(pl.col("cluster_l") == pl.col("cluster_r"))
            .drop("cluster_l", "cluster_r"))


def run(frames: Sequence[pl.DataFrame], spec: LinkageSpec, *, names: Sequence[str] | None = None,
        db_api: Any = None, score_floor: float = 0.01, step: Step | None = None,
        model: dict[str, Any] | None = None, cluster: bool = True) -> LinkResult:
    """Fit the spec's model on ``frames``, score, threshold and cluster.

    Args:
        frames: the prepared inputs (:func:`prepare`): two or more for linking, one to dedupe.
        spec: the linkage spec.
        names: display names of the inputs (``source_dataset``).
        db_api: a Splink ``DuckDBAPI`` or ``SparkAPI``; a new in-memory DuckDB by default.
        score_floor: pairs below this match probability are not kept in ``scores``.
        step: called with the name of each step (progress reporting).
        model: a model fitted earlier (``LinkResult.model``) to score with, instead of
            training: the way to score on Spark with parameters fitted on DuckDB.
        cluster: also cluster the links (connected components).
    """
    if spec.link_type == "dedupe_only" and len(frames) != 1:
        raise ConfigError("dedupe_only takes exactly one input", hint="use link_type link_only")
    if spec.link_type != "dedupe_only" and len(frames) < 2:
        raise ConfigError(f"{spec.link_type} needs at least two inputs",
                          hint="give LEFT and RIGHT, or use `migralink dedupe`")
    step = step or (lambda _s: None)
    names = list(names or [f"input_{i}" for i in range(len(frames))])
    for frame, name in zip(frames, names, strict=True):
        if frame.height == 0:
            raise InputError(f"{name}: has no records",
                             hint="give a file with a header row and at least one record")
    if spec.link_type == "dedupe_only" and frames[0].height < 2:
        raise InputError(f"{names[0]}: has one record, and deduplication needs at least two",
                         hint="give the whole register")
    if db_api is None:
        from splink import DuckDBAPI

        db_api = DuckDBAPI()
    dialect: Dialect = "spark" if type(db_api).__name__ == "SparkAPI" else "duckdb"
    linker = _linker(frames, names, spec, db_api, dialect, model)
    if model is None:
        _train(linker, spec, step)
    step("scoring candidate pairs")
    predict = linker.inference.predict(threshold_match_probability=score_floor)
    uid = spec.unique_id
    linking = spec.link_type != "dedupe_only"
    src_l, src_r, src = (("source_dataset_l, ", "source_dataset_r, ", "source_dataset, ")
                         if linking else ("", "", ""))
    cols = f"{src_l}{uid}_l, {src_r}{uid}_r, match_weight, match_probability"
    gammas = ", ".join(f"gamma_{c.column}" for c in spec.comparisons)
    scores = pl.from_arrow(predict.query_sql(
        f"SELECT {cols}, {gammas} FROM {{this}}").as_pyarrow_table())
    assert isinstance(scores, pl.DataFrame)
    if linking:
        scores = _orient(scores, names, uid)
    links = scores.filter(pl.col("match_probability") >= spec.threshold)
    clusters = pl.DataFrame()
    if cluster or spec.one_to_one:
        step("clustering")
        if spec.one_to_one:  # registers without duplicates: single best links
            clusters_sdf = linker.clustering.cluster_using_single_best_links(
                predict, duplicate_free_datasets=names,
                threshold_match_probability=spec.threshold)
        else:
            clusters_sdf = linker.clustering.cluster_pairwise_predictions_at_threshold(
                predict, threshold_match_probability=spec.threshold)
        table = pl.from_arrow(clusters_sdf.query_sql(
            f"SELECT cluster_id, {src}{uid} FROM {{this}}").as_pyarrow_table())
        assert isinstance(table, pl.DataFrame)
        clusters = table
        if spec.one_to_one:
            links = _same_cluster(links, clusters, uid)
    model = linker.misc.save_model_to_json()
    return LinkResult(links, scores, clusters, model)

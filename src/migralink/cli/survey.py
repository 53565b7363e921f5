"""Survey commands: ``migralink survey estimate`` and ``migralink survey sae``."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import polars as pl
import typer

from migralink.cli.apps import app
from migralink.cli.output import DEFAULT_DB, Format, err, guard, show
from migralink.errors import ConfigError, InputError, MigralinkError

if TYPE_CHECKING:
    from migralink.survey import DesignSpec, Survey

__all__ = ["estimate", "sae", "survey_app"]

survey_app = typer.Typer(help="Design-based survey estimates (R survey's conventions) and "
                              "small-area estimates for local governments.")
app.add_typer(survey_app, name="survey")

Many = Annotated[list[str] | None, typer.Option(help="Repeat for several.")]
StoreOpt = Annotated[str | None, typer.Option(
    "--store", help="Also store the results as this dataset in the evidence base.")]
DbOpt = Annotated[Path, typer.Option("--db", help="The evidence base (with --store).")]
PeriodOpt = Annotated[str | None, typer.Option(help="Reference period (with --store).")]
RegionOpt = Annotated[str | None, typer.Option(
    "--region", help="The --by column holding region codes (with --store).")]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
OutputOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _estimates(data: Path, design: Path, means: list[str], totals: list[str],
               ratios: list[str], proportions: list[str], quantiles: list[str],
               by: list[str] | None, na_rm: bool) -> tuple[pl.DataFrame, str]:
    from migralink.survey import Survey, load_spec
    from migralink.survey.checks import in_file

    spec = load_spec(design)
    try:
        return _estimate_all(Survey.read(data, spec), spec, means, totals, ratios,
                             proportions, quantiles, by, na_rm)
    except MigralinkError as exc:
        raise in_file(exc, data) from None


def _estimate_all(s: Survey, spec: DesignSpec, means: list[str], totals: list[str],
                  ratios: list[str], proportions: list[str], quantiles: list[str],
                  by: list[str] | None, na_rm: bool) -> tuple[pl.DataFrame, str]:
    parts: list[pl.DataFrame] = []
    for var in means:
        parts.append(s.mean(var, by=by, na_rm=na_rm))
    for var in totals:
        parts.append(s.total(var, by=by, na_rm=na_rm))
    for text in ratios:
        if "/" not in text:
            raise ConfigError(f"--ratio {text!r} is not NUM/DEN", "e.g. --ratio alive/arrests")
        num, den = text.split("/", 1)
        parts.append(s.ratio(num, den, by=by, na_rm=na_rm))
    for var in proportions:
        parts.append(s.proportion(var, by=by, na_rm=na_rm))
    for var in quantiles:
        parts.append(s.quantile(var, (0.25, 0.5, 0.75), by=by, na_rm=na_rm))
    if not parts:
        raise ConfigError("nothing to estimate",
                          "add --mean VAR (or --total, --ratio, --proportion, --quantile)")
    table = pl.concat(parts, how="diagonal_relaxed")
    call = f"{spec.to_json()}\nby={by} na_rm={na_rm}"
    return table, call


@survey_app.command("estimate")
def estimate(
    data: Annotated[Path, typer.Argument(help="Survey microdata (CSV).")],
    design: Annotated[Path, typer.Option("--design", help="The design spec (JSON).")],
    mean: Many = None,
    total: Many = None,
    ratio: Annotated[list[str] | None, typer.Option(help="NUM/DEN; repeat for several.")]
    = None,
    proportion: Annotated[list[str] | None, typer.Option(
        help="A 0/1 column; logit interval as R's svyciprop.")] = None,
    quantile: Annotated[list[str] | None, typer.Option(
        help="Quartiles with Woodruff intervals.")] = None,
    by: Annotated[list[str] | None, typer.Option(help="Domain column(s).")] = None,
    na_rm: Annotated[bool, typer.Option("--na-rm", help="Use the answered rows.")] = False,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    store: StoreOpt = None,
    db: DbOpt = DEFAULT_DB,
    period: PeriodOpt = None,
    region: RegionOpt = None,
) -> None:
    """Estimate means, totals, ratios, proportions or quartiles, overall or --by domain.

    Every row carries SE, interval, df, RSE and the KOSTAT grade (ok, caution ≥ 25 %,
    withheld ≥ 50 %).
    """
    from migralink.survey import publishable

    table, call = guard(lambda: _estimates(data, design, mean or [], total or [],
                                           ratio or [], proportion or [], quantile or [],
                                           by, na_rm))
    # withheld estimates (RSE ≥ 50 %) are shown blank, with their grade
    show(publishable(table), format, output, f"survey estimates: {data.name}")
    if store:
        guard(lambda: _store(table, store, db, period, data, call, region))


def _store(table: pl.DataFrame, dataset: str, db: Path, period: str | None, source: Path,
           call: str, region: str | None) -> None:
    from migralink.disclosure.gate import release
    from migralink.evidence import Evidence
    from migralink.survey.store import store_estimates

    if period is None:
        raise InputError("--store needs --period", "give the survey's reference period")
    ev = Evidence(db)
    try:
        written = store_estimates(
            ev.gateway, table, dataset=dataset, title_ko=f"조사 추정: {source.stem}",
            title_en=f"survey estimates: {source.stem}", period=period,
            source_name=source.name, source_sha256=_sha(source), design_json=call,
            region=region)
        # what the API, exports and dashboard will publish comes from the release gate
        cells = release(ev.gateway, written.dataset_id, written.version).cells
    finally:
        ev.close()
    err.print(f"stored {written.observations} estimates as {written.dataset_id} "
              f"version {written.version}; the release gate publishes {cells.height} cells")


def _sae(direct: Path, covariates: Path, area: str, x: list[str]) -> pl.DataFrame:
    from migralink.survey import read_survey_csv
    from migralink.survey.checks import in_file
    from migralink.survey.sae import check_covariates, check_direct, fay_herriot

    if not x:
        raise ConfigError("no covariates", "add --x COLUMN (an indicator of each area)")
    try:
        dir_frame = read_survey_csv(direct)
        check_direct(dir_frame, area=area)
    except MigralinkError as exc:
        raise in_file(exc, direct) from None
    try:
        cov_frame = read_survey_csv(covariates)
        check_covariates(cov_frame, area=area, x=x)
    except MigralinkError as exc:
        raise in_file(exc, covariates) from None
    return fay_herriot(dir_frame, cov_frame, area=area, x=x)


@survey_app.command("sae")
def sae(
    direct: Annotated[Path, typer.Argument(
        help="Direct estimates by area (CSV with the area, estimate and se columns).")],
    covariates: Annotated[Path, typer.Option(
        "--covariates", help="One row per area with its indicators (CSV).")],
    x: Annotated[list[str] | None, typer.Option("--x", help="Covariate column(s).")] = None,
    area: Annotated[str, typer.Option(help="The area column of both files.")] = "region",
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    store: StoreOpt = None,
    db: DbOpt = DEFAULT_DB,
    period: PeriodOpt = None,
) -> None:
    """Fay–Herriot small-area estimates (REML) with MSE and CV for every area."""
    table = guard(lambda: _sae(direct, covariates, area, x or []))
    show(table, format, output, f"small-area estimates: {direct.name}")
    # small-area estimates are graded too (RSE read off the CV) when stored
    if store:
        call = f"fay-herriot area={area} x={x} covariates={covariates.name}"
        guard(lambda: _store(table.with_columns(pl.lit("fay_herriot").alias("statistic")),
                             store, db, period, direct, call, area))

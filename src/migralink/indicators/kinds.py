"""The formula kinds on counts: ratios, changes, compositions, quotients, flags.

Each kind is one function ``(spec, reader, done) → rows`` where rows have the columns
``period, region, level, <breakdown dims>, value, numerator, denominator, status``.
A row exists only where every count it needs exists and a denominator is above zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from migralink.codes.periods import reference_day
from migralink.errors import QueryError
from migralink.indicators.geography import territory_changed, worst_of, worst_status
from migralink.indicators.reader import TOTAL, Reader
from migralink.indicators.spec import IndicatorSpec, Measure

__all__ = [
    "cagr",
    "categories",
    "composition",
    "divide",
    "location_quotient",
    "ratio",
    "sex_ratio",
    "share_of_national",
    "threshold_flag",
    "yoy_change",
]

_PLAIN = frozenset({"value", "status", "numerator", "denominator"})


def divide(num: pl.DataFrame, den: pl.DataFrame, scale: float) -> pl.DataFrame:
    """``num / den × scale`` joined on the columns they share (a broadcast otherwise)."""
    keys = [c for c in num.columns if c in den.columns and c not in _PLAIN]
    joined = num.join(den.select([*keys, "value", "status"]), on=keys, suffix="_den")
    return joined.filter(pl.col("value_den") > 0).select(
        *[c for c in num.columns if c not in _PLAIN],
        (pl.col("value") / pl.col("value_den") * scale).alias("value"),
        pl.col("value").alias("numerator"),
        pl.col("value_den").alias("denominator"),
        worst_of("status", "status_den").alias("status"),
    )


def _numerator(spec: IndicatorSpec) -> Measure:
    assert spec.numerator is not None  # checked when the catalogue was loaded
    return spec.numerator


def _denominator(spec: IndicatorSpec) -> Measure:
    assert spec.denominator is not None
    return spec.denominator


def _with_nation(levels: Sequence[str]) -> tuple[str, ...]:
    return (*levels, "country")


def ratio(spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Numerator over denominator, both split by the disaggregations."""
    dims = spec.disaggregations
    num = reader.measure(_numerator(spec), dims, spec.levels)
    den = reader.measure(_denominator(spec), dims, spec.levels)
    return divide(num, den, spec.scale)


def yoy_change(
    spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Change since the same period a year before, in percent or in persons."""
    current = reader.measure(_numerator(spec), spec.disaggregations, spec.levels)
    year = pl.col("period").str.slice(0, 4).cast(pl.Int32, strict=False)
    before = current.with_columns(
        ((year + 1).cast(pl.Utf8) + pl.col("period").str.slice(4)).alias("period")
    ).filter(pl.col("period").is_not_null())
    keys = [c for c in current.columns if c not in _PLAIN]
    rows = current.join(before, on=keys, suffix="_before")
    rows = rows.filter(_same_ground(rows, reader.period_day(_numerator(spec))))
    if spec.params.relative:
        rows = rows.filter(pl.col("value_before") > 0)
        change = (pl.col("value") / pl.col("value_before") - 1.0) * spec.scale
    else:  # a change in persons is defined from zero too
        change = pl.col("value") - pl.col("value_before")
    return rows.select(
        *keys,
        change.alias("value"),
        pl.col("value").alias("numerator"),
        pl.col("value_before").alias("denominator"),
        worst_of("status", "status_before").alias("status"),
    )


def _same_ground(rows: pl.DataFrame, day: str) -> pl.Expr:
    """True for the rows whose region kept its ground since the same period a year before
    (the pairs were joined, so both periods exist)."""
    changed = set()
    for region, level, period in rows.select("region", "level", "period").unique().iter_rows():
        last = reference_day(period, day)
        first = last.replace(year=last.year - 1) if (last.month, last.day) != (2, 29) else (
            last.replace(year=last.year - 1, day=28))
        if territory_changed(region, level, first, last):
            changed.add((region, level, period))
    if not changed:
        return pl.lit(True)
    key = pl.concat_str("region", "level", "period", separator="\x1f")
    return ~key.is_in(["\x1f".join(c) for c in changed])


def cagr(spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Compound annual growth between the first and last year of each series.

    The period of a row is the span, ``first/last`` (ISO 8601 interval notation).
    """
    dims = list(spec.disaggregations)
    series = reader.measure(_numerator(spec), dims, spec.levels).filter(
        pl.col("period").str.contains(r"^\d{4}$")
    )
    keys = ["region", "level", *dims]
    ends = (
        series.sort("period")
        .group_by(keys)
        .agg(
            pl.col("period").first().alias("first"),
            pl.col("period").last().alias("last"),
            pl.col("value").first().alias("denominator"),
            pl.col("value").last().alias("numerator"),
            worst_status(),
        )
    )
    years = pl.col("last").cast(pl.Int32) - pl.col("first").cast(pl.Int32)
    day = reader.period_day(_numerator(spec))
    same = [
        not territory_changed(region, level, reference_day(first, day), reference_day(last, day))
        for region, level, first, last in ends.select("region", "level", "first", "last")
        .iter_rows()
    ]
    ends = ends.filter(pl.Series(same, dtype=pl.Boolean))
    return ends.filter((years > 0) & (pl.col("denominator") > 0)).select(
        (pl.col("first") + "/" + pl.col("last")).alias("period"),
        *keys,
        (((pl.col("numerator") / pl.col("denominator")) ** (1.0 / years) - 1.0) * spec.scale)
        .alias("value"),
        "numerator",
        "denominator",
        "status",
    )


def _parts(spec: IndicatorSpec, frame: pl.DataFrame) -> pl.DataFrame:
    assert spec.by is not None
    parts = frame.filter(pl.col(spec.by) != TOTAL)
    if spec.parts:
        parts = parts.filter(pl.col(spec.by).is_in(list(spec.parts)))
    return parts


def categories(spec: IndicatorSpec, reader: Reader, frame: pl.DataFrame) -> pl.DataFrame:
    """The codes of ``by`` that share out a total: a subtotal is left out (or, named in
    ``parts`` beside its own parts, refused), else its persons would count twice and the
    shares add above 100 % (MOIS's foreign_nationals beside its five groups: 185 %)."""
    assert spec.by is not None
    nested: dict[str, frozenset[str]] = {}
    for term in _numerator(spec).terms:
        nested.update(reader.subtotals(term.dataset, spec.by))
    for code in spec.parts:
        inside = sorted(nested.get(code, frozenset()) & set(spec.parts))
        if inside:
            raise QueryError(
                title=f"parts name {code!r} and {', '.join(inside)}, which it includes: "
                "those persons would count twice",
                hint=f"list either {code!r} or the codes it is made of in parts, not both",
            )
    parts = _parts(spec, frame)
    return parts if spec.parts else parts.filter(~pl.col(spec.by).is_in(list(nested)))


def composition(
    spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Each code of ``by`` as a share of the total over ``by`` (as the cube reads it)."""
    assert spec.by is not None
    frame = reader.measure(_numerator(spec), (spec.by, *spec.disaggregations), spec.levels)
    total = frame.filter(pl.col(spec.by) == TOTAL).drop(spec.by)
    return divide(categories(spec, reader, frame), total, spec.scale)


def sex_ratio(
    spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Males per 100 females (or per ``scale`` females)."""
    sex = spec.by or "sex"
    frame = reader.measure(_numerator(spec), (sex, *spec.disaggregations), spec.levels)
    males = frame.filter(pl.col(sex) == spec.params.male).drop(sex)
    females = frame.filter(pl.col(sex) == spec.params.female).drop(sex)
    return divide(males, females, spec.params.scale or 100.0)


def share_of_national(
    spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """The region's count as a share of the nation's (the nation as summed or printed)."""
    frame = reader.measure(_numerator(spec), spec.disaggregations, _with_nation(spec.levels))
    nation = frame.filter(pl.col("level") == "country").drop("region", "level")
    regions = frame.filter(
        pl.col("level").is_in(list(spec.levels)) & (pl.col("level") != "country")
    )
    return divide(regions, nation, spec.scale)


def location_quotient(
    spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """(x_rg / t_r) / (x_Ng / t_N): a group's share here over its share in the nation.

    ``t`` is the denominator measure where declared (the total population), else the
    total over ``by`` (all foreign residents).
    """
    assert spec.by is not None
    levels = _with_nation(spec.levels)
    frame = reader.measure(_numerator(spec), (spec.by, *spec.disaggregations), levels)
    if spec.denominator is not None:
        total = reader.measure(spec.denominator, spec.disaggregations, levels)
    else:
        total = frame.filter(pl.col(spec.by) == TOTAL).drop(spec.by)
    shares = divide(_parts(spec, frame), total, 1.0)
    keys = ["period", spec.by, *spec.disaggregations]
    nation = shares.filter(pl.col("level") == "country").select(
        *keys, pl.col("value").alias("national"), pl.col("status").alias("status_nat")
    )
    return (
        shares.filter(pl.col("level").is_in(list(spec.levels)) & (pl.col("level") != "country"))
        .join(nation, on=keys)
        .filter(pl.col("national") > 0)
        .with_columns(
            (pl.col("value") / pl.col("national") * (spec.params.scale or 1.0)).alias("value"),
            worst_of("status", "status_nat").alias("status"),
        )
        .drop("national", "status_nat")
    )


def threshold_flag(
    spec: IndicatorSpec, reader: Reader, done: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """1 where the count or its share of the denominator reaches a threshold, else 0."""
    rows = ratio(spec, reader, done)
    count, percent = spec.params.count_at_least, spec.params.percent_at_least
    hit = pl.lit(False)
    if count is not None:
        hit = hit | (pl.col("numerator") >= count)
    if percent is not None:
        hit = hit | (pl.col("numerator") / pl.col("denominator") * 100.0 >= percent)
    return rows.with_columns(hit.cast(pl.Float64).alias("value"))

"""Rates and shares built from protected counts inherit their suppression.

A rate whose numerator or denominator is suppressed would give it away (multiply by the
published other term), so it is suppressed too: ``CONF_STATUS`` ``A`` when one of its
terms is a primary-suppressed count, ``D`` otherwise.
"""

from __future__ import annotations

import polars as pl

from migralink.disclosure.protect import (
    CONF_FREE,
    CONF_PRIMARY,
    CONF_SECONDARY,
    OBS_MISSING,
    OBS_NORMAL,
    ProtectedTable,
)
from migralink.errors import DisclosureError

__all__ = ["suppress_rates"]


def suppress_rates(
    rates: pl.DataFrame,
    numerator: ProtectedTable,
    denominator: ProtectedTable,
    on: list[str],
) -> pl.DataFrame:
    """Suppress every rate whose numerator or denominator cell is suppressed.

    Args:
        rates: the ``on`` columns and ``value`` (the rate); an ``obs_status`` or
            ``conf_status`` column already there is kept for rates left free.
        numerator: the protected table of numerators.
        denominator: the protected table of denominators.
        on: the columns that match a rate with its numerator and denominator cells
            (one cell of each per rate). A rate without a matching cell keeps its value:
            the cell is a published zero.

    Returns:
        ``rates`` with ``value`` null where suppressed, ``obs_status`` (``M`` there) and
        ``conf_status`` (``A`` if a term is primary-suppressed, ``D`` if a term is
        suppressed otherwise, else ``F`` or what the rate had).

    Raises:
        DisclosureError: a column of ``on`` is missing, or a table has several cells
            for one rate.
    """
    for name, frame in (("rates", rates), ("numerator", numerator.frame),
                        ("denominator", denominator.frame)):
        missing = [c for c in (*on, *(("value",) if name == "rates" else ())) if c not in
                   frame.columns]
        if missing:
            raise DisclosureError(title=f"the {name} have no column {', '.join(missing)}",
                                  hint="match rates and counts on columns all three have")
        if name != "rates" and frame.select(on).is_duplicated().any():
            raise DisclosureError(
                title=f"the {name} table has several cells for one rate",
                hint=f"match on every dimension of the table, not only {on}",
            )
    terms = rates
    for alias, table in (("_num", numerator), ("_den", denominator)):
        terms = terms.join(table.frame.select(*on, pl.col("conf_status").alias(alias)),
                           on=on, how="left", coalesce=True)
    own = pl.col("conf_status") if "conf_status" in rates.columns else pl.lit(CONF_FREE)
    flags = [pl.col("_num").fill_null(CONF_FREE), pl.col("_den").fill_null(CONF_FREE)]
    conf = (
        pl.when(pl.any_horizontal(f == CONF_PRIMARY for f in flags)).then(pl.lit(CONF_PRIMARY))
        .when(pl.any_horizontal(f != CONF_FREE for f in flags)).then(pl.lit(CONF_SECONDARY))
        .otherwise(own)
    )
    obs = pl.col("obs_status") if "obs_status" in rates.columns else pl.lit(OBS_NORMAL)
    out = terms.with_columns(conf.alias("conf_status"))
    hidden = pl.col("conf_status") != CONF_FREE
    return out.with_columns(
        pl.when(hidden).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(hidden).then(pl.lit(OBS_MISSING)).otherwise(obs).alias("obs_status"),
    ).drop("_num", "_den")

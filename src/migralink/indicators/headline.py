"""The headline table: the local governments with the most foreign residents.

For the latest year of the MOIS foreign-resident table: each local government's foreign
residents and their share of the population (MOIS's own denominator), the change since
the year before, the compound annual growth over the whole span of the data, and the
largest type of foreign resident — all read from the computed indicators.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from rich.table import Table

from migralink.codes.lookup import region_name
from migralink.evidence import Evidence
from migralink.indicators.catalogue import load_catalogue
from migralink.indicators.engine import compute_indicators, evidence_datasets
from migralink.indicators.spec import Catalogue

__all__ = ["HEADLINE_INDICATORS", "Headline", "headline"]

#: The indicators the headline reads (share, yoy growth, CAGR, composition).
HEADLINE_INDICATORS: tuple[str, ...] = (
    "foreign_share", "foreign_residents_yoy", "foreign_residents_cagr", "composition_by_group",
)


@dataclass(frozen=True)
class Headline:
    """The ranked local governments of the latest year.

    ``frame`` columns: ``rank, region, name, foreign_residents, population, share_pct,
    yoy_pct, cagr_pct, largest_group, largest_group_ko, largest_group_en,
    largest_group_pct``.
    """

    period: str
    span: str
    frame: pl.DataFrame
    sources: str

    def table(self) -> Table:
        """A Rich table for the terminal."""
        table = Table(
            "#", "local government", "code", f"foreign residents {self.period}", "share",
            "yoy", f"CAGR {self.span}", "largest group",
            title=f"Local governments with the most foreign residents, {self.period} "
            "(외국인주민 상위 지방자치단체)",
            caption=self.sources,
        )

        def pct(value: float | None) -> str:
            return "" if value is None else f"{value:+.1f}%"

        for row in self.frame.iter_rows(named=True):
            table.add_row(
                str(row["rank"]), row["name"], row["region"],
                f"{row['foreign_residents']:,.0f}", f"{row['share_pct']:.1f}%",
                pct(row["yoy_pct"]), pct(row["cagr_pct"]),
                f"{row['largest_group_ko']} / {row['largest_group_en']} "
                f"({row['largest_group_pct']:.0f}%)",
            )
        return table


def headline(ev: Evidence, limit: int = 15, catalogue: Catalogue | None = None) -> Headline:
    """The ``limit`` local governments with the most foreign residents in the latest year.

    Raises:
        QueryError: the MOIS foreign-resident table is not in the evidence base.
    """
    cat = catalogue or load_catalogue(datasets=evidence_datasets(ev))
    frame = compute_indicators(ev, cat, ids=HEADLINE_INDICATORS).filter(
        pl.col("level") == "sigungu"
    )

    def one(indicator: str, *extra: pl.Expr) -> pl.DataFrame:
        return frame.filter(pl.col("indicator") == indicator, *extra)

    shares = one("foreign_share")
    latest = str(shares["period"].max())
    totals = (pl.col("group") == "_T", pl.col("sex") == "_T")
    top = (
        shares.filter(pl.col("period") == latest)
        .sort(["numerator", "region"], descending=[True, False])
        .head(limit)
        .select("region", pl.col("numerator").alias("foreign_residents"),
                pl.col("denominator").alias("population"), pl.col("value").alias("share_pct"))
    )
    yoy = one("foreign_residents_yoy", pl.col("period") == latest, *totals)
    cagr = one("foreign_residents_cagr", *totals)
    span = str(cagr["period"].max()) if cagr.height else ""
    largest = (
        one("composition_by_group", pl.col("period") == latest, pl.col("sex") == "_T")
        .sort(["value", "group"], descending=[True, False])
        .group_by("region", maintain_order=True)
        .first()
        .select("region", pl.col("group").alias("largest_group"),
                pl.col("value").alias("largest_group_pct"))
    )
    table = (
        top.join(yoy.select("region", pl.col("value").alias("yoy_pct")), on="region", how="left")
        .join(cagr.filter(pl.col("period") == span)
              .select("region", pl.col("value").alias("cagr_pct")), on="region", how="left")
        .join(largest, on="region", how="left")
        .sort(["foreign_residents", "region"], descending=[True, False])
    )
    groups = table["largest_group"].to_list()
    table = table.with_columns(
        pl.Series("rank", range(1, table.height + 1), dtype=pl.Int64),
        pl.Series("name", [region_name(c) for c in table["region"].to_list()], dtype=pl.Utf8),
        pl.Series("largest_group_ko", [cat.label("group", g).ko if g else "" for g in groups],
                  dtype=pl.Utf8),
        pl.Series("largest_group_en", [cat.label("group", g).en if g else "" for g in groups],
                  dtype=pl.Utf8),
    ).select("rank", "region", "name", "foreign_residents", "population", "share_pct",
             "yoy_pct", "cagr_pct", "largest_group", "largest_group_ko", "largest_group_en",
             "largest_group_pct")
    sources = (
        "Source: 행정안전부 「지방자치단체 외국인주민 현황」 (MOIS, via KOSIS; "
        + str(shares["sources"][0]) + "); share of the total population MOIS prints."
    )
    return Headline(latest, span, table, sources)

"""The headline table of ``make run``: local governments with the most foreign residents.

Read from the MOIS foreign-resident table (the only sigungu-level count in the bundled
data): for the latest year, the foreign residents of each local government (a city's
districts added up to the city), their share of the total population that MOIS prints
beside them, and the change since the previous year.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from rich.table import Table

from migralink.codes.hierarchy import code_level, structural_parent
from migralink.codes.lookup import region_name
from migralink.evidence import Evidence

__all__ = ["TopTable", "top_local_governments"]

FOREIGN = "mois_foreign_residents_sigungu"
POPULATION = "mois_population_sigungu"


@dataclass(frozen=True)
class TopTable:
    """The ranked local governments (``frame``) and the year they describe."""

    period: str
    previous: str | None
    frame: pl.DataFrame
    sources: str

    def table(self) -> Table:
        """A Rich table for the terminal."""
        table = Table(
            "#", "local government", "code", f"foreign residents {self.period}",
            "share of population", f"change since {self.previous or '-'}",
            title=f"Local governments with the most foreign residents, {self.period} "
            "(외국인주민 상위 지방자치단체)",
            caption=self.sources,
        )
        for i, row in enumerate(self.frame.iter_rows(named=True), start=1):
            change = row["change"]
            table.add_row(
                str(i),
                row["name"],
                row["region"],
                f"{row['foreign']:,.0f}",
                "" if row["share"] is None else f"{row['share']:.1%}",
                "" if change is None else f"{change:+,.0f} ({row['change_pct']:+.1%})",
            )
        return table


def _by_local_government(ev: Evidence, dataset: str) -> pl.DataFrame:
    frame = ev.query(dataset, by=["region"]).frame
    city = pl.col("region").map_elements(
        lambda c: (structural_parent(c) or c) if code_level(c) == "gu" else c,
        return_dtype=pl.Utf8,
    )
    return frame.with_columns(city.alias("region")).group_by("period", "region").agg(
        pl.col("value").sum()
    )


def top_local_governments(ev: Evidence, limit: int = 15) -> TopTable:
    """Rank local governments by foreign residents in the latest year of the data."""
    foreign = _by_local_government(ev, FOREIGN)
    population = _by_local_government(ev, POPULATION).rename({"value": "population"})
    periods = sorted(foreign["period"].unique().to_list())
    latest = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    now = foreign.filter(pl.col("period") == latest).rename({"value": "foreign"})
    before = foreign.filter(pl.col("period") == previous).select(
        "region", pl.col("value").alias("before")
    )
    ranked = (
        now.join(population, on=["period", "region"], how="left")
        .join(before, on="region", how="left")
        .with_columns(
            (pl.col("foreign") / pl.col("population")).alias("share"),
            (pl.col("foreign") - pl.col("before")).alias("change"),
            ((pl.col("foreign") - pl.col("before")) / pl.col("before")).alias("change_pct"),
        )
        .sort(["foreign", "region"], descending=[True, False])
        .head(limit)
    )
    names = [region_name(code) for code in ranked["region"].to_list()]
    ranked = ranked.with_columns(pl.Series("name", names, dtype=pl.Utf8))
    sources = (
        "Source: 행정안전부 「지방자치단체 외국인주민 현황」 (MOIS, via KOSIS); share of the "
        "total population MOIS prints beside the counts."
    )
    return TopTable(latest, previous, ranked, sources)

"""KOSTAT (SGIS) region codes and their MOIS equivalents, year by year.

Census maps and SGIS tables number regions their own way (``31`` is 경기도 there, ``41``
in MOIS's list); ``data/kostat_crosswalk.csv``, built by
:mod:`migralink.codes.build_regions`, pairs them for every SGIS year 1998-2024.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

from migralink.codes.hierarchy import NATIONAL, trim_code
from migralink.errors import CodeError

__all__ = ["kostat_crosswalk", "kostat_to_mois", "mois_to_kostat"]

DATA_DIR = Path(__file__).with_name("data")
@lru_cache(maxsize=1)
def kostat_crosswalk() -> pl.DataFrame:
    """KOSTAT/SGIS codes to MOIS codes by year (``data/kostat_crosswalk.csv``).

    Columns ``year, kostat_code, mois_code, sgis_column``: sido (2 digits) and sigungu /
    district (5 digits) codes of SGIS year ``year``, with the MOIS code valid at the end of
    that year. 2022 has both SGIS numberings (``sgis_2022_old`` 7-digit, ``sgis_2022``
    8-digit); the 8-digit one is preferred when going from MOIS to KOSTAT.
    """
    frame = pl.read_csv(DATA_DIR / "kostat_crosswalk.csv", infer_schema_length=0)
    return frame.with_columns(pl.col("year").cast(pl.Int32))


def _kostat_year(year: int) -> int:
    years = kostat_crosswalk()["year"]
    return min(max(year, int(years.min())), int(years.max()))  # type: ignore[arg-type]


def _normalize_kostat(code: str) -> str:
    code = code.strip()
    if len(code) in (7, 8) and code.isdigit():
        code = code[:2] if code[2:].strip("0") == "" else code[:5]
    return code


def kostat_to_mois(kostat_code: str, year: int) -> str:
    """The MOIS code of a KOSTAT/SGIS sido or sigungu code in ``year``.

    Years outside the crosswalk (1998–2024) use its nearest year. 7- and 8-digit SGIS
    codes are cut to 2 or 5 digits.

    Raises:
        CodeError: if the code is not a KOSTAT code in that year.
    """
    code = _normalize_kostat(kostat_code)
    if code == NATIONAL:
        return NATIONAL
    table = kostat_crosswalk().filter(pl.col("kostat_code") == code)
    found = table.filter(pl.col("year") == _kostat_year(year))["mois_code"].unique().to_list()
    if len(found) == 1:
        return str(found[0])
    years = sorted(set(table["year"].to_list()))
    raise CodeError(
        title=f"KOSTAT code {kostat_code!r} is not in the SGIS code list of {year}",
        hint=(f"it exists in {years[0]}–{years[-1]}" if years else "check the code")
        + "; KOSTAT codes are 2 (sido) or 5 (sigungu) digits",
        details=[str(v) for v in found],
    )


def mois_to_kostat(code: str, year: int) -> str:
    """The KOSTAT/SGIS code (2 or 5 digits) of a MOIS sido or sigungu code in ``year``.

    Raises:
        CodeError: if KOSTAT had no code for that unit in that year.
    """
    mois = trim_code(code.strip())
    if mois == NATIONAL:
        return NATIONAL
    table = kostat_crosswalk().filter(
        (pl.col("mois_code") == mois) & (pl.col("year") == _kostat_year(year))
    ).sort(pl.col("sgis_column").str.ends_with("_old"), "kostat_code")
    if table.height:
        return str(table["kostat_code"][0])
    raise CodeError(
        title=f"no KOSTAT code for MOIS region {code!r} in {year}",
        hint="the crosswalk covers sido, sigungu and district codes in SGIS 1998–2024",
    )

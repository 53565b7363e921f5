"""A seeded synthetic register of foreign residents, for benchmarks and tests.

One row per person with the dimensions of MOJ/MOIS foreign-resident statistics:
``person_id``, ``region`` (a MOIS sigungu code), ``nationality`` (ISO 3166-1 alpha-3,
with migralink's ``CHN-KR`` for ethnic-Korean Chinese), ``residence_status`` (체류자격),
``sex`` (``M``/``F``) and ``age_group`` (five-year bands ``0-4`` … ``85+``).

Every column is drawn independently from a skewed (Zipf-like) distribution, so that the
cube built from it has the long tail of small cells that disclosure control must deal
with. The numbers mean nothing: they are not calibrated on any published figure, and the
independence of the columns is unrealistic (E-9 workers are not 10% Japanese); use the
register to exercise code, never to illustrate the population.

The codes are fixed in this module (see :data:`SIGUNGU`), so that a seed gives the same
register whatever version of the code lists is installed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from migralink.sources.model import DatasetMeta, DimensionMeta

__all__ = [
    "AGE_GROUPS",
    "NATIONALITIES",
    "REGISTER_DIMENSIONS",
    "REGISTER_META",
    "SIGUNGU",
    "STATUSES",
    "register_description",
    "synthetic_register",
    "write_register",
]

#: The 229 live sigungu (시·군·자치구) codes of 2024-08-01, as ``codes/data/regions.csv``
#: lists them (level ``sigungu``), keyed by sido. They are written out here, not read
#: from that file, so that a rebuilt code list does not silently change a seeded
#: register; a test checks that they are still sigungu codes of the shipped list.
_SIGUNGU_BY_SIDO: dict[str, str] = {
    "11": "110 140 170 200 215 230 260 290 305 320 350 380 410 440 470 500 530 545 560 590 "
          "620 650 680 710 740",
    "26": "110 140 170 200 230 260 290 320 350 380 410 440 470 500 530 710",
    "27": "110 140 170 200 230 260 290 710 720",
    "28": "110 140 177 185 200 237 245 260 710 720",
    "29": "110 140 155 170 200",
    "30": "110 140 170 200 230",
    "31": "110 140 170 200 710",
    "36": "110",
    "41": "110 130 150 170 190 210 220 250 270 280 290 310 360 370 390 410 430 450 460 480 "
          "500 550 570 590 610 630 650 670 800 820 830",
    "43": "110 130 150 720 730 740 745 750 760 770 800",
    "44": "130 150 180 200 210 230 250 270 710 760 770 790 800 810 825",
    "46": "110 130 150 170 230 710 720 730 770 780 790 800 810 820 830 840 860 870 880 890 "
          "900 910",
    "47": "110 130 150 170 190 210 230 250 280 290 730 750 760 770 820 830 840 850 900 920 "
          "930 940",
    "48": "120 170 220 240 250 270 310 330 720 730 740 820 840 850 860 870 880 890",
    "50": "110 130",
    "51": "110 130 150 170 190 210 230 720 730 750 760 770 780 790 800 810 820 830",
    "52": "110 130 140 180 190 210 710 720 730 740 750 770 790 800",
}
SIGUNGU: tuple[str, ...] = tuple(
    sido + rest for sido, codes in _SIGUNGU_BY_SIDO.items() for rest in codes.split()
)

#: Sixty nationalities, roughly in the order of their number of residents in Korea
#: (largest first), which is the order their Zipf weights follow.
NATIONALITIES: tuple[str, ...] = (
    "CHN-KR", "VNM", "CHN", "THA", "USA", "UZB", "NPL", "KHM", "IDN", "PHL", "MNG", "MMR",
    "RUS", "KAZ", "LKA", "JPN", "BGD", "TWN", "CAN", "PAK", "KGZ", "IND", "AUS", "GBR", "LAO",
    "TJK", "UKR", "NZL", "DEU", "FRA", "HKG", "MYS", "SGP", "NGA", "EGY", "TUR", "ZAF", "MEX",
    "BRA", "GHA", "KEN", "ETH", "ITA", "ESP", "NLD", "POL", "IRN", "SAU", "ARE", "AFG", "BLR",
    "AZE", "TKM", "GEO", "ROU", "SWE", "IRL", "CHL", "PER", "COL",
)

#: Twenty residence statuses (체류자격), largest first; ``OTHER`` gathers the rest.
STATUSES: tuple[str, ...] = (
    "E-9", "F-4", "H-2", "F-5", "F-6", "D-2", "F-2", "E-7", "D-4", "F-1",
    "E-8", "F-3", "G-1", "C-3", "B-1", "B-2", "D-8", "D-10", "E-2", "OTHER",
)

#: Five-year age bands, as strings (the cube's dimension values are codes).
AGE_GROUPS: tuple[str, ...] = (
    *(f"{lo}-{lo + 4}" for lo in range(0, 85, 5)),
    "85+",
)
# Working ages dominate the foreign population; relative weights of the bands above.
_AGE_WEIGHTS = (3, 2, 2, 3, 12, 16, 14, 11, 9, 8, 7, 6, 4, 2, 1, 0.6, 0.3, 0.1)

#: The dimensions of the register besides ``region``, as the cube describes them.
REGISTER_DIMENSIONS: tuple[DimensionMeta, ...] = (
    DimensionMeta("nationality", "국적", "Nationality", "nationality"),
    DimensionMeta("residence_status", "체류자격", "Residence status", "status"),
    DimensionMeta("sex", "성별", "Sex", "sex"),
    DimensionMeta("age_group", "연령(5세)", "Age group (5 years)", None),
)

#: Catalogue entry of a cube built from the synthetic register.
REGISTER_META = DatasetMeta(
    id="synthetic_register",
    title_ko="합성 외국인 주민 등록부",
    title_en="Synthetic register of foreign residents (not real data)",
    publisher="migralink (generated)",
    source_url="https://github.com/migralink/migralink",
    licence="CC0-1.0",
    unit="persons",
    reference_date="the day the register is generated",
    notes="Generated by migralink.store.synthetic; the numbers mean nothing.",
)

# Zipf exponents: how fast the weights fall with rank (1.0 is the classic law).
_REGION_EXPONENT = 1.0
_NATIONALITY_EXPONENT = 1.2
_STATUS_EXPONENT = 0.9
_SHARE_MALE = 0.56  # foreign residents in Korea are slightly more often men


def _zipf(k: int, exponent: float) -> npt.NDArray[np.float64]:
    weights: npt.NDArray[np.float64] = 1.0 / np.arange(1, k + 1, dtype=np.float64) ** exponent
    shares: npt.NDArray[np.float64] = weights / weights.sum()
    return shares


def _draw(
    rng: np.random.Generator, codes: tuple[str, ...], p: npt.NDArray[np.float64], n: int
) -> pa.Array:
    # Draw indices, then gather the strings in Arrow: no Python object per row.
    indices = rng.choice(len(codes), size=n, p=p)
    return pa.array(codes, pa.string()).take(pa.array(indices))


def synthetic_register(n: int, seed: int) -> pa.Table:
    """A register of ``n`` synthetic foreign residents; the same seed gives the same rows.

    Args:
        n: number of persons (rows).
        seed: seed of :func:`numpy.random.default_rng`.

    Returns:
        A table with the columns ``person_id`` (int64, 1..n), ``region``,
        ``nationality``, ``residence_status``, ``sex`` and ``age_group`` (strings).

    Raises:
        ValueError: if ``n`` is negative.
    """
    if n < 0:
        raise ValueError(f"a register cannot have {n} rows")
    rng = np.random.default_rng(seed)
    # Which regions are large depends on the seed: a random rank for each region.
    region_p = _zipf(len(SIGUNGU), _REGION_EXPONENT)[rng.permutation(len(SIGUNGU))]
    age_p = np.asarray(_AGE_WEIGHTS) / sum(_AGE_WEIGHTS)
    return pa.table(
        {
            "person_id": pa.array(np.arange(1, n + 1, dtype=np.int64)),
            "region": _draw(rng, SIGUNGU, region_p, n),
            "nationality": _draw(
                rng, NATIONALITIES, _zipf(len(NATIONALITIES), _NATIONALITY_EXPONENT), n
            ),
            "residence_status": _draw(rng, STATUSES, _zipf(len(STATUSES), _STATUS_EXPONENT), n),
            "sex": _draw(rng, ("M", "F"), np.array([_SHARE_MALE, 1 - _SHARE_MALE]), n),
            "age_group": _draw(rng, AGE_GROUPS, age_p, n),
        }
    )


def register_description(n: int, seed: int) -> str:
    """What identifies a synthetic register's content: generator, size, seed and codes.

    Used as the register's source when it is aggregated into the cube, so that the same
    register is recognised as already ingested, and a change to the code lists or the
    weights of this module makes a new source.
    """
    spec = repr((SIGUNGU, NATIONALITIES, STATUSES, AGE_GROUPS, _AGE_WEIGHTS, _REGION_EXPONENT,
                 _NATIONALITY_EXPONENT, _STATUS_EXPONENT, _SHARE_MALE))
    digest = hashlib.sha256(spec.encode()).hexdigest()[:12]
    return f"migralink.store.synthetic.synthetic_register(n={n}, seed={seed}) codes={digest}"


def write_register(path: Path, n: int, seed: int) -> Path:
    """Generate a register and write it to a Parquet file (zstd); returns ``path``."""
    pq.write_table(synthetic_register(n, seed), path, compression="zstd")
    return path

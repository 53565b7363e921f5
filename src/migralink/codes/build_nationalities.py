"""Build ``data/nationalities.csv`` and ``data/nationality_aliases.csv`` from the shared files.

Run from the repository root::

    .venv/bin/python -m migralink.codes.build_nationalities ../shared/data src/migralink/codes/data

Inputs (paths relative to the shared data folder):

* ISO 3166-1 codes and English names: ``iso-codes`` 4.15.0 (LGPL-2.1+), with its Korean
  translation (``ko/iso_3166-1.mo``, read with :mod:`gettext`).
* Korean names: ``i18n-iso-countries`` 7.14.0 ``ko.json`` (MIT).
* Every nationality label of the MOJ and Chungnam files listed in :data:`LABEL_FILES`.

``world-countries`` (ODbL, share-alike) is deliberately not read. The non-ISO codes and the
spellings that no list has are in the hand tables below, each with its reason. The build
fails if a label of a source file resolves to no code, or if two sources give one spelling
two codes.
"""

from __future__ import annotations

import csv
import gettext
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from migralink.codes.nationalities import is_total_label, label_key
from migralink.errors import CodeError

__all__ = ["LABEL_FILES", "LabelFile", "build_all", "file_labels"]

ISO_CODES_JSON = Path("codes/countries/iso-codes-4.15.0/iso_3166-1.json")
ISO_CODES_MO = Path("codes/countries/iso-codes-4.15.0/ko/iso_3166-1.mo")
I18N_JSON = Path("codes/countries/i18n-iso-countries-7.14.0/ko.json")
HAND_SOURCE = "hand"


@dataclass(frozen=True)
class Special:
    """A nationality code that ISO 3166-1 does not have (or no longer has)."""

    code: str
    name_ko: str
    name_en: str
    scheme: str
    iso3: str | None = None
    iso2: str | None = None
    numeric: str | None = None
    ethnic_korean: bool = False


#: Codes outside ISO 3166-1; ATTRIBUTION_countries_statuses.md explains each choice.
SPECIAL_CODES: tuple[Special, ...] = (
    # MOJ counts ethnic Koreans of China and Russia as rows of their own, apart from the
    # country; the suffix keeps them joinable to the country through iso3.
    Special(
        "CHN-KR", "한국계중국인", "China (ethnic Korean)", "migralink", "CHN", "CN", "156", True
    ),
    Special(
        "RUS-KR", "한국계러시아인", "Russia (ethnic Korean)", "migralink", "RUS", "RU", "643", True
    ),
    # Kosovo: user-assigned code used by the EU, IMF and i18n-iso-countries (XK).
    Special("XKX", "코소보", "Kosovo", "user-assigned", "XKX", "XK"),
    # Withdrawn ISO codes (ISO 3166-3): MOJ still counts holders of these passports.
    Special("YUG", "유고슬라비아", "Yugoslavia", "iso3166-3", "YUG", "YU", "891"),
    Special("SCG", "세르비아몬테네그로", "Serbia and Montenegro", "iso3166-3", "SCG", "CS", "891"),
    Special("ZAR", "자이르", "Zaire", "iso3166-3", "ZAR", "ZR", "180"),
    # ICAO Doc 9303 Part 3 nationality codes for travel documents.
    Special("XXA", "무국적", "Stateless person", "icao9303"),
    Special("XXB", "협약난민", "Refugee (1951 Convention)", "icao9303"),
    Special("XXC", "기타난민", "Refugee (other)", "icao9303"),
    Special("XXX", "국적불명", "Unspecified nationality", "icao9303"),
    Special("UNO", "국제연합", "United Nations", "icao9303"),
    Special("UNA", "국제연합 전문기구", "United Nations specialized agency", "icao9303"),
    # British nationality classes: each is a British passport, hence iso3 GBR.
    Special("GBD", "영국해외영토시민", "British Overseas Territories Citizen", "icao9303", "GBR"),
    Special("GBN", "영국외지민", "British National (Overseas)", "icao9303", "GBR"),
    Special("GBO", "영국외지시민", "British Overseas Citizen", "icao9303", "GBR"),
    Special("GBP", "영국보호민", "British Protected Person", "icao9303", "GBR"),
    # MOJ keeps refugees resident in Hong Kong apart from other refugees (both rows exist
    # in the same months), so they get a sub-code of XXC.
    Special("XXC-HKG", "홍콩거주난민", "Refugee resident in Hong Kong", "migralink"),
    # SDMX special codes for residual rows (the cube uses SDMX _T for totals already).
    Special("_O", "기타", "Other nationalities", "sdmx"),
    Special("_U", "미상", "Unknown", "sdmx"),
    Special("_X", "미등록국가", "Country not registered", "sdmx"),
)

#: Spellings that neither ISO list has, with the code each stands for and why.
HAND_ALIASES: dict[str, str] = {
    # The MOJ / MOIS names of the non-ISO categories (see SPECIAL_CODES).
    "한국계중국인": "CHN-KR",
    "중국(한국계)": "CHN-KR",  # Chungnam 국적별 file
    "조선족": "CHN-KR",  # common name of the same group
    "한국계러시아인": "RUS-KR",
    "러시아(한국계)": "RUS-KR",  # Chungnam 국적별 file
    "무국적": "XXA",
    "협약난민": "XXB",
    "기타난민": "XXC",
    "국적불명": "XXX",
    "국제연합": "UNO",
    "국제연합 전문기구": "UNA",
    "영국해외영토시민": "GBD",
    "영국속령지시민": "GBD",  # the pre-2002 name of the same class; MOJ renamed it 2023-03
    "영국외지민": "GBN",
    "영국외지시민": "GBO",
    "영국보호민": "GBP",
    "홍콩거주난민": "XXC-HKG",
    "기타": "_O",
    "기타국적": "_O",
    # Naturalisation file, 2014 only: the residual row (other, stateless...); the brace in
    # the 국적회복 row is a typo of the source file.
    "기타소계무국적등": "_O",
    "기타소계무국적등}": "_O",
    "미상": "_U",
    "미등록국가": "_X",
    "유고슬라비아": "YUG",
    "세르비아몬테네그로": "SCG",
    "자이르": "ZAR",
    # MOJ spellings of ISO countries that neither list uses.
    "교황청": "VAT",  # the Holy See, as a state
    "그루지야": "GEO",  # the Russian-derived name, used until Korea adopted 조지아 (2010)
    "러시아(연방)": "RUS",
    "러시아": "RUS",  # the everyday name (MOIS 외국인주민 tables)
    "미국인근섬": "UMI",  # United States Minor Outlying Islands
    "미이크로네시아": "FSM",
    "벨로루시": "BLR",  # the older name, used until 2023-02
    "부베트": "BVT",
    "불령가이아나": "GUF",  # 불령 = 佛領, French
    "세인트크리스토퍼네비스": "KNA",  # the long form, Saint Christopher and Nevis
    "솔로몬군도": "SLB",
    "스발바르": "SJM",
    "슬로바크": "SVK",
    "앤티카바부다": "ATG",
    "키르기즈": "KGZ",
    "타이": "THA",  # MOJ's name for Thailand since 2023-08 (태국 before)
    "티모르민주공화국": "TLS",
    "대만": "TWN",  # the everyday name; i18n has 중화민국 and iso-codes 타이완, 중국령
}


@dataclass(frozen=True)
class LabelFile:
    """A source file with a nationality column.

    Attributes:
        path: path relative to the shared data folder (also the alias ``source``).
        encoding: the file's text encoding (the portal originals are CP949).
        column: the header of the nationality column.
        period_columns: columns giving the period of a row (year, month), used to pick
            the most recent spelling of a country as its display name.
    """

    path: str
    encoding: str
    column: str
    period_columns: tuple[str, ...] = ()


#: Files whose nationality labels must all resolve; the first ones win the display name.
LABEL_FILES: tuple[LabelFile, ...] = (
    LabelFile(
        "moj_stay_foreigners/moj_foreign_resident_monthly_nationality_2026-07-01.csv",
        "utf-8",
        "국적지역",
        ("년", "월"),
    ),
    LabelFile(
        "moj_stay_foreigners/moj_foreign_resident_status_2024_2026-06-14.csv", "cp949", "국적"
    ),
    LabelFile("moj_stay_foreigners/moj_foreign_stay_data_2024_2026-06-14.csv", "cp949", "국적"),
    LabelFile(
        "moj_stay_foreigners/moe_foreign_student_region_2026-06-23.csv",
        "utf-8",
        "국적지역",
        ("년", "월"),
    ),
    LabelFile(
        "moj_stay_foreigners/moj_naturalization_by_nationality_2026-07-01.csv",
        "utf-8",
        "국적",
        ("년",),
    ),
    LabelFile(
        "mois_foreign_residents/chungnam_foreign_resident_nationality_2026-06-23.csv",
        "utf-8",
        "국적",
    ),
)

_TABLE_SCHEMA: dict[str, type[pl.DataType]] = {
    **dict.fromkeys(("code", "iso3", "iso2", "numeric", "name_ko", "name_en"), pl.String),
    "ethnic_korean": pl.Boolean,
    "scheme": pl.String,
}


def file_labels(shared_data_dir: Path, spec: LabelFile) -> dict[str, tuple[int, ...]]:
    """Every distinct label of a file's nationality column, with its latest period.

    Args:
        shared_data_dir: the shared data folder.
        spec: which file and column.

    Returns:
        label → the latest (year, month) it appears in (empty tuple without periods).
    """
    latest: dict[str, tuple[int, ...]] = {}
    # utf-8-sig: a BOM, if a collector ever adds one, must not end up in the header.
    encoding = "utf-8-sig" if spec.encoding == "utf-8" else spec.encoding
    with (shared_data_dir / spec.path).open(encoding=encoding, newline="") as handle:
        for row in csv.DictReader(handle):
            label = row[spec.column]
            period = tuple(int(row[c]) for c in spec.period_columns)
            if label not in latest or period > latest[label]:
                latest[label] = period
    return latest


def _iso_entries(shared_data_dir: Path) -> list[dict[str, str]]:
    data = json.loads((shared_data_dir / ISO_CODES_JSON).read_text(encoding="utf-8"))
    entries: list[dict[str, str]] = data["3166-1"]
    return entries


def _iso_korean_names(
    shared_data_dir: Path, entries: list[dict[str, str]]
) -> Iterator[tuple[str, str, str]]:
    """(name, alpha-3, source) for every Korean name in iso-codes and i18n-iso-countries."""
    with (shared_data_dir / ISO_CODES_MO).open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    by_alpha2 = {e["alpha_2"]: e["alpha_3"] for e in entries}
    for entry in entries:
        for field in ("name", "official_name", "common_name"):
            english = entry.get(field)
            # gettext returns its argument when there is no translation: skip those.
            if english and (korean := translations.gettext(english)) != english:
                yield korean, entry["alpha_3"], ISO_CODES_MO.as_posix()
    i18n = json.loads((shared_data_dir / I18N_JSON).read_text(encoding="utf-8"))
    for alpha2, names in i18n["countries"].items():
        # Kosovo (XK) is in i18n-iso-countries but not in ISO 3166-1 itself.
        alpha3 = by_alpha2.get(alpha2, "XKX" if alpha2 == "XK" else None)
        if alpha3 is None:
            raise CodeError(title=f"i18n-iso-countries has unknown code {alpha2!r}")
        for name in [names] if isinstance(names, str) else names:
            yield name, alpha3, I18N_JSON.as_posix()


def _add(index: dict[str, tuple[str, str]], alias: str, code: str, source: str) -> None:
    """Record alias → code, failing when a spelling already stands for another code."""
    key = label_key(alias)
    if key in index and index[key][0] != code:
        raise CodeError(
            title=f"{alias!r} ({source}) means {code}, but {index[key][1]!r} means {index[key][0]}",
            hint="settle the conflict in the hand alias table",
        )
    index.setdefault(key, (code, alias))


def _alias_rows(
    shared_data_dir: Path, entries: list[dict[str, str]]
) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """All (alias, code, source) rows, and the display name each file label gives a code."""
    index: dict[str, tuple[str, str]] = {}
    rows: set[tuple[str, str, str]] = set()
    for alias, code in HAND_ALIASES.items():
        _add(index, alias, code, HAND_SOURCE)
        rows.add((alias, code, HAND_SOURCE))
    list_rows = list(_iso_korean_names(shared_data_dir, entries))
    for alias, code, source in list_rows:
        _add(index, alias, code, source)
        rows.add((alias, code, source))
    display: dict[str, str] = {}
    unresolved: list[str] = []
    for spec in LABEL_FILES:
        # Within a file the most recent spelling of a code is its display name; the
        # first file (the monthly MOJ series) wins over the later ones.
        best: dict[str, tuple[tuple[int, ...], str]] = {}
        for label, period in sorted(file_labels(shared_data_dir, spec).items()):
            if is_total_label(label):
                continue
            key = label_key(label)
            if key not in index:
                unresolved.append(f"{label!r} in {spec.path}")
                continue
            code = index[key][0]
            rows.add((label, code, spec.path))
            if code not in best or period > best[code][0]:
                best[code] = (period, label)
        for code, (_, label) in best.items():
            display.setdefault(code, label)
    if unresolved:
        raise CodeError(
            title=f"{len(unresolved)} nationality labels resolve to no code",
            hint="add them to HAND_ALIASES in migralink/codes/build_nationalities.py",
            details=sorted(unresolved),
        )
    return sorted(rows, key=lambda r: (r[1], r[0], r[2])), display


def _table(
    shared_data_dir: Path, entries: list[dict[str, str]], display: dict[str, str]
) -> pl.DataFrame:
    """The nationality table: ISO 3166-1 countries, then the special codes."""
    i18n = json.loads((shared_data_dir / I18N_JSON).read_text(encoding="utf-8"))["countries"]
    rows: list[dict[str, object]] = []
    for entry in entries:
        code = entry["alpha_3"]
        fallback = i18n.get(entry["alpha_2"])
        if isinstance(fallback, list):
            fallback = fallback[0]
        rows.append(
            {
                "code": code,
                "iso3": code,
                "iso2": entry["alpha_2"],
                "numeric": entry["numeric"],
                "name_ko": display.get(code, fallback),
                "name_en": entry.get("common_name", entry["name"]),
                "ethnic_korean": False,
                "scheme": "iso3166-1",
            }
        )
    for special in SPECIAL_CODES:
        rows.append(
            {
                "code": special.code,
                "iso3": special.iso3,
                "iso2": special.iso2,
                "numeric": special.numeric,
                "name_ko": display.get(special.code, special.name_ko),
                "name_en": special.name_en,
                "ethnic_korean": special.ethnic_korean,
                "scheme": special.scheme,
            }
        )
    table = pl.DataFrame(rows, schema=_TABLE_SCHEMA, orient="row").sort("code")
    missing = table.filter(pl.col("name_ko").is_null())["code"].to_list()
    if missing:
        raise CodeError(title="nationalities without a Korean name", details=missing)
    return table


def build_all(shared_data_dir: Path, out_dir: Path) -> None:
    """Write ``nationalities.csv`` and ``nationality_aliases.csv`` into ``out_dir``.

    Args:
        shared_data_dir: the shared data folder (``../shared/data`` from the repository).
        out_dir: where to write the CSV files (``src/migralink/codes/data`` to ship them).

    Raises:
        CodeError: a file label resolves to no code, or two sources disagree on a spelling.
    """
    entries = _iso_entries(shared_data_dir)
    alias_rows, display = _alias_rows(shared_data_dir, entries)
    table = _table(shared_data_dir, entries, display)
    known = set(table["code"].to_list())
    stray = sorted({code for _, code, _ in alias_rows} - known)
    if stray:
        raise CodeError(title="aliases point to codes that are not in the table", details=stray)
    out_dir.mkdir(parents=True, exist_ok=True)
    table.write_csv(out_dir / "nationalities.csv")
    aliases = pl.DataFrame(alias_rows, schema=["alias", "code", "source"], orient="row")
    aliases.write_csv(out_dir / "nationality_aliases.csv")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``build_nationalities SHARED_DATA_DIR OUT_DIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m migralink.codes.build_nationalities SHARED_DATA_DIR OUT_DIR")
        return 2
    build_all(Path(args[0]), Path(args[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

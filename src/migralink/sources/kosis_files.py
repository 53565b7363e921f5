"""Files from a KOSIS fetch: the long CSV a user ingests and the TOML mapping for it.

Split from :mod:`migralink.sources.kosis` (which re-exports these) to keep the client
module short. The CSV keeps KOSIS's own column names and values; the mapping follows the
format of :mod:`migralink.sources.mapping` and is meant to be reviewed by a person.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from pathlib import Path

from migralink.errors import ConfigError, FetchError

__all__ = ["LICENCE", "kosis_dataset_id", "to_long_csv", "write_mapping"]

LICENCE = "KOSIS terms of use (공공누리 as stated per table)"
_DATASET_ID = re.compile(r"[a-z][a-z0-9_]{1,62}")
_MISSING = {"", "-", "…", "..", "x", "X"}
_REGION_WORDS = ("행정구역", "시도", "시군구", "시·도", "시·군·구", "지역", "region",
                 "district", "province")
_RESERVED = {"item", "period", "region", "value", "status"}


def to_long_csv(rows: Sequence[dict[str, str]], path: Path) -> Path:
    """Write KOSIS rows as a UTF-8 long CSV, one row per cell.

    Columns: ``ORG_ID, TBL_ID, TBL_NM, PRD_SE, PRD_DE, PERIOD, C1, C1_NM, ..., ITM_ID,
    ITM_NM, UNIT_NM, DT`` with only the classification levels present. ``PERIOD`` is
    ``PRD_DE`` in the cube's form (``2024``, ``2024-03``, ``2024-Q1``; ``2024-H1`` for
    half-years); ``DT`` is kept exactly as KOSIS sent it.
    """
    if not rows:
        raise FetchError(title="no KOSIS rows to write", hint="fetch a table that has data")
    _check_fields(rows)
    levels = [n for n in range(1, 9) if any(f"C{n}" in r for r in rows)]
    columns = ["ORG_ID", "TBL_ID", "TBL_NM", "PRD_SE", "PRD_DE", "PERIOD",
               *(c for n in levels for c in (f"C{n}", f"C{n}_NM")),
               "ITM_ID", "ITM_NM", "UNIT_NM", "DT"]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")  # no half-written file under the real name
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            cells = {**row, "PERIOD": _cube_period(row.get("PRD_SE", ""), row.get("PRD_DE", ""))}
            writer.writerow([cells.get(c, "") for c in columns])
    partial.replace(path)
    return path


def write_mapping(rows: Sequence[dict[str, str]], path: Path, dataset_id: str, *,
                  title_en: str | None = None) -> Path:
    """Write the TOML mapping that ingests the CSV of :func:`to_long_csv`.

    Classification levels become dimensions named from ``Cn_OBJ_NM_ENG`` (else ``cn``);
    a level that looks like a region classification gets a comment, since region codes
    are mapped elsewhere. ``title_en`` defaults to ``TBL_NM_ENG`` or the table id.

    Raises:
        ConfigError: ``dataset_id`` is not a lower-case identifier.
    """
    if not _DATASET_ID.fullmatch(dataset_id):
        raise ConfigError(title=f"dataset id {dataset_id!r} is not a valid identifier",
                          hint="use lower-case letters, digits and _, e.g. kosis_101_dt_1b040a3")
    if not rows:
        raise FetchError(title="no KOSIS rows to describe", hint="fetch a table that has data")
    first = rows[0]
    org, table = first.get("ORG_ID", ""), first.get("TBL_ID", "")
    source = f"https://kosis.kr/statHtml/statHtml.do?orgId={org}&tblId={table}"
    units = sorted({r.get("UNIT_NM", "") for r in rows} - {""})
    counts = all(_is_count(r.get("DT", "")) for r in rows)
    lines = [f"# Mapping for KOSIS table {org}/{table}, written by migralink fetch kosis.",
             "# Review the ids, titles and unit: they are guessed from the data.", "",
             "[dataset]", f"id = {_q(dataset_id)}",
             f"title_ko = {_q(first.get('TBL_NM') or table)}",
             f"title_en = {_q(title_en or first.get('TBL_NM_ENG') or table)}",
             f"publisher = {_q(f'KOSIS (org {org})')}",
             f"source_url = {_q(source)}",
             f"licence = {_q(LICENCE)}"]
    if len(units) > 1:
        lines.append(f"# units differ by item ({_c('; '.join(units))}): check before use")
    lines += [f"unit = {_q(units[0] if len(units) == 1 else 'mixed')}"] if units else []
    lines += ["", "[match]", f"filename = {_q(f'kosis_{org}_{table}_*.csv')}", "",
              "[read]", 'format = "csv"', f"value_kind = {_q('count' if counts else 'number')}",
              "", "[period]", "# PERIOD is KOSIS's PRD_DE in the cube's form (YYYY, YYYY-MM...)",
              'column = "PERIOD"']
    used = set(_RESERVED)
    for n in range(1, 9):
        if not any(f"C{n}" in r for r in rows):
            continue
        name_ko, name_en = first.get(f"C{n}_OBJ_NM", ""), first.get(f"C{n}_OBJ_NM_ENG", "")
        dim_id = _slug(name_en) or f"c{n}"
        dim_id = f"c{n}_{dim_id}" if dim_id in used and dim_id != f"c{n}" else dim_id
        used.add(dim_id)
        lines += ["", "[[dimension]]"]
        lines += [f"# C{n}_OBJ_NM: {_c(name_ko)} ({_c(name_en)})"] if name_ko or name_en else []
        if any(w in f"{name_ko} {name_en}".lower() for w in _REGION_WORDS):
            lines += [f"# C{n} looks like a region classification (KOSIS region codes, "
                      "00 = whole country);", "# region mapping is handled elsewhere."]
        lines += [f"id = {_q(dim_id)}", f"title_ko = {_q(name_ko)}", f"title_en = {_q(name_en)}",
                  f'column = "C{n}"', f'label_column = "C{n}_NM"']
    lines += ["", "[[dimension]]", 'id = "item"', 'title_ko = "항목"', 'title_en = "Item"',
              'column = "ITM_ID"', 'label_column = "ITM_NM"', "", "[value]", 'column = "DT"', ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def kosis_dataset_id(org_id: str, table_id: str) -> str:
    """The dataset id of a KOSIS table: ``kosis_101_dt_1b040a3``."""
    return re.sub(r"[^a-z0-9]+", "_", f"kosis_{org_id}_{table_id}".lower())[:63].rstrip("_")


#: the fields every KOSIS data row has: without DT a renamed value field was written as an
#: empty column and every cell landed as "missing"; without PRD_DE or ITM_ID a cell has no
#: period or item
_NEEDED = ("ORG_ID", "TBL_ID", "PRD_SE", "PRD_DE", "ITM_ID", "DT")


def _check_fields(rows: Sequence[dict[str, str]]) -> None:
    for number, row in enumerate(rows, start=1):
        lacking = [f for f in _NEEDED if f not in row]
        if lacking:
            raise FetchError(
                title=f"KOSIS row {number} of {len(rows)} has no {', '.join(lacking)} "
                f"(its fields: {', '.join(sorted(row))[:300]})",
                hint="the API's answer changed; nothing was written. See docs/kosis.md",
            )


def _cube_period(kind: str, value: str) -> str:
    if len(value) == 6 and value.isdigit():
        sub = int(value[4:])
        forms = {"M": f"{value[:4]}-{value[4:]}", "Q": f"{value[:4]}-Q{sub}",
                 "H": f"{value[:4]}-H{sub}"}
        return forms.get(kind.upper(), value)
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def _is_count(text: str) -> bool:
    cleaned = text.strip().replace(",", "")
    return cleaned in _MISSING or cleaned.isdigit()


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    slug = re.sub(r"^by_", "", slug)[:40].rstrip("_")
    return slug if re.fullmatch(r"[a-z][a-z0-9_]*", slug) else ""


def _q(text: str) -> str:
    # A JSON string is a valid TOML basic string once DEL is escaped too.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _c(text: str) -> str:
    return " ".join(text.split())  # comments must stay on one line

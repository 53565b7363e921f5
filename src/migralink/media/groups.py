"""The group lexicon of :mod:`migralink.media.targets`, generated from independent lists.

The hand-written patterns of ``targets.py`` name the groups Korean comments insult most
(짱깨, 쪽바리, 깜둥이 …) but few of the world's nationalities, so a text about 케냐인 or
칠레 사람 named no group and the classifier's about gate stayed shut. This module widens
them from lists that were not written with any evaluation set in view:

* **countries**: every Korean country name of the project's nationality code lists
  (:func:`migralink.codes.nationalities.nationality_aliases`: ISO 3166 names from
  ``iso-codes`` and ``i18n-iso-countries`` and the spellings of the MOJ tables), short
  forms only (no "공화국", "왕국" …, no spaces), Korea itself left out;
* **KoSBi's demographic groups** (``kosbi_demographic_groups.json``, MIT) of the
  race/ethnicity/nationality category (아프리카인, 유럽인, 오세아니아인 …) and its migrant
  groups (결혼 이주 여성, 해외 출신 한국 거주자 …).

A name is matched only where a word begins (not after a Hangul or Latin letter:
상황인, FT아일랜드). Names of three or more syllables match alone (나이지리아); shorter
names only with a suffix that makes them a people — 인, 계, 족, 놈, 새끼, 사람 — since
alone they are also Korean words (가나, 수단, 오만, 말리, 저지, 타이 …); continents and
아이티 ("IT") only with a suffix too. Forms that are also common words were found by
listing every match of every form in the *training* texts (not in the evaluation or
neutral sets) and are excluded (:data:`EXCLUDED`, each with its reason). The result is
committed as ``data/groups.json``; :func:`build` regenerates it from the lists (a test
checks that they agree). :func:`migralink.media.targets.widened_targets` adds it to the
hand-written patterns; session 7 tried that and did not ship it (docs/media.md).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["DROPPED", "EXCLUDED", "GROUPS_JSON", "SUFFIXES", "SUFFIX_ONLY", "build",
           "generated_patterns", "name_pattern", "write"]

GROUPS_JSON = "groups.json"
#: Suffixes that turn a place into its people (short names match only with one).
SUFFIXES = ("인", "계", "족", "놈", "새끼", "사람")
#: Words of the official long forms, and territories' markers: not written in comments.
_LONG_FORM = re.compile(r"[\s(),}\"-]|공화국|왕국|연방|공국|합중국|독립국|령|제도|군도|섬|연합")
#: Country codes left out: Korea itself (not a foreign group) and North Korea, whose
#: people are the defectors' group of targets.py (북한인 comes from KoSBi there).
_NOT_FOREIGN = {"KOR", "PRK"}
#: Schemes of the nationality table that name countries (not 무국적, 기타, 난민 …).
_COUNTRY_SCHEMES = {"iso3166-1", "iso3166-3", "user-assigned"}
#: Generated forms that are also common Korean words, with the reason (found by listing
#: the matches in the training texts; see docs/media.md, session 7): a name is not
#: matched where one of these begins.
EXCLUDED: dict[str, str] = {
    "대만족": "대만족 (great satisfaction), not 대만 + 족",
    "그리스도": "그리스도 (Christ), not 그리스",
    "카타르시스": "카타르시스 (catharsis), not 카타르",
}
#: Names matched only with a people suffix although they have three syllables: continents
#: and 아메리카 name places far more often than people ("아시아 최초", "캡틴 아메리카"),
#: 아이티 is also "IT" spelt out.
SUFFIX_ONLY = frozenset({"아시아", "아메리카", "오세아니아", "아프리카", "아이티"})
#: Names left out: a continent without people, an institution.
DROPPED = frozenset({"남극", "교황청", "안타티카"})
#: What may not follow the suffix 인: the copula (수단인데, 케냐인지 …), not a people.
_COPULA = "(?![데지가줄게건걸듯척셈거것])"
#: KoSBi's category of race, ethnicity and nationality, and its migrant groups.
_KOSBI_RACE = "인종/민족/출신 국가"
_KOSBI_MIGRANTS = {"해외 출신 한국 거주자", "외국인 노동자", "결혼 이주 여성", "이주 노동자",
                   "다문화 가정"}
#: KoSBi's names of the Korean majority (not a foreign group).
_KOSBI_KOREAN = {"한국인", "남한 사람", "대한민국 사람"}


def _syllables(name: str) -> int:
    return sum(1 for ch in name if "가" <= ch <= "힣")


def name_pattern(name: str) -> str:
    """The regex of one name: alone when it has three syllables or more (or is a people
    already: 유럽인, 결혼 이주 여성), otherwise with a people suffix; always where a word
    begins (not after a Hangul or Latin letter: 상황인, FT아일랜드); spaces optional."""
    body = r"\s?".join(re.escape(part) for part in name.split())
    stop = [x[len(name):] for x in EXCLUDED if x.startswith(name) and x != name]
    guard = "(?!" + "|".join(map(re.escape, stop)) + ")" if stop else ""
    start = "(?<![가-힣A-Za-z])"
    if (_syllables(name) >= 3 and name not in SUFFIX_ONLY) or name.endswith("인") or (
            " " in name):
        return rf"{start}{body}{guard}"
    suffix = "(?:" + "|".join(
        "인" + _COPULA if s == "인" else s if s in ("계", "족") else r"\s?" + s
        for s in SUFFIXES) + ")"
    return rf"{start}{body}{guard}{suffix}"


def _countries() -> list[str]:
    from migralink.codes.nationalities import nationality_aliases, nationality_table

    table = nationality_table()
    codes = {code for code, scheme in table.select("code", "scheme").iter_rows()
             if scheme in _COUNTRY_SCHEMES and code not in _NOT_FOREIGN}
    names = {name for name, code in table.select("name_ko", "code").iter_rows() if code in codes}
    names |= {alias for alias, code in nationality_aliases().select("alias", "code").iter_rows()
              if code in codes}
    return sorted(n for n in names if not _LONG_FORM.search(n) and n not in DROPPED)


def _kosbi(path: Path) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    race = [n.strip() for entry in groups[_KOSBI_RACE] for n in entry.split(",")]
    race = [n for n in race if n and n not in _KOSBI_KOREAN]
    out: dict[str, list[str]] = {"ethnicity": [], "nationality": [], "nk_defectors": [],
                                 "migrants": []}
    for name in race:
        if name.startswith("북한"):
            out["nk_defectors"].append(name)
        elif name in ("중국인", "일본인", "미국인", "러시아인"):
            out["nationality"].append(name)
        else:  # continents and colours: 아프리카인, 유럽인, 황인 …
            out["ethnicity"].append(name)
            stem = name[:-1]
            if name.endswith("인") and _syllables(stem) >= 2:
                out["ethnicity"].append(stem)  # 유럽 → 유럽인, 유럽놈 …
    every = [n.strip() for entries in groups.values() for entry in entries
             for n in entry.split(",")]
    out["migrants"] = [n for n in every if n in _KOSBI_MIGRANTS]
    return {k: sorted(set(v)) for k, v in out.items()}


def build(shared_data: Path) -> dict[str, Any]:
    """The lexicon from the code lists and ``media/kosbi/kosbi_demographic_groups.json``."""
    kosbi = _kosbi(shared_data / "media" / "kosbi" / "kosbi_demographic_groups.json")
    names = {"nationality": sorted(set(_countries()) | set(kosbi["nationality"])),
             "ethnicity": kosbi["ethnicity"], "migrants": kosbi["migrants"],
             "nk_defectors": kosbi["nk_defectors"]}
    return {"sources": ["migralink.codes nationality_table + nationality_aliases",
                        "media/kosbi/kosbi_demographic_groups.json"],
            "suffixes": list(SUFFIXES), "suffix_only": sorted(SUFFIX_ONLY),
            "dropped": sorted(DROPPED), "excluded": EXCLUDED, "names": names}


def write(shared_data: Path, out: Path) -> None:
    """Write :func:`build`'s lexicon to ``out`` (``data/groups.json``)."""
    out.write_text(json.dumps(build(shared_data), ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")


@cache
def generated_patterns() -> dict[str, str]:
    """Group → one regex alternation over the committed lexicon's names."""
    path = Path(str(resources.files("migralink.media") / "data" / GROUPS_JSON))
    data = json.loads(path.read_text(encoding="utf-8"))
    # longer names first, so that 남아프리카 is tried before 아프리카
    return {group: "|".join(name_pattern(n) for n in sorted(names, key=lambda n: (-len(n), n)))
            for group, names in data["names"].items() if names}

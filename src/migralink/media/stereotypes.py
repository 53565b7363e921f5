"""Stereotype sentences from KoBBQ's race/ethnicity/nationality templates (MIT).

KoBBQ (Jin et al., TACL 2024) pairs each stereotype held in Korean society with the
groups it is held about, verified by a survey ("높은 범죄율": 중국인, 조선족,
동남아시아인 …). The training comments voice few such stereotypes without profanity
("흑인들은 범죄만 …"), so they are turned into sentences here: for every template whose
stereotype is negative, each of its target groups (Koreans and North Korean residents
left out: not foreign groups) gives one **voiced** sentence ("{group}들은 {predicate}",
hostile towards the group, label 1) and one **reported** sentence ("{group}들은
{predicate}는 건 편견이다", label 0: talk about a stereotype is not hostility). The
predicates are written once per stereotype (:data:`PREDICATES`); stereotypes that are
positive or describe discrimination suffered (친절함, 한국에서 임금 차별을 당함 …) are
not used, nor "여성에 대한 가정폭력", whose cell holds a control character (the session-7
runs went without it). Only the templates' stereotype and group columns are read: KoBBQ's *contexts*
(the second neutral set) share no text with these sentences.
"""

from __future__ import annotations

import csv
from pathlib import Path

from migralink.media.corpora import Labelled

__all__ = ["PREDICATES", "stereotype_rows"]

#: KoBBQ stereotype → the predicate of a sentence voicing it (plain form).
PREDICATES: dict[str, str] = {
    "높은 범죄율": "범죄를 많이 저지른다",
    "마약 복용": "마약을 한다",
    "교통 법규를 위반함": "교통 법규를 안 지킨다",
    "매춘": "몸을 판다",
    "불법 체류": "불법 체류를 한다",
    "가부장적": "가부장적이다",
    "학업 능력이 낮음": "공부를 못한다",
    "한국에서 가난하게 생활함": "한국에서 가난하게 산다",
    "이기적임": "이기적이다",
    "여성의 사회경제적 권리가 보장되지 않음": "여자를 사람 취급 안 한다",
    "업무 능력 부족": "일을 못한다",
    "여성 혐오": "여자를 혐오한다",
    "테러 정당화": "테러를 지지한다",
    "강력 범죄를 저지름": "강력 범죄를 저지른다",
    "속마음을 보이지 않음": "속마음을 숨긴다",
    "큰 목소리": "목소리가 크다",
    "매매혼으로 인한 불행한 결혼생활": "돈 보고 결혼한다",
    "무례함": "무례하다",
    "알코올 중독": "술에 절어 산다",
    "가난함": "가난하다",
    "디지털 문맹": "컴퓨터를 못 쓴다",
    "난폭함": "난폭하다",
    "사기 행각": "사기를 친다",
    "악취/불쾌한 냄새": "냄새가 난다",
    "수직적인 남녀관계": "여자를 아래로 본다",
    "낮은 여성 인권": "여자를 짓밟는다",
    "낙후된 과학기술": "기술이 뒤떨어졌다",
    "빈번한 조직범죄": "조직 범죄를 저지른다",
    "스팸 메일 발송": "스팸 메일을 보낸다",
}
#: Not foreign groups (the majority, and North Korea's residents at home).
_NOT_TARGETS = {"한국인", "북한 주민"}


def stereotype_rows(media: Path) -> list[Labelled]:
    """Voiced (label 1) and reported (label 0) stereotype sentences, deterministic."""
    path = media / "kobbq" / "KoBBQ_templates.tsv"
    pairs: dict[tuple[str, str], None] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["Category"] != "Race_ethnicity_nationality" or (
                    r["Stereotype"] not in PREDICATES):
                continue
            for group in r["Target_group"].split(","):
                if group.strip() and group.strip() not in _NOT_TARGETS:
                    pairs[(r["Stereotype"], group.strip())] = None
    rows = []
    for stereotype, group in pairs:
        predicate = PREDICATES[stereotype]
        rows.append(Labelled(f"{group}들은 {predicate}", 1, "kobbq", hostile=1, about=1))
        reported = predicate[:-1] + "라는" if predicate.endswith("이다") else predicate + "는"
        rows.append(Labelled(f"{group}들은 {reported} 건 편견이다", 0, "kobbq", about=1))
    return rows

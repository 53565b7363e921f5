"""The labelled hate-speech corpora of ../shared/data/media, read as (text, label) rows.

``label`` is 1 when a text is hostile *towards migrants, foreigners, a race or a
nationality* and 0 otherwise (neutral text and hostility towards other groups alike).
Which corpora may train the shipped model is decided here (see docs/media.md): K-MHaS,
KoSBi and BEEP! (CC BY-SA 4.0 / MIT) and the Denney survey answers (MIT). HateScore
(non-commercial by its README) and APEACH (no train split) are read for evaluation only.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from migralink.errors import InputError, Location
from migralink.media.targets import target_of

__all__ = ["KEYWORDS", "Labelled", "evaluation_sets", "neutral_check_sentences",
           "neutral_sentences", "training_rows"]

#: README-media.md's keyword regex: a rough filter that separates national-origin hate from
#: the domestic regional hate that dominates K-MHaS ``Origin``.
KEYWORDS = re.compile(
    "외국인|이주|이민|난민|다문화|조선족|불법체류|외노자|동남아|짱깨|짱개|흑인|무슬림|중국인|"
    "베트남|필리핀|파키스탄|예멘|탈북|코시안|쪽바리|깜둥|니거"
)
_KOSBI_GROUPS = {"인종/민족/출신 국가"}
_KOSBI_MIGRANTS = {"조선족", "탈북민", "외국인 노동자", "결혼 이주 여성", "이주 노동자",
                   "해외 출신 한국 거주자", "다문화 가정"}


@dataclass(frozen=True)
class Labelled:
    """One labelled text and where it came from.

    Attributes:
        text: the text as published.
        label: 1 when hostile towards migrants, foreigners, a race or a nationality.
        corpus: the corpus it comes from.
        hostile: 1 when hateful or offensive towards anyone (the first stage).
        about: 1 when about migrants, foreigners, a race or a nationality (the second).
    """

    text: str
    label: int
    corpus: str
    hostile: int = 0
    about: int = 0


def _need(path: Path) -> Path:
    if not path.is_file():
        raise InputError(title="a corpus file is missing",
                         hint="the training and evaluation data live in ../shared/data/media "
                         "(see README-media.md)", location=Location(file=str(path)))
    return path


def _kmhas(path: Path) -> list[tuple[str, set[int]]]:
    with _need(path).open(encoding="utf-8", newline="") as f:
        return [(r["document"], {int(x) for x in r["label"].split(",")})
                for r in csv.DictReader(f, delimiter="\t")]


def _names_foreigners(text: str) -> bool:
    """The README's keyword regex, or any group of :mod:`targets` (일본, 미국, 백인, 쪽국 …):
    the regex alone leaves out most nationalities, so Origin rows such as "태국애들 … 미개"
    or "백인은다죽여야한다" would be trained on as negatives."""
    return KEYWORDS.search(text) is not None or target_of(text) is not None


def _kmhas_label(text: str, labels: set[int]) -> int:
    # Race (6) always; Origin (0) only when the text names a migrant or foreign group
    return int(6 in labels or (0 in labels and _names_foreigners(text)))


def _kosbi(path: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(_need(path).read_text(encoding="utf-8"))
    return rows


def _kosbi_target(row: dict[str, object]) -> bool:
    return row["demographic_category"] in _KOSBI_GROUPS or (
        row["demographic_group"] in _KOSBI_MIGRANTS)


def _split(rows: list[Labelled], keep_even: bool) -> list[Labelled]:
    """Half of a corpus by position: even rows train, odd rows evaluate (deterministic)."""
    return [r for i, r in enumerate(rows) if (i % 2 == 0) == keep_even]


def _kosbi_rows(path: Path, contexts: bool = False) -> list[Labelled]:
    rows = [Labelled(str(r["sentence"]), int(_kosbi_target(r) and r["sentence_label"] ==
                                             "unsafe"), "kosbi",
                     hostile=int(r["sentence_label"] == "unsafe"), about=int(_kosbi_target(r)))
            for r in _kosbi(path)]
    if contexts:  # the contexts are formal prose about a group, most of them neutral
        seen: set[str] = set()
        for r in _kosbi(path):
            text = str(r["context"])
            if text not in seen:
                seen.add(text)
                unsafe = r["context_label"] == "unsafe"
                rows.append(Labelled(text, int(_kosbi_target(r) and unsafe), "kosbi",
                                     hostile=int(unsafe), about=int(_kosbi_target(r))))
    return rows


def _kmhas_rows(path: Path) -> list[Labelled]:
    return [Labelled(t, _kmhas_label(t, ls), "kmhas", hostile=int(ls != {8}),
                     about=int(_kmhas_label(t, ls) == 1 or KEYWORDS.search(t) is not None))
            for t, ls in _kmhas(path)]


def training_rows(media: Path, beep_named: bool = False) -> list[Labelled]:
    """The rows the shipped model is trained on (licences that allow shipping a model).

    The BEEP! rows that name a group of :mod:`targets` (일본, 중국, 흑인 …; 153 rows, 115
    of them hostile) are left out: BEEP! has no target label, so "일본 원숭이는 너네
    나라로 가세요!" would train as a negative (session 8, docs/media.md; shipped since).
    ``beep_named=True`` keeps them, as models before session 8 did.
    """
    rows = _kmhas_rows(media / "kmhas" / "kmhas_valid.txt")
    rows += _split(_kmhas_rows(media / "kmhas" / "kmhas_test.txt"), keep_even=True)
    rows += _kosbi_rows(media / "kosbi" / "kosbi_valid.json", contexts=True)
    rows += _split(_kosbi_rows(media / "kosbi" / "kosbi_test.json"), keep_even=True)
    for name in ("train.tsv", "dev.tsv"):
        with _need(media / "kocohub-beep" / "labeled" / name).open(encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                # BEEP! has no nationality label: its keyword rows and those naming a
                # group are left out rather than guessed; the others are negatives
                # (celebrity gossip, insults)
                if not KEYWORDS.search(r["comments"]) and (
                        beep_named or target_of(r["comments"]) is None):
                    rows.append(Labelled(r["comments"], 0, "beep",
                                         hostile=int(r["hate"] != "none")))
    rows += _survey_rows(media / "denney-korea-corpora")
    return rows


def _survey_rows(folder: Path) -> list[Labelled]:
    """Lay reasons about immigrants and North Korean migrants (MIT): on-topic, not abusive.

    They teach the classifier that talk about migrants is not hostility by itself; the
    few prejudiced answers among them are reasons given to a survey, not abuse.
    """
    rows = []
    with _need(folder / "immigrant_interviews" / "immigrant_interview.csv").open(
            encoding="utf-8", newline="") as f:
        rows += [Labelled(r["text"], 0, "denney", about=1) for r in csv.DictReader(f)
                 if len(r["text"].strip()) > 3]
    with _need(folder / "nkmigrants_interviews" / "nkmigrants_interviews.csv").open(
            encoding="utf-8", newline="") as f:
        rows += [Labelled(r["response_text"], 0, "denney", about=1)
                 for r in csv.DictReader(f) if len(r["response_text"].strip()) > 3]
    return rows


def evaluation_sets(media: Path) -> dict[str, list[Labelled]]:
    """Held-out sets, each scored separately (none of their rows is trained on)."""
    kmhas_test = [(t, ls) for i, (t, ls) in
                  enumerate(_kmhas(media / "kmhas" / "kmhas_test.txt")) if i % 2 == 1]
    kosbi = [r for i, r in enumerate(_kosbi(media / "kosbi" / "kosbi_test.json"))
             if i % 2 == 1 and r["demographic_category"] in _KOSBI_GROUPS]
    # K-MHaS per label: the label's rows against the rows marked "not hate speech" (8);
    # Origin only where the keyword regex names a migrant or foreign group
    sets = {
        "kmhas_race": [Labelled(t, int(6 in ls), "kmhas") for t, ls in kmhas_test
                       if 6 in ls or ls == {8}],
        "kmhas_origin_keyword": [Labelled(t, int(bool(ls & {0, 6})), "kmhas")
                                 for t, ls in kmhas_test
                                 if KEYWORDS.search(t) and (ls & {0, 6} or ls == {8})],
        "kosbi_race_ethnicity_nationality": [
            Labelled(str(r["sentence"]), int(r["sentence_label"] == "unsafe"), "kosbi")
            for r in kosbi],
    }
    with _need(media / "apeach" / "test.csv").open(encoding="utf-8", newline="") as f:
        apeach = list(csv.DictReader(f))
    for topic in ("Nationality", "Racism"):
        sets[f"apeach_{topic.lower()}"] = [
            Labelled(r["text"], int(r["class"] == "Spoiled"), "apeach")
            for r in apeach if r["text_topic_eng"] == topic]
    return sets


_NATIONALITY = re.compile(
    "중국|일본|미국|베트남|필리핀|태국|몽골|러시아|우즈베키스탄|네팔|인도|파키스탄|방글라데시|"
    "캄보디아|인도네시아|미얀마|스리랑카|독일|프랑스|영국|캐나다|호주|이집트|시리아|예멘|"
    "아프리카|유럽|외국인|이민|난민|조선족|탈북|다문화|흑인|무슬림"
)


def _wikipedia_sentences(media: Path) -> list[str]:
    """HateScore's Wikipedia sentences labelled Clean that name a country or group."""
    with _need(media / "hatescore" / "HateScore.csv").open(encoding="utf-8") as f:
        return [r["comment"] for r in csv.DictReader(f)
                if r["source"] == "위키피디아" and r["macrolabel"] == "Clean"
                and _NATIONALITY.search(r["comment"])]


def neutral_sentences(media: Path, wiki: int = 330) -> list[str]:
    """Neutral news-style sentences that mention a nationality (the false-positive set).

    HateScore's Wikipedia sentences labelled Clean that name a country or group (the
    first ``wiki``), then the 2017 newspaper tweets that do (URLs removed):
    encyclopaedic and headline prose.
    """
    out = _wikipedia_sentences(media)[:wiki]
    tweets = media / "denney-korea-corpora" / "kr_newspapers" / "korean_newspapers_twitter.csv"
    with _need(tweets).open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text = re.sub(r"https?://\S+", "", r["text"]).strip()
            if _NATIONALITY.search(text):
                out.append(text)
    return out


def neutral_check_sentences(media: Path, wiki: int = 330) -> list[str]:
    """A second neutral set, disjoint from :func:`neutral_sentences`, seen by no choice.

    The first set was looked at when models were compared, so it is not fully
    independent; this one was built afterwards and only checks. It holds the HateScore
    Wikipedia sentences after the first ``wiki`` and the distinct contexts of KoBBQ's
    race/ethnicity/nationality test samples (MIT; not trained on): short reports such as
    "구로구 경찰서에 살인 신고가 들어와 … 조선족 남성과 한국인 남성이 있었습니다", which name a
    group in a stereotyped setting without any hostility.
    """
    out = _wikipedia_sentences(media)[wiki:]
    seen: set[str] = set()
    with _need(media / "kobbq" / "KoBBQ_test_samples.tsv").open(
            encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if (r["sample_id"].startswith("race_ethnicity_nationality-")
                    and r["context"] not in seen):
                seen.add(r["context"])
                out.append(r["context"])
    return out

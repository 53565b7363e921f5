"""The paragraphs of the framing annotation: a seeded, documented sample of ../shared/data/media.

Only ids are committed (the annotation files name them); the texts are read from the
published files, so nothing is copied here (the newspaper tweets are the outlets' text).
Sources, with how many paragraphs each gives:

* ``tw`` — the 31 newspaper tweets that match the README's migrant keyword regex (all);
* ``km`` — 110 K-MHaS news comments (test split) that match the regex;
* ``im`` — 100 answers of the immigrant-choice survey (Denney & Green 2020), 6+ characters;
* ``nk`` — 79 answers about North Korean migrants (Denney & Green 2024), 12+ characters.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

__all__ = ["SHARED_MEDIA", "paragraphs"]

SHARED_MEDIA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "media"

# the README-media.md keyword regex (the same as migralink.media.corpora.KEYWORDS)
_KEYWORDS = re.compile(
    "외국인|이주|이민|난민|다문화|조선족|불법체류|외노자|동남아|짱깨|짱개|흑인|무슬림|중국인|"
    "베트남|필리핀|파키스탄|예멘|탈북|코시안|쪽바리|깜둥|니거"
)
_SEED = 20261204


def _tweets(root: Path) -> list[tuple[str, str]]:
    path = root / "denney-korea-corpora" / "kr_newspapers" / "korean_newspapers_twitter.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [(f"tw:{r['id']}", r["text"]) for r in csv.DictReader(f)
                if _KEYWORDS.search(r["text"])]


def _kmhas(root: Path) -> list[tuple[str, str]]:
    rows = (root / "kmhas" / "kmhas_test.txt").read_text(encoding="utf-8").splitlines()[1:]
    out = []
    for n, line in enumerate(rows, start=2):
        text = line.rsplit("\t", 1)[0].strip().strip('"')
        if _KEYWORDS.search(text):
            out.append((f"km:{n}", text))
    return out


def _answers(path: Path, id_of: str, text_col: str, min_len: int) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(id_of.format(**r), r[text_col].strip()) for r in csv.DictReader(f)
                if len(r[text_col].strip()) >= min_len]


def paragraphs(root: Path = SHARED_MEDIA) -> list[tuple[str, str]]:
    """The 320 (id, text) pairs to annotate, in a fixed shuffled order."""
    rng = random.Random(_SEED)
    corpora = root / "denney-korea-corpora"
    picked = _tweets(root)
    picked += rng.sample(_kmhas(root), 110)
    picked += rng.sample(_answers(corpora / "immigrant_interviews" / "immigrant_interview.csv",
                                  "im:{respid}", "text", 6), 100)
    picked += rng.sample(_answers(corpora / "nkmigrants_interviews" / "nkmigrants_interviews.csv",
                                  "nk:{respid}:{response_type}", "response_text", 12), 79)
    rng.shuffle(picked)
    return picked

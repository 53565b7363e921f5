"""What the hostility classifier can score, and long texts cut into pieces it can score.

The classifier was trained on Korean comments of a few hundred characters at most. Three
kinds of input fall outside that, and each gets a visible status instead of a score:

* ``empty``: no text, or only white space or invisible characters: there is nothing
  to classify (and a monitor must not count it as a text);
* ``no_hangul``: (almost) no Hangul among the text's letters — English, Chinese, emoji
  only: the model knows Korean n-grams only, so its low score on such a text would read
  as a confident "not hostile" that it cannot give.

A text longer than :data:`PIECE_CHARS` characters (a post, an article) is scored
sentence by sentence, a sentence longer than that in pieces of at most that length: the
feature and encoder cost of one text grows faster than its length (a 144,000-character
text took 3 GB), while pieces keep it bounded and linear. The text is as hostile as its
most hostile piece. Texts up to that length (every comment the model was evaluated on)
are scored whole, as before.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from migralink.media.targets import Target

__all__ = [
    "EMPTY",
    "MIN_HANGUL_SHARE",
    "NO_HANGUL",
    "PIECE_CHARS",
    "SCORED",
    "Decision",
    "Status",
    "pieces",
    "status_of",
]

Status = Literal["scored", "empty", "no_hangul"]
SCORED: Final = "scored"
EMPTY: Final = "empty"
NO_HANGUL: Final = "no_hangul"

#: Below this share of Hangul among a text's letters it is not Korean enough to score.
#: Low on purpose: Korean comments mix in Latin words ("조선족 out! these chinese are
#: 벌레" is 5 of 21 letters), and no text of the evaluation sets comes near it.
MIN_HANGUL_SHARE = 0.1

#: The longest piece scored at once: above every text the model was evaluated on (300
#: characters at most, as news-site comments are) and short enough that a batch of
#: pieces stays small (a 144,000-character text: 0.77 GB and 20 s in all, from 3 GB).
PIECE_CHARS = 500


@dataclass(frozen=True)
class Decision:
    """The classifier's answer for one text.

    Attributes:
        hostile: 1 when the text is hostile towards migrants, foreigners, a race or a
            nationality, 0 when not; None when the text was not scored (see ``status``).
        score: calibrated probability of that (None when not scored).
        target: the group the text names (None when it names none).
        spans: the words that drove the decision (strongest first), and the group's name.
        status: ``scored``; ``empty`` (nothing to classify) or ``no_hangul`` (not Korean:
            the model cannot say) for a text that was not scored.
    """

    hostile: int | None
    score: float | None
    target: Target | None
    spans: tuple[str, ...]
    status: Status = SCORED

    @property
    def probability(self) -> float:
        """The score of a scored text.

        Raises:
            ValueError: the text was not scored (``status`` says why).
        """
        if self.score is None:
            raise ValueError(f"the text was not scored: {self.status}")
        return self.score

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {"hostile": self.hostile,
                "score": None if self.score is None else round(self.score, 4),
                "target": self.target, "spans": list(self.spans), "status": self.status}


_SENTENCE_END = re.compile(r"(?<=[.!?。…\n])\s+")


def _is_hangul(ch: str) -> bool:
    code = ord(ch)
    return (0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF
            or 0x3130 <= code <= 0x318F or 0xA960 <= code <= 0xA97F
            or 0xD7B0 <= code <= 0xD7FF)


def status_of(text: str | None) -> Status:
    """Whether ``text`` can be scored: ``scored``, ``empty`` or ``no_hangul``."""
    if text is None or all(unicodedata.category(ch)[0] in "ZC" for ch in text):
        return EMPTY  # white space, control and format characters (zero-width space) only
    letters = hangul = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            hangul += _is_hangul(ch)
    if hangul == 0 or hangul < MIN_HANGUL_SHARE * letters:
        return NO_HANGUL
    return SCORED


def pieces(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """``text`` itself when it is at most ``limit`` characters long; otherwise its
    sentences (cut after ``.!?。…`` or a line break), a sentence longer than ``limit`` cut
    at spaces into pieces of at most ``limit`` characters (a longer word at ``limit``).

    Sentences are not packed together: a hostile sentence is scored on its own, as the
    comments the model was trained on were, rather than diluted by its neighbours."""
    if len(text) <= limit:
        return [text]
    return [part for sentence in _SENTENCE_END.split(text) if sentence.strip()
            for part in _fit(sentence.strip(), limit)]


def scorable_pieces(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """The :func:`pieces` of a scorable ``text`` that are scorable themselves (an English
    sentence in a Korean post is not read by a Korean model), or all of them when none
    is on its own."""
    cut = pieces(text, limit)
    if len(cut) == 1:
        return cut
    return [p for p in cut if status_of(p) == SCORED] or cut


def _fit(sentence: str, limit: int) -> list[str]:
    """``sentence`` cut at spaces (a word longer than ``limit`` at ``limit``)."""
    if len(sentence) <= limit:
        return [sentence]
    out: list[str] = []
    current = ""
    for word in sentence.split():
        while len(word) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(word[:limit])
            word = word[limit:]
        if current and len(current) + 1 + len(word) > limit:
            out.append(current)
            current = ""
        current = f"{current} {word}" if current else word
    if current:
        out.append(current)
    return out

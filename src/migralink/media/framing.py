"""Frames of migration coverage: the Media Frames Corpus codebook adapted to Korea.

The Policy Frames Codebook (Boydstun et al.; the MFC ``codes.json`` in
``../shared/data/media/media-frames-corpus``) has 15 dimensions. Korean migration
coverage needs some merged and some made explicit (see docs/media.md, "Framing"):
each frame below names the MFC codes it covers and a lexicon of cue words. This is the
lexicon half only: a paragraph gets the frames whose cues it contains, and its primary
frame is the one with most cues (ties: codebook order). The trained classifier is
:mod:`migralink.media.frame_model`; the double annotation is in tests/media/framing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FRAMES", "Frame", "FrameTags", "frames_of"]


@dataclass(frozen=True)
class Frame:
    """One frame of the codebook.

    Attributes:
        key: short id.
        label: Korean and English name.
        mfc: the MFC frame dimensions it covers (codes of ``codes.json``).
        cues: the lexicon (a regular expression of cue words).
    """

    key: str
    label: str
    mfc: tuple[str, ...]
    cues: re.Pattern[str]


FRAMES: tuple[Frame, ...] = (
    Frame("economic", "경제 (economic)", ("1", "2"), re.compile(
        r"일자리|인력난|노동력|임금|최저임금|경제|산업|농촌|제조업|고용|취업|세금|비용|"
        r"인건비|생산|jobs?|labou?r|economy|wages?")),
    Frame("crime_security", "범죄·안보 (crime and security)", ("7", "8"), re.compile(
        r"범죄|범죄율|살인|강도|마약|불법|단속|추방|테러|간첩|치안|검거|체포|전과|crime|"
        r"illegal|deport\w*|terror\w*")),
    Frame("health_safety", "보건·안전 (health and safety)", ("9",), re.compile(
        r"감염|코로나|질병|에이즈|방역|산업재해|산재|사망|사고|안전|건강|병원|disease|"
        r"virus|health|accident")),
    Frame("rights_fairness", "인권·공정 (human rights and fairness)", ("3", "4"), re.compile(
        r"인권|차별|혐오|평등|공정|착취|폭행|학대|존엄|박해|난민\s?인정|보호|역차별|특혜|"
        r"rights|discriminat\w*|fair\w*|abuse")),
    Frame("legal_policy", "법·정책 (law and policy)", ("5", "6", "13"), re.compile(
        r"법률|법안|법원|법적|판결|국적법|출입국\s?관리법|제도|정책|비자|체류\s?자격|허가|고용허가제|귀화|국적법|영주권|심사|정부|"
        r"법무부|policy|visa|law|permit")),
    Frame("cultural_identity", "문화·정체성 (cultural identity)", ("11",), re.compile(
        r"문화|전통|언어|한국어|동포|민족|정체성|다문화|종교|이슬람|무슬림|혈통|같은\s?민족|"
        r"culture|identity|language|religio\w*")),
    Frame("integration_life", "정착·삶의 질 (integration and quality of life)", ("10",),
          re.compile(r"정착|적응|이웃|가족|자녀|교육|학교|주거|생활|공동체|사회\s?통합|"
                     r"integrat\w*|neighbou?r|famil(?:y|ies)|school")),
    Frame("public_opinion", "여론 (public opinion)", ("12",), re.compile(
        r"여론|반발|청원|시위|주민\s?반대|조사\s?결과|응답자|국민\s?여론|poll|protest\w*")),
    Frame("political", "정치 (political)", ("13",), re.compile(
        r"국회|의원|정당|대선|선거|대통령|장관|여당|야당|정치|parliament|election|party")),
    Frame("external", "대외 관계 (external relations)", ("14",), re.compile(
        r"외교|국제|유엔|UN|협정|대사관|북한|중국\s?정부|국제사회|diploma\w*|treaty")),
)


@dataclass(frozen=True)
class FrameTags:
    """The frames a paragraph evokes."""

    frames: tuple[str, ...]
    primary: str | None
    cues: tuple[tuple[str, str], ...]


def frames_of(text: str) -> FrameTags:
    """The frames whose cue words occur in ``text``, and the primary (most cues)."""
    hits: list[tuple[str, list[str]]] = []
    for frame in FRAMES:
        found = [m.group(0) for m in frame.cues.finditer(text)]
        if found:
            hits.append((frame.key, found))
    if not hits:
        return FrameTags((), None, ())
    primary = max(hits, key=lambda h: len(h[1]))[0]  # max keeps the first of a tie
    return FrameTags(tuple(k for k, _ in hits), primary,
                     tuple((k, c) for k, cues in hits for c in cues))

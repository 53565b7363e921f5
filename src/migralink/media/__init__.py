"""Public discourse about migrants: numeric claims checked against the evidence base, and
hostile content detected, attributed to a target group and monitored over time.

Public surface: :class:`Checker` (``Checker.open(db).check_text(text)``), :class:`Ruling`,
:class:`Citation`, :class:`CheckRules`, :class:`Claim`, :func:`find_claims`,
:func:`parse_korean_number`; :func:`load_model` (the shipped hostility classifier:
``load_model().classify(texts)`` → :class:`Decision`), :func:`target_of`, and
:func:`frames_of` (framing cues), :func:`load_frame_model` (the trained frame
classifier: ``load_frame_model().primary(texts)``). See docs/media.md.
"""

from migralink.media.checker import Checker, CheckRules, Citation, Ruling
from migralink.media.claims import Claim, find_claims
from migralink.media.frame_model import FrameModel, load_frame_model
from migralink.media.framing import frames_of
from migralink.media.model import Decision, load_model
from migralink.media.numerals import parse_korean_number
from migralink.media.targets import target_of

__all__ = [
    "CheckRules",
    "Checker",
    "Citation",
    "Claim",
    "Decision",
    "FrameModel",
    "Ruling",
    "find_claims",
    "frames_of",
    "load_frame_model",
    "load_model",
    "parse_korean_number",
    "target_of",
]

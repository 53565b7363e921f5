"""Public discourse about migrants: numeric claims checked against the evidence base, and
hostile content detected, attributed to a target group and monitored over time.

Public surface: :class:`Checker` (``Checker.open(db).check_text(text)``), :class:`Ruling`,
:class:`Citation`, :class:`Claim`, :func:`find_claims`, :func:`parse_korean_number`.
"""

from migralink.media.checker import Checker, CheckRules, Citation, Ruling
from migralink.media.claims import Claim, find_claims
from migralink.media.numerals import parse_korean_number

__all__ = [
    "CheckRules",
    "Checker",
    "Citation",
    "Claim",
    "Ruling",
    "find_claims",
    "parse_korean_number",
]

"""The framing codebook: every frame maps to MFC dimensions; cues tag paragraphs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migralink.media.framing import FRAMES, frames_of


def test_every_frame_names_real_mfc_dimensions(shared: Path) -> None:
    codes = json.loads((shared / "media" / "media-frames-corpus" / "codes.json")
                       .read_text(encoding="utf-8"))
    primaries = {key.split(".")[0] for key, name in codes.items() if key.endswith(".0")}
    covered = {code for frame in FRAMES for code in frame.mfc}
    assert covered <= primaries
    assert len(FRAMES) == len({f.key for f in FRAMES})


@pytest.mark.parametrize(("text", "primary"), [
    ("외국인 노동자가 없으면 농촌 일자리와 제조업 인력난이 심해진다", "economic"),
    ("불법체류자 단속과 추방이 강화됐다", "crime_security"),
    ("“정권 바뀌었어도 박해 위험” 가나 국적자 난민인정 판결", "rights_fairness"),
    ("동포이니까 같은 민족이라 한국어도 잘한다", "cultural_identity"),
    ("오늘은 날씨가 맑다", None),
])
def test_primary_frame(text: str, primary: str | None) -> None:
    assert frames_of(text).primary == primary

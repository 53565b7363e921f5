"""Korean regions named in a sentence (경기도, 서울, 안산시), as MOIS codes."""

from __future__ import annotations

import re

from migralink.errors import CodeError

__all__ = ["region_in"]

#: Places as English news spells them (province, then cities with many foreigners).
_ENGLISH = {"seoul": "서울특별시", "busan": "부산광역시", "incheon": "인천광역시",
            "daegu": "대구광역시", "daejeon": "대전광역시", "ulsan": "울산광역시",
            "gyeonggi": "경기도", "gyeonggi province": "경기도", "jeju": "제주특별자치도",
            "south chungcheong": "충청남도", "ansan": "안산시", "hwaseong": "화성시",
            "siheung": "시흥시", "gimhae": "김해시", "yeongdeungpo": "영등포구",
            "guro": "구로구"}
_ENGLISH_PLACE = re.compile(r"\b(?:" + "|".join(sorted(_ENGLISH, key=len, reverse=True))
                            + r")\b", re.IGNORECASE)

# Province names as people write them; the short forms need a particle or space after
# them so that "경기" in "경기 침체" (economy) is not read as the province.
_SIDO = re.compile(
    r"(서울특별시|서울시|서울|부산광역시|부산|대구광역시|대구|인천광역시|인천|광주광역시|대전광역시|"
    r"대전|울산광역시|울산|세종특별자치시|세종시|경기도|강원특별자치도|강원도|충청북도|충북|"
    r"충청남도|충남|전북특별자치도|전라북도|전북|전라남도|전남|경상북도|경북|경상남도|경남|"
    r"제주특별자치도|제주도|제주)(?=에|의|\s|는|은|에서|$)"
)
_SIGUNGU = re.compile(r"([가-힣]{1,3}(?:시|군|구))(?=에|의|\s|는|은|에서|$)")
_NOT_PLACES = {"연구", "요구", "추구", "친구", "입구", "출구", "가구", "도구", "영구", "인구",
               "지구", "외국인구", "해군", "육군", "공군", "당시", "동시", "수시", "항시", "역시",
               "즉시", "또는시", "매시", "무시", "감시", "개시", "표시", "지시", "전시", "일시"}


def region_in(sentence: str) -> tuple[str, str] | None:
    """The first Korean region named in ``sentence``: (MOIS code, words), or None."""
    from migralink.codes import resolve_region

    candidates = [m.group(1) for m in _SIDO.finditer(sentence)]
    candidates += [_ENGLISH[m.group(0).lower()] for m in _ENGLISH_PLACE.finditer(sentence)]
    candidates += [m.group(1) for m in _SIGUNGU.finditer(sentence)
                   if m.group(1) not in _NOT_PLACES]
    for name in candidates:
        short = {"서울": "서울특별시", "서울시": "서울특별시", "제주": "제주특별자치도",
                 "제주도": "제주특별자치도", "충남": "충청남도", "충북": "충청북도",
                 "경북": "경상북도", "경남": "경상남도", "전남": "전라남도", "전북": "전라북도",
                 "세종시": "세종특별자치시"}.get(name, name)
        try:
            return str(resolve_region(short)), name
        except CodeError:
            continue
    return None

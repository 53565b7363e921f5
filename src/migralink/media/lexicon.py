"""Words that name migrant populations, hedges, periods and places, in Korean and English.

Each population key names a concept the evidence base can (or, said plainly, cannot)
measure; :mod:`migralink.media.series` maps the keys to candidate queries. Patterns are
ordered from specific to general: "불법체류 외국인" is undocumented before it is foreign.
"""

from __future__ import annotations

import re

__all__ = [
    "AREA_FOREIGN", "AREA_KOREA", "HEDGES", "NATIONALITY_TERMS", "POPULATIONS",
    "TOPIC_NO_SERIES", "population_pattern",
]

#: (key, pattern). The first pattern that matches nearest the number names the population.
POPULATIONS: tuple[tuple[str, str], ...] = (
    ("undocumented", r"불법\s?체류\s?(?:외국인|자|노동자)?|불체자"
                     r"|미등록\s?(?:이주민|이주\s?노동자|외국인|체류자)"
                     r"|불법\s?(?:이민자|이주민|외국인)|illegal (?:immigrants?|aliens?|migrants?)"
                     r"|undocumented (?:migrants?|immigrants?|foreigners?|workers?)|overstayers?"),
    ("h2_workers", r"방문\s?취업\s?(?:\(?H-?2\)?)?\s?(?:동포|자격|비자)?"
                   r"|H-2\s?(?:비자|동포|자격)?"),
    ("overseas_koreans", r"재외\s?동포\s?(?:\(?F-?4\)?)?\s?(?:자격|비자)?"
                         r"|F-4\s?(?:비자|자격|동포)?"),
    ("permanent_residents", r"영주\s?(?:권자|자격자?)\s?(?:\(?F-?5\)?)?|F-5\s?(?:비자|자격)?"
                            r"|permanent residents?"),
    ("naturalisations", r"귀화\s?(?:허가|신청|건수)|naturali[sz]ations? (?:granted|approved)"),
    ("migrant_stock", r"(?:international )?migrant stock|international migrants?"
                      r"|국제\s?이주민\s?(?:스톡|규모|수)"),
    ("e9_workers", r"고용허가제\s?(?:외국인\s?)?(?:노동자|근로자|인력)?"
                   r"|E-?9\s?(?:비자|노동자|근로자)?"
                   r"|비전문\s?취업|EPS workers?"),
    ("workers", r"외노자|취업\s?자격\s?(?:외국인|체류자)|외국인\s?(?:노동자|근로자|일꾼|인력)"
                r"|이주\s?(?:노동자|근로자)"
                r"|migrant workers?|foreigners? (?:with|holding) (?:a )?work (?:permits?|visas?)"
                r"|foreign workers?|guest workers?"),
    ("marriage_migrants", r"결혼\s?(?:이민자?|이주\s?(?:여성|민|자))\s?(?:\(?F-?6\)?)?|F-6"
                          r"|marriage (?:migrants?|immigrants?)"),
    ("students", r"(?:외국인\s?)?유학생|(?:foreign|international) students?"
                 r"|students from abroad"),
    ("ethnic_korean_chinese", r"조선족|중국\s?동포|한국계\s?중국인"
                              r"|ethnic Korean[- ]Chinese"
                              r"|Korean[- ]Chinese|Chosonjok|Joseonjok"),
    ("registered", r"등록\s?외국인|registered foreign(?:ers|\s?residents|\s?nationals)"),
    ("longterm", r"장기\s?체류\s?(?:외국인|자)|long[- ]term (?:foreign )?residents"),
    ("foreign_residents", r"외국인\s?주민"),
    ("naturalised", r"귀화자|귀화한\s?(?:사람|외국인)|귀화|naturali[sz](?:ed|ations?)"),
    ("refugees", r"난민|refugees?|asylum[- ]seekers?"),
    ("defectors", r"탈북\s?(?:자|민|여성|주민)?|북한\s?이탈\s?주민|새터민"
                  r"|(?:North Korean )?defectors?"),
    ("multicultural", r"다문화\s?(?:가정|가족|가구|아동|학생|자녀)?|multicultural famil(?:y|ies)"),
    ("race", r"흑인|백인|황인|무슬림|이슬람교도|black people|Muslims?"),
    ("tourists", r"(?:외국인\s?)?(?:관광객|방문객|입국자)"
                 r"|(?:foreign )?(?:tourists?|visitors?|arrivals)"),
    ("nationality", r"PLACEHOLDER"),  # replaced by NATIONALITY_TERMS at import
    ("foreigners", r"foreign (?:share|population)|체류\s?외국인|외국인|이민자|이주민|이주자"
                   r"|외국\s?국적자|외국\s?사람"
                   r"|foreigners?|immigrants?|migrants?|foreign (?:residents|nationals)"),
)

#: Words for people of one nationality (or group of them) → MOJ nationality codes.
NATIONALITY_TERMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"중국인|중국\s?국적자?|짱깨|짱개|Chinese", ("CHN", "CHN-KR")),
    (r"베트남\s?(?:인|사람|국적자?|출신)|Vietnamese", ("VNM",)),
    (r"(?:태국|타이)\s?(?:인|사람|국적자?|출신)|Thai (?:nationals|people|workers)", ("THA",)),
    (r"필리핀\s?(?:인|사람|국적자?|출신)|Filipinos?", ("PHL",)),
    (r"미국\s?(?:인|사람|국적자?|출신)|Americans?", ("USA",)),
    (r"우즈베키스탄\s?(?:인|사람|국적자?|출신)|우즈벡인|Uzbeks?", ("UZB",)),
    (r"네팔\s?(?:인|사람|국적자?|출신)|Nepalese|Nepalis?", ("NPL",)),
    (r"인도네시아\s?(?:인|사람|국적자?|출신)|Indonesians?", ("IDN",)),
    (r"캄보디아\s?(?:인|사람|국적자?|출신)|Cambodians?", ("KHM",)),
    (r"몽골\s?(?:인|사람|국적자?|출신)|Mongolians?", ("MNG",)),
    (r"러시아\s?(?:인|사람|국적자?|출신)|Russians?", ("RUS",)),
    (r"일본\s?(?:인|사람|국적자?|출신)|Japanese", ("JPN",)),
    (r"동남아\s?(?:인|사람|출신|노동자)|Southeast Asians?",
     ("VNM", "THA", "PHL", "IDN", "KHM", "MMR", "LAO", "MYS", "SGP", "BRN", "TLS")),
)

#: Figures about these topics are not in the evidence base (no crime, health or survey data).
TOPIC_NO_SERIES = re.compile(
    r"범죄|범죄율|범죄자|살인|강력\s?사건|crime|에이즈|HIV|감염|코로나|학교\s?폭력|따돌림|"
    r"응답자|설문|조사\s?결과|여론|poll|survey|respondents|결혼하고|국제\s?결혼|이혼|"
    r"사망|숨진|숨져|익사|실종|행불|자살|처벌|쿼터|도입\s?규모|quota|세금|복지|건강\s?보험\s?(?:적자|재정)|"
    r"출산|임금|월급|대여료|매너|선거|투표|차별|실업|고용률|취업자(?!격)|wage|tax|welfare|unemploy",
    re.IGNORECASE,
)

#: (kind, pattern): "over" = at least, "under" = at most, "approx", "emphasis".
HEDGES: tuple[tuple[str, str], ...] = (
    # "N 시대" (the era of N) says N has been reached: a lower bound
    ("over", r"시대|넘는|넘었|넘어|넘게|넘긴|이상|돌파|초과|over|more than|at least|above"
             r"|exceed\w*|topped|surpass\w*"),
    ("under", r"미만|이하|못\s?미치|안\s?되는|under|less than|fewer than|below|at most"),
    ("approx", r"육박|약|대략|가량|정도|쯤|여\s?명|여만|안팎|남짓|about|around|roughly"
               r"|approximately|nearly|almost|some"),
    ("emphasis", r"무려|벌써|이미|자그마치|as many as|a whopping|already"),
)

AREA_KOREA = re.compile(
    r"한국|대한민국|우리나라|국내|전국|남한|Korea|in the country", re.IGNORECASE
)
#: Places outside Korea, when written as the place of the figure (locative).
AREA_FOREIGN = re.compile(
    r"(북한|중국|중화인민공화국|일본|미국|유럽|독일|프랑스|영국|이탈리아|그리스|터키|이집트|"
    r"시리아|예멘|이라크|팔레스타인|리비아|지중해|전\s?세계|세계|해외|외국|이민\s?간\s?곳|"
    r"베트남|태국|필리핀)(?:에서|에는|에선|에|의|\s?내|\s?전역)|"
    r"\bin (?:Europe|Germany|France|the US|America|Japan|China|North Korea|the world)\b"
    r"|worldwide|전\s?세계|미국\s?불법",
    re.IGNORECASE,
)


def population_pattern() -> list[tuple[str, re.Pattern[str], tuple[str, ...]]]:
    """Compiled population patterns: (key, pattern, nationality codes for 'nationality')."""
    compiled: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = []
    for key, pattern in POPULATIONS:
        if key == "nationality":
            for terms, codes in NATIONALITY_TERMS:
                compiled.append((key, re.compile(terms, re.IGNORECASE), codes))
            continue
        compiled.append((key, re.compile(pattern, re.IGNORECASE), ()))
    return compiled

"""Seeded synthetic migrant registers with a documented error model and known truth.

One population of foreign residents is drawn, then observed in two or three registers:

* ``immigration`` (register A) — every person; names in Latin letters as in the passport;
* ``employment`` (register B) — employment insurance, people in work only; names in Hangul;
* ``health`` (register C, optional) — health insurance; Latin letters, another romanisation.

Error model (per record, independently; rates are fields of :class:`ErrorModel`):

* names: order swapped (``swap``), words joined or split differently (``split``), one typing
  error (``typo``: substitution, deletion or transposition of a letter / a Hangul syllable's
  jamo); Hangul forms are the official 외래어 표기법 transcription, or (``hangul_variant``) a
  register's informal spelling (tense/plain/aspirated onset, ㅐ/ㅔ, glide dropped), or
  (``hangul_english``) the passport spelling read letter by letter; Chinese names are written
  in their Sino-Korean reading for ethnic Koreans (``sino``); Latin forms of Chinese ü and
  Vietnamese đ vary (``romanisation``);
* date of birth: day and month swapped (``dm_swap``, when the day is ≤ 12), one digit wrong
  (``dob_typo``), missing (``missing``); sex and nationality missing (``missing``) or wrong
  (``sex_error``); region changed by a move (``move``).

The truth is the ``person_id`` column; it must be dropped before linking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import cache

import numpy as np
import polars as pl

from migralink.linkage.hangul import ONSETS, VOWELS, decompose, is_hangul, syllable
from migralink.linkage.name_lists import FAMILY, GIVEN, MIDDLE, SURNAME_FIRST
from migralink.linkage.names import LANGUAGE_OF_NATIONALITY, to_hangul
from migralink.linkage.phonemes import latin_to_hangul
from migralink.linkage.rules import fold_latin
from migralink.linkage.unihan import readings

__all__ = ["ErrorModel", "SyntheticRegisters", "family_first", "make_population", "make_registers"]

# shares of registered foreigners by nationality among the ten origins modelled (order of
# magnitude of the MOJ statistics; ethnic Korean Chinese are part of CHN)
NATIONALITY_SHARE = {"CHN": 0.40, "VNM": 0.17, "THA": 0.09, "UZB": 0.06, "PHL": 0.05,
                     "RUS": 0.05, "NPL": 0.05, "IDN": 0.05, "MNG": 0.04, "KHM": 0.04}
STATUS = ["E-9", "H-2", "F-4", "F-5", "F-6", "D-2", "E-7"]
REGIONS = ["11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48",
           "50", "51", "52"]


@dataclass(frozen=True)
class ErrorModel:
    """Per-record error probabilities of the synthetic registers (see module docstring)."""

    swap: float = 0.15
    split: float = 0.10
    typo: float = 0.05
    romanisation: float = 0.10
    hangul_variant: float = 0.20
    hangul_english: float = 0.10
    sino: float = 0.40
    dm_swap: float = 0.03
    dob_typo: float = 0.02
    missing: float = 0.02
    sex_error: float = 0.005
    move: float = 0.10


@dataclass(frozen=True)
class SyntheticRegisters:
    """The registers and the population they were drawn from."""

    population: pl.DataFrame
    registers: dict[str, pl.DataFrame]
    errors: ErrorModel = field(default_factory=ErrorModel)

    def to_json_dict(self) -> dict[str, object]:
        """The error model and sizes, for a report."""
        return {"errors": asdict(self.errors), "persons": self.population.height,
                "registers": {k: v.height for k, v in self.registers.items()}}


def _chinese(rng: np.random.Generator) -> tuple[str, str, str]:
    """(family pinyin, given pinyin, Sino-Korean reading) of a drawn Chinese name."""
    table = readings()
    fam = FAMILY["CHN"][rng.integers(len(FAMILY["CHN"]))]
    given = "".join(GIVEN["CHN"][rng.integers(len(GIVEN["CHN"]))]
                    for _ in range(1 + int(rng.random() < 0.6)))
    sk_fam = table[fam].hangul[-1] if fam in table else ""  # last reading: 두음법칙 form (이)
    sk_given = "".join(table[c].hangul[0] for c in given if c in table)
    pin_fam = table[fam].pinyin if fam in table else ""
    pin_given = "".join(table[c].pinyin for c in given if c in table)
    return pin_fam, pin_given, f"{sk_fam} {sk_given}"


def _typo(text: str, rng: np.random.Generator) -> str:
    letters = [i for i, c in enumerate(text) if c != " "]
    if len(letters) < 3:
        return text
    i = letters[rng.integers(len(letters))]
    c = text[i]
    kind = rng.integers(3)
    if is_hangul(c):
        on, vo, fi = decompose(c)
        if kind == 0:
            on = ONSETS[rng.integers(len(ONSETS))]
        else:
            vo = VOWELS[rng.integers(len(VOWELS))]
        return text[:i] + syllable(on, vo, fi) + text[i + 1:]
    if kind == 0:
        return text[:i] + chr(ord("A") + int(rng.integers(26))) + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    j = i + 1 if i + 1 < len(text) and text[i + 1] != " " else i
    return text[:i] + text[j] + text[i] + text[j + 1:] if j != i else text


_ONSET_VARIANT = dict(zip("ㄲㄸㅃㅉㅋㅌㅊㅆㄱㄷㅈㅅ", "ㄱㄷㅂㅈㄱㄷㅈㅅㅋㅌㅉㅆ", strict=True))
_VOWEL_VARIANT = dict(zip("ㅐㅔㅖㅒㅕㅛㅠㅓ", "ㅔㅐㅔㅐㅓㅗㅜㅗ", strict=True))


def _hangul_variant(text: str, rng: np.random.Generator) -> str:
    """An informal register spelling: one or two syllables respelt the way clerks do."""
    chars = list(text)
    spots = [i for i, c in enumerate(chars) if is_hangul(c)]
    for i in rng.choice(spots, size=min(len(spots), 1 + int(rng.random() < 0.3)), replace=False):
        on, vo, fi = decompose(chars[i])
        if rng.random() < 0.5 and on in _ONSET_VARIANT:
            on = _ONSET_VARIANT[on]
        elif vo in _VOWEL_VARIANT:
            vo = _VOWEL_VARIANT[vo]
        chars[i] = syllable(on, vo, fi)
    return "".join(chars)


@cache
def _official(name: str, lang: str) -> str:
    return to_hangul(name, lang)


@cache
def _english(name: str) -> str:
    # the passport spelling read letter by letter, ignoring the language's own rules
    return " ".join(latin_to_hangul(w, "lat") for w in fold_latin(name).split())


def _person(nat: str, rng: np.random.Generator) -> dict[str, str]:
    """Family and given name in native Latin spelling, official Hangul, Sino-Korean reading."""
    lang = LANGUAGE_OF_NATIONALITY[nat]
    sino = ""
    if nat == "CHN":
        fam, given, sino = _chinese(rng)
    else:
        fam = FAMILY[nat][rng.integers(len(FAMILY[nat]))]
        given = GIVEN[nat][rng.integers(len(GIVEN[nat]))]
        share, middles = MIDDLE.get(nat, (0.0, []))
        if rng.random() < share:
            middle = middles[rng.integers(len(middles))]
            given = f"{middle} {given}" if nat == "VNM" else f"{given} {middle}"
    return {"family": fam, "given": given, "family_ko": _official(fam, lang),
            "given_ko": _official(given, lang), "sino": sino}


def make_population(n: int, seed: int) -> pl.DataFrame:
    """Draw ``n`` foreign residents: names, sex, date of birth, nationality, region, status."""
    rng = np.random.default_rng(seed)
    nats = rng.choice(list(NATIONALITY_SHARE), size=n, p=list(NATIONALITY_SHARE.values()))
    people = [_person(str(nat), rng) for nat in nats]
    start = dt.date(1950, 1, 1).toordinal()
    span = dt.date(2015, 12, 31).toordinal() - start
    # ages concentrate on working age: a triangular draw peaking near 1992
    days = rng.triangular(0, 0.65 * span, span, size=n).astype(int)
    status = rng.choice(STATUS, size=n, p=[0.30, 0.12, 0.20, 0.12, 0.10, 0.08, 0.08])
    return pl.DataFrame({
        "person_id": np.arange(n, dtype=np.int64),
        "nationality": nats,
        "sex": rng.choice(["M", "F"], size=n),
        "dob": [dt.date.fromordinal(start + int(d)) for d in days],
        "region": rng.choice(REGIONS, size=n),
        "status": status,
        **{k: [p[k] for p in people] for k in ("family", "given", "family_ko", "given_ko", "sino")},
    })


def _latin_name(row: dict[str, object], e: ErrorModel, rng: np.random.Generator) -> str:
    fam, given = str(row["family"]), str(row["given"])
    words = [fold_latin(fam).upper(), fold_latin(given).upper()]
    if row["nationality"] == "CHN" and rng.random() < e.romanisation:
        words = [w.replace("YU", "YV").replace("LV", "LU") for w in words]
    if rng.random() < e.split:  # given names written as one word or split differently
        words[1] = words[1].replace(" ", "") if " " in words[1] else words[1]
    order = words if row["nationality"] in SURNAME_FIRST else words[::-1]
    if rng.random() < e.swap:
        order = order[::-1]
    name = " ".join(order)
    return _typo(name, rng) if rng.random() < e.typo else name


def family_first(full_name: str, family: str) -> bool | None:
    """Whether a Latin register name is written family name first (``True``) or last
    (``False``); ``None`` when it cannot be told (a typo in the family name, one word, or
    the family name at both ends).

    The family name is compared as :func:`_latin_name` writes it (folded to ASCII capitals,
    pinyin ü spelt either ``YU``/``YV`` or ``LV``/``LU``).
    """
    def norm(words: list[str]) -> list[str]:
        return [w.replace("YV", "YU").replace("LV", "LU") for w in words]

    words = norm(full_name.split())
    fam = norm(fold_latin(family).upper().split())
    if len(words) <= len(fam) or not fam:
        return None
    first, last = words[:len(fam)] == fam, words[-len(fam):] == fam
    return first if first != last else None


def _hangul_name(row: dict[str, object], e: ErrorModel, rng: np.random.Generator) -> str:
    words = [str(row["family_ko"]), str(row["given_ko"])]
    u = rng.random()
    if row["sino"] and rng.random() < e.sino:
        words = str(row["sino"]).split(" ", 1)
    elif u < e.hangul_english:
        words = [_english(str(row["family"])), _english(str(row["given"]))]
    elif u < e.hangul_english + e.hangul_variant:
        words = [_hangul_variant(w, rng) for w in words]
    if rng.random() < e.split:
        words = [w.replace(" ", "") for w in words]
    if rng.random() < e.swap:
        words = words[::-1]
    name = " ".join(words)
    return _typo(name, rng) if rng.random() < e.typo else name


def _dob(d: dt.date, e: ErrorModel, rng: np.random.Generator) -> dt.date | None:
    u = rng.random()
    if u < e.missing:
        return None
    if u < e.missing + e.dm_swap and d.day <= 12 and d.day != d.month:
        return d.replace(month=d.day, day=d.month)
    if u < e.missing + e.dm_swap + e.dob_typo:
        return d + dt.timedelta(days=int(rng.choice([-10, -1, 1, 10, 365, -365])))
    return d


def _observe(pop: pl.DataFrame, prefix: str, script: str, e: ErrorModel,
             rng: np.random.Generator) -> pl.DataFrame:
    rows = []
    for i, row in enumerate(pop.iter_rows(named=True)):
        sex = row["sex"]
        u = rng.random()
        if u < e.missing:
            sex = None
        elif u < e.missing + e.sex_error:
            sex = "F" if sex == "M" else "M"
        region = row["region"]
        if rng.random() < e.move:
            region = REGIONS[int(rng.integers(len(REGIONS)))]
        rows.append({
            "rec_id": f"{prefix}{i:07d}",
            "person_id": row["person_id"],
            "full_name": (_latin_name(row, e, rng) if script == "latin"
                          else _hangul_name(row, e, rng)),
            "dob": _dob(row["dob"], e, rng),
            "sex": sex,
            "nationality": None if rng.random() < e.missing else row["nationality"],
            "region": region,
            "status": row["status"],
        })
    return pl.DataFrame(rows, schema_overrides={"dob": pl.Date})


def make_registers(n: int, *, seed: int = 42, errors: ErrorModel | None = None,
                   health: bool = False, employment_share: float = 0.7) -> SyntheticRegisters:
    """Draw a population of ``n`` persons and observe it in the registers.

    Args:
        n: persons in the population (all are in the immigration register).
        seed: the random seed; the same seed gives the same registers.
        errors: the error model (default :class:`ErrorModel`).
        health: also make the health-insurance register (Latin, another romanisation).
        employment_share: share of working-age persons found in employment insurance.
    """
    e = errors or ErrorModel()
    rng = np.random.default_rng(seed + 1)
    pop = make_population(n, seed)
    age = pl.lit(2024) - pl.col("dob").dt.year()
    working = pop.select(((age >= 15) & (age <= 64)).alias("w"))["w"].to_numpy()
    employed = working & (rng.random(n) < employment_share)
    registers = {
        "immigration": _observe(pop.sample(fraction=1.0, shuffle=True, seed=seed), "A", "latin",
                                e, rng),
        "employment": _observe(pop.filter(pl.Series(employed)), "B", "hangul", e, rng),
    }
    if health:
        registers["health"] = _observe(pop.sample(fraction=0.9, seed=seed + 2), "C", "latin",
                                       e, rng)
    return SyntheticRegisters(pop, registers, e)

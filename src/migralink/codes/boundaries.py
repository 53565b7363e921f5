"""Region successions and remapping data onto another year's boundaries.

``data/region_successions.csv`` (``from_code, to_code, date, kind``) lists every change of
sido, sigungu and district (gu) units from 2009 to 2024. It is derived by
:mod:`migralink.codes.build_regions` from the MOIS history (units abolished and created
on the same day, ±3 days, linked by the names of the 행정동 they contain) plus
:data:`HAND_SUCCESSIONS` for what the data cannot tell. ``date`` is the first day of the
new units. Kinds:

* ``recode``: the whole territory of ``from`` becomes ``to`` (new code, name or status:
  강원 42→51, 군위 47720→27720, 여주군→여주시, 인천 남구→미추홀구);
* ``merge``: ``from`` ends and all of it goes into ``to``, together with other units
  (청원군→청주시 2014, Bucheon's districts→부천시 2016, 연기군→세종);
* ``split``: ``from`` is divided between several units (부천시→its 2024 districts);
* ``create``: ``from`` goes on but a part of it goes to ``to`` (공주·청원→세종 2012;
  at sido level 경북 47→대구 27 with 군위, 2023).

Three partitions of the country are tracked: ``sido``; ``sigungu`` (시·군·자치구, a city
with districts counted once); ``finest`` (the districts of a city where it has them,
else the sigungu: 41195/41197/41199 until 2016-07-04, then 41190, then 41192/41194/41196
from 2024). Only changes of units matter: adjustments of the border between two units
that both go on, with no unit created or abolished, are not tracked, except for the sido
level projections of sigungu changes (군위).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import polars as pl

from migralink.codes.regions import DATA_DIR, region_table
from migralink.errors import CodeError

__all__ = [
    "HAND_SUCCESSIONS",
    "HISTORY_START",
    "PARTITIONS",
    "SUCCESSION_KINDS",
    "HandSuccession",
    "Membership",
    "partition_members",
    "region_successions",
    "remap_table",
    "remap_table_by_year",
]

PARTITIONS = ("sido", "sigungu", "finest")
SUCCESSION_KINDS = ("recode", "merge", "split", "create")
HISTORY_START = date(2009, 1, 1)
HISTORY_END = date(2024, 12, 31)
#: Codes abolished and created this many days apart belong to one change (인천 남구 ends
#: 2018-06-29, 미추홀구 starts 2018-07-01; 연기군 ends 2012-06-30, 세종 starts 07-01).
TOLERANCE_DAYS = 3
_OPEN = date.max


@dataclass(frozen=True)
class HandSuccession:
    """A succession the MOIS file cannot show, with its source."""

    from_code: str
    to_code: str
    date: date
    kind: str
    source: str


_SEJONG_LAW = (
    "세종특별자치시 설치 등에 관한 특별법 (제정 2010-12-27, 시행 2012-07-01): the new city "
    "covers all of 연기군 and parts of 공주시 (의당·장기·반포면) and 청원군 (부용면 but 외천리); "
    "the parts became new 면 names (장군면, 부강면), so no 행정동 name links them"
)
HAND_SUCCESSIONS: tuple[HandSuccession, ...] = (
    HandSuccession("44150", "36110", date(2012, 7, 1), "create", _SEJONG_LAW),
    HandSuccession("43710", "36110", date(2012, 7, 1), "create", _SEJONG_LAW),
)


class Membership:
    """When each code is a unit of a partition: ``{code: [(start, end), ...]}``, end open."""

    def __init__(self, intervals: Mapping[str, list[tuple[date, date]]]) -> None:
        """Keep ``intervals`` (end exclusive, ``date.max`` when open)."""
        self.intervals = dict(intervals)

    def on(self, code: str, day: date) -> bool:
        """Whether ``code`` is a unit of the partition on ``day``."""
        return any(start <= day < end for start, end in self.intervals.get(code, ()))

    def units_on(self, day: date) -> set[str]:
        """Every unit of the partition on ``day``."""
        return {code for code in self.intervals if self.on(code, day)}

    def last_day_in(self, code: str, first: date, last: date) -> date | None:
        """The last day in ``[first, last]`` on which ``code`` is a unit, if any."""
        days = [min(end - timedelta(days=1), last) for start, end in self.intervals[code]
                if start <= last and end > first]
        return max(days) if days else None

    def first_day_in(self, code: str, first: date, last: date) -> date:
        """The first day in ``[first, last]`` on which ``code`` is a unit (it must be one)."""
        return min(max(start, first) for start, end in self.intervals[code]
                   if start <= last and end > first)

    def change_days(self) -> set[date]:
        """Every day a unit starts or stops being one."""
        return {d for spans in self.intervals.values() for span in spans for d in span} - {_OPEN}


def _subtract(span: tuple[date, date], holes: list[tuple[date, date]]) -> list[tuple[date, date]]:
    pieces = [span]
    for h_start, h_end in holes:
        pieces = [piece for start, end in pieces for piece in
                  ((start, min(end, h_start)), (max(start, h_end), end)) if piece[0] < piece[1]]
    return pieces


def partition_members(regions: pl.DataFrame, partition: str) -> Membership:
    """The units of ``partition`` (one of :data:`PARTITIONS`) over time, from a region table."""
    if partition not in PARTITIONS:
        raise CodeError(title=f"unknown partition {partition!r}", hint=f"use one of {PARTITIONS}")
    intervals: dict[str, list[tuple[date, date]]] = defaultdict(list)
    gu_spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for row in regions.filter(pl.col("level").is_in(["sido", "sigungu", "gu"])).iter_rows(
        named=True
    ):
        span = (row["valid_from"], row["valid_to"] or _OPEN)
        if row["level"] == "gu":
            gu_spans[row["parent"]].append(span)
        if row["level"] == partition or (partition == "finest" and row["level"] == "gu"):
            intervals[row["code"]].append(span)
    if partition == "finest":
        for row in regions.filter(pl.col("level") == "sigungu").iter_rows(named=True):
            span = (row["valid_from"], row["valid_to"] or _OPEN)
            intervals[row["code"]].extend(_subtract(span, gu_spans.get(row["code"], [])))
    return Membership({code: spans for code, spans in intervals.items() if spans})


@lru_cache(maxsize=1)
def region_successions() -> pl.DataFrame:
    """The shipped succession table (``data/region_successions.csv``), dates parsed."""
    frame = pl.read_csv(DATA_DIR / "region_successions.csv", infer_schema_length=0)
    return frame.with_columns(pl.col("date").str.to_date())


@lru_cache(maxsize=3)
def _membership(partition: str) -> Membership:
    return partition_members(region_table(), partition)


# --- remapping -----------------------------------------------------------------------------

_State = dict[str, tuple[float, frozenset[str]]]  # code -> (weight, flags)


@dataclass(frozen=True)
class _Event:
    """The links of one change day, within one partition."""

    day: date
    succ: dict[str, list[str]]
    pred: dict[str, list[str]]
    members: Membership

    def ends(self, code: str) -> bool:
        return not self.members.on(code, self.day)

    def existed(self, code: str) -> bool:
        return self.members.on(code, self.day - timedelta(days=TOLERANCE_DAYS + 1))


@lru_cache(maxsize=3)
def _events(partition: str) -> tuple[_Event, ...]:
    members = _membership(partition)
    links: dict[date, list[tuple[str, str]]] = defaultdict(list)
    for row in region_successions().iter_rows(named=True):
        day = row["date"]
        before = day - timedelta(days=TOLERANCE_DAYS + 1)
        if members.on(row["from_code"], before) and members.on(row["to_code"], day):
            links[day].append((row["from_code"], row["to_code"]))
    events = []
    for day in sorted(links):
        succ: dict[str, list[str]] = defaultdict(list)
        pred: dict[str, list[str]] = defaultdict(list)
        for source, target in links[day]:
            succ[source].append(target)
            pred[target].append(source)
        events.append(_Event(day, dict(succ), dict(pred), members))
    return tuple(events)


def _add(state: _State, code: str, weight: float, flags: Iterable[str]) -> None:
    old_weight, old_flags = state.get(code, (0.0, frozenset()))
    state[code] = (old_weight + weight, old_flags | frozenset(flags))


def _forward(state: _State, event: _Event) -> _State:
    out: _State = {}
    for code, (weight, flags) in state.items():
        targets = event.succ.get(code)
        if not targets:
            _add(out, code, weight, flags)
        elif event.ends(code):
            extra = {"equal"} if len(targets) > 1 else set()
            for target in targets:
                _add(out, target, weight / len(targets), flags | extra)
        else:  # a part of ``code`` went to ``targets``: keep it whole, flag it
            _add(out, code, weight, flags | {"partial"})
            for target in targets:
                _add(out, target, 0.0, flags | {"partial"})
    return out


def _backward(state: _State, event: _Event) -> _State:
    out: _State = {}
    for code, (weight, flags) in state.items():
        sources = event.pred.get(code)
        if not sources:
            _add(out, code, weight, flags)
            continue
        # ``code`` is made of whole units (ended, all of it went here), its own former
        # self, and parts of units that were split or gave a part. Without weights the
        # whole pieces share it equally and the parts get 0; if there are only parts,
        # they share it equally (a part of one unit alone is exact).
        whole = [s for s in sources if event.ends(s) and event.succ[s] == [code]]
        partial = [s for s in sources if s not in whole]
        pieces = whole + ([code] if event.existed(code) else [])
        if not pieces:
            pieces, partial = partial, []
        extra = ({"equal"} if len(pieces) > 1 else set()) | ({"partial"} if partial else set())
        for piece in pieces:
            _add(out, piece, weight / len(pieces), flags | extra)
        for piece in partial:
            _add(out, piece, 0.0, flags | extra)
    return out


def _trace(code: str, start: date, target: date, partition: str) -> _State:
    state: _State = {code: (1.0, frozenset())}
    events = _events(partition)
    if start <= target:
        for event in events:
            if start < event.day <= target:
                state = _forward(state, event)
    else:
        for event in reversed(events):
            if target < event.day <= start:
                state = _backward(state, event)
    return state


def _basis(flags: frozenset[str]) -> str:
    if not flags:
        return "exact"
    return "equal" if "equal" in flags else "unadjusted"


def _apply_weights(rows: list[dict[str, object]], weights: Mapping[tuple[str, str], float]) -> None:
    """Replace the default shares of each from-unit whose every target has a given weight."""
    by_source: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        if not row["exact"]:
            by_source[str(row["from_code"])].append(row)
    for source, group in by_source.items():
        keys = [(source, str(row["to_code"])) for row in group]
        given = [key for key in keys if key in weights]
        if not given:
            continue
        if len(given) < len(keys):
            missing = sorted(f"{s}→{t}" for s, t in set(keys) - set(given))
            raise CodeError(
                title=f"weights for region {source} cover only some of its targets",
                hint="give a weight for every (from_code, to_code) pair of that code",
                details=missing,
            )
        total = sum(weights[key] for key in keys)
        if total <= 0:
            raise CodeError(title=f"weights for region {source} sum to {total}",
                            hint="weights are shares (e.g. population) and must be positive")
        for row, key in zip(group, keys, strict=True):
            row["weight"] = weights[key] / total
            row["weight_basis"] = "population"


def _kept(code: str, first: date, last: date, target: date, partition: str) -> _State:
    """A unit of the target day keeps its data; flag it if its territory changed.

    Its territory differs from the target day's when tracing it from its first or last
    day in the window does not give itself alone: then the other units get weight 0.
    """
    others: _State = {}
    for start in (first, last):
        if start != target:
            for to_code, (_, flags) in _trace(code, start, target, partition).items():
                _add(others, to_code, 0.0, flags | ({"partial"} if to_code != code else set()))
    changed = any(flags for _, flags in others.values())
    flags = frozenset({"partial"}) if changed else frozenset()
    state: _State = {code: (1.0, flags)}
    for to_code in others:
        if to_code != code:
            state[to_code] = (0.0, flags)
    return state


SCHEMA = {"level": pl.String, "from_code": pl.String, "to_code": pl.String,
          "weight": pl.Float64, "exact": pl.Boolean, "weight_basis": pl.String}


def remap_table(
    target_year: int,
    weights: Mapping[tuple[str, str], float] | None = None,
    *,
    from_year: int | None = None,
    finest: bool = False,
) -> pl.DataFrame:
    """How data coded on sido, sigungu and district codes maps onto 31 Dec ``target_year``.

    Columns ``level, from_code, to_code, weight, exact, weight_basis``; the weights of a
    from_code sum to 1. ``from_year`` says when the data were coded: each code that existed
    in that year is read on its last day in it. Without ``from_year`` every code of
    2009–2024 is listed once: a code that exists on the target day keeps its data (weight
    1, flagged if its territory changed in 2009–2024, as the data year is unknown), any
    other code is read on its day nearest to the target.

    * Unchanged, recoded, renamed and merged-forward units map whole (``exact``).
    * A unit divided between several target units (forward across a split, backward
      across a merge) needs shares: from ``weights[(from_code, to_code)]`` (population
      shares, normalised; ``weight_basis`` ``population``) or else equal shares
      (``equal``). Such rows are never ``exact``.
    * Where a part moved between two units that both go on (공주→세종; at sido level
      경북→대구 with 군위, 2023), the unit keeps weight 1 and the other gets weight 0
      (``unadjusted``, not ``exact``): sido data cannot be split without the moved part's
      share, which ``weights`` may give.

    Sido codes map onto sido units, sigungu codes onto sigungu units (a city with
    districts is one unit), district codes onto the finest units (a district maps onto
    its city when the city has no districts in the target year). With ``finest=True``
    sigungu codes map onto the finest units too (41190 of 2020 → 41195/41197/41199 for
    2015), and a city is listed only for the years it had no districts.

    Raises:
        CodeError: if ``target_year`` is before 2009, or weights cover some but not all
            targets of a from_code.
    """
    if target_year < HISTORY_START.year:
        raise CodeError(title=f"cannot remap onto {target_year} boundaries",
                        hint="the succession table covers changes from 2009 on")
    target = date(target_year, 12, 31)
    if from_year is None:
        first, last = HISTORY_START, HISTORY_END
    else:
        first, last = date(from_year, 1, 1), date(from_year, 12, 31)
    plan = [("sido", "sido"), ("sigungu", "finest" if finest else "sigungu"), ("gu", "finest")]
    levels = region_table().select("code", "level").unique()
    level_of = dict(zip(levels["code"], levels["level"], strict=True))
    rows: list[dict[str, object]] = []
    for label, partition in plan:
        members = _membership(partition)
        for code in sorted(c for c in members.intervals if level_of[c] == label):
            end = members.last_day_in(code, first, last)
            if end is None:
                continue
            begin = members.first_day_in(code, first, last)
            if from_year is None and members.on(code, target):
                state = _kept(code, begin, end, target, partition)
            else:
                start = end if from_year is not None or end < target else begin
                state = _trace(code, start, target, partition)
            rows += [{"level": label, "from_code": code, "to_code": to_code, "weight": weight,
                      "exact": not flags, "weight_basis": _basis(flags)}
                     for to_code, (weight, flags) in sorted(state.items())]
    if weights:
        _apply_weights(rows, weights)
    return pl.DataFrame(rows, schema=SCHEMA)


def remap_table_by_year(
    target_year: int,
    weights: Mapping[tuple[str, str], float] | None = None,
    *,
    finest: bool = False,
) -> pl.DataFrame:
    """:func:`remap_table` for each data year 2009–2024, with a ``from_year`` column.

    Join data on (year, code): unlike the table keyed by code alone, this is exact for
    units whose territory changed (청주시 43110 before and after 2014, 대구 27 before and
    after 2023).
    """
    return pl.concat([
        remap_table(target_year, weights, from_year=year, finest=finest).select(
            pl.lit(year, dtype=pl.Int32).alias("from_year"), pl.all()
        )
        for year in range(HISTORY_START.year, HISTORY_END.year + 1)
    ])

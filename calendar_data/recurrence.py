"""Date rules for observances, and the spans they give in any year.

A rule is stated the way the organiser states it ("second Thursday of March",
"the week ending on Father's Day") so it stays right for every year, rather
than one year's dates copied. Spans are inclusive `(start, end)` pairs and are
cached per rule and year because the agenda asks for the same years over and
over while a user scrolls.

February 29: a `{date: "02-29"}` rule occurs only in leap years; an observance
held on "the last day of February" uses `{month: 2, day: last}` instead, which
gives Feb 28 in common years.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:  # for the Rule annotation only: rule_kinds imports this module
    from calendar_data.rule_kinds import Announced, EquinoxWeekday

Span = tuple[date, date]

WEEKDAYS: dict[str, int] = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_MMDD = re.compile(r"^(\d{2})-(\d{2})$")
MIN_YEAR, MAX_YEAR = 1900, 2200


class RuleError(ValueError):
    """A rule mapping that does not describe a date; `field` names the bad key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FixedDay:
    """The same month and day every year."""

    month: int
    day: int


@dataclass(frozen=True)
class FixedRange:
    """The same inclusive span every year; an end before the start crosses the year end."""

    start_month: int
    start_day: int
    end_month: int
    end_day: int


@dataclass(frozen=True)
class WholeMonth:
    """A calendar month."""

    month: int


@dataclass(frozen=True)
class NthWeekday:
    """The nth (1..5) or nth-from-last (-1..-5) weekday of a month."""

    month: int
    weekday: int
    nth: int


@dataclass(frozen=True)
class LastDay:
    """The last day of a month (Feb 28 or 29)."""

    month: int


@dataclass(frozen=True)
class Anchored:
    """A span placed relative to a single-day rule, e.g. the week ending on Father's Day."""

    anchor: FixedDay | NthWeekday | LastDay
    offset_days: int = 0
    length_days: int = 1


@dataclass(frozen=True)
class FirstFullWeek:
    """The first seven days starting on `week_starts` that lie wholly inside a month."""

    month: int
    week_starts: int = 6


@dataclass(frozen=True)
class Explicit:
    """Dates announced year by year; a year not listed has no occurrence yet."""

    dates: tuple[tuple[int, date, date], ...]

    def years(self) -> tuple[int, ...]:
        """The years with an announced date."""
        return tuple(year for year, _, _ in self.dates)


@dataclass(frozen=True)
class RRule:
    """An RFC 5545 RRULE, for rules easier to say that way; each instance lasts `length_days`."""

    text: str
    length_days: int = 1


Rule = Union[
    FixedDay,
    FixedRange,
    WholeMonth,
    NthWeekday,
    LastDay,
    Anchored,
    FirstFullWeek,
    Explicit,
    RRule,
    "EquinoxWeekday",
    "Announced",
]  # the last two live in rule_kinds, which builds on this module
SingleDay = FixedDay | NthWeekday | LastDay


# --- expansion -------------------------------------------------------------------------------


def _single_day(rule: SingleDay, year: int) -> date | None:
    if isinstance(rule, FixedDay):
        if rule.month == 2 and rule.day == 29 and not calendar.isleap(year):
            return None
        return date(year, rule.month, rule.day)
    if isinstance(rule, LastDay):
        return date(year, rule.month, calendar.monthrange(year, rule.month)[1])
    # dateutil is imported on first use: listings that never expand a rule skip it.
    from dateutil import relativedelta as rd

    weekday = rd.weekday(rule.weekday)
    if rule.nth > 0:
        found = date(year, rule.month, 1) + rd.relativedelta(weekday=weekday(rule.nth))
    else:
        last = date(year, rule.month, calendar.monthrange(year, rule.month)[1])
        found = last + rd.relativedelta(weekday=weekday(rule.nth))
    return found if found.month == rule.month else None


@lru_cache(maxsize=65536)
def spans_in_year(rule: Rule, year: int) -> tuple[Span, ...]:
    """The inclusive spans of `rule` that start in `year`, in date order."""
    if isinstance(rule, FixedDay | NthWeekday | LastDay):
        day = _single_day(rule, year)
        return ((day, day),) if day else ()
    if isinstance(rule, WholeMonth):
        last = calendar.monthrange(year, rule.month)[1]
        return ((date(year, rule.month, 1), date(year, rule.month, last)),)
    if isinstance(rule, FixedRange):
        start = date(year, rule.start_month, rule.start_day)
        end_year = (
            year + 1
            if (rule.end_month, rule.end_day) < (rule.start_month, rule.start_day)
            else year
        )
        return ((start, date(end_year, rule.end_month, rule.end_day)),)
    if isinstance(
        rule, Anchored
    ):  # an offset may cross a year end: look at the anchors either side
        found = []
        for anchor_year in (year - 1, year, year + 1):
            anchor = _single_day(rule.anchor, anchor_year)
            begins = anchor + timedelta(days=rule.offset_days) if anchor else None
            if begins and begins.year == year:
                found.append((begins, begins + timedelta(days=rule.length_days - 1)))
        return tuple(found)
    if isinstance(rule, FirstFullWeek):
        first = date(year, rule.month, 1)
        start = first + timedelta(days=(rule.week_starts - first.weekday()) % 7)
        return ((start, start + timedelta(days=6)),)
    if isinstance(rule, Explicit):
        return tuple((s, e) for y, s, e in rule.dates if y == year)
    if isinstance(rule, RRule):
        from dateutil import rrule as du_rrule

        parsed = du_rrule.rrulestr(rule.text, dtstart=date(year, 1, 1), forceset=False)
        length = timedelta(days=rule.length_days - 1)
        return tuple(
            (moment.date(), moment.date() + length)
            for moment in parsed.between(
                _midnight(date(year, 1, 1)), _midnight(date(year, 12, 31)), inc=True
            )
        )
    from calendar_data.rule_kinds import extra_spans  # equinox and announced-override kinds

    extra = extra_spans(rule, year, spans_in_year)
    if extra is None:
        raise TypeError(f"not a rule: {rule!r}")
    return extra


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def spans_between(rule: Rule, start: date, end: date) -> Iterator[Span]:
    """Spans overlapping `[start, end]`, including one that began the year before."""
    for year in range(max(start.year - 1, MIN_YEAR), min(end.year, MAX_YEAR) + 1):
        for span in spans_in_year(rule, year):
            if span[0] <= end and span[1] >= start:
                yield span


# --- parsing ---------------------------------------------------------------------------------

_ALLOWED_KEYS: tuple[frozenset[str], ...] = (
    frozenset({"date"}),
    frozenset({"start", "end"}),
    frozenset({"month"}),
    frozenset({"month", "weekday", "nth"}),
    frozenset({"month", "day"}),
    frozenset({"anchor", "offset_days", "length_days"}),
    frozenset({"anchor", "offset_days"}),
    frozenset({"anchor", "length_days"}),
    frozenset({"anchor"}),
    frozenset({"first_full_week", "week_starts"}),
    frozenset({"first_full_week"}),
    frozenset({"dates"}),
    frozenset({"rrule", "length_days"}),
    frozenset({"rrule"}),
    frozenset({"equinox", "weekday", "nth"}),
    frozenset({"equinox", "weekday"}),
)


def rule_from_mapping(raw: object, field: str = "rule") -> Rule:
    """Parse one rule mapping as written in awareness_days.yaml, strictly.

    Raises:
        RuleError: naming the key (e.g. `rule.nth`) and what is wrong with it.
    """
    if not isinstance(raw, Mapping):
        raise RuleError(field, f"must be a mapping such as {{date: '03-24'}}, got {raw!r}")
    keys = frozenset(raw)
    if keys not in _ALLOWED_KEYS:
        known = {k for allowed in _ALLOWED_KEYS for k in allowed}
        unknown = sorted(str(k) for k in keys - known)
        if unknown:
            raise RuleError(f"{field}.{unknown[0]}", f"unknown rule key {unknown[0]!r}")
        raise RuleError(field, f"keys {sorted(keys)} do not form a rule kind")
    if keys == {"date"}:
        month, day = _mmdd(raw["date"], f"{field}.date", allow_leap_day=True)
        return FixedDay(month, day)
    if keys == {"start", "end"}:
        sm, sd = _mmdd(raw["start"], f"{field}.start")
        em, ed = _mmdd(raw["end"], f"{field}.end")
        if (sm, sd) == (em, ed):
            raise RuleError(f"{field}.end", "a one-day range should be written {date: MM-DD}")
        return FixedRange(sm, sd, em, ed)
    if keys == {"month"}:
        return WholeMonth(_month(raw["month"], f"{field}.month"))
    if keys == {"month", "weekday", "nth"}:
        nth = raw["nth"]
        if not isinstance(nth, int) or isinstance(nth, bool) or nth == 0 or not -5 <= nth <= 5:
            raise RuleError(f"{field}.nth", f"must be 1..5 or -1..-5 (last), got {nth!r}")
        return NthWeekday(
            _month(raw["month"], f"{field}.month"),
            _weekday(raw["weekday"], f"{field}.weekday"),
            nth,
        )
    if keys == {"month", "day"}:
        if raw["day"] != "last":
            raise RuleError(
                f"{field}.day", f"only 'last' is allowed (use {{date: MM-DD}}), got {raw['day']!r}"
            )
        return LastDay(_month(raw["month"], f"{field}.month"))
    if "anchor" in keys:
        anchor = rule_from_mapping(raw["anchor"], f"{field}.anchor")
        if not isinstance(anchor, FixedDay | NthWeekday | LastDay):
            raise RuleError(
                f"{field}.anchor", "must be a single-day rule (date, nth weekday or last day)"
            )
        offset = _int(raw.get("offset_days", 0), f"{field}.offset_days", -366, 366)
        length = _int(raw.get("length_days", 1), f"{field}.length_days", 1, 366)
        return Anchored(anchor, offset, length)
    if "first_full_week" in keys:
        starts = _weekday(raw.get("week_starts", "SU"), f"{field}.week_starts")
        return FirstFullWeek(_month(raw["first_full_week"], f"{field}.first_full_week"), starts)
    if keys == {"dates"}:
        return _explicit(raw["dates"], f"{field}.dates")
    if "equinox" in keys:
        from calendar_data.rule_kinds import equinox_from_mapping

        return equinox_from_mapping(raw, field, WEEKDAYS, RuleError)
    return _rrule(raw["rrule"], raw.get("length_days", 1), field)


def _int(value: object, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise RuleError(field, f"must be a whole number from {low} to {high}, got {value!r}")
    return value


def _month(value: object, field: str) -> int:
    return _int(value, field, 1, 12)


def _weekday(value: object, field: str) -> int:
    if not isinstance(value, str) or value.upper() not in WEEKDAYS:
        raise RuleError(field, f"must be one of {', '.join(WEEKDAYS)}, got {value!r}")
    return WEEKDAYS[value.upper()]


def _mmdd(value: object, field: str, *, allow_leap_day: bool = False) -> tuple[int, int]:
    match = _MMDD.match(value) if isinstance(value, str) else None
    if not match:
        raise RuleError(field, f"must be a quoted 'MM-DD' such as '04-07', got {value!r}")
    month, day = int(match[1]), int(match[2])
    if (month, day) == (2, 29):
        if allow_leap_day:
            return month, day
        raise RuleError(field, "02-29 cannot bound a range (use {month: 2, day: last})")
    try:
        date(2001, month, day)
    except ValueError:
        raise RuleError(field, f"{value!r} is not a day of the year") from None
    return month, day


def _iso(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RuleError(field, f"must be an ISO date YYYY-MM-DD, got {value!r}") from None


def _explicit(raw: object, field: str) -> Explicit:
    if not isinstance(raw, Mapping) or not raw:
        raise RuleError(field, "must map years to a date or {start, end}")
    dates = []
    for year, value in raw.items():
        where = f"{field}.{year}"
        if isinstance(year, str) and year.isdigit():
            year = int(year)  # JSON object keys are strings
        if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            raise RuleError(where, f"year must be a number from {MIN_YEAR} to {MAX_YEAR}")
        if isinstance(value, Mapping):
            if set(value) != {"start", "end"}:
                raise RuleError(where, "a range needs exactly start and end")
            start, end = _iso(value["start"], f"{where}.start"), _iso(value["end"], f"{where}.end")
        else:
            start = end = _iso(value, where)
        if start.year != year:
            raise RuleError(where, f"{start.isoformat()} does not start in {year}")
        if end < start:
            raise RuleError(f"{where}.end", f"{end.isoformat()} is before {start.isoformat()}")
        dates.append((year, start, end))
    return Explicit(tuple(sorted(dates)))


def _rrule(text: object, length: object, field: str) -> RRule:
    if not isinstance(text, str) or not text.upper().startswith("FREQ="):
        raise RuleError(
            f"{field}.rrule",
            f"must be an RRULE value such as FREQ=YEARLY;BYMONTH=5;BYDAY=2SU, got {text!r}",
        )
    upper = text.upper()
    if any(part in upper for part in ("DTSTART", "COUNT=", "UNTIL=")):
        raise RuleError(
            f"{field}.rrule", "must not carry DTSTART, COUNT or UNTIL (use since/until)"
        )
    if not re.search(r"FREQ=(YEARLY|MONTHLY)", upper):
        raise RuleError(f"{field}.rrule", "FREQ must be YEARLY or MONTHLY")
    from dateutil import rrule as du_rrule

    try:
        parsed = du_rrule.rrulestr(text, dtstart=datetime(2001, 1, 1))
        first = parsed.between(datetime(2001, 1, 1), datetime(2008, 12, 31), inc=True)
    except (ValueError, TypeError) as exc:
        raise RuleError(f"{field}.rrule", f"is not a valid RRULE: {exc}") from None
    if not first:
        raise RuleError(
            f"{field}.rrule", "gives no dates at all (check BYMONTH, BYDAY, BYMONTHDAY)"
        )
    return RRule(text, _int(length, f"{field}.length_days", 1, 366))


# --- storing -------------------------------------------------------------------------------


def rule_to_mapping(rule: Rule) -> dict:
    """The inverse of `rule_from_mapping`, for storing the organisation's own rules as JSON."""
    from calendar_data.rule_kinds import extra_to_mapping

    if (extra := extra_to_mapping(rule, rule_to_mapping)) is not None:
        return extra
    names = {v: k for k, v in WEEKDAYS.items()}
    if isinstance(rule, FixedDay):
        return {"date": f"{rule.month:02d}-{rule.day:02d}"}
    if isinstance(rule, FixedRange):
        return {
            "start": f"{rule.start_month:02d}-{rule.start_day:02d}",
            "end": f"{rule.end_month:02d}-{rule.end_day:02d}",
        }
    if isinstance(rule, WholeMonth):
        return {"month": rule.month}
    if isinstance(rule, NthWeekday):
        return {"month": rule.month, "weekday": names[rule.weekday], "nth": rule.nth}
    if isinstance(rule, LastDay):
        return {"month": rule.month, "day": "last"}
    if isinstance(rule, Anchored):
        return {
            "anchor": rule_to_mapping(rule.anchor),
            "offset_days": rule.offset_days,
            "length_days": rule.length_days,
        }
    if isinstance(rule, FirstFullWeek):
        return {"first_full_week": rule.month, "week_starts": names[rule.week_starts]}
    if isinstance(rule, Explicit):
        return {
            "dates": {y: {"start": s.isoformat(), "end": e.isoformat()} for y, s, e in rule.dates}
        }
    if isinstance(rule, RRule):
        return {"rrule": rule.text, "length_days": rule.length_days}
    raise TypeError(f"not a rule: {rule!r}")

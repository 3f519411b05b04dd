"""Date rules for observances, and the spans they give in any year.

A rule is stated the way the organiser states it ("second Thursday of March",
"the week ending on Father's Day") so it stays right for every year, rather
than one year's dates copied. Spans are inclusive `(start, end)` pairs and are
cached per rule and year because the agenda asks for the same years over and
over while a user scrolls.

February 29: a `{date: "02-29"}` rule occurs only in leap years; an observance
held on "the last day of February" uses `{month: 2, day: last}` instead, which
gives Feb 28 in common years.

A rule as written in the YAML list (parsed strictly, and stored back) is
`rule_mappings`; a rule in words is `rule_words`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:  # for the Rule annotation only: rule_kinds imports this module
    from calendar_data.rule_kinds import Announced, EquinoxWeekday

Span = tuple[date, date]

WEEKDAYS: dict[str, int] = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
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

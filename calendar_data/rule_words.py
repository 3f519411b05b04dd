"""A recurrence rule in words, as the organiser says it: "second Thursday of March".

Shown beside every observance (the awareness browser, `carecal observances`, JSON rows);
kept apart from `calendar_data.recurrence`, which defines and expands the rules, and
`calendar_data.rule_mappings`, which reads and stores them.
"""

from __future__ import annotations

import calendar

from calendar_data.recurrence import (
    Anchored,
    Explicit,
    FirstFullWeek,
    FixedDay,
    FixedRange,
    LastDay,
    NthWeekday,
    RRule,
    Rule,
    WholeMonth,
)
from calendar_data.rule_kinds import describe_extra

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    -1: "last",
    -2: "second to last",
    -3: "third to last",
    -4: "fourth to last",
    -5: "fifth to last",
}


def describe(rule: Rule) -> str:
    """The rule in words, as the organiser would say it."""
    if (extra := describe_extra(rule, describe)) is not None:
        return extra
    month = calendar.month_name
    if isinstance(rule, FixedDay):
        return f"{month[rule.month]} {rule.day}" + (
            " (leap years only)" if (rule.month, rule.day) == (2, 29) else ""
        )
    if isinstance(rule, FixedRange):
        return (
            f"{month[rule.start_month]} {rule.start_day} to {month[rule.end_month]} {rule.end_day}"
        )
    if isinstance(rule, WholeMonth):
        return f"all of {month[rule.month]}"
    if isinstance(rule, NthWeekday):
        return f"{_ORDINALS[rule.nth]} {_WEEKDAY_NAMES[rule.weekday]} of {month[rule.month]}"
    if isinstance(rule, LastDay):
        return f"last day of {month[rule.month]}"
    if isinstance(rule, Anchored):
        base = describe(rule.anchor)
        days = f"{rule.length_days} days" if rule.length_days != 1 else "1 day"
        if rule.offset_days == 0:
            return f"{days} from the {base}"
        if rule.offset_days == -(rule.length_days - 1):
            return f"{days} ending on the {base}"
        sign = "after" if rule.offset_days > 0 else "before"
        return f"{days} starting {abs(rule.offset_days)} days {sign} the {base}"
    if isinstance(rule, FirstFullWeek):
        return f"first full {_WEEKDAY_NAMES[rule.week_starts]}-to-{_WEEKDAY_NAMES[(rule.week_starts + 6) % 7]} week of {month[rule.month]}"
    if isinstance(rule, Explicit):
        return "dates announced each year (" + ", ".join(str(y) for y in rule.years()) + ")"
    if isinstance(rule, RRule):
        return f"RRULE {rule.text}" + (
            f" for {rule.length_days} days" if rule.length_days > 1 else ""
        )
    raise TypeError(f"not a rule: {rule!r}")

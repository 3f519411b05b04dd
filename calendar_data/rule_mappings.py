"""A date rule as written: parsed strictly from its mapping in awareness_days.yaml, and back.

`rule_from_mapping` reads what a person types (`{month: 3, weekday: TH, nth: 2}`) and refuses
anything that is not exactly one rule kind, naming the key (`rule.nth`) and what is wrong;
`rule_to_mapping` is its inverse, for storing the organisation's own rules as JSON. The kinds
themselves and the spans they give are `recurrence` (and `rule_kinds`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from calendar_data.recurrence import (
    MAX_YEAR,
    MIN_YEAR,
    WEEKDAYS,
    Anchored,
    Explicit,
    FirstFullWeek,
    FixedDay,
    FixedRange,
    LastDay,
    NthWeekday,
    RRule,
    Rule,
    RuleError,
    WholeMonth,
)
from calendar_data.rule_kinds import equinox_from_mapping, extra_to_mapping

_MMDD = re.compile(r"^(\d{2})-(\d{2})$")

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
        return explicit_from_mapping(raw["dates"], f"{field}.dates")
    if "equinox" in keys:
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


def explicit_from_mapping(raw: object, field: str) -> Explicit:
    """Dates announced year by year (`{2027: "2027-03-12"}` or `{2027: {start, end}}`), strictly."""
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


def rule_to_mapping(rule: Rule) -> dict:
    """The inverse of `rule_from_mapping`, for storing the organisation's own rules as JSON."""
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

"""Repeating events from a file: a master expanded inside the import window, then its overrides.

`expand` walks a VEVENT's RRULEs, RDATEs and EXDATEs (checked by `rules`) in
the event's own wall time, bounded in steps, instances and seconds; an absurd
COUNT is read as "no end" and cut at the window, with a warning saying so.
`apply_overrides` puts each RECURRENCE-ID instance in place of the one it
replaces and honours `RANGE=THISANDFUTURE` (RFC 5545 3.2.13) by moving every
later instance by the same shift and giving it the override's text, the way
recurring-ical-events reads such a file. Nothing here parses text: `parse`
hands over icalendar components and `IcsEvent` records.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

from dateutil.rrule import rrule, rrulestr

from calendar_data.ical.rules import (
    MAX_COUNT,
    OutOfTime,
    bounded_count,
    occurrences,
    rule_problem,
    wall_until,
)
from calendar_data.ical.scan import IcsError

MAX_STEPS = 50_000
"""Recurrence steps walked per event before the rule is cut (a daily rule from 1601...)."""
MAX_PER_EVENT = 500
_TEXT_FIELDS = ("summary", "description", "categories", "url", "location", "status")


def as_list(value) -> list:
    """A property that may be given once or many times, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def instance(base, start, end, original):
    """One occurrence of `base`, its UID keyed by the original start (UID#20270118T140000Z)."""
    if isinstance(original, datetime):
        key = original.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    else:
        key = original.strftime("%Y%m%d")
    return replace(base, uid=f"{base.base_uid}#{key}", start=start, end=end)


def expand(reader, component, base, *, budget: float) -> list:
    """The instances of a repeating event inside `reader.window`; IcsError when a rule cannot be walked.

    Args:
        reader: the file's reader (window, warnings, the time already spent expanding).
        component: the icalendar VEVENT.
        base: the event as read, its start being DTSTART.
        budget: seconds all of a file's repeating events may take.
    """
    start, length = base.start, base.end - base.start
    timed = isinstance(start, datetime)
    where = reader.at(base.line, base.summary)
    began = time.monotonic()
    rules, dates, excluded, unbounded = _rules(reader, component, base)
    walk = occurrences(
        rules,
        dates,
        excluded,
        last=_window_end(reader),
        deadline=began + budget - reader.expanding,
    )
    found, before, cut = _inside_window(reader, walk, unbounded, where, budget)
    reader.expanding += time.monotonic() - began
    if before:
        reader.warn(
            f"{where} {before} repetition{'s' if before > 1 else ''} before {reader.window[0]} skipped"
        )
    if cut:
        reader.warn(
            f"{where} {cut}; imported {len(found)} occurrence{'s' if len(found) != 1 else ''} "
            f"from {reader.window[0]} to {reader.window[1]}"
        )
    events = []
    for moment in found:
        begin = moment.replace(tzinfo=start.tzinfo) if timed else moment.date()
        try:
            finish = begin + length
        except OverflowError:
            finish = date.max
        reader.check_year(finish, "DTEND", base.line, base.summary)
        events.append(instance(base, begin, finish, begin))
    return events


def _window_end(reader) -> datetime:
    """The last second of the import window, in naive wall time."""
    return datetime.combine(reader.window[1], datetime.max.time()).replace(microsecond=0)


def _inside_window(
    reader, walk: Iterator[datetime], unbounded: bool, where: str, budget: float
) -> tuple[list[datetime], int, str]:
    """The walked moments inside the window, how many fell before it, and why the walk was cut
    ("" when it was not); IcsError when the rule runs out of time or dateutil cannot walk it."""
    low = datetime.combine(reader.window[0], datetime.min.time())
    high = _window_end(reader)
    found: list[datetime] = []
    before, cut = 0, ""
    try:
        for steps, moment in enumerate(walk, 1):
            if moment > high:
                if unbounded:
                    cut = f"repeats with no end; cut at {reader.window[1]}"
                break
            if moment < low:
                before += 1
            else:
                found.append(moment)
            if steps >= MAX_STEPS or len(found) >= MAX_PER_EVENT:
                cut = f"stopped after {steps} repetitions at {moment:%Y-%m-%d}"
                break
    except OutOfTime:
        raise IcsError(
            f"{where} repeating events took over {budget:.0f} s to expand; "
            "simplify their RRULEs or split the file"
        ) from None
    except (
        ValueError,
        TypeError,
        IndexError,
        OverflowError,
    ) as exc:  # dateutil on a rule it cannot walk
        raise IcsError(
            f"{where} RRULE/RDATE cannot be expanded ({' '.join(str(exc).split())[:80]})"
        ) from None
    return found, before, cut


def _rules(reader, component, base) -> tuple[list[rrule], list[datetime], list[datetime], bool]:
    """The event's RRULEs, its dates (DTSTART and RDATEs), its EXDATEs, all in naive wall time, and
    whether any rule repeats without end."""
    start, where = base.start, reader.at(base.line, base.summary)
    timed = isinstance(start, datetime)
    anchor = start.replace(tzinfo=None) if timed else datetime.combine(start, datetime.min.time())
    rules: list[rrule] = []
    dates: list[datetime] = [anchor]
    excluded: list[datetime] = []
    unbounded = False
    for prop in as_list(component.get("RRULE")):
        text = prop.to_ical().decode(errors="replace")
        problem = rule_problem(text)
        if problem:
            raise IcsError(f"{where} RRULE {text[:80]!r}: {problem}")
        text, absurd = bounded_count(text)
        if absurd is not None:
            reader.warn(
                f"{where} RRULE COUNT={absurd} is effectively endless (more than {MAX_COUNT:,} "
                "repetitions); read as repeating with no end"
            )
        unbounded |= "COUNT=" not in text.upper() and "UNTIL=" not in text.upper()
        try:
            text = wall_until(text, start.tzinfo if timed else None)
            parsed = rrulestr(text, dtstart=anchor, ignoretz=True)
        except (ValueError, TypeError, OverflowError) as exc:
            raise IcsError(
                f"{where} RRULE {text[:80]!r}: {' '.join(str(exc).split())[:80]}"
            ) from None
        if not isinstance(
            parsed, rrule
        ):  # one RRULE property is one rule; a set would need RDATE/EXDATE
            raise IcsError(f"{where} RRULE {text[:80]!r}: holds more than one rule")
        rules.append(parsed)
    for prop_name, add in (("RDATE", dates.append), ("EXDATE", excluded.append)):
        for prop in as_list(component.get(prop_name)):
            for item in getattr(prop, "dts", []):
                add(_wall(item.dt, prop_name, where, timed, start, anchor))
    return rules, dates, excluded, unbounded


def _wall(value, prop_name: str, where: str, timed: bool, start, anchor: datetime) -> datetime:
    """An RDATE or EXDATE value as naive wall time in the event's zone."""
    if isinstance(value, tuple):  # RDATE;VALUE=PERIOD
        value = value[0]
    if not isinstance(value, date):
        raise IcsError(f"{where} {prop_name} {str(value)[:40]!r} is not a date or date-time")
    if timed and isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value = value.astimezone(start.tzinfo)
        except OverflowError:
            raise IcsError(f"{where} {prop_name} {value.isoformat()} is out of range") from None
    if not isinstance(value, datetime):
        value = datetime.combine(value, anchor.time())
    return value.replace(tzinfo=None)


def apply_overrides(events: list, overrides: dict, future: dict, reader) -> list:
    """A series with its RECURRENCE-ID instances in place.

    Args:
        events: the master's instances, in order.
        overrides: instance UID -> the override read from the file.
        future: instance UID -> (original start, override) for `RANGE=THISANDFUTURE` overrides.
        reader: for warnings.
    """
    result = []
    ranges = sorted(future.values(), key=lambda pair: _key(pair[0]))
    for event in events:
        if event.uid in overrides:
            result.append(overrides.pop(event.uid))
            continue
        later = [pair for pair in ranges if _key(pair[0]) < _key(event.start)]
        if later:
            original, override = later[-1]
            shift = override.start - original
            result.append(
                replace(
                    event,
                    start=event.start + shift,
                    end=event.start + shift + (override.end - override.start),
                    **{name: getattr(override, name) for name in _TEXT_FIELDS},
                )
            )
            continue
        result.append(event)
    for original, override in ranges:
        reader.warn(
            f"{reader.at(override.line, override.summary)} RECURRENCE-ID;RANGE=THISANDFUTURE: "
            f"the change applies to every occurrence from {_day(original)} on"
        )
    return result


def _key(moment) -> datetime:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.combine(moment, datetime.min.time(), tzinfo=UTC)


def _day(moment) -> str:
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()

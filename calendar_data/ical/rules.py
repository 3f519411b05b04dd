"""Repeating events: an RRULE checked against RFC 5545, then expanded within bounds.

dateutil trusts its input: `BYDAY=99MO` in a yearly rule ends in IndexError
deep inside it, `INTERVAL=0` loops forever without yielding, and an hourly or
finer rule fills any window with thousands of posts (and BYSETPOS in one is
expanded set by set, hours of work). So `rule_problem` checks a rule first,
refuses sub-daily frequencies ("recurrence too frequent for a content
calendar") and names the part and its allowed range; `bounded_count` turns an
absurd COUNT into an endless rule the import window then cuts.

dateutil also checks UNTIL only on dates that match, so a rule that can never
match (BYMONTHDAY=30 in February) walks every day to the year 9999: seconds
for a daily rule, minutes for a minutely one. `occurrences` walks each rule no
further than the last day the import looks at, and no longer than a deadline.
No icalendar here.
"""

from __future__ import annotations

import heapq
import math
import re
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from typing import cast

from dateutil.rrule import rrule

_RANGES = {
    # part: (lowest, highest, may be negative)
    "BYSECOND": (0, 60, False),
    "BYMINUTE": (0, 59, False),
    "BYHOUR": (0, 23, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
}
_FREQS = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_TOO_FREQUENT = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}
"""Frequencies refused outright: no team posts every hour, and an endless one would fill the window."""
MAX_COUNT = 10_000
"""A COUNT above this is effectively endless (27 years of daily posts): read as no COUNT at all."""
_COUNT = re.compile(r";?COUNT=\d+", re.IGNORECASE)
_DAY = re.compile(r"^([+-]?)(\d{1,3})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


def parts(text: str) -> dict[str, str]:
    """The rule's NAME=VALUE parts, names upper-cased."""
    found = {}
    for part in text.split(";"):
        key, _, value = part.partition("=")
        found[key.strip().upper()] = value.strip().upper()
    return found


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[+-]?\d{1,9}", text) else None


def rule_problem(text: str) -> str | None:
    """What is wrong with an RRULE's value (e.g. "BYDAY 99MO: ..."), or None when dateutil can expand it."""
    found = parts(text)
    freq = found.get("FREQ", "")
    if freq not in _FREQS:
        return f"FREQ {freq!r} is not one of {', '.join(_FREQS)}" if freq else "no FREQ"
    if freq in _TOO_FREQUENT:
        return (
            f"recurrence too frequent for a content calendar (repeats every {_TOO_FREQUENT[freq]}; "
            "carecal plans posts by the day: use DAILY or longer)"
        )
    if "INTERVAL" in found and not (_number(found["INTERVAL"]) or 0) >= 1:
        return f"INTERVAL {found['INTERVAL']!r} must be a whole number of 1 or more"
    if "COUNT" in found and not (found["COUNT"].isdigit() and found["COUNT"].strip("0")):
        return f"COUNT {found['COUNT']!r} must be a whole number of 1 or more"
    for name, (low, high, signed) in _RANGES.items():
        for item in found[name].split(",") if name in found else ():
            value = _number(item)
            if (
                value is None
                or not low <= (abs(value) if signed else value) <= high
                or (value < 0 and not signed)
            ):
                allowed = f"{low} to {high}" + (f" or -{low} to -{high}" if signed else "")
                return f"{name} {item!r} must be {allowed}"
    most = 5 if freq == "MONTHLY" or (freq == "YEARLY" and "BYMONTH" in found) else 53
    for item in found["BYDAY"].split(",") if "BYDAY" in found else ():
        match = _DAY.match(item)
        if not match:
            return f"BYDAY {item!r} is not a weekday such as MO, 2TU or -1FR"
        if match[2] is not None and not 1 <= int(match[2]) <= most:
            within = "month" if most == 5 else "year"
            return f"BYDAY {item!r}: the number must be 1 to {most} or -1 to -{most} (the nth weekday of the {within})"
    return None


def bounded_count(text: str) -> tuple[str, int | None]:
    """The rule without a COUNT above `MAX_COUNT`, and that COUNT (None when it was kept)."""
    count = parts(text).get("COUNT", "")
    if count.isdigit() and (len(count) > 9 or int(count) > MAX_COUNT):
        return _COUNT.sub("", text).lstrip(";"), int(count[:12])
    return text, None


def wall_until(text: str, zone: tzinfo | None) -> str:
    """The rule with a UTC UNTIL as wall time in `zone` (the event's; None for all-day events): dateutil
    expands in naive wall time. ValueError or OverflowError for an UNTIL that is no date."""

    def wall(match: re.Match) -> str:
        moment = datetime.strptime(match[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return "UNTIL=" + (moment.astimezone(zone) if zone else moment).strftime("%Y%m%dT%H%M%S")

    return _UNTIL.sub(wall, text)


class OutOfTime(Exception):
    """Expanding went on past its deadline."""


class _PastWindow(Exception):
    pass


class _Walk(rrule):
    """A dateutil rule that stops walking past a month count or a deadline.

    dateutil's walk re-reads `_byeaster` each time it enters a new month (`_iterinfo.rebuild`; a yearly or
    monthly rule each step), the one hook inside its loop: counting and timing those reads bounds the walk
    without changing what the rule yields before the bound.
    """

    months_left = 0
    deadline = math.inf

    @property
    def _byeaster(self):
        self.months_left -= 1
        if self.months_left < 0:
            raise _PastWindow
        if time.monotonic() > self.deadline:
            raise OutOfTime
        return self.__dict__["_byeaster"]

    @_byeaster.setter
    def _byeaster(self, value) -> None:
        self.__dict__["_byeaster"] = value


def _walk(rule: rrule, months: int, deadline: float) -> Iterator[datetime]:
    if type(rule) is rrule:  # what rrulestr returns for one RRULE
        rule.__class__ = _Walk
        walker = cast(_Walk, rule)
        walker.months_left, walker.deadline = max(months, 1), deadline
    try:
        yield from rule
    except _PastWindow:
        return


def occurrences(
    rules: Iterable[rrule],
    dates: Iterable[datetime],
    excluded: Iterable[datetime],
    *,
    last: datetime,
    deadline: float = math.inf,
) -> Iterator[datetime]:
    """Each occurrence once, in order: the rules' (each walked to about a month past `last`; all dates
    are naive wall times), plus `dates` (DTSTART and the RDATEs), less `excluded` (the EXDATEs).

    Raises:
        OutOfTime: a rule was still walking at `deadline` (a `time.monotonic()` value).
    """
    dates = sorted(set(dates))
    start = dates[0] if dates else last  # the rules' DTSTART is among the dates
    months = (
        (last.year - start.year) * 12 + last.month - start.month + 3
    )  # dateutil reads it twice at the start
    skip = set(excluded)
    previous = None
    for moment in heapq.merge(*(_walk(r, months, deadline) for r in rules), dates):
        if moment != previous and moment not in skip:
            yield moment
        previous = moment

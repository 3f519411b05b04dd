"""Wall-clock times of posts in the team's zone: the times that do not exist, and the ones that happen twice.

A post is planned at a local time ("09:30 in America/New_York"). Twice a year that is not one
instant: in the spring-forward gap (02:30 on 2026-03-08 in New York) the time never happens, and
in the fall-back overlap (01:30 on 2026-11-01) it happens twice. carecal refuses the first and,
for the second, stores which of the two is meant (`time.fold`: 0 the first, as RFC 5545 reads an
ambiguous local time; 1 the later) so that every export names one instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def _zone(timezone: str):
    return UTC if timezone.upper() in ("UTC", "ETC/UTC", "Z", "GMT") else ZoneInfo(timezone)


def local_moment(day: date, at: time, timezone: str) -> datetime:
    """The aware datetime of `at` on `day` in `timezone`, keeping `at.fold`."""
    return datetime.combine(day, time(at.hour, at.minute, fold=at.fold), tzinfo=_zone(timezone))


def gap_problem(day: date, at: time, timezone: str) -> str | None:
    """Why `at` on `day` does not exist in `timezone` (the clocks jump over it), or None."""
    moment = local_moment(day, at, timezone)
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    if (back.hour, back.minute) == (at.hour, at.minute):
        return None
    change = _offset_change(moment)
    jumped_from = (change - timedelta(minutes=1)).astimezone(moment.tzinfo) + timedelta(minutes=1)
    jumped_to = change.astimezone(moment.tzinfo)
    return (
        f"{at:%H:%M} on {day} does not exist in {timezone}: the clocks jump from "
        f"{jumped_from:%H:%M} to {jumped_to:%H:%M}; choose another time"
    )


def _offset_change(moment: datetime) -> datetime:
    """The UTC instant, within 12 hours of `moment`, at which its zone's offset changes."""
    zone = moment.tzinfo
    lo = moment.replace(tzinfo=None) - timedelta(hours=12)
    lo_utc = lo.replace(tzinfo=zone).astimezone(UTC)
    hi_utc = lo_utc + timedelta(hours=24)
    first = lo_utc.astimezone(zone).utcoffset()
    while hi_utc - lo_utc > timedelta(minutes=1):
        mid = lo_utc + (hi_utc - lo_utc) / 2
        if mid.astimezone(zone).utcoffset() == first:
            lo_utc = mid
        else:
            hi_utc = mid
    return hi_utc.replace(second=0, microsecond=0)


def is_ambiguous(day: date, at: time, timezone: str) -> bool:
    """Whether `at` on `day` happens twice in `timezone` (the clocks go back over it)."""
    first = local_moment(day, at.replace(fold=0), timezone)
    second = local_moment(day, at.replace(fold=1), timezone)
    return first.utcoffset() != second.utcoffset()


def describe_ambiguity(day: date, at: time, timezone: str) -> str:
    """One line saying which of the two instants a twice-occurring time means."""
    moment = local_moment(day, at, timezone)
    which = "later" if at.fold else "first"
    other = "--later" if not at.fold else "no --later"
    return (
        f"{at:%H:%M} on {day} happens twice in {timezone}; carecal takes the {which} one "
        f"({moment:%Z}, UTC{moment:%z}); use {other} for the other"
    )


def instant(day: date, at: time, timezone: str) -> datetime:
    """The moment in UTC that a post planned at `at` on `day` goes out."""
    return local_moment(day, at, timezone).astimezone(UTC)

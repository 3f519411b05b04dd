"""VTIMEZONE definitions that Outlook reads correctly, computed from tzdata.

Outlook reduces every VTIMEZONE to one yearly rule and ignores RDATE, so a zone
described as a list of RDATE onsets (what icalendar's `add_missing_timezones()`
writes) leaves summer posts an hour off in Outlook and ical.js. Here each
zone's transitions are found in `zoneinfo` year by year and written back as
yearly RRULEs such as `FREQ=YEARLY;BYMONTH=3;BYDAY=2SU`, the form Microsoft's
[MS-OXCICAL] describes. Years whose rules differ (a zone changed its law) get
their own STANDARD/DAYLIGHT pair bounded with UNTIL; a transition that fits no
yearly rule (Morocco's Ramadan pauses) is written as a single dated onset.

This module computes plain data; `ical.export` turns it into components.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

MIN_YEAR, MAX_YEAR = 1601, 4500
LOOKAHEAD_YEARS = 8
"""Years past the export scanned so a rule holds beyond the file's last event."""
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_OUTLOOK_RULE = re.compile(
    r"^FREQ=YEARLY;BYMONTH=(\d{1,2});BYDAY=(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$"
)
"""The one yearly rule shape Outlook's time zone model holds: the nth (1-4) or last weekday of a month."""


@dataclass(frozen=True)
class Onset:
    """One STANDARD or DAYLIGHT sub-component: when an offset starts, and how it repeats."""

    daylight: bool
    start: datetime
    """Local wall time of the first onset, in the offset in force before it (RFC 5545)."""
    offset_from: timedelta
    offset_to: timedelta
    name: str
    rrule: str = ""
    """`FREQ=YEARLY;...` without UNTIL, or empty for a single onset."""
    until: datetime | None = None
    """A day after the last onset, in UTC, when a later rule takes over (the slack keeps readers
    that compare UNTIL with local time, such as dateutil's tzical, from dropping that onset)."""


@dataclass(frozen=True)
class _Transition:
    at_utc: datetime
    local: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str


def is_utc(tzid: str) -> bool:
    """Whether a zone name means UTC itself (written as `...Z`, with no VTIMEZONE)."""
    return tzid.upper() in ("UTC", "ETC/UTC", "Z", "ETC/UCT", "UCT", "ZULU", "ETC/ZULU")


def _utcoffset(moment: datetime) -> timedelta:
    """An aware moment's offset from UTC (a ZoneInfo always knows it)."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"{moment.isoformat()} has no UTC offset")
    return offset


@lru_cache(maxsize=256)
def _transitions(tzid: str, year: int) -> tuple[_Transition, ...]:
    """Offset changes during `year`, found by a daily scan and a bisection to the second."""
    zone = ZoneInfo(tzid)
    found: list[_Transition] = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = _utcoffset(moment.astimezone(zone))
    while moment < end:
        step = min(moment + timedelta(days=1), end)
        after = _utcoffset(step.astimezone(zone))
        if after != before:
            low, high = moment, step
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _utcoffset(middle.astimezone(zone)) == before:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            local = (high + before).replace(tzinfo=None)
            found.append(
                _Transition(high, local, before, after, high.astimezone(zone).tzname() or "")
            )
            before = after
        moment = step
    return tuple(found)


def _rule_forms(local: datetime) -> list[str]:
    """Yearly RRULE parts that produce this onset day, preferred first."""
    day, month, weekday = local.day, local.month, _DAYS[local.weekday()]
    month_days = calendar.monthrange(local.year, month)[1]
    forms = []
    nth = (day - 1) // 7 + 1
    if nth <= 4:
        forms.append(f"BYMONTH={month};BYDAY={nth}{weekday}")
    if day + 7 > month_days:
        forms.append(f"BYMONTH={month};BYDAY=-1{weekday}")
    forms.append(f"BYMONTH={month};BYMONTHDAY={day}")
    for first in range(max(1, day - 6), day + 1):  # "weekday on or after the Nth" (Israel's Friday)
        if (
            first + 6 <= month_days and (first - 1) % 7
        ):  # blocks 1-7, 8-14... are the nth forms above
            days = ",".join(str(d) for d in range(first, first + 7))
            forms.append(f"BYMONTH={month};BYDAY={weekday};BYMONTHDAY={days}")
    return forms


def _signature(transitions: tuple[_Transition, ...]) -> tuple:
    return tuple(
        (t.offset_from, t.offset_to, t.local.month, t.local.time(), t.name) for t in transitions
    )


def onsets(tzid: str, first_year: int, last_year: int) -> list[Onset]:
    """The STANDARD/DAYLIGHT onsets describing `tzid` for events in `[first_year, last_year]`.

    Raises:
        ValueError: the zone is unknown to tzdata.
    """
    if first_year > last_year:
        raise ValueError(
            f"time zone {tzid}: first year {first_year} is after last year {last_year}"
        )
    _zone(tzid)
    years = range(max(MIN_YEAR, first_year - 1), min(MAX_YEAR, last_year + LOOKAHEAD_YEARS) + 1)
    groups = _law_groups(tzid, years)
    result: list[Onset] = []
    for index, (years_in, forms) in enumerate(groups):
        result += _group_onsets(tzid, years_in, forms, later=index + 1 < len(groups))
    return result


def _law_groups(tzid: str, years: range) -> list[tuple[list[int], list[set[str]]]]:
    """Consecutive years under one law (the same transitions, each fitting a common yearly rule),
    each group with the rule forms all its years share, transition by transition."""
    groups: list[tuple[list[int], list[set[str]]]] = []
    for year in years:
        found = _transitions(tzid, year)
        forms = [set(_rule_forms(t.local)) for t in found]
        if groups:
            years_in, common = groups[-1]
            previous = _transitions(tzid, years_in[0])
            merged = [a & b for a, b in zip(common, forms, strict=False)]
            if found and _signature(previous) == _signature(found) and all(merged):
                years_in.append(year)
                groups[-1] = (years_in, merged)
                continue
            if not found and not previous:
                years_in.append(year)
                continue
        groups.append(([year], forms))
    return groups


def _group_onsets(
    tzid: str, years_in: list[int], forms: list[set[str]], *, later: bool
) -> list[Onset]:
    """The onsets of one law: a fixed offset, a yearly rule per transition (ended with UNTIL when
    a `later` law follows), or single dated onsets where no rule fits."""
    found = _transitions(tzid, years_in[0])
    if not found:
        start = datetime(years_in[0], 1, 1)
        offset = _utcoffset(start.replace(tzinfo=ZoneInfo(tzid)))
        name = start.replace(tzinfo=ZoneInfo(tzid)).tzname() or ""
        return [Onset(False, start, offset, offset, name)]
    result: list[Onset] = []
    highest = max(t.offset_to for t in found)
    for position, transition in enumerate(found):
        daylight = transition.offset_to == highest and transition.offset_to > transition.offset_from
        choices = [f for f in _rule_forms(transition.local) if f in forms[position]]
        if len(years_in) == 1 and later:
            choices = []  # a one-year law: a plain onset says it without guessing a rule
        if not choices:
            for year in years_in:
                t = _transitions(tzid, year)[position]
                result.append(Onset(daylight, t.local, t.offset_from, t.offset_to, t.name))
            continue
        last = _transitions(tzid, years_in[-1])[position]
        result.append(
            Onset(
                daylight,
                transition.local,
                transition.offset_from,
                transition.offset_to,
                transition.name,
                rrule=f"FREQ=YEARLY;{choices[0]}",
                until=last.at_utc + timedelta(days=1) if later else None,
            )
        )
    return result


def outlook_can_express(found: list[Onset]) -> bool:
    """Whether Outlook applies these onsets correctly: one fixed offset, or one DAYLIGHT and one STANDARD
    rule of the nth-or-last-weekday form with no end. Outlook keeps a single such pair for a zone, so
    several rule sets (New York 2005-2007), single dated onsets (Casablanca's Ramadan, Gaza) and "weekday
    on or after a date" rules (Jerusalem, Santiago) would leave some posts an hour off there."""
    if len(found) == 1:
        return not found[0].rrule and found[0].offset_from == found[0].offset_to
    return (
        len(found) == 2
        and {o.daylight for o in found} == {True, False}
        and all(o.until is None and _OUTLOOK_RULE.match(o.rrule or "") for o in found)
    )


def outlook_offset(found: list[Onset], local: datetime) -> timedelta:
    """The offset Outlook's model gives a local time: the two yearly rules applied to `local`'s year.

    Only meaningful when `outlook_can_express(found)`; used by tests and checks.
    """
    if len(found) == 1:
        return found[0].offset_to
    starts = []
    for onset in found:
        match = _OUTLOOK_RULE.match(onset.rrule)
        if match is None:
            raise ValueError(
                f"outlook_offset: rule {onset.rrule!r} is not one of Outlook's yearly rules "
                "(call it only when outlook_can_express(found))"
            )
        month, nth, weekday = int(match[1]), int(match[2]), _DAYS.index(match[3])
        days = [
            d
            for d in range(1, calendar.monthrange(local.year, month)[1] + 1)
            if calendar.weekday(local.year, month, d) == weekday
        ]
        day = days[nth - 1] if nth > 0 else days[-1]
        starts.append(
            (datetime(local.year, month, day, onset.start.hour, onset.start.minute), onset)
        )
    starts.sort(key=lambda pair: pair[0])
    latest = [onset for moment, onset in starts if moment <= local]
    return (latest[-1] if latest else starts[-1][1]).offset_to


def _zone(tzid: str) -> ZoneInfo:
    try:
        return ZoneInfo(tzid)
    except (ValueError, OSError, LookupError):
        raise ValueError(f"time zone {tzid!r} is not an IANA zone name") from None


def utc_offset(onset_list: list[Onset], local: datetime) -> timedelta:
    """The offset a yearly-rule reader (Outlook, ical.js) derives for a local time from `onsets`.

    Used by tests and checks: it expands each RRULE the way a client does and
    takes the latest onset at or before `local`.
    """
    from dateutil.rrule import rrule, rrulestr

    latest: tuple[datetime, timedelta] | None = None
    for onset in onset_list:
        if onset.rrule:
            until = onset.until.replace(tzinfo=None) + onset.offset_from if onset.until else None
            rule = rrulestr(onset.rrule, dtstart=onset.start, forceset=False)
            if until and isinstance(rule, rrule):
                rule = rule.replace(until=until)
            moment = rule.before(local, inc=True)
        else:
            moment = onset.start if onset.start <= local else None
        if moment is not None and (latest is None or moment > latest[0]):
            latest = (moment, onset.offset_to)
    if latest is None:
        return min(onset_list, key=lambda o: o.start).offset_from
    return latest[1]

"""Reading a team's existing plan from an .ics file (Outlook, Google, Apple, carecal itself).

`scan` rejects broken files and tidies unusual ones; icalendar parses what
is left; this module turns every VEVENT into plain `IcsEvent` records with
times resolved (`event_times`: IANA names, the Windows names Outlook writes
such as "Eastern Standard Time", the file's own VTIMEZONE for anything else,
Google's X-WR-TIMEZONE for floating times) and recurrences expanded inside a
bounded window (`series`). `plan` then maps the records onto posts or
observances and writes them in one transaction. Every oddity becomes a
warning saying what was assumed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from icalendar import Calendar
from x_wr_timezone import UTCChangingWalker

from calendar_data.ical.content import alarm_problem, has_html, is_web_link, plain_text
from calendar_data.ical.event_times import TimeReader, first_value
from calendar_data.ical.scan import IcsError, Scanned, scan
from calendar_data.ical.series import MAX_PER_EVENT, MAX_STEPS, apply_overrides, expand, instance

__all__ = ["MAX_PER_EVENT", "MAX_STEPS", "IcsEvent", "ReadResult", "read_events"]
MAX_EXPAND_SECONDS = 30.0
"""Time all of a file's repeating events may take to expand. A real file needs well under a second; only
rules that walk centuries of minutes or seconds before the import window come near it."""
_TIME_PROPS = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


@dataclass(frozen=True)
class IcsEvent:
    """One dated event from a file, times in the team's zone; `end` is exclusive."""

    uid: str
    """Unique per imported item: the UID, or UID#instance for a repeating event."""
    line: int
    summary: str
    start: date | datetime
    end: date | datetime
    description: str = ""
    categories: tuple[str, ...] = ()
    url: str = ""
    carecal_kind: str = ""
    status: str = ""
    organizer: str = ""
    base_uid: str = ""
    location: str = ""
    title: str = ""
    """SUMMARY as written (only trimmed); `summary` has its spaces squeezed for messages and titles."""
    sequence: int = 0
    alarms: int = 0
    """How many usable reminders (VALARM) the event had; a post keeps none."""
    zone: str = ""
    """The IANA zone the event's DTSTART was written in ("" for dates, floating or UTC times)."""

    @property
    def all_day(self) -> bool:
        """Whether the event has dates, not times."""
        return not isinstance(self.start, datetime)

    @property
    def first_day(self) -> date:
        """The day it starts."""
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def last_day(self) -> date:
        """The last day it covers (inclusive)."""
        if isinstance(self.end, datetime):
            end = self.end - timedelta(microseconds=1) if self.end > self.start else self.end
            return end.date()
        return max(self.start, self.end - timedelta(days=1))


@dataclass
class ReadResult:
    """Events and the warnings met on the way."""

    events: list[IcsEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Reader(TimeReader):
    """Reads one file's VEVENTs into `IcsEvent` records, expanding repeating ones."""

    def __init__(self, where: str, zone: str, window: tuple[date, date]) -> None:
        super().__init__(where, zone, window)
        self.result = ReadResult(warnings=self.warnings)
        self.alarm_lines: dict[int, list[int]] = {}
        """The physical lines of each VEVENT's VALARMs (from `scan`), for warnings."""
        self.expanding = 0.0
        """Seconds spent expanding repeating events so far (`series.expand` adds to it)."""

    def local(self, event: IcsEvent) -> IcsEvent:
        """The event with its times in the team's zone (after recurrence, which runs in the event's own)."""
        if (
            not event.all_day
            and isinstance(event.start, datetime)
            and isinstance(event.end, datetime)
        ):
            return replace(
                event, start=event.start.astimezone(self.zone), end=event.end.astimezone(self.zone)
            )
        return event

    def event(
        self, component, line: int
    ) -> tuple[str, tuple[date | datetime, bool] | None, list[IcsEvent]]:
        summary = " ".join(str(first_value(component, "SUMMARY", "")).split())
        for prop_name, message in getattr(component, "errors", []) or []:
            if str(prop_name).upper() in _TIME_PROPS:
                raise IcsError(f"{self.at(line, summary)} {prop_name}: {message}")
            self.warn(f"{self.at(line, summary)} {prop_name} is malformed ({message}); ignored")
        if "DTSTART" not in component:
            raise IcsError(f"{self.at(line, summary)} has no DTSTART")
        start = self.moment(first_value(component, "DTSTART"), "DTSTART", line, summary)
        end = self.end_of(component, start, line, summary)
        uid = " ".join(str(first_value(component, "UID", "")).split())
        if not uid:
            uid = (
                "carecal-import-"
                + hashlib.sha256(f"{summary}|{start.isoformat()}".encode()).hexdigest()[:20]
            )
            self.warn(
                f"{self.at(line, summary)} has no UID; made one from its title and start "
                "(re-importing this file still matches it)"
            )
        categories: list[str] = []
        for entry in (
            component.get("CATEGORIES", [])
            if isinstance(component.get("CATEGORIES"), list)
            else [component.get("CATEGORIES")]
            if component.get("CATEGORIES") is not None
            else []
        ):
            categories.extend(str(c) for c in getattr(entry, "cats", [entry]))
        organizer = first_value(component, "ORGANIZER")
        base = IcsEvent(
            uid=uid,
            base_uid=uid,
            line=line,
            summary=summary,
            start=start,
            end=end,
            categories=tuple(categories),
            **self.texts(component, line, summary),
            title=str(first_value(component, "SUMMARY", "")).strip(),
            sequence=_sequence(component),
            zone=getattr(start.tzinfo, "key", "") if isinstance(start, datetime) else "",
            carecal_kind=str(first_value(component, "X-CARECAL-KIND", "")).lower(),
            status=str(first_value(component, "STATUS", "")).upper(),
            organizer=str(getattr(organizer, "params", {}).get("CN", ""))
            if organizer is not None
            else "",
        )
        recurrence_id = first_value(component, "RECURRENCE-ID")
        if recurrence_id is not None:
            original = self.moment(recurrence_id, "RECURRENCE-ID", line, summary)
            future = str(recurrence_id.params.get("RANGE", "")).upper() == "THISANDFUTURE"
            return uid, (original, future), [self.local(instance(base, start, end, original))]
        if any(k in component for k in ("RRULE", "RDATE")):
            events = expand(self, component, base, budget=MAX_EXPAND_SECONDS)
            return uid, None, [self.local(e) for e in events]
        return uid, None, [self.local(base)]

    def texts(self, component, line: int, summary: str) -> dict:
        """DESCRIPTION, URL and LOCATION made safe to keep (HTML to plain text, web links only); the
        event's reminders checked. Each change is a warning."""
        description = str(first_value(component, "DESCRIPTION", ""))
        own = (
            str(first_value(component, "X-CARECAL-KIND", "")).lower() == "post"
        )  # carecal writes plain text only
        if has_html(description) and not own:
            description = plain_text(description)
            self.warn(
                f"{self.at(line, summary)} HTML in DESCRIPTION made plain text (scripts and styles removed)"
            )
        url = str(first_value(component, "URL", "")).strip()
        if url and not is_web_link(url):
            self.warn(f"{self.at(line, summary)} URL {url[:40]!r} is not an http(s) link; dropped")
            url = ""
        alarms = component.walk("VALARM")
        lines = self.alarm_lines.get(line, [])
        for alarm, at in zip(alarms, lines + [line] * (len(alarms) - len(lines)), strict=False):
            problem = alarm_problem(alarm)
            if problem:
                self.warn(
                    f"{self.at(line, summary)} VALARM at line {at} {problem}; reminder skipped"
                )
        location = " ".join(str(first_value(component, "LOCATION", "")).split())
        usable = sum(1 for alarm in alarms if alarm_problem(alarm) is None)
        return {"description": description, "url": url, "location": location, "alarms": usable}


def _sequence(component) -> int:
    """SEQUENCE as a number; 0 when missing or malformed (already reported as a warning)."""
    value = first_value(component, "SEQUENCE", 0)
    return int(value) if isinstance(value, int) else 0


def read_events(
    data: bytes, *, where: str = "file", zone: str, window: tuple[date, date]
) -> ReadResult:
    """Every event in an .ics file, in file order, with warnings; IcsError if the file is broken.

    Args:
        data: the file's bytes, as read.
        where: the file name used in messages.
        zone: the team's IANA zone; timed events are converted to it.
        window: repeating events are expanded only inside `[first, last]`.
    """
    scanned = scan(data, where)
    del data
    reader = _Reader(where, zone, window)
    reader.result.warnings.extend(scanned.warnings)
    reader.alarm_lines = scanned.alarm_lines
    calendars = _calendars(scanned, reader)
    vevents = [c for cal in calendars for c in cal.walk("VEVENT")]
    if len(vevents) != len(scanned.event_lines):
        raise IcsError(
            f"{where}: found {len(scanned.event_lines)} BEGIN:VEVENT lines but parsed {len(vevents)}"
        )
    if not vevents:
        reader.warn(f"{where}: 0 events found")
    _read_series(reader, vevents, scanned.event_lines)
    reader.result.events.sort(key=lambda e: (e.line, e.first_day))
    return reader.result


def _read_series(reader: _Reader, vevents: list, lines: list[int]) -> None:
    """Read every VEVENT into `reader.result.events`: each series (one UID) expanded with its
    RECURRENCE-ID overrides in place; of two masters with one UID, the higher SEQUENCE (or the
    later) is kept; an override whose series is not in the file comes in as a single event."""
    where = reader.where
    masters: dict[str, tuple[int, int, list[IcsEvent]]] = {}
    overrides: dict[str, dict[str, IcsEvent]] = {}
    future: dict[str, dict[str, tuple]] = {}
    for component, line in zip(vevents, lines, strict=True):
        uid, original, events = reader.event(component, line)
        if original is not None:
            overrides.setdefault(uid, {})[events[0].uid] = events[0]
            if original[1]:
                future.setdefault(uid, {})[events[0].uid] = (
                    reader.local_moment(original[0]),
                    events[0],
                )
            continue
        sequence = _sequence(component)
        if uid in masters:
            first_line, first_seq, _ = masters[uid]
            keep_new = sequence >= first_seq
            reader.warn(
                f"{where}:{line}: UID {uid[:60]!r} also used at line {first_line}; kept the one at line "
                f"{line if keep_new else first_line} (higher SEQUENCE, or later in the file)"
            )
            if not keep_new:
                continue
        masters[uid] = (line, sequence, events)
    for uid, (_, _, events) in masters.items():
        replaced = overrides.pop(uid, {})
        reader.result.events.extend(apply_overrides(events, replaced, future.get(uid, {}), reader))
        reader.result.events.extend(replaced.values())
    for extra in overrides.values():
        for event in extra.values():
            reader.warn(
                f"{reader.at(event.line, event.summary)} RECURRENCE-ID for a series that is not in the "
                "file; imported as a single event"
            )
            reader.result.events.append(event)


class _UtcToZone(UTCChangingWalker):
    """x-wr-timezone's walker, limited to UTC times: Google writes a series in UTC and means its wall time
    in X-WR-TIMEZONE (09:00 all year, not 09:00 then 10:00 after the change). Floating times are left
    to `TimeReader.moment`, which reads them in the same zone and says so."""

    def walk_value_datetime(self, dt):
        return dt.astimezone(self.new_timezone) if self.is_UTC(dt) else dt


def _calendars(scanned: Scanned, reader: _Reader) -> list:
    """The file's VCALENDARs parsed, with Google's UTC-plus-X-WR-TIMEZONE shape normalised."""
    where = reader.where
    try:
        calendars = Calendar.from_ical(scanned.text, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises many types for bad input
        raise IcsError(f"{where}: cannot parse ({' '.join(str(exc).split())[:160]})") from None
    scanned.text = ""
    for name, count in sorted(scanned.other_components.items()):
        reader.warn(
            f"{where}: {count} {name} component{'s' if count > 1 else ''} ignored (only events are imported)"
        )
    normalised = []
    for cal in calendars:
        reader.file_zones.update(str(tz.get("TZID", "")) for tz in cal.walk("VTIMEZONE"))
        hint = cal.get("X-WR-TIMEZONE")
        zone = reader.resolve_zone(str(hint)) if hint is not None else None
        if hint is not None and reader.floating is None:
            reader.floating = zone
            if zone is not None:
                reader.floating_note = f"{hint} (the file's X-WR-TIMEZONE)"
            else:
                reader.warn(f"{where}: X-WR-TIMEZONE {str(hint)!r} is not a known zone; ignored")
        normalised.append(_UtcToZone(zone).walk(cal) if zone is not None else cal)
    return normalised

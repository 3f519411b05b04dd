"""Reading a team's existing plan from an .ics file (Outlook, Google, Apple, carecal itself).

`ics_scan` rejects broken files and tidies unusual ones; icalendar parses what
is left; this module turns every VEVENT into plain `IcsEvent` records with
times resolved (IANA names, the Windows names Outlook writes such as "Eastern
Standard Time", the file's own VTIMEZONE for anything else, Google's
X-WR-TIMEZONE for floating times) and recurrences expanded inside a bounded
window. `ics_plan` then maps the records onto posts or observances and writes
them in one transaction. Every oddity becomes a warning saying what was assumed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
from x_wr_timezone import UTCChangingWalker

from calendar_data.ical.content import alarm_problem, has_html, is_web_link, plain_text
from calendar_data.ical.scan import IcsError, Scanned, scan
from calendar_data.ical.series import MAX_PER_EVENT, MAX_STEPS, apply_overrides, expand, instance
from calendar_data.ical.timezones import MAX_YEAR, MIN_YEAR

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


class _Reader:
    def __init__(self, where: str, zone: str, window: tuple[date, date]) -> None:
        self.where, self.zone, self.window = where, ZoneInfo(zone), window
        self.zone_name = zone
        self.result = ReadResult()
        self.floating: ZoneInfo | None = None
        self.floating_note = ""
        self.file_zones: set[str] = set()
        """TZIDs the file defines with a VTIMEZONE."""
        self.alarm_lines: dict[int, list[int]] = {}
        self.noted: set[str] = set()
        self.expanding = 0.0

    def warn(self, text: str, once: str = "") -> None:
        if once:
            if once in self.noted:
                return
            self.noted.add(once)
        self.result.warnings.append(text)

    def at(self, line: int, summary: str = "") -> str:
        label = f" VEVENT {summary[:40]!r}" if summary else ""
        return f"{self.where}:{line}:{label}"

    # --- times -----------------------------------------------------------------------------
    def resolve_zone(self, tzid: str) -> ZoneInfo | None:
        cleaned = tzid.strip().strip('"').strip("/")
        for candidate in (cleaned, WINDOWS_TO_OLSON.get(cleaned)):
            if candidate:
                try:
                    return ZoneInfo(candidate)
                except (ValueError, OSError, LookupError):
                    continue
        return None

    def note_windows(self, tzid: str, zone: ZoneInfo | None, line: int) -> None:
        """Warn once when a Windows zone name with no VTIMEZONE was mapped to an IANA zone."""
        cleaned = tzid.strip().strip('"').strip("/")
        if zone is not None and cleaned in WINDOWS_TO_OLSON and tzid not in self.file_zones:
            self.warn(
                f"{self.at(line)} time zone {tzid!r} has no VTIMEZONE in the file; inferred {zone.key} "
                "from the Windows name",
                once=f"windows:{tzid}",
            )

    def moment(self, prop, name: str, line: int, summary: str) -> date | datetime:
        value = prop.dt
        if isinstance(value, timedelta) or not isinstance(value, date):
            raise IcsError(f"{self.at(line, summary)} {name} is not a date or date-time")
        if not isinstance(value, datetime):
            self.check_year(value, name, line, summary)
            return value
        tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
        wall = value.replace(tzinfo=None)
        if tzid:
            zone = self.resolve_zone(str(tzid))
            self.note_windows(str(tzid), zone, line)
            if zone is not None:
                value = wall.replace(tzinfo=zone)
            elif value.tzinfo is not None:
                self.warn(
                    f"{self.at(line)} time zone {str(tzid)!r} is not a known name; "
                    "used the file's VTIMEZONE definition",
                    once=f"tz:{tzid}",
                )
            else:
                raise IcsError(
                    f"{self.at(line, summary)} {name}: unknown time zone {str(tzid)!r} "
                    "(not an IANA or Windows name, and the file has no VTIMEZONE for it)"
                )
        elif value.tzinfo is None:
            value = wall.replace(tzinfo=self.floating or self.zone)
            self.warn(
                f"{self.at(line)} floating times (no time zone) read as {self.floating_note or self.zone_name}",
                once="floating",
            )
        self.check_year(value, name, line, summary)
        return value.replace(microsecond=0)

    def local_moment(self, moment: date | datetime) -> date | datetime:
        """A moment in the team's zone, as `local` puts event times."""
        return moment.astimezone(self.zone) if isinstance(moment, datetime) else moment

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

    def check_year(self, value: date, name: str, line: int, summary: str) -> None:
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise IcsError(
                f"{self.at(line, summary)} {name} {value.isoformat()} is outside {MIN_YEAR}-{MAX_YEAR}"
            )

    # --- events ----------------------------------------------------------------------------
    def event(
        self, component, line: int
    ) -> tuple[str, tuple[date | datetime, bool] | None, list[IcsEvent]]:
        summary = " ".join(str(_first(component, "SUMMARY", "")).split())
        for prop_name, message in getattr(component, "errors", []) or []:
            if str(prop_name).upper() in _TIME_PROPS:
                raise IcsError(f"{self.at(line, summary)} {prop_name}: {message}")
            self.warn(f"{self.at(line, summary)} {prop_name} is malformed ({message}); ignored")
        if "DTSTART" not in component:
            raise IcsError(f"{self.at(line, summary)} has no DTSTART")
        start = self.moment(_first(component, "DTSTART"), "DTSTART", line, summary)
        end = self.end_of(component, start, line, summary)
        uid = " ".join(str(_first(component, "UID", "")).split())
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
        organizer = _first(component, "ORGANIZER")
        base = IcsEvent(
            uid=uid,
            base_uid=uid,
            line=line,
            summary=summary,
            start=start,
            end=end,
            categories=tuple(categories),
            **self.texts(component, line, summary),
            title=str(_first(component, "SUMMARY", "")).strip(),
            sequence=_sequence(component),
            zone=getattr(start.tzinfo, "key", "") if isinstance(start, datetime) else "",
            carecal_kind=str(_first(component, "X-CARECAL-KIND", "")).lower(),
            status=str(_first(component, "STATUS", "")).upper(),
            organizer=str(getattr(organizer, "params", {}).get("CN", ""))
            if organizer is not None
            else "",
        )
        recurrence_id = _first(component, "RECURRENCE-ID")
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
        description = str(_first(component, "DESCRIPTION", ""))
        own = (
            str(_first(component, "X-CARECAL-KIND", "")).lower() == "post"
        )  # carecal writes plain text only
        if has_html(description) and not own:
            description = plain_text(description)
            self.warn(
                f"{self.at(line, summary)} HTML in DESCRIPTION made plain text (scripts and styles removed)"
            )
        url = str(_first(component, "URL", "")).strip()
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
        location = " ".join(str(_first(component, "LOCATION", "")).split())
        usable = sum(1 for alarm in alarms if alarm_problem(alarm) is None)
        return {"description": description, "url": url, "location": location, "alarms": usable}

    def end_of(self, component, start: date | datetime, line: int, summary: str) -> date | datetime:
        if "DTEND" in component:
            end = self.moment(_first(component, "DTEND"), "DTEND", line, summary)
            if "DURATION" in component:
                self.warn(f"{self.at(line, summary)} has both DTEND and DURATION; used DTEND")
            if isinstance(start, datetime) != isinstance(end, datetime):
                self.warn(
                    f"{self.at(line, summary)} mixes a date and a date-time in DTSTART/DTEND; "
                    "used DTSTART's kind"
                )
                if isinstance(end, datetime):
                    end = end.date()
                elif isinstance(start, datetime):
                    end = datetime.combine(end, start.timetz())
        elif "DURATION" in component:
            duration = getattr(_first(component, "DURATION"), "dt", None)
            if not isinstance(duration, timedelta) or duration < timedelta(0):
                raise IcsError(f"{self.at(line, summary)} DURATION must be a positive duration")
            if not isinstance(start, datetime) and duration % timedelta(days=1):
                duration = timedelta(days=max(1, duration.days))
            too_long = IcsError(
                f"{self.at(line, summary)} DURATION of {duration.days} days ends after "
                f"the year {MAX_YEAR}"
            )
            try:
                end = start + duration
            except OverflowError:
                raise too_long from None
            if end.year > MAX_YEAR:
                raise too_long
        else:
            end = start + timedelta(days=1) if not isinstance(start, datetime) else start
        if end < start:
            raise IcsError(
                f"{self.at(line, summary)} DTEND {end.isoformat()} is before DTSTART {start.isoformat()}"
            )
        if end == start and not isinstance(start, datetime):
            self.warn(
                f"{self.at(line, summary)} all-day event ends where it starts; taken as one day"
            )
            end = start + timedelta(days=1)
        self.check_year(end, "DTEND", line, summary)
        return end


def _first(component, name: str, default=None):
    """A once-only property's value (ics_scan drops repeats; this holds even if one slips through)."""
    value = component.get(name, default)
    return value[0] if isinstance(value, list) and value else value


def _sequence(component) -> int:
    """SEQUENCE as a number; 0 when missing or malformed (already reported as a warning)."""
    value = _first(component, "SEQUENCE", 0)
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
    masters: dict[str, tuple[int, int, list[IcsEvent]]] = {}
    overrides: dict[str, dict[str, IcsEvent]] = {}
    future: dict[str, dict[str, tuple]] = {}
    for component, line in zip(vevents, scanned.event_lines, strict=True):
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
    reader.result.events.sort(key=lambda e: (e.line, e.first_day))
    return reader.result


class _UtcToZone(UTCChangingWalker):
    """x-wr-timezone's walker, limited to UTC times: Google writes a series in UTC and means its wall time
    in X-WR-TIMEZONE (09:00 all year, not 09:00 then 10:00 after the change). Floating times are left
    to `_Reader.moment`, which reads them in the same zone and says so."""

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

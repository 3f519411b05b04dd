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
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from calendar_data.ical.rules import OutOfTime, occurrences, rule_problem, wall_until
from calendar_data.ical.scan import IcsError, scan
from calendar_data.ical.timezones import MAX_YEAR, MIN_YEAR

MAX_STEPS = 50_000
"""Recurrence steps walked per event before the rule is cut (FREQ=SECONDLY from 1601...)."""
MAX_PER_EVENT = 500
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
        self.custom_zones: set[str] = set()
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
            if zone is not None:
                value = wall.replace(tzinfo=zone)
            elif value.tzinfo is not None:
                self.warn(f"{self.at(line)} time zone {str(tzid)!r} is not a known name; "
                          "used the file's VTIMEZONE definition", once=f"tz:{tzid}")
            else:
                raise IcsError(f"{self.at(line, summary)} {name}: unknown time zone {str(tzid)!r} "
                               "(not an IANA or Windows name, and the file has no VTIMEZONE for it)")
        elif value.tzinfo is None:
            value = wall.replace(tzinfo=self.floating or self.zone)
            self.warn(f"{self.at(line)} floating times (no time zone) read as {self.floating_note or self.zone_name}",
                      once="floating")
        self.check_year(value, name, line, summary)
        return value.replace(microsecond=0)

    def local(self, event: IcsEvent) -> IcsEvent:
        """The event with its times in the team's zone (after recurrence, which runs in the event's own)."""
        if not event.all_day and isinstance(event.start, datetime) and isinstance(event.end, datetime):
            return replace(event, start=event.start.astimezone(self.zone), end=event.end.astimezone(self.zone))
        return event

    def check_year(self, value: date, name: str, line: int, summary: str) -> None:
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise IcsError(f"{self.at(line, summary)} {name} {value.isoformat()} is outside {MIN_YEAR}-{MAX_YEAR}")

    # --- events ----------------------------------------------------------------------------
    def event(self, component, line: int) -> tuple[str, object, list[IcsEvent]]:
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
            uid = "carecal-import-" + hashlib.sha256(f"{summary}|{start.isoformat()}".encode()).hexdigest()[:20]
            self.warn(f"{self.at(line, summary)} has no UID; made one from its title and start "
                      "(re-importing this file still matches it)")
        categories: list[str] = []
        for entry in component.get("CATEGORIES", []) if isinstance(component.get("CATEGORIES"), list) else \
                [component.get("CATEGORIES")] if component.get("CATEGORIES") is not None else []:
            categories.extend(str(c) for c in getattr(entry, "cats", [entry]))
        organizer = _first(component, "ORGANIZER")
        base = IcsEvent(
            uid=uid, base_uid=uid, line=line, summary=summary, start=start, end=end,
            description=str(_first(component, "DESCRIPTION", "")), categories=tuple(categories),
            url=str(_first(component, "URL", "")), carecal_kind=str(_first(component, "X-CARECAL-KIND", "")).lower(),
            status=str(_first(component, "STATUS", "")).upper(),
            organizer=str(getattr(organizer, "params", {}).get("CN", "")) if organizer is not None else "",
        )
        recurrence_id = _first(component, "RECURRENCE-ID")
        if recurrence_id is not None:
            original = self.moment(recurrence_id, "RECURRENCE-ID", line, summary)
            return uid, original, [self.local(_instance(base, start, end, original))]
        if any(k in component for k in ("RRULE", "RDATE")):
            return uid, None, [self.local(e) for e in self.expand(component, base)]
        return uid, None, [self.local(base)]

    def end_of(self, component, start: date | datetime, line: int, summary: str) -> date | datetime:
        if "DTEND" in component:
            end = self.moment(_first(component, "DTEND"), "DTEND", line, summary)
            if "DURATION" in component:
                self.warn(f"{self.at(line, summary)} has both DTEND and DURATION; used DTEND")
            if isinstance(start, datetime) != isinstance(end, datetime):
                self.warn(f"{self.at(line, summary)} mixes a date and a date-time in DTSTART/DTEND; "
                          "used DTSTART's kind")
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
            too_long = IcsError(f"{self.at(line, summary)} DURATION of {duration.days} days ends after "
                                f"the year {MAX_YEAR}")
            try:
                end = start + duration
            except OverflowError:
                raise too_long from None
            if end.year > MAX_YEAR:
                raise too_long
        else:
            end = start + timedelta(days=1) if not isinstance(start, datetime) else start
        if end < start:
            raise IcsError(f"{self.at(line, summary)} DTEND {end.isoformat()} is before DTSTART {start.isoformat()}")
        if end == start and not isinstance(start, datetime):
            self.warn(f"{self.at(line, summary)} all-day event ends where it starts; taken as one day")
            end = start + timedelta(days=1)
        self.check_year(end, "DTEND", line, summary)
        return end

    def expand(self, component, base: IcsEvent) -> list[IcsEvent]:
        start, length = base.start, _length(base.start, base.end)
        where = self.at(base.line, base.summary)
        low = datetime.combine(self.window[0], datetime.min.time())
        high = datetime.combine(self.window[1], datetime.max.time()).replace(microsecond=0)
        began = time.monotonic()
        deadline = began + MAX_EXPAND_SECONDS - self.expanding
        rules, dates, excluded, unbounded = self.rules(component, base)
        found, before = [], 0
        cut = ""
        try:
            for steps, moment in enumerate(occurrences(rules, dates, excluded, last=high, deadline=deadline), 1):
                if moment > high:
                    if unbounded:
                        cut = f"repeats with no end; cut at {self.window[1]}"
                    break
                if moment < low:
                    before += 1
                else:
                    found.append(moment)
                if steps >= MAX_STEPS or len(found) >= MAX_PER_EVENT:
                    cut = f"stopped after {steps} repetitions at {moment:%Y-%m-%d}"
                    break
        except OutOfTime:
            raise IcsError(f"{where} repeating events took over {MAX_EXPAND_SECONDS:.0f} s to expand; "
                           "simplify their RRULEs or split the file") from None
        except (ValueError, TypeError, IndexError, OverflowError) as exc:  # dateutil on a rule it cannot walk
            raise IcsError(f"{where} RRULE/RDATE cannot be expanded ({' '.join(str(exc).split())[:80]})") from None
        self.expanding += time.monotonic() - began
        if before:
            self.warn(f"{where} {before} repetition{'s' if before > 1 else ''} before {self.window[0]} skipped")
        if cut:
            self.warn(f"{where} {cut}; imported {len(found)} occurrence{'s' if len(found) != 1 else ''} "
                      f"from {self.window[0]} to {self.window[1]}")
        events = []
        for moment in found:
            begin = moment.replace(tzinfo=start.tzinfo) if isinstance(start, datetime) else moment.date()
            try:
                finish = begin + length
            except OverflowError:
                finish = date.max
            self.check_year(finish, "DTEND", base.line, base.summary)
            events.append(_instance(base, begin, finish, begin))
        return events

    def rules(self, component, base: IcsEvent) -> tuple[list, list[datetime], list[datetime], bool]:
        """The event's RRULEs, its dates (DTSTART and RDATEs), its EXDATEs, all in naive wall time, and
        whether any rule repeats without end."""
        start, where = base.start, self.at(base.line, base.summary)
        zone = start.tzinfo if isinstance(start, datetime) else None
        anchor = start.replace(tzinfo=None) if isinstance(start, datetime) else datetime.combine(start, datetime.min.time())
        rules: list = []
        dates: list[datetime] = [anchor]
        excluded: list[datetime] = []
        unbounded = False
        for prop in _as_list(component.get("RRULE")):
            text = prop.to_ical().decode(errors="replace")
            problem = rule_problem(text)
            if problem:
                raise IcsError(f"{where} RRULE {text[:80]!r}: {problem}")
            unbounded |= "COUNT=" not in text.upper() and "UNTIL=" not in text.upper()
            try:
                text = wall_until(text, zone)
                rules.append(rrulestr(text, dtstart=anchor, ignoretz=True))
            except (ValueError, TypeError, OverflowError) as exc:
                raise IcsError(f"{where} RRULE {text[:80]!r}: {' '.join(str(exc).split())[:80]}") from None
        for prop_name, add in (("RDATE", dates.append), ("EXDATE", excluded.append)):
            for prop in _as_list(component.get(prop_name)):
                for item in getattr(prop, "dts", []):
                    value = item.dt
                    if isinstance(value, tuple):  # RDATE;VALUE=PERIOD
                        value = value[0]
                    if not isinstance(value, date):
                        raise IcsError(f"{where} {prop_name} {str(value)[:40]!r} is not a date or date-time")
                    if isinstance(start, datetime) and isinstance(value, datetime) and value.tzinfo is not None:
                        try:
                            value = value.astimezone(zone)
                        except OverflowError:
                            raise IcsError(f"{where} {prop_name} {value.isoformat()} is out of range") from None
                    if not isinstance(value, datetime):
                        value = datetime.combine(value, anchor.time())
                    add(value.replace(tzinfo=None))
        return rules, dates, excluded, unbounded


def _length(start: date, end: date) -> timedelta:
    """How long an event lasts: its two ends are both dates or both date-times (`end_of` sees to it)."""
    return end - start


def _first(component, name: str, default=None):
    """A once-only property's value (ics_scan drops repeats; this holds even if one slips through)."""
    value = component.get(name, default)
    return value[0] if isinstance(value, list) and value else value


def _sequence(component) -> int:
    """SEQUENCE as a number; 0 when missing or malformed (already reported as a warning)."""
    value = _first(component, "SEQUENCE", 0)
    return int(value) if isinstance(value, int) else 0


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _instance(base: IcsEvent, start, end, original) -> IcsEvent:
    if isinstance(original, datetime):
        key = original.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    else:
        key = original.strftime("%Y%m%d")
    return IcsEvent(**{**base.__dict__, "uid": f"{base.base_uid}#{key}", "start": start, "end": end})


def read_events(data: bytes, *, where: str = "file", zone: str, window: tuple[date, date]) -> ReadResult:
    """Every event in an .ics file, in file order, with warnings; IcsError if the file is broken.

    Args:
        data: the file's bytes, as read.
        where: the file name used in messages.
        zone: the team's IANA zone; timed events are converted to it.
        window: repeating events are expanded only inside `[first, last]`.
    """
    scanned = scan(data, where)
    reader = _Reader(where, zone, window)
    reader.result.warnings.extend(scanned.warnings)
    try:
        calendars = Calendar.from_ical(scanned.text, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises many types for bad input
        raise IcsError(f"{where}: cannot parse ({' '.join(str(exc).split())[:160]})") from None
    for name, count in sorted(scanned.other_components.items()):
        reader.warn(f"{where}: {count} {name} component{'s' if count > 1 else ''} ignored (only events are imported)")
    vevents = [c for cal in calendars for c in cal.walk("VEVENT")]
    if len(vevents) != len(scanned.event_lines):
        raise IcsError(f"{where}: found {len(scanned.event_lines)} BEGIN:VEVENT lines but parsed {len(vevents)}")
    for cal in calendars:
        hint = cal.get("X-WR-TIMEZONE")
        if hint is not None and reader.floating is None:
            reader.floating = reader.resolve_zone(str(hint))
            if reader.floating is not None:
                reader.floating_note = f"{hint} (the file's X-WR-TIMEZONE)"
            else:
                reader.warn(f"{where}: X-WR-TIMEZONE {str(hint)!r} is not a known zone; ignored")
    masters: dict[str, tuple[int, int, list[IcsEvent]]] = {}
    overrides: dict[str, dict[str, IcsEvent]] = {}
    for component, line in zip(vevents, scanned.event_lines, strict=True):
        uid, original, events = reader.event(component, line)
        if original is not None:
            overrides.setdefault(uid, {})[events[0].uid] = events[0]
            continue
        sequence = _sequence(component)
        if uid in masters:
            first_line, first_seq, _ = masters[uid]
            keep_new = sequence >= first_seq
            reader.warn(f"{where}:{line}: UID {uid[:60]!r} also used at line {first_line}; kept the one at line "
                        f"{line if keep_new else first_line} (higher SEQUENCE, or later in the file)")
            if not keep_new:
                continue
        masters[uid] = (line, sequence, events)
    for uid, (_, _, events) in masters.items():
        replaced = overrides.pop(uid, {})
        for event in events:
            reader.result.events.append(replaced.pop(event.uid, event))
        reader.result.events.extend(replaced.values())
    for extra in overrides.values():
        reader.result.events.extend(extra.values())
    reader.result.events.sort(key=lambda e: (e.line, e.first_day))
    return reader.result

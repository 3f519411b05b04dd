"""The times of an imported event, read as the file means them and checked.

A TZID is an IANA name, a Windows name as Outlook writes it ("Eastern Standard Time"), or a zone
only the file's own VTIMEZONE defines; a floating time is read in the file's X-WR-TIMEZONE (Google)
or else the team's zone; DTEND, DURATION or neither gives the end; every year must lie within
`MIN_YEAR`-`MAX_YEAR`. Each assumption is a warning, said once per file where it would repeat.
`parse._Reader` builds on `TimeReader` to read whole events.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from calendar_data.ical.scan import IcsError
from calendar_data.ical.timezones import MAX_YEAR, MIN_YEAR


class TimeReader:
    """One file's reading state for times: the team's zone, the file's zones, the warnings."""

    def __init__(self, where: str, zone: str, window: tuple[date, date]) -> None:
        self.where, self.zone, self.window = where, ZoneInfo(zone), window
        self.zone_name = zone
        self.warnings: list[str] = []
        """Every warning met reading the file, in order (`parse.ReadResult.warnings` is this list)."""
        self.floating: ZoneInfo | None = None
        self.floating_note = ""
        self.file_zones: set[str] = set()
        """TZIDs the file defines with a VTIMEZONE."""
        self.noted: set[str] = set()

    def warn(self, text: str, once: str = "") -> None:
        """Add a warning; with `once`, only the first of those sharing that key."""
        if once:
            if once in self.noted:
                return
            self.noted.add(once)
        self.warnings.append(text)

    def at(self, line: int, summary: str = "") -> str:
        """Where a message points: `file:line: VEVENT 'summary'`."""
        label = f" VEVENT {summary[:40]!r}" if summary else ""
        return f"{self.where}:{line}:{label}"

    def resolve_zone(self, tzid: str) -> ZoneInfo | None:
        """The zone a TZID names, as an IANA or a Windows name; None when it is neither."""
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
        """A DTSTART-like property as a date, or an aware date-time in the zone the file means."""
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

    def check_year(self, value: date, name: str, line: int, summary: str) -> None:
        """IcsError when `value` lies outside the years a calendar can hold."""
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise IcsError(
                f"{self.at(line, summary)} {name} {value.isoformat()} is outside {MIN_YEAR}-{MAX_YEAR}"
            )

    def end_of(self, component, start: date | datetime, line: int, summary: str) -> date | datetime:
        """The event's exclusive end from DTEND or DURATION (a day, or the start, when neither)."""
        if "DTEND" in component:
            end = self.moment(first_value(component, "DTEND"), "DTEND", line, summary)
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
            duration = getattr(first_value(component, "DURATION"), "dt", None)
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


def first_value(component, name: str, default=None):
    """A once-only property's value (ics_scan drops repeats; this holds even if one slips through)."""
    value = component.get(name, default)
    return value[0] if isinstance(value, list) and value else value

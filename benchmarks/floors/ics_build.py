"""Floor for export: the icalendar library building and serialising the same events by hand.

Usage: python ics_build.py EVENTS.json OUT.ics
EVENTS.json holds every event of carecal's own export as plain values (benchmarks.data.events_from_ics,
written before timing starts), so this program does only what no exporter can skip: one icalendar
Event per item with the same properties, typed (dates, times in their zone, lists, numbers), then
to_ical().
"""

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

TZID = "America/New_York"


def vtimezone() -> Timezone:
    zone = Timezone()
    zone.add("tzid", TZID)
    for kind, start, offsets, name, rule in (
        (
            TimezoneDaylight,
            datetime(2007, 3, 11, 2),
            (-5, -4),
            "EDT",
            "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        ),
        (
            TimezoneStandard,
            datetime(2007, 11, 4, 2),
            (-4, -5),
            "EST",
            "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        ),
    ):
        part = kind()
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        part.add("tzname", name)
        part.add("rrule", vRecur.from_ical(rule))
        zone.add_component(part)
    return zone


def main(events_path: str, out_path: str) -> None:
    events = json.loads(Path(events_path).read_text(encoding="utf-8"))
    zones: dict[str, ZoneInfo] = {}
    cal = Calendar()
    cal.add("prodid", "-//carecal benchmark floor//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "floor")
    cal.add_component(vtimezone())
    for props in events:
        event = Event()
        for name, kind, value, *zone in props:
            if kind == "datetime":
                tz = zone[0] if zone else None
                if tz and tz not in zones:
                    zones[tz] = ZoneInfo(tz)
                event.add(
                    name, datetime.fromisoformat(value).replace(tzinfo=zones[tz] if tz else None)
                )
            elif kind == "date":
                event.add(name, date.fromisoformat(value))
            else:  # text, list (CATEGORIES) and int values go in as they are
                event.add(name, value)
        cal.add_component(event)
    Path(out_path).write_bytes(cal.to_ical())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""Zones Outlook cannot express as one pair of yearly rules are exported in UTC (issue 14).

Outlook keeps one DAYLIGHT and one STANDARD rule per zone, each "the nth or last weekday of a month"
(`timezones.outlook_offset` reads a VTIMEZONE that way). Where tzdata needs more (Jerusalem's "Friday
before the last Sunday", Santiago's "Sunday on or after the 2nd", Gaza's and Casablanca's dated changes,
New York's 2007 law change inside the range), posts are written in UTC and every reader agrees.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from calendar_data.ical.export import calendar_bytes
from calendar_data.ical.timezones import onsets, outlook_can_express, outlook_offset
from calendar_data.models import AgendaItem, Post
from calendar_data.settings import Settings

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
HARD = [
    ("Asia/Jerusalem", 2027, 2028),
    ("America/Santiago", 2027, 2027),
    ("Asia/Gaza", 2027, 2027),
    ("Africa/Casablanca", 2027, 2027),
    ("America/New_York", 2005, 2007),
]
EASY = [
    ("America/New_York", 2027, 2028),
    ("Europe/London", 2027, 2027),
    ("Europe/Berlin", 2027, 2027),
    ("Australia/Sydney", 2027, 2028),
    ("Asia/Tokyo", 2027, 2027),
    ("Australia/Lord_Howe", 2027, 2027),
]


def _posts(first: int, last: int) -> list[AgendaItem]:
    """A 09:30 post every 9 days across the years (hitting both sides of every change)."""
    items, day, n = [], date(first, 1, 3), 1
    while day.year <= last:
        post = Post(title=f"Post {n}", day=day, time=time(9, 30), id=n, updated_at=NOW)
        items.append(AgendaItem("post", day, day, post.title, post=post))
        day, n = day + timedelta(days=9), n + 1
    return items


def _export(zone: str, first: int, last: int) -> tuple[list[AgendaItem], icalendar.Calendar]:
    items = _posts(first, last)
    data = calendar_bytes(items, settings=Settings(timezone=zone), name="t", now=NOW)
    return items, icalendar.Calendar.from_ical(data)


@pytest.mark.parametrize(("zone", "first", "last"), HARD)
def test_zones_outlook_cannot_express_are_written_in_utc_at_the_right_instant(zone, first, last):
    assert not outlook_can_express(onsets(zone, first, last))
    items, cal = _export(zone, first, last)
    assert cal.walk("VTIMEZONE") == []
    for item, event in zip(items, cal.walk("VEVENT"), strict=True):
        start = event["DTSTART"]
        assert start.to_ical().endswith(b"Z") and "TZID" not in start.params
        wall = datetime.combine(item.post.day, time(9, 30), tzinfo=ZoneInfo(zone))
        assert start.dt == wall.astimezone(UTC), (zone, item.post.day)


@pytest.mark.parametrize(("zone", "first", "last"), EASY)
def test_zones_outlook_can_express_keep_their_vtimezone_and_outlook_reads_it_right(
    zone, first, last
):
    found = onsets(zone, first, last)
    assert outlook_can_express(found)
    items, cal = _export(zone, first, last)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [zone]
    real = ZoneInfo(zone)
    for item in items:
        wall = datetime.combine(item.post.day, time(9, 30))
        assert outlook_offset(found, wall) == wall.replace(tzinfo=real).utcoffset(), (
            zone,
            item.post.day,
        )


def test_the_outlook_model_would_have_shown_the_hard_zones_wrong():
    """Why the UTC fallback exists: read as one rule pair, Jerusalem's rules miss real dates."""
    found = onsets("Asia/Jerusalem", 2027, 2027)
    assert any(o.rrule and "BYMONTHDAY" in o.rrule for o in found)
    assert len(onsets("America/New_York", 2005, 2007)) > 2

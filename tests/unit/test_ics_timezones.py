"""VTIMEZONEs from tzdata as yearly RRULEs (what Outlook reads), checked against zoneinfo itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from calendar_data.ical.export import vtimezone
from calendar_data.ical.timezones import is_utc, onsets, utc_offset

ZONES = [
    ("America/New_York", 2027, 2027),
    ("America/New_York", 2006, 2008),
    ("Europe/London", 2026, 2028),
    ("Europe/Dublin", 2027, 2027),
    ("Australia/Sydney", 2027, 2028),
    ("Australia/Lord_Howe", 2027, 2027),
    ("Pacific/Chatham", 2027, 2027),
    ("Asia/Jerusalem", 2026, 2029),
    ("Asia/Tokyo", 2027, 2027),
    ("America/Sao_Paulo", 2018, 2020),
    ("Asia/Tehran", 2021, 2023),
    ("Africa/Casablanca", 2027, 2027),
    ("America/Santiago", 2027, 2027),
    ("Europe/Berlin", 2027, 2027),
    ("America/Phoenix", 2027, 2027),
]


def test_new_york_is_two_yearly_rules_and_no_rdate():
    found = onsets("America/New_York", 2027, 2027)
    assert [(o.daylight, o.rrule, o.until) for o in found] == [
        (True, "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", None),
        (False, "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", None),
    ]
    assert found[0].start == datetime(2026, 3, 8, 2, 0)
    assert (found[0].offset_from, found[0].offset_to) == (timedelta(hours=-5), timedelta(hours=-4))
    text = vtimezone("America/New_York", 2027, 2027).to_ical().decode()
    assert "RDATE" not in text and text.count("RRULE:") == 2


def test_last_sunday_rules_use_minus_one():
    rules = {o.rrule for o in onsets("Europe/London", 2027, 2027)}
    assert rules == {"FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"}


@pytest.mark.parametrize(("tzid", "first", "last"), ZONES)
def test_a_yearly_rule_reader_gets_zoneinfo_offsets(tzid, first, last):
    """Expand the RRULEs the way Outlook and ical.js do and compare with zoneinfo, hour by hour sampled."""
    found = onsets(tzid, first, last)
    zone = ZoneInfo(tzid)
    moment = datetime(first, 1, 1, 0, 30)
    while moment.year <= last:
        expected = moment.replace(tzinfo=zone).utcoffset()
        folded = moment.replace(tzinfo=zone, fold=1).utcoffset()
        assert utc_offset(found, moment) in (expected, folded), (tzid, moment)
        moment += timedelta(hours=37)


@pytest.mark.parametrize(("tzid", "first", "last"), ZONES)
def test_icalendar_reads_our_vtimezone_like_zoneinfo(tzid, first, last):
    """icalendar's own VTIMEZONE reader (dateutil tzical) agrees with tzdata in the export years.

    The zone is renamed (uniquely: icalendar caches zones by TZID) so the reader cannot look it up.
    """
    component = vtimezone(tzid, first, last)
    text = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n"
        + component.to_ical()
        + b"END:VCALENDAR\r\n"
    ).replace(tzid.encode(), f"Test {tzid} {first}".encode())
    zone = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")[0].to_tz()
    real = ZoneInfo(tzid)
    for month in range(1, 13):
        for year in range(first, last + 1):
            moment = datetime(year, month, 15, 12, 0)
            assert (
                moment.replace(tzinfo=zone).utcoffset() == moment.replace(tzinfo=real).utcoffset()
            ), (tzid, moment)


def test_a_zone_without_daylight_saving_is_one_standard_block():
    [only] = onsets("Asia/Tokyo", 2027, 2027)
    assert not only.daylight and not only.rrule and only.offset_to == timedelta(hours=9)


def test_changed_laws_get_bounded_rules():
    found = onsets("America/New_York", 2006, 2008)
    old = [o for o in found if o.until]
    assert {o.rrule for o in old} == {
        "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU",
        "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    }
    assert all(o.until.year == 2006 for o in old)  # a day after the last 2006 onset


def test_unknown_zones_and_utc():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        onsets("Mars/Olympus", 2027, 2027)
    assert is_utc("UTC") and is_utc("Etc/UTC") and not is_utc("Europe/London")


def test_years_stay_inside_what_outlook_accepts():
    assert min(o.start for o in onsets("Europe/London", 1601, 1601)).year >= 1601

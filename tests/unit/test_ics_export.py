"""iCal export: golden files byte for byte, a round trip of every field, and two parsers that agree.

Set CARECAL_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change
(then read the diff: it is what Outlook will see).
"""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, date, datetime, timedelta, timezone

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_data.ical.export import (
    ExportSpec,
    calendar_bytes,
    count_events,
    export_bytes,
    write_export,
)
from calendar_data.ical.export_events import clean_category
from calendar_data.models import AgendaItem, Filters, Post, Status
from calendar_data.settings import Settings
from tests.ics_support import (
    CONSENT_REF,
    GOLDEN,
    NOW,
    SECRET_NOTE,
    TRICKY_BODY,
    TRICKY_TITLE,
    edit,
    fill_calendar,
    icalendar_occurrences,
    vobject_occurrences,
)

Q1 = ExportSpec(date(2027, 1, 1), date(2027, 3, 31), name="Q1 2027")


@pytest.fixture
def plan(db, small_list):
    return fill_calendar(db)


def _golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("CARECAL_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path} is missing: run with CARECAL_UPDATE_GOLDEN=1"
    assert data == path.read_bytes(), f"{name} differs from the golden file"


def _events(data: bytes) -> list:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# --- golden files --------------------------------------------------------------------------


def test_quarter_matches_golden_file(db, plan):
    _golden("q1-2027.ics", export_bytes(db, Q1, now=NOW))


def test_reminders_match_golden_file(db, plan):
    spec = ExportSpec(
        date(2027, 2, 1),
        date(2027, 2, 28),
        include=("observances",),
        alarm_days=14,
        name="Heart month reminders",
    )
    _golden("feb-2027-reminders.ics", export_bytes(db, spec, now=NOW))


def test_leap_year_february_matches_golden_file(db, small_list):
    data = export_bytes(
        db, ExportSpec(date(2028, 2, 1), date(2028, 2, 29), include=("observances",)), now=NOW
    )
    _golden("feb-2028-leap.ics", data)
    month = next(e for e in _events(data) if "american-heart-month" in str(e["UID"]))
    assert month["DTSTART"].dt == date(2028, 2, 1)
    assert month["DTEND"].dt == date(2028, 3, 1)  # exclusive: the 29th is inside


def test_range_across_a_year_end_matches_golden_file(db, small_list):
    data = export_bytes(
        db,
        ExportSpec(date(2027, 12, 20), date(2028, 1, 10), include=("observances", "holidays")),
        now=NOW,
    )
    _golden("year-end-2027.ics", data)
    winter = next(e for e in _events(data) if "winter-wellness" in str(e["UID"]))
    assert (winter["DTSTART"].dt, winter["DTEND"].dt) == (date(2027, 12, 25), date(2028, 1, 8))
    assert str(winter["UID"]) == "obs-winter-wellness-fortnight-2027@carecal"


def test_empty_feed_is_a_valid_calendar(db, small_list):
    spec = ExportSpec(date(2027, 6, 1), date(2027, 6, 2), include=("posts",), name="Nothing here")
    data = export_bytes(db, spec, now=NOW)
    _golden("empty.ics", data)
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["METHOD"] == "PUBLISH" and not _events(data)
    assert vobject_occurrences(data) == []


# --- structure that Outlook needs ----------------------------------------------------------


def test_file_shape_follows_the_outlook_rules(db, plan):
    data = export_bytes(db, Q1, now=NOW)
    assert data.count(b"BEGIN:VCALENDAR") == 1
    assert b"\n" not in data.replace(b"\r\n", b""), "every line ends in CRLF"
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a UTF-8 sequence
    text = data.decode()
    assert "RDATE" not in text
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"].startswith("-//carecal//")
    assert calendar["X-WR-CALNAME"] == "Q1 2027"
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    for event in _events(data):
        assert "DTEND" in event and "DTSTAMP" in event
        assert len(str(event["UID"]).encode()) < 200
        assert len(event.walk("VALARM")) <= 1
        start = event["DTSTART"].dt
        assert 1601 <= start.year <= 4500
        for category in event.get("CATEGORIES").cats:
            assert "," not in category and ";" not in category


def test_all_day_items_use_dates_with_exclusive_end(db, plan):
    data = export_bytes(db, Q1, now=NOW)
    for event in _events(data):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        if not isinstance(start, datetime):
            assert end > start
    text = data.decode()
    assert "DTSTART;VALUE=DATE:20270311" in text  # World Kidney Day 2027, second Thursday of March
    assert "DTEND;VALUE=DATE:20270312" in text


def test_timed_post_carries_tzid_and_an_rrule_zone(db, plan):
    text = export_bytes(db, ExportSpec(date(2027, 7, 1), date(2027, 7, 31)), now=NOW).decode()
    assert "DTSTART;TZID=America/New_York:20270715T093000" in text
    assert "DTEND;TZID=America/New_York:20270715T094500" in text
    zone = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in zone


def test_july_new_york_post_is_right_even_for_a_reader_that_only_knows_the_vtimezone(db, plan):
    """Rename the zone so no parser can look it up: the VTIMEZONE alone must give 13:30 UTC in July."""
    data = export_bytes(db, ExportSpec(date(2027, 1, 1), date(2027, 7, 31)), now=NOW)
    renamed = data.replace(b"America/New_York", b"Carecal Test Zone")
    expected = {
        "Summer safety tips": datetime(2027, 7, 15, 13, 30, tzinfo=UTC),
        TRICKY_TITLE: datetime(2027, 1, 15, 14, 30, tzinfo=UTC),
    }
    by_vobject = {
        s: datetime.fromisoformat(b) for _, b, _, s in vobject_occurrences(renamed) if s in expected
    }
    assert by_vobject == expected
    for event in _events(renamed):
        if str(event["SUMMARY"]) in expected:
            assert event["DTSTART"].dt.astimezone(UTC) == expected[str(event["SUMMARY"])]


# --- round trip ----------------------------------------------------------------------------


def test_round_trip_keeps_every_public_field(db, plan):
    data = export_bytes(db, Q1, now=NOW)
    flu = next(e for e in _events(data) if str(e["SUMMARY"]) == TRICKY_TITLE)
    post = plan["flu"]
    assert str(flu["UID"]) == f"post-{post.id}-0a1b2c3d4e5f@carecal"
    assert flu["DTSTAMP"].dt == NOW
    assert flu["LAST-MODIFIED"].dt == post.updated_at
    assert flu["SEQUENCE"] == 0
    assert flu["STATUS"] == "TENTATIVE"
    description = str(flu["DESCRIPTION"])
    assert description.startswith(TRICKY_BODY)
    for expected in (
        "Hashtags: #GetVaccinated #FluSeason",
        "Channels: facebook, instagram",
        "Status: draft",
        "Type: announcement",
        "Owner: Sam",
        "Sources: https://www.cdc.gov/flu/",
    ):
        assert expected in description
    assert flu.get("CATEGORIES").cats == ["Social post", "flu season", "vaccines"]
    heart = next(e for e in _events(data) if str(e["SUMMARY"]) == "Wear red Friday photo wall")
    assert "Campaign: Heart Month 2027" in str(heart["DESCRIPTION"])
    assert "Observance: national-wear-red-day" in str(heart["DESCRIPTION"])
    kidney = next(e for e in _events(data) if "world-kidney-day" in str(e["UID"]))
    assert "Hashtags: #WorldKidneyDay" in str(kidney["DESCRIPTION"])
    assert str(kidney["URL"]) == "https://www.worldkidneyday.org/"


def test_private_notes_and_consent_never_leave(db, plan):
    data = export_bytes(db, Q1, now=NOW)
    assert SECRET_NOTE.encode() not in data
    assert CONSENT_REF.encode() not in data
    assert b"consent" not in data.lower()


def test_tricky_text_survives_both_parsers(db, plan):
    data = export_bytes(db, Q1, now=NOW)
    import vobject

    parsed = vobject.readOne(data.decode())
    titles = [e.summary.value for e in parsed.vevent_list]
    assert TRICKY_TITLE in titles
    body = next(e.description.value for e in parsed.vevent_list if e.summary.value == TRICKY_TITLE)
    assert body.startswith(TRICKY_BODY)


def test_a_changed_post_moves_sequence_and_last_modified_but_keeps_its_uid(db, plan):
    before = next(
        e for e in _events(export_bytes(db, Q1, now=NOW)) if str(e["SUMMARY"]) == TRICKY_TITLE
    )
    edit(db, plan["flu"], title="Flu clinic moved")
    later = NOW + timedelta(days=1)
    after = next(
        e
        for e in _events(export_bytes(db, Q1, now=later))
        if str(e["SUMMARY"]) == "Flu clinic moved"
    )
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert after["DTSTAMP"].dt > before["DTSTAMP"].dt


def test_two_independent_parsers_agree_on_every_occurrence(db, plan):
    data = export_bytes(db, ExportSpec(date(2027, 1, 1), date(2027, 12, 31)), now=NOW)
    first, second = icalendar_occurrences(data), vobject_occurrences(data)
    assert first == second
    assert len(first) == count_events(db, ExportSpec(date(2027, 1, 1), date(2027, 12, 31)))


def test_observances_are_explicit_instances_not_open_rrules(db, small_list):
    data = export_bytes(
        db, ExportSpec(date(2027, 1, 1), date(2029, 12, 31), include=("observances",)), now=NOW
    )
    events = _events(data)
    assert not any("RRULE" in e for e in events)
    uids = [str(e["UID"]) for e in events if "world-kidney-day" in str(e["UID"])]
    assert uids == [f"obs-world-kidney-day-{y}@carecal" for y in (2027, 2028, 2029)]


def test_alarm_is_a_single_display_reminder_before_each_observance(db, small_list):
    spec = ExportSpec(date(2027, 3, 1), date(2027, 3, 31), include=("observances",), alarm_days=10)
    for event in _events(export_bytes(db, spec, now=NOW)):
        [alarm] = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY" and alarm["TRIGGER"].dt == -timedelta(days=10)


def test_filters_narrow_the_export(db, plan):
    spec = ExportSpec(
        date(2027, 1, 1), date(2027, 12, 31), include=("posts",), filters=Filters(tags=("summer",))
    )
    assert [str(e["SUMMARY"]) for e in _events(export_bytes(db, spec, now=NOW))] == [
        "Summer safety tips"
    ]
    spec = ExportSpec(
        date(2027, 1, 1),
        date(2027, 3, 31),
        include=("posts",),
        filters=Filters(campaign="Heart Month 2027"),
    )
    assert count_events(db, spec) == 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (ExportSpec(date(2027, 3, 1), date(2027, 1, 1)), "before"),
        (ExportSpec(date(1500, 1, 1), date(1500, 2, 1)), "1601"),
        (ExportSpec(date(2027, 1, 1), date(2040, 1, 1)), "ten years"),
        (ExportSpec(date(2027, 1, 1), date(2027, 2, 1), include=("meetings",)), "include"),
        (ExportSpec(date(2027, 1, 1), date(2027, 2, 1), alarm_days=900), "alarm"),
    ],
)
def test_bad_scopes_are_refused_with_a_named_field(db, small_list, spec, message):
    with pytest.raises(ValueError, match=message):
        export_bytes(db, spec, now=NOW)


def test_write_export_replaces_the_file_atomically(db, plan, tmp_path):
    target = tmp_path / "q1.ics"
    target.write_text("old")
    result = write_export(db, Q1, target, now=NOW)
    assert result.events == len(_events(target.read_bytes()))
    assert not list(tmp_path.glob("*.partial"))


def test_exports_are_written_owner_only_even_over_a_world_readable_file(db, plan, tmp_path):
    old_umask = os.umask(0o022)
    try:
        target = tmp_path / "q1.ics"
        target.write_text("old")
        target.chmod(0o644)
        write_export(db, Q1, target, now=NOW)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        write_export(db, Q1, tmp_path / "new.ics", now=NOW)
        assert stat.S_IMODE((tmp_path / "new.ics").stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
    assert not list(tmp_path.glob("*.partial"))


def test_category_names_lose_commas_and_semicolons():
    assert clean_category(" flu, season ; 2027 ") == "flu season 2027"


_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(_PRINTABLE, min_size=1, max_size=80).filter(lambda t: t.strip()),
    body=st.lists(st.text(_PRINTABLE, max_size=60), max_size=4).map("\n".join),
)
def test_any_text_survives_a_round_trip(title, body):
    title = " ".join(title.split()) or "x"
    post = Post(
        title=title,
        day=date(2027, 5, 5),
        body=body,
        id=1,
        status=Status.IDEA,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    data = calendar_bytes(
        [AgendaItem("post", post.day, post.day, title, post=post)],
        settings=Settings(),
        name="t",
        now=NOW,
    )
    [event] = _events(data)
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]).startswith(body.strip())


def test_control_characters_are_dropped_from_text():
    post = Post(title="Bell\x07 and tab\tok", day=date(2027, 5, 5), body="a\x00b\r\nc", id=1)
    data = calendar_bytes(
        [AgendaItem("post", post.day, post.day, post.title, post=post)],
        settings=Settings(),
        name="t",
        now=NOW,
    )
    [event] = _events(data)
    assert str(event["SUMMARY"]) == "Bell and tab\tok"
    assert str(event["DESCRIPTION"]).startswith("ab\nc")


def test_dtstamp_is_utc_whatever_zone_now_is_given_in(db, plan):
    eastern = NOW.astimezone(timezone(timedelta(hours=-5)))
    assert export_bytes(db, Q1, now=eastern) == export_bytes(db, Q1, now=NOW)
    assert re.search(rb"DTSTAMP:20261121T120000Z", export_bytes(db, Q1, now=NOW))

"""carecal -> carecal without loss (issue 14): export, import into a fresh calendar, export again.

The two exports must be identical apart from DTSTAMP, LAST-MODIFIED and CREATED (the moments the second
calendar wrote its copies); what an import cannot keep is named in `ImportPlan.dropped`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.ical.plan import import_ics
from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.posts import add_post, list_posts, update_post
from calendar_data.storage.database import open_db
from tests.ics_support import NOW, fill_calendar

TODAY = date(2026, 11, 21)
YEAR = ExportSpec(date(2027, 1, 1), date(2027, 12, 31), include=("posts",), include_blocked=True)
"""Whole posts: a post with a blocking finding is otherwise exported without its copy (held back), by design."""
_STAMPS = re.compile(rb"^(DTSTAMP|LAST-MODIFIED|CREATED)[:;].*\r\n", re.MULTILINE)
_DBS = count()


def _comparable(data: bytes) -> bytes:
    """The file unfolded, without the three stamps that record when a copy was written."""
    return _STAMPS.sub(b"", data.replace(b"\r\n ", b""))


def _fresh(tmp_path):
    return open_db(tmp_path / f"fresh-{next(_DBS)}.db")


def _round_trip(db, tmp_path) -> tuple[bytes, bytes, object]:
    first = export_bytes(db, YEAR, now=NOW)
    other = _fresh(tmp_path)
    try:
        plan = import_ics(other, first, where="own.ics", today=TODAY)
        second = export_bytes(other, YEAR, now=datetime(2026, 12, 1, tzinfo=UTC))
    finally:
        other.close()
    return first, second, plan


def test_the_demo_like_calendar_round_trips_identically(db, small_list, tmp_path):
    fill_calendar(db)
    first, second, plan = _round_trip(db, tmp_path)
    assert _comparable(first) == _comparable(second)
    assert plan.new_campaigns == ["Heart Month 2027"]


def test_rejected_and_archived_posts_survive_the_round_trip(db, small_list, tmp_path):
    add_post(db, Post(title="Turned down", day=date(2027, 3, 1), status=Status.REJECTED))
    add_post(db, Post(title="Old news", day=date(2027, 3, 2), status=Status.ARCHIVED))
    first, second, _plan = _round_trip(db, tmp_path)
    assert b"STATUS:CANCELLED" in first
    assert _comparable(first) == _comparable(second)


def test_a_missing_campaign_is_created_and_the_post_keeps_it(db, small_list, tmp_path):
    fill_calendar(db)
    data = export_bytes(db, YEAR, now=NOW)
    other = _fresh(tmp_path)
    plan = import_ics(other, data, where="own.ics", today=TODAY)
    assert any(
        "campaign 'Heart Month 2027' is new here; the import creates it" in w for w in plan.warnings
    )
    heart = next(p for p in list_posts(other) if p.title == "Wear red Friday photo wall")
    assert heart.campaign == "Heart Month 2027"
    other.close()


def test_duration_and_end_are_kept_and_exported_back(db, small_list, tmp_path):
    add_post(
        db, Post(title="Live Q&A", day=date(2027, 4, 7), time=time(12, 0), duration_minutes=90)
    )
    add_post(db, Post(title="Screening week", day=date(2027, 4, 12), duration_minutes=5 * 1440))
    first, second, _plan = _round_trip(db, tmp_path)
    assert b"DTEND;TZID=America/New_York:20270407T133000" in first
    assert b"DTEND;VALUE=DATE:20270417" in first
    assert _comparable(first) == _comparable(second)


def test_a_post_whose_copy_looks_like_html_keeps_it_word_for_word(db, small_list, tmp_path):
    add_post(
        db,
        Post(
            title="Markup tips",
            day=date(2027, 5, 4),
            body="Type <b>bold</b> and <a href=x>links</a>",
        ),
    )
    first, second, plan = _round_trip(db, tmp_path)
    assert _comparable(first) == _comparable(second)
    assert not any("HTML" in w for w in plan.warnings)


def test_what_a_post_cannot_hold_is_named_in_the_summary(db, small_list):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:l1\r\n"
        b"DTSTART;TZID=Europe/Berlin:20270110T150000\r\nDTEND;TZID=Europe/Berlin:20270110T160000\r\n"
        b"SUMMARY:Webinar\r\nLOCATION:Room 4\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\n"
        b"DESCRIPTION:soon\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    plan = import_ics(db, data, where="l.ics", today=TODAY)
    assert plan.dropped_line() == (
        "not kept: LOCATION (1 event); reminders (VALARM) (1 event); time zone "
        "Europe/Berlin (times converted to America/New_York) (1 event)"
    )
    post = list_posts(db)[0]
    assert (post.time, post.duration_minutes) == (time(9, 0), 60)


_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
_TITLE = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60)
    .map(str.strip)
    .filter(bool)
)
_POST = st.builds(
    Post,
    title=_TITLE,
    day=st.dates(date(2027, 1, 1), date(2027, 12, 31)),
    time=st.none() | st.times().map(lambda t: time(t.hour, t.minute)),
    body=st.lists(_TEXT, max_size=3).map("\n".join),
    status=st.sampled_from(
        [Status.IDEA, Status.DRAFT, Status.REVIEW, Status.REJECTED, Status.ARCHIVED]
    ),
    content_type=st.none() | st.sampled_from(ContentType),
    channels=st.lists(st.sampled_from(Channel), unique=True, max_size=3).map(tuple),
    owner=st.sampled_from(["", "Sam", "Dr. Ng"]),
    duration_minutes=st.none() | st.integers(1, 600),
    tags=st.lists(
        st.sampled_from(["vaccines", "flu season", "cardiology", "Mental Health"]),
        unique=True,
        max_size=2,
    ).map(tuple),
    hashtags=st.lists(
        st.sampled_from(["#FluSeason", "#GetVaccinated", "#Heart"]), unique=True, max_size=2
    ).map(tuple),
    sources=st.lists(
        st.sampled_from(["https://www.cdc.gov/flu/", "https://example.org/a?b=1"]),
        unique=True,
        max_size=2,
    ).map(tuple),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(posts=st.lists(st.tuples(_POST, st.integers(0, 2)), max_size=6))
def test_any_post_set_round_trips_identically(small_list, tmp_path, posts):
    db = _fresh(tmp_path)
    try:
        for post, edits in posts:
            saved = add_post(db, post)
            for n in range(edits):  # each edit bumps SEQUENCE, which the copy must keep
                saved = update_post(db, replace(saved, owner=f"editor {n}"))
        first, second, _plan = _round_trip(db, tmp_path)
    finally:
        db.close()
    assert _comparable(first) == _comparable(second)

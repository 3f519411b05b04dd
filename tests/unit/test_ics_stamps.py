"""SEQUENCE, LAST-MODIFIED and feed stamps move only when exported content changes (issue 14)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest

from calendar_data.campaigns import add_campaign
from calendar_data.ical.export import ExportSpec, export_bytes, export_items, export_notes
from calendar_data.ical.feeds import (
    Feed,
    FeedError,
    Scope,
    add_feed,
    content_state,
    default_feed_path,
)
from calendar_data.models import Campaign, Filters, Post
from calendar_data.posts import add_post, delete_post, get_post, update_post
from tests.ics_support import NOW, fill_calendar

TODAY = date(2026, 11, 21)
Q1 = ExportSpec(date(2027, 1, 1), date(2027, 3, 31))
LATER = datetime(2099, 11, 25, 9, 0, tzinfo=UTC)
"""Edits stamped later than anything fill_calendar logs (add_campaign stamps with the real clock)."""


def _event(data: bytes, title: str):
    return next(
        e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if str(e["SUMMARY"]) == title
    )


def test_editing_private_notes_changes_nothing_an_export_shows(db, small_list):
    saved = fill_calendar(db)
    before = export_bytes(db, Q1, now=NOW)
    edited = update_post(
        db, replace(saved["heart"], private_notes="call the family first"), now=LATER
    )
    assert (
        edited.sequence == saved["heart"].sequence + 1
    )  # the row version still moves (edit conflicts)
    assert edited.ical_sequence == saved["heart"].ical_sequence
    assert export_bytes(db, Q1, now=NOW) == before


def test_editing_what_is_exported_bumps_sequence_and_last_modified(db, small_list):
    saved = fill_calendar(db)
    update_post(db, replace(saved["heart"], title="Red Friday wall"), now=LATER)
    event = _event(export_bytes(db, Q1, now=NOW), "Red Friday wall")
    assert event["SEQUENCE"] == 1 and event["LAST-MODIFIED"].dt == LATER


def test_a_feed_keeps_its_stamp_and_etag_when_something_elsewhere_changes(db, small_list):
    saved = fill_calendar(db)
    feed = add_feed(
        db,
        Feed("Q1", Scope(date(2027, 1, 1), date(2027, 3, 31))),
        now=datetime(2026, 11, 2, tzinfo=UTC),
    )
    first = content_state(db, feed, TODAY)
    add_post(
        db, Post(title="Summer thing", day=date(2027, 8, 1)), now=LATER
    )  # outside the feed's dates
    update_post(db, replace(saved["july"], title="Moved title"), now=LATER)  # also outside
    update_post(
        db, replace(get_post(db, saved["flu"].id), private_notes="n"), now=LATER
    )  # not exported
    add_feed(db, Feed("Other", Scope(next_days=30)), now=LATER)  # another feed
    assert content_state(db, feed, TODAY) == first


@pytest.mark.parametrize("change", ["edit", "delete", "move-out", "campaign"])
def test_a_feed_stamp_and_etag_move_when_its_content_does(db, small_list, change):
    saved = fill_calendar(db)
    feed = add_feed(
        db,
        Feed("Q1", Scope(date(2027, 1, 1), date(2027, 3, 31))),
        now=datetime(2026, 11, 2, tzinfo=UTC),
    )
    first = content_state(db, feed, TODAY)
    flu = saved["flu"]
    if change == "edit":
        update_post(db, replace(flu, title="New"), now=LATER)
    elif change == "delete":
        delete_post(db, flu.id)
    elif change == "move-out":
        update_post(db, replace(flu, day=date(2027, 6, 1)), now=LATER)
    else:
        add_campaign(db, Campaign(name="Brand new"))
    after = content_state(db, feed, TODAY)
    assert after.etag != first.etag and after.stamp >= first.stamp


def test_post_and_observance_filters_narrow_their_own_kind(db, small_list):
    fill_calendar(db)
    spec = ExportSpec(
        date(2027, 1, 1),
        date(2027, 3, 31),
        filters=Filters(tags=("cardiology",), categories=("cardiovascular",)),
    )
    items = export_items(db, spec)
    kinds = {i.kind for i in items}
    assert [i.post.title for i in items if i.post] == ["Wear red Friday photo wall"]
    assert "observance" in kinds and "holiday" in kinds
    assert all(i.occurrence.observance.category == "cardiovascular" for i in items if i.occurrence)


def test_an_unknown_campaign_filter_is_a_note(db, small_list):
    fill_calendar(db)
    spec = ExportSpec(date(2027, 1, 1), date(2027, 3, 31), filters=Filters(campaign="No such"))
    assert export_notes(db, spec) == [
        "campaign: no campaign named 'No such'; the file holds no posts (see carecal campaigns)"
    ]
    assert not [i for i in export_items(db, spec) if i.post]


def test_feed_names_that_slug_alike_get_numbered_files_and_a_clash_is_refused(
    db, small_list, tmp_path
):
    first = add_feed(
        db,
        Feed(
            "Team feed", Scope(next_days=30), path=str(default_feed_path(db, tmp_path, "Team feed"))
        ),
    )
    second_path = default_feed_path(db, tmp_path, "team-feed!")
    assert first.path.endswith("team-feed.ics") and second_path.name == "team-feed-2.ics"
    with pytest.raises(
        FeedError, match=r"^output: .*team-feed.ics is already the file of feed 'Team feed'"
    ):
        add_feed(db, Feed("team-feed!", Scope(next_days=30), path=first.path))


def test_a_post_duration_goes_out_as_its_end(db, small_list):
    add_post(db, Post(title="Live", day=date(2027, 2, 3), time=time(12, 0), duration_minutes=45))
    event = _event(export_bytes(db, Q1, now=NOW), "Live")
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=45)


def test_rebuilding_an_unchanged_feed_writes_the_same_bytes(db, small_list, tmp_path):
    from calendar_data.ical.feeds import build_feed

    fill_calendar(db)
    feed = add_feed(
        db, Feed("Q1", Scope(date(2027, 1, 1), date(2027, 3, 31)), path=str(tmp_path / "q1.ics"))
    )
    build_feed(db, feed, today=TODAY)
    first = (tmp_path / "q1.ics").read_bytes()
    add_post(db, Post(title="Elsewhere", day=date(2027, 9, 1)), now=LATER)
    build_feed(db, feed, today=TODAY)
    assert (tmp_path / "q1.ics").read_bytes() == first

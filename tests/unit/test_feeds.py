"""Saved feeds: stored scope and filters, secret tokens, relative scopes, building files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from calendar_data.ical.feeds import (
    Feed,
    FeedError,
    Scope,
    add_feed,
    build_feed,
    content_stamp,
    feed_by_token,
    feed_bytes,
    get_feed,
    list_feeds,
    remove_feed,
    rotate_token,
)
from calendar_data.models import Channel, Filters, Status
from calendar_data.posts import update_post
from tests.ics_support import NOW, fill_calendar

TODAY = date(2026, 11, 21)


def test_a_feed_keeps_its_scope_and_filters(db, small_list, tmp_path):
    filters = Filters(
        tags=("cardiology",),
        channels=(Channel.INSTAGRAM,),
        statuses=(Status.IDEA,),
        campaign="Heart Month 2027",
        categories=("cardiovascular",),
        regions=("US",),
        text="red",
    )
    saved = add_feed(
        db,
        Feed(
            "Cardiology team",
            Scope(date(2027, 1, 1), date(2027, 3, 31)),
            include=("posts", "observances"),
            filters=filters,
            alarm_days=7,
            path=str(tmp_path / "cardio.ics"),
        ),
    )
    again = get_feed(db, "cardiology TEAM")
    assert again == saved
    assert (
        again.filters == filters
        and again.include == ("posts", "observances")
        and again.alarm_days == 7
    )
    assert len(again.token) == 32 and again.url_path == f"/feeds/{again.token}.ics"
    assert [f.name for f in list_feeds(db)] == ["Cardiology team"]


def test_names_are_unique_and_scopes_checked(db, small_list):
    add_feed(db, Feed("Q1", Scope(date(2027, 1, 1), date(2027, 3, 31))))
    with pytest.raises(FeedError, match="already exists"):
        add_feed(db, Feed("q1", Scope(date(2027, 1, 1), date(2027, 3, 31))))
    with pytest.raises(ValueError, match="before"):
        add_feed(db, Feed("Backwards", Scope(date(2027, 3, 1), date(2027, 1, 1))))
    with pytest.raises(FeedError, match="scope"):
        add_feed(db, Feed("Nothing", Scope()))
    with pytest.raises(FeedError, match="name"):
        add_feed(db, Feed("   ", Scope(next_days=30)))


def test_a_relative_scope_moves_with_today(db, small_list):
    feed = add_feed(db, Feed("Next 90 days", Scope(next_days=90, past_days=7)))
    assert feed.scope.resolve(TODAY) == (date(2026, 11, 14), date(2027, 2, 19))
    assert feed.spec(date(2027, 1, 1)).start == date(2026, 12, 25)
    assert feed.scope.describe() == "next 90 days, past 7 days"


def test_tokens_find_feeds_and_rotate(db, small_list):
    feed = add_feed(
        db,
        Feed(
            "Hashtag holidays 2027",
            Scope(date(2027, 1, 1), date(2027, 12, 31)),
            include=("observances",),
        ),
    )
    assert feed_by_token(db, feed.token).name == feed.name
    assert feed_by_token(db, "x" * 32) is None and feed_by_token(db, "../../etc/passwd") is None
    rotated = rotate_token(db, feed.name)
    assert rotated.token != feed.token and feed_by_token(db, feed.token) is None
    remove_feed(db, feed.name)
    assert feed_by_token(db, rotated.token) is None
    with pytest.raises(FeedError, match="no feed named"):
        get_feed(db, feed.name)


def test_build_writes_the_feed_file(db, small_list, tmp_path):
    fill_calendar(db)
    feed = add_feed(
        db,
        Feed(
            "Q1 campaigns for Outlook",
            Scope(date(2027, 1, 1), date(2027, 3, 31)),
            include=("posts",),
            filters=Filters(campaign="Heart Month 2027"),
            path=str(tmp_path / "out" / "q1.ics"),
        ),
    )
    result = build_feed(db, feed, today=TODAY, now=NOW)
    calendar = icalendar.Calendar.from_ical(result.path.read_bytes())
    assert calendar["X-WR-CALNAME"] == "Q1 campaigns for Outlook"
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Wear red Friday photo wall"]
    assert result.events == 1


def test_a_feed_without_a_file_cannot_be_built(db, small_list):
    feed = add_feed(db, Feed("Served only", Scope(next_days=30)))
    with pytest.raises(FeedError, match="has no file"):
        build_feed(db, feed, today=TODAY, now=NOW)


def test_content_stamp_and_bytes_are_stable_until_something_changes(db, small_list):
    saved = fill_calendar(db)
    feed = add_feed(
        db,
        Feed("All", Scope(date(2027, 1, 1), date(2027, 3, 31))),
        now=datetime(2026, 11, 2, tzinfo=UTC),
    )
    stamp = content_stamp(db, feed, TODAY)
    first = feed_bytes(db, feed, today=TODAY, now=stamp)
    assert feed_bytes(db, feed, today=TODAY, now=content_stamp(db, feed, TODAY)) == first
    update_post(db, replace(saved["flu"], title="Changed"), now=stamp + timedelta(hours=1))
    later = content_stamp(db, feed, TODAY)
    assert later > stamp
    assert feed_bytes(db, feed, today=TODAY, now=later) != first


def test_a_relative_feeds_stamp_moves_each_day(db, small_list):
    feed = add_feed(db, Feed("Rolling", Scope(next_days=30)), now=datetime(2026, 1, 1, tzinfo=UTC))
    assert content_stamp(db, feed, date(2026, 11, 22)) > content_stamp(db, feed, date(2026, 11, 21))

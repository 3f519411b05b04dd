"""The quick-add line parser: tokens, defaults, and a message naming any token it cannot read."""

from __future__ import annotations

from datetime import date, time

import pytest

from calendar_data.models import Channel, Post, Status
from calendar_data.post_summaries import last_used_channels
from calendar_data.posts import add_post
from calendar_data.quick_add import QuickAddError, parse_quick_add

DAY = date(2027, 2, 10)


def test_the_example_line():
    result = parse_quick_add("Wear Red Day 2027-02-05 09:30 #heart @instagram @x", day=DAY)
    post = result.post
    assert (post.title, post.day, post.time) == ("Wear Red Day", date(2027, 2, 5), time(9, 30))
    assert post.channels == (Channel.INSTAGRAM, Channel.X) and post.tags == ("heart",)
    assert post.status is Status.IDEA and result.defaulted == ()


def test_defaults_fill_the_day_and_channels():
    result = parse_quick_add("Flu clinic reminder", day=DAY, channels=(Channel.FACEBOOK,))
    assert (result.post.day, result.post.channels, result.post.time) == (
        DAY,
        (Channel.FACEBOOK,),
        None,
    )
    assert result.defaulted == ("date", "channels")


def test_short_codes_status_campaign_and_month_day():
    post = parse_quick_add(
        "Go red 02-14 7:05 @FB @li !draft +heartmonth",
        day=DAY,
        campaigns=("Heart Month", "Flu Season"),
    ).post
    assert (post.day, post.time, post.channels) == (
        date(2027, 2, 14),
        time(7, 5),
        (Channel.FACEBOOK, Channel.LINKEDIN),
    )
    assert (post.status, post.campaign) == (Status.DRAFT, "Heart Month")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Wear red @fb2", "@fb2: not a channel"),
        ("Wear red 2027-02-30", "2027-02-30: not a date"),
        ("Wear red 25:00", "25:00: not a time"),
        ("Wear red !done", "!done: not a status"),
        ("Wear red +Nope", r"\+Nope: no such campaign"),
        ("2027-02-05 @x", "title: the line needs some words"),
        ("", "title:"),
    ],
)
def test_a_token_it_cannot_read_is_named(line, message):
    with pytest.raises(QuickAddError, match=message):
        parse_quick_add(line, day=DAY)


def test_last_used_channels_come_from_the_newest_post(db):
    assert last_used_channels(db) == ()
    add_post(db, Post(title="a", day=DAY, channels=(Channel.X,)))
    add_post(db, Post(title="b", day=DAY, channels=(Channel.INSTAGRAM, Channel.FACEBOOK)))
    add_post(db, Post(title="c", day=DAY))
    assert set(last_used_channels(db)) == {Channel.INSTAGRAM, Channel.FACEBOOK}

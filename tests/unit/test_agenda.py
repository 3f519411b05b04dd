"""The merged agenda: posts, observances and holidays, with filters, stars and mutes."""

from __future__ import annotations

from datetime import date

import pytest

from calendar_data.agenda import agenda, by_day, upcoming, weekly_post_counts
from calendar_data.models import Channel, Filters, Post, Status
from calendar_data.observances import add_custom_observance, set_preference
from calendar_data.posts import add_post
from calendar_data.settings import Settings

pytestmark = pytest.mark.usefixtures("small_list")
US = Settings(country="US", regions=("global", "US"))


def titles(items):
    return [(i.kind, i.start.isoformat(), i.title) for i in items]


def test_february_merges_all_three_kinds_in_order(db):
    add_post(db, Post(title="Wear red!", day=date(2027, 2, 5), channels=(Channel.X,)))
    items = agenda(db, date(2027, 2, 1), date(2027, 2, 28), settings=US)
    assert titles(items) == [
        ("observance", "2027-02-01", "American Heart Month"),
        ("observance", "2027-02-05", "National Wear Red Day"),
        ("post", "2027-02-05", "Wear red!"),
        ("holiday", "2027-02-15", "Washington's Birthday"),
    ]


def test_occurrence_started_last_year_overlaps(db):
    items = agenda(db, date(2027, 1, 1), date(2027, 1, 3), settings=US, include=("observances",))
    assert titles(items) == [("observance", "2026-12-25", "Winter Wellness Fortnight")]


def test_regions_and_categories(db):
    uk = Settings(country="GB", regions=("global", "UK"))
    october = agenda(
        db, date(2026, 10, 1), date(2026, 10, 31), settings=uk, include=("observances",)
    )
    assert [i.title for i in october] == ["Stoptober"]
    us_oct = agenda(
        db, date(2026, 10, 1), date(2026, 10, 31), settings=US, include=("observances",)
    )
    assert us_oct == []
    kidney = agenda(
        db,
        date(2026, 1, 1),
        date(2026, 12, 31),
        settings=US,
        filters=Filters(categories=("kidney",)),
    )
    assert [i.title for i in kidney] == ["World Kidney Day"]  # no holidays under a category filter


def test_holidays_follow_country_and_subdivision(db):
    def names(s):
        return {
            i.title
            for i in agenda(
                db, date(2027, 1, 1), date(2027, 12, 31), settings=s, include=("holidays",)
            )
        }

    assert "Independence Day" in names(US)
    assert "Boxing Day" in names(Settings(country="GB", subdivision="ENG"))
    assert "Independence Day" not in names(Settings(country="GB"))


def test_muted_hidden_starred_marked(db):
    set_preference(db, "world-kidney-day", starred=True)
    set_preference(db, "american-heart-month", muted=True)
    items = agenda(db, date(2027, 2, 1), date(2027, 3, 31), settings=US, include=("observances",))
    assert "American Heart Month" not in [i.title for i in items]
    kidney = next(i for i in items if i.title == "World Kidney Day")
    assert kidney.starred


def test_post_filters_narrow_posts_only(db):
    add_post(db, Post(title="A", day=date(2027, 2, 3), tags=("heart",), status=Status.DRAFT))
    add_post(db, Post(title="B", day=date(2027, 2, 4), tags=("flu",)))
    items = agenda(
        db, date(2027, 2, 1), date(2027, 2, 28), settings=US, filters=Filters(tags=("heart",))
    )
    assert [i.title for i in items if i.kind == "post"] == ["A"]
    assert any(i.kind == "observance" for i in items)
    text = agenda(
        db, date(2027, 2, 1), date(2027, 2, 28), settings=US, filters=Filters(text="wear red")
    )
    assert [i.title for i in text] == ["National Wear Red Day"]


def test_custom_observance_joins_the_agenda(db):
    add_custom_observance(
        db,
        {
            "id": "founders-day",
            "name": "Riverside Founders Day",
            "kind": "day",
            "rule": {"date": "03-03"},
            "category": "general-wellness",
            "regions": ["US"],
            "hashtags": ["#RiversideAt100"],
            "organisation": "Riverside Health",
            "source": "https://riverside.example/",
        },
    )
    items = agenda(db, date(2027, 3, 3), date(2027, 3, 3), settings=US)
    assert [(i.title, i.occurrence.observance.custom) for i in items] == [
        ("Riverside Founders Day", True)
    ]


def test_upcoming_counts_days_and_includes_running(db):
    found = upcoming(db, date(2027, 2, 3), 10, settings=US)
    assert [(u.occurrence.observance.id, u.days_until) for u in found] == [
        ("american-heart-month", 0),
        ("national-wear-red-day", 2),
    ]


def test_by_day_spreads_spans_and_clips(db):
    items = agenda(db, date(2027, 2, 1), date(2027, 2, 3), settings=US, include=("observances",))
    days = by_day(items, date(2027, 2, 2), date(2027, 2, 3))
    assert sorted(days) == [date(2027, 2, 2), date(2027, 2, 3)]


def test_weekly_counts_show_empty_weeks(db):
    add_post(db, Post(title="A", day=date(2027, 2, 3)))
    counts = weekly_post_counts(db, date(2027, 2, 1), date(2027, 2, 28), first_weekday=6)
    assert counts[date(2027, 1, 31)] == 1 and counts[date(2027, 2, 7)] == 0


def test_unknown_include_is_refused(db):
    with pytest.raises(ValueError, match="include"):
        agenda(db, date(2027, 1, 1), date(2027, 1, 2), include=("tweets",))


def test_needs_attention_filter_keeps_flagged_posts(db):
    from calendar_data.filter_query import format_filter, parse_filter

    add_post(db, Post(title="Clean", day=date(2027, 2, 3), body="Wear red on Friday!"))
    add_post(
        db, Post(title="Leaky", day=date(2027, 2, 4), body="Call Maria at 555-201-3344 to RSVP")
    )
    filters = parse_filter("is:attention")
    assert filters.attention and format_filter(filters) == "is:attention"
    items = agenda(
        db,
        date(2027, 2, 1),
        date(2027, 2, 28),
        settings=US,
        filters=filters,
        include=("posts",),
        today=date(2027, 1, 15),
    )
    assert [i.title for i in items] == ["Leaky"]
    with pytest.raises(ValueError, match="today"):
        agenda(db, date(2027, 2, 1), date(2027, 2, 28), settings=US, filters=filters)

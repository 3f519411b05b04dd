"""The planning layer behind the screens: month layouts, quarters, the awareness table, the filter
language, form values and campaign assignment. Plain pytest, no Textual."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendar_data.agenda import agenda
from calendar_data.campaigns import add_campaign, get_campaign
from calendar_data.filter_query import (
    FilterError,
    complete_filter,
    describe_filter,
    filter_vocabulary,
    format_filter,
    parse_filter,
)
from calendar_data.form_values import (
    channel_counts,
    parse_day,
    parse_goto_date,
    parse_time,
    post_length,
    split_list,
)
from calendar_data.models import Campaign, Channel, Filters, Post, Status
from calendar_data.observances import find_observance, set_preference
from calendar_data.planning import (
    add_months,
    assign_posts,
    assignable_posts,
    grid_start,
    month_layout,
    observance_rows,
    plan_post,
    quarter_summary,
    set_campaign_archived,
    weeks_in_grid,
)
from calendar_data.posts import add_post, list_posts
from calendar_data.settings import Settings
from calendar_data.tags import split_tags

pytestmark = pytest.mark.usefixtures("small_list")
US = Settings(country="US", regions=("global", "US"))
TODAY = date(2026, 11, 21)


# --- the month grid ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "first_weekday", "start", "weeks"),
    [
        (date(2026, 11, 21), 6, date(2026, 11, 1), 5),  # Nov 1 2026 is a Sunday
        (date(2026, 11, 21), 0, date(2026, 10, 26), 6),  # Monday-first: six rows
        (
            date(2027, 2, 10),
            0,
            date(2027, 2, 1),
            4,
        ),  # Feb 2027 starts on a Monday: four rows exactly
        (date(2026, 8, 31), 6, date(2026, 7, 26), 6),
    ],
)
def test_grid_start_and_weeks(day, first_weekday, start, weeks):
    assert grid_start(day, first_weekday) == start
    assert weeks_in_grid(day, first_weekday) == weeks


def test_add_months_clamps_to_short_months():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_month_long_observances_are_the_band_not_repeated_in_cells(db):
    start = grid_start(date(2027, 2, 1), 6)
    items = agenda(
        db, start, start.replace(day=start.day) + (date(2027, 3, 13) - start), settings=US
    )
    layout = month_layout(items, date(2027, 2, 1), 6)
    assert [i.title for i in layout.band] == ["American Heart Month"]
    for lines in layout.cells.values():
        assert "American Heart Month" not in [line.item.title for line in lines if line.item]
    wear_red = layout.cells[date(2027, 2, 5)]
    assert [(line.item.title, line.band) for line in wear_red] == [("National Wear Red Day", False)]


def test_multi_day_observances_keep_one_lane_across_the_week(db):
    start = grid_start(date(2026, 12, 1), 6)
    items = agenda(db, start, date(2027, 1, 9), settings=US)
    layout = month_layout(items, date(2026, 12, 1), 6)
    christmas = layout.cells[date(2026, 12, 25)]
    assert [(line.item.title, line.band, line.label) for line in christmas] == [
        ("Winter Wellness Fortnight", True, True),
        ("Christmas Day", False, True),
    ]
    boxing = layout.cells[date(2026, 12, 26)]
    assert [(line.item.title, line.label) for line in boxing] == [
        ("Winter Wellness Fortnight", False)
    ]
    new_week = layout.cells[date(2026, 12, 27)]  # a Sunday: the band is labelled again
    assert new_week[0].band and new_week[0].label


def test_overlapping_bars_take_separate_lanes_and_gaps_are_kept():
    from calendar_data.models import AgendaItem, Kind, Observance, Occurrence
    from calendar_data.recurrence import FixedDay

    def bar(name, start, end):
        obs = Observance(
            id=name.lower(),
            name=name,
            kind=Kind.WEEK,
            rule=FixedDay(1, 1),
            category="cancer",
            regions=("US",),
        )
        return AgendaItem("observance", start, end, name, occurrence=Occurrence(obs, start, end))

    first = bar("A", date(2026, 11, 2), date(2026, 11, 4))
    second = bar("B", date(2026, 11, 3), date(2026, 11, 6))
    layout = month_layout([first, second], date(2026, 11, 1), 6)
    assert [line.item.title for line in layout.cells[date(2026, 11, 3)]] == ["A", "B"]
    five = layout.cells[date(2026, 11, 5)]
    assert [line.item.title if line.item else None for line in five] == [
        None,
        "B",
    ]  # B stays in lane 2


def test_layout_lists_posts_by_time_after_observances(db):
    add_post(db, Post(title="Late", day=TODAY, time=time(17, 0)))
    add_post(db, Post(title="Early", day=TODAY, time=time(8, 0)))
    add_post(db, Post(title="Anytime", day=TODAY))
    start = grid_start(TODAY, 6)
    layout = month_layout(agenda(db, start, date(2026, 12, 12), settings=US), TODAY, 6)
    assert [p.title for p in layout.posts_on(TODAY)] == ["Anytime", "Early", "Late"]


# --- quarters (the arithmetic itself: tests/unit/test_quarters.py) ---------------------------


def test_quarter_summary_counts_days_weeks_and_gaps(db):
    add_campaign(db, Campaign(name="Winter", start=date(2026, 12, 1), end=date(2027, 1, 15)))
    add_campaign(db, Campaign(name="Spring", start=date(2027, 3, 1), end=date(2027, 4, 30)))
    for day in (date(2026, 11, 19), date(2026, 11, 21), date(2026, 11, 21), date(2026, 12, 30)):
        add_post(db, Post(title="p", day=day, tags=("t",)))
    add_post(db, Post(title="next quarter", day=date(2027, 1, 2)))
    q = quarter_summary(db, 2026, 4, settings=US)
    assert q.label == "Q4 2026" and (q.start, q.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert q.weeks[0] == date(2026, 9, 27) and q.weeks[-1] == date(2026, 12, 27)
    assert q.day_counts == {date(2026, 11, 19): 1, date(2026, 11, 21): 2, date(2026, 12, 30): 1}
    assert q.week_counts[date(2026, 11, 15)] == 3 and q.week_counts[date(2026, 12, 27)] == 1
    assert q.total_posts == 4
    assert len(q.empty_weeks) == len(q.weeks) - 2
    assert [c.name for c in q.campaigns] == ["Winter"]
    assert "Thanksgiving Day" in [h.title for h in q.holidays]
    filtered = quarter_summary(db, 2026, 4, settings=US, filters=Filters(campaign="Nope"))
    assert filtered.total_posts == 0 and filtered.campaigns == ()


def test_quarter_lists_starred_observances_first(db):
    set_preference(db, "winter-wellness-fortnight", starred=True)
    q = quarter_summary(db, 2026, 4, settings=US)
    assert [i.title for i in q.observances] == [
        "Winter Wellness Fortnight",
        "Great American Smokeout",
    ]


# --- the awareness table ----------------------------------------------------------------------------


def test_observance_rows_soonest_first_with_stars_and_mutes(db):
    set_preference(db, "world-kidney-day", starred=True)
    set_preference(db, "american-heart-month", muted=True)
    rows = observance_rows(db, TODAY, settings=US)
    assert [r.observance.id for r in rows][:4] == [
        "winter-wellness-fortnight",
        "american-heart-month",
        "national-wear-red-day",
        "world-kidney-day",
    ]
    assert rows[0].days_until == 34 and rows[0].next.start == date(2026, 12, 25)
    by_id = {r.observance.id: r for r in rows}
    assert by_id["world-kidney-day"].starred and by_id["american-heart-month"].muted
    assert "stoptober" not in by_id  # UK: not the team's regions


def test_observance_rows_filters(db):
    assert [r.observance.id for r in observance_rows(db, TODAY, region="UK", settings=US)] == [
        "stoptober"
    ]
    assert "stoptober" in [
        r.observance.id for r in observance_rows(db, TODAY, region="*", settings=US)
    ]
    assert [
        r.observance.id for r in observance_rows(db, TODAY, category="kidney", settings=US)
    ] == ["world-kidney-day"]
    assert [r.observance.id for r in observance_rows(db, TODAY, text="#vaccines", settings=US)] == [
        "world-immunization-week"
    ]
    feb = observance_rows(db, TODAY, month=2, settings=US)
    assert [r.observance.id for r in feb] == ["american-heart-month", "national-wear-red-day"]
    january = observance_rows(db, TODAY, month=1, settings=US)  # Dec 25 - Jan 7 touches January
    assert [r.observance.id for r in january] == ["winter-wellness-fortnight"]


def test_an_ongoing_observance_counts_as_now(db):
    rows = observance_rows(db, date(2027, 2, 10), settings=US)
    heart = next(r for r in rows if r.observance.id == "american-heart-month")
    assert heart.days_until == 0 and heart.next.start == date(2027, 2, 1)


def test_plan_post_prefills_date_hashtags_and_link(db):
    obs = find_observance(db, "american-heart-month")
    settings = Settings(org_hashtags=("#RiversideHealth",))
    rows = {r.observance.id: r for r in observance_rows(db, TODAY, settings=US)}
    post = plan_post(obs, rows["american-heart-month"].next, TODAY, settings)
    assert (post.title, post.day, post.observance_id, post.status) == (
        "American Heart Month",
        date(2027, 2, 1),
        "american-heart-month",
        Status.IDEA,
    )
    assert post.hashtags == ("#AmericanHeartMonth", "#RiversideHealth")
    assert post.sources == ("https://www.heart.org/",)
    running = plan_post(obs, rows["american-heart-month"].next, date(2027, 2, 10))
    assert running.day == date(2027, 2, 10)  # already running: plan from today
    assert add_post(db, post).id is not None  # what the editor returns saves as is


# --- campaigns ------------------------------------------------------------------------------------


def test_assign_posts_makes_exactly_these_the_campaigns_posts(db):
    add_campaign(db, Campaign(name="Flu", start=date(2026, 11, 1), end=date(2026, 12, 31)))
    a = add_post(db, Post(title="a", day=date(2026, 11, 2), campaign="Flu"))
    b = add_post(db, Post(title="b", day=date(2026, 11, 3)))
    c = add_post(db, Post(title="c", day=date(2027, 6, 1)))
    assert [p.id for p in assignable_posts(db, get_campaign(db, "Flu"))] == [a.id, b.id]
    assert assign_posts(db, "flu", {b.id, c.id}) == 3
    assert sorted(p.title for p in list_posts(db, filters=Filters(campaign="Flu"))) == ["b", "c"]
    assert assign_posts(db, "Flu", {b.id, c.id}) == 0
    with pytest.raises(ValueError, match="no campaign"):
        assign_posts(db, "Nope", set())


def test_archive_and_restore_a_campaign(db):
    add_campaign(db, Campaign(name="Old"))
    assert set_campaign_archived(db, "Old", True).archived
    assert not set_campaign_archived(db, "old", False).archived


# --- the filter language ---------------------------------------------------------------------------


def test_parse_filter_reads_words_and_terms():
    filters = parse_filter(
        "flu shot tag:vaccines TAG:#staff channel:Instagram status:draft "
        'campaign:"Heart Month" category:cancer region:us'
    )
    assert filters == Filters(
        text="flu shot",
        tags=("vaccines", "staff"),
        channels=(Channel.INSTAGRAM,),
        statuses=(Status.DRAFT,),
        campaign="Heart Month",
        categories=("cancer",),
        regions=("US",),
    )
    assert parse_filter("") == Filters()
    assert parse_filter("see https://cdc.gov 10:30").text == "see https://cdc.gov 10:30"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("chanel:x", "unknown filter key 'chanel'"),
        ("channel:myspace", "channel must be one of"),
        ("status:done", "status must be one of"),
        ("tag:", "needs a value"),
        ('campaign:"open', "quote is not closed"),
        ("campaign:a campaign:b", "one campaign at a time"),
    ],
)
def test_parse_filter_names_the_bad_term(text, message):
    with pytest.raises(FilterError, match=message):
        parse_filter(text)


@given(
    st.builds(
        Filters,
        text=st.sampled_from(["", "flu", "flu shot"]),
        tags=st.lists(
            st.sampled_from(["vaccines", "staff", "two words", "a'b"]), unique=True, max_size=3
        ).map(tuple),
        channels=st.lists(st.sampled_from(list(Channel)), unique=True, max_size=3).map(tuple),
        statuses=st.lists(st.sampled_from(list(Status)), unique=True, max_size=2).map(tuple),
        campaign=st.sampled_from([None, "Flu", "Heart Month"]),
        categories=st.lists(st.sampled_from(["cancer", "kidney"]), unique=True, max_size=2).map(
            tuple
        ),
        regions=st.lists(st.sampled_from(["US", "UK", "global"]), unique=True, max_size=2).map(
            tuple
        ),
    )
)
def test_format_and_parse_round_trip(filters):
    assert parse_filter(format_filter(filters)) == filters


def test_completion_offers_keys_then_values():
    vocabulary = filter_vocabulary(["vaccines", "staff"], ["Heart Month"])
    assert complete_filter("ch", vocabulary) == "channel:"
    assert complete_filter("flu channel:in", vocabulary) == "flu channel:instagram"
    assert complete_filter("tag:va", vocabulary) == "tag:vaccines"
    assert complete_filter("campaign:he", vocabulary) == 'campaign:"Heart Month"'
    assert complete_filter("status:dr", vocabulary) == "status:draft"
    assert complete_filter("tag:vaccines", vocabulary) is None
    assert complete_filter("flu ", vocabulary) is None
    assert complete_filter("c", vocabulary) is None  # one letter is too little to guess


def test_describe_filter_is_short():
    assert describe_filter(parse_filter("flu tag:vaccines channel:x")) == "“flu” · tag vaccines · x"


# --- form values -------------------------------------------------------------------------------------


def test_parse_day_time_and_lists():
    assert parse_day(" 2027-03-11 ") == date(2027, 3, 11)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("11/03/2027")
    assert parse_time("") is None and parse_time("09:30") == time(9, 30)
    with pytest.raises(ValueError, match="HH:MM"):
        parse_time("9.30am")
    assert split_list("https://a, https://b https://a") == ("https://a", "https://b")
    assert split_tags("#vaccines, two words,, vaccines ,") == ("vaccines", "two words")


def test_character_counts_per_channel():
    assert (
        post_length("Get a flu shot #FluSeason", ("#FluSeason", "#Health"))
        == len("Get a flu shot #FluSeason") + 8
    )
    assert post_length("", ("#A",)) == 2
    counts = channel_counts("x" * 281, (), (Channel.X, Channel.FACEBOOK))
    assert [(c.channel, c.used, c.over) for c in counts] == [
        (Channel.X, 281, True),
        (Channel.FACEBOOK, 281, False),
    ]
    assert channel_counts("hi", (), ()) == []


def test_goto_dates():
    assert parse_goto_date("2027-03-11", TODAY) == date(2027, 3, 11)
    assert parse_goto_date("2027-03", TODAY) == date(2027, 3, 1)
    assert parse_goto_date("March 2027", TODAY) == date(2027, 3, 1)
    assert parse_goto_date("11 mar 2027", TODAY) == date(2027, 3, 11)
    assert parse_goto_date("today", TODAY) == TODAY
    assert parse_goto_date("heart", TODAY) is None

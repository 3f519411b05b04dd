"""Local times that do not exist or happen twice, and a time zone change that moves every timed post."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_data.errors import PostError
from calendar_data.ical.export import ExportSpec, export_bytes
from calendar_data.models import Post
from calendar_data.posts import add_post, get_post
from calendar_data.settings import Settings
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import save_settings
from calendar_data.team_settings import change_settings
from calendar_data.times import gap_problem, instant, is_ambiguous
from tui.cli.entry import main

NY = "America/New_York"


@pytest.fixture
def db():
    database = open_db(":memory:")
    save_settings(database, Settings(timezone=NY))
    yield database
    database.close()


def test_a_time_in_the_spring_forward_gap_is_refused_naming_the_gap(db):
    with pytest.raises(
        PostError,
        match=r"^time: 02:30 on 2026-03-08 does not exist in America/New_York: "
        r"the clocks jump from 02:00 to 03:00",
    ):
        add_post(db, Post(title="Too early", day=date(2026, 3, 8), time=time(2, 30)))


def test_a_twice_occurring_time_keeps_which_one_is_meant_and_exports_one_instant(db):
    first = add_post(db, Post(title="First", day=date(2026, 11, 1), time=time(1, 30)))
    later = add_post(db, Post(title="Later", day=date(2026, 11, 1), time=time(1, 30, fold=1)))
    assert get_post(db, first.id).time.fold == 0 and get_post(db, later.id).time.fold == 1
    data = export_bytes(
        db,
        ExportSpec(date(2026, 11, 1), date(2026, 11, 1), include=("posts",)),
        now=datetime(2026, 10, 1, tzinfo=UTC),
    )
    starts = {
        str(e["summary"]): e.decoded("dtstart")
        for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }
    assert starts == {
        "First": datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        "Later": datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    }
    assert (
        b"DTSTART:20261101T053000Z" in data
    )  # UTC: every reader agrees, whatever it does with TZID


def test_later_on_an_ordinary_day_means_nothing(db):
    post = add_post(db, Post(title="Plain", day=date(2026, 7, 1), time=time(9, 0, fold=1)))
    assert get_post(db, post.id).time.fold == 0


def test_a_new_time_zone_bumps_every_timed_post_and_names_the_ones_now_impossible(db):
    timed = add_post(db, Post(title="Timed", day=date(2027, 3, 28), time=time(1, 30)))
    all_day = add_post(db, Post(title="All day", day=date(2027, 3, 28)))
    change = change_settings(db, Settings(timezone="Europe/London"))
    assert change.moved_posts == 1
    assert get_post(db, timed.id).sequence == timed.sequence + 1
    assert get_post(db, all_day.id).sequence == all_day.sequence
    assert (
        change.nonexistent
        and "01:30 on 2027-03-28 does not exist in Europe/London" in change.nonexistent[0]
    )
    assert change_settings(db, Settings(timezone="Europe/London", country="GB")).moved_posts == 0


def test_cli_refuses_the_gap_and_says_which_of_two_times(tmp_path):
    run = CliRunner().invoke
    db = str(tmp_path / "cal.db")
    assert run(main, ["--db", db, "settings", "set", "timezone", NY]).exit_code == 0
    gap = run(
        main,
        ["--db", db, "posts", "add", "--title", "x", "--date", "2026-03-08", "--time", "02:30"],
    )
    assert gap.exit_code == 2 and "does not exist in America/New_York" in gap.output
    twice = run(
        main,
        ["--db", db, "posts", "add", "--title", "y", "--date", "2026-11-01", "--time", "01:30"],
    )
    assert (
        twice.exit_code == 0
        and "happens twice in America/New_York; carecal takes the first one" in twice.output
    )
    moved = run(main, ["--db", db, "settings", "set", "timezone", "Europe/Paris"])
    assert "1 timed posts keep their wall-clock times in Europe/Paris" in moved.output


ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "America/Santiago",
    "Australia/Lord_Howe",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.dates(date(1995, 1, 1), date(2040, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 1),
)
def test_every_accepted_local_time_names_exactly_one_instant_that_shows_that_wall_time(
    zone, day, hour, minute, fold
):
    at = time(hour, minute, fold=fold)
    if gap_problem(day, at, zone):
        return
    moment = instant(day, at, zone).astimezone(ZoneInfo(zone))
    assert (moment.date(), moment.hour, moment.minute) == (day, hour, minute)
    if is_ambiguous(day, at, zone):
        assert instant(day, at.replace(fold=0), zone) < instant(day, at.replace(fold=1), zone)

"""Pilot tests of the quarter view, the agenda, the awareness browser, help, palette and export key."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Select

from calendar_data.models import Filters, Status
from calendar_data.observances import preferences
from calendar_data.posts import list_posts
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import (
    TODAY,
    make_app,
    pilot,
    settle,
    type_text,
)
from tui.app import CarecalApp
from tui.screens.agenda import AgendaScreen
from tui.screens.awareness import AwarenessScreen
from tui.screens.editor import PostEditor
from tui.screens.help import HelpScreen, help_sections
from tui.screens.month import MonthScreen
from tui.screens.quarter import QuarterScreen
from tui.widgets.quarter_chart import QuarterChart
from tui.widgets.top_bar import TopBar


def read(db_path, fn):
    database = open_db(db_path)
    try:
        return fn(database)
    finally:
        database.close()


@pilot
async def test_quarter_counts_posts_per_day_and_week_and_flags_empty_weeks(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QuarterScreen)
        summary = app.screen.query_one(QuarterChart).summary
        assert summary.label == "Q4 2026"
        assert summary.day_counts[TODAY] == 2 and summary.total_posts == 5
        assert summary.week_counts[date(2026, 11, 15)] == 3  # Nov 19 and two on Nov 21
        assert date(2026, 10, 4) in summary.empty_weeks
        assert [c.name for c in summary.campaigns] == ["Flu Season"]
        assert "Great American Smokeout" in [i.title for i in summary.observances]
        rendered = app.screen.query_one(QuarterChart).render().plain
        assert "Posts / week" in rendered and "Flu Season" in rendered


@pilot
async def test_quarter_keys_pick_the_quarter_and_enter_opens_the_month(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.query_one(QuarterChart).summary.label == "Q1 2027"
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        assert app.screen.query_one(QuarterChart).summary.label == "Q3 2026"
        await pilot.press("t", "down")
        await settle(pilot)
        assert app.cursor == date(2026, 11, 22)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MonthScreen) and app.cursor == date(2026, 11, 22)


@pilot
async def test_agenda_lists_the_next_days_and_switches_range(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgendaScreen) and screen.days == 30
        posts = [item.title for _, item in screen.rows if item and item.kind == "post"]
        assert posts == [
            "Flu clinic this week",
            "Meet our new cardiologist",
            "Thank you, night nurses",
            "December flu reminder",
        ]
        assert screen.target_post().title == "Flu clinic this week"
        await pilot.press("r")
        await settle(pilot)
        assert screen.days == 60
        assert any(item and item.title == "Christmas Day" for _, item in screen.rows)
        await pilot.press("r", "r")
        await settle(pilot)
        assert screen.days == 30


@pilot
async def test_filter_is_shared_by_month_quarter_and_agenda(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "status:idea channel:instagram")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert [item.title for _, item in screen.rows if item and item.kind == "post"] == [
            "Thank you, night nurses"
        ]
        await pilot.press("q")
        await settle(pilot)
        assert app.screen.query_one(QuarterChart).summary.total_posts == 2
        assert app.screen.query_one("#filter-input", Input).value == "status:idea channel:instagram"
        await pilot.press("m")
        await settle(pilot)
        assert app.filters == Filters(channels=("instagram",), statuses=(Status.IDEA,))


@pilot
async def test_star_and_mute_an_observance(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AwarenessScreen)
        assert screen.current.observance.id == "winter-wellness-fortnight"  # the next one
        await pilot.press("s")
        await settle(pilot)
        assert read(seeded, preferences)["winter-wellness-fortnight"].starred
        assert screen.rows[0].starred
        await pilot.press("down", "u")
        await settle(pilot)
        assert read(seeded, preferences)["american-heart-month"].muted
        await pilot.press("u")
        await settle(pilot)
        assert not read(seeded, preferences)["american-heart-month"].muted


@pilot
async def test_search_category_region_and_month_filter_the_table(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert "stoptober" not in [r.observance.id for r in screen.rows]  # UK only: not our regions
        screen.query_one("#aw-region", Select).value = "*"
        await settle(pilot)
        assert "stoptober" in [r.observance.id for r in screen.rows]
        screen.query_one("#aw-category", Select).value = "cardiovascular"
        await settle(pilot)
        assert [r.observance.id for r in screen.rows] == [
            "american-heart-month",
            "national-wear-red-day",
        ]
        screen.query_one("#aw-month", Select).value = 2
        await pilot.press("slash")
        await type_text(pilot, "wear")
        await settle(pilot)
        assert [r.observance.id for r in screen.rows] == ["national-wear-red-day"]
        assert screen.query_one(DataTable).row_count == 1


@pilot
async def test_plan_a_post_from_the_awareness_browser(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("y")
        assert app.clipboard == "#WinterWellness"
        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert editor.query_one("#title", Input).value == "Winter Wellness Fortnight"
        assert editor.query_one("#date", Input).value == "2026-12-25"
        assert editor.query_one("#hashtags", Input).value == "#WinterWellness"
        assert editor.query_one("#observance", Select).value == "winter-wellness-fortnight"
        editor.query_one("#tags", Input).value = "winter, wellness"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = read(seeded, lambda db: list_posts(db, date(2026, 12, 25), date(2026, 12, 25)))
        assert [(p.title, p.observance_id, p.hashtags, p.tags) for p in saved] == [
            (
                "Winter Wellness Fortnight",
                "winter-wellness-fortnight",
                ("#WinterWellness",),
                ("wellness", "winter"),
            )
        ]


@pilot
async def test_help_lists_every_screens_bindings(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MonthScreen)
    sections = dict(help_sections(CarecalApp))
    for title in (
        "Everywhere",
        "Month view",
        "Quarter view",
        "Agenda",
        "Awareness browser",
        "Campaigns",
        "Tags",
        "Post editor",
    ):
        assert sections[title], title
    assert ("? / F1", "Help") in sections["Everywhere"]
    assert ("n", "Plan post") in sections["Awareness browser"]


@pilot
async def test_palette_goes_to_a_date_and_x_exports_or_explains(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "2027-03-11")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.cursor == date(2027, 3, 11) and isinstance(app.screen, MonthScreen)
        await pilot.press("x")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExportScreen"  # tui.screens.export is in place


@pilot
async def test_palette_goes_to_an_observance(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "kidney")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AwarenessScreen)
        assert app.screen.current.observance.id == "world-kidney-day"


@pilot
async def test_mouse_switches_views_and_picks_days(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(TopBar)
        start, _, _ = next(span for span in bar._spans() if span[2] == "quarter")
        await pilot.click(TopBar, offset=(start + 2, 0))
        await settle(pilot)
        assert isinstance(app.screen, QuarterScreen)
        chart = app.screen.query_one(QuarterChart)
        label_w, column = chart._geometry()
        week = chart.summary.weeks.index(date(2026, 11, 29))
        await pilot.click(
            QuarterChart, offset=(label_w + week * column + 1, 2 + 1)
        )  # Monday 30 Nov
        await settle(pilot)
        assert app.cursor == date(2026, 11, 30)
        assert chart.cursor == date(2026, 11, 30)


@pilot
async def test_errors_become_notifications_not_tracebacks(seeded, monkeypatch):
    import tui.screens.quarter as quarter_module
    from calendar_data.errors import PostError

    def broken(*args, **kwargs):
        raise ValueError("quarter: the calendar file went away")

    monkeypatch.setattr(quarter_module, "quarter_summary", broken)
    app = make_app(seeded)
    said: list[tuple[str, str]] = []
    original = app.notify
    monkeypatch.setattr(
        app,
        "notify",
        lambda message, **kw: (
            said.append((str(message), kw.get("severity"))),
            original(message, **kw),
        ),
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("q")  # the quarter loads in a worker thread, which fails
        await settle(pilot)
        assert ("quarter: the calendar file went away", "error") in said
        assert app.is_running and isinstance(app.screen, QuarterScreen)

        def refuse():
            raise PostError("title", "a post needs a title")

        assert app.guard(refuse) is None
        assert ("title: a post needs a title", "error") in said


@pilot
async def test_quick_reloads_never_leave_the_loading_indicator_on(seeded, monkeypatch):
    import time as time_module

    import tui.screens.agenda as agenda_module

    real = agenda_module.agenda

    def slow(*args, **kwargs):  # long enough for the 0.15 s indicator timer to fire mid-read
        time_module.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(agenda_module, "agenda", slow)
    app = make_app(seeded)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("g", "r", "r")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, AgendaScreen) and screen.days == 90
        assert not screen.query_one("#main").loading
        assert any(item and item.title == "Christmas Day" for _, item in screen.rows)

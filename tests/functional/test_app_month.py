"""Pilot tests of the month view: the grid, the cursor, n/e/d on posts, the filter bar."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Label

from calendar_data.models import Filters
from calendar_data.posts import list_posts
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import (
    TODAY,
    make_app,
    pilot,
    settle,
    type_text,
)
from tui.screens.day import DayScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.editor import PostEditor
from tui.screens.month import MonthScreen
from tui.widgets.day_agenda import DayAgenda
from tui.widgets.day_cell import DayCell
from tui.widgets.filter_bar import FilterBar
from tui.widgets.month_grid import MonthBand, MonthGrid
from tui.widgets.top_bar import TopBar


def titles_on(db_path, day: date) -> list[str]:
    database = open_db(db_path)
    try:
        return [p.title for p in list_posts(database, day, day)]
    finally:
        database.close()


@pilot
async def test_month_opens_on_today_with_observances_holidays_and_posts(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MonthScreen)
        assert screen.query_one(MonthBand).month == date(2026, 11, 1)
        today = screen.query_one(MonthGrid).cell_for(TODAY)
        assert today.is_today and today.selected
        thanksgiving = screen.query_one(MonthGrid).cell_for(date(2026, 11, 26))
        assert [line.item.title for line in thanksgiving.lines] == ["Thanksgiving Day"]
        smokeout = screen.query_one(MonthGrid).cell_for(date(2026, 11, 19))
        assert [line.item.kind for line in smokeout.lines] == ["observance", "post"]
        assert [p.title for p in screen.query_one(DayAgenda).posts] == [
            "Flu clinic this week",
            "Meet our new cardiologist",
        ]


@pilot
async def test_n_creates_a_post_on_the_selected_day(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right", "n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert app.focused.id == "title"
        await type_text(pilot, "Giving Tuesday thanks")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MonthScreen)
        assert titles_on(seeded, date(2026, 11, 22)) == ["Giving Tuesday thanks"]
        cell = app.screen.query_one(MonthGrid).cell_for(date(2026, 11, 22))
        assert [line.item.title for line in cell.lines] == ["Giving Tuesday thanks"]


@pilot
async def test_e_edits_the_highlighted_post(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert app.screen.query_one("#title", Input).value == "Flu clinic this week"
        await pilot.press("end")
        await type_text(pilot, " (updated)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert titles_on(seeded, TODAY) == [
            "Flu clinic this week (updated)",
            "Meet our new cardiologist",
        ]


@pilot
async def test_d_deletes_only_after_confirming(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert titles_on(seeded, TODAY) == ["Flu clinic this week", "Meet our new cardiologist"]
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert titles_on(seeded, TODAY) == ["Meet our new cardiologist"]
        assert [p.title for p in app.screen.query_one(DayAgenda).posts] == [
            "Meet our new cardiologist"
        ]


@pilot
async def test_arrows_cross_a_month_boundary_and_cells_are_reused(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(MonthGrid)
        cells_before = grid.cells
        await pilot.press("down", "down")
        await settle(pilot)
        assert app.cursor == date(2026, 12, 5)
        assert app.screen.query_one(MonthBand).month == date(2026, 12, 1)
        assert grid.cells == cells_before  # same 42 widgets, re-pointed
        assert grid.cell_for(date(2026, 12, 5)).selected
        await pilot.press("up")
        await settle(pilot)
        assert app.cursor == date(2026, 11, 28)
        assert app.screen.query_one(MonthBand).month == date(2026, 11, 1)
        await pilot.press("pagedown", "pagedown")
        assert app.cursor == date(2027, 1, 28)
        await pilot.press("t")
        assert app.cursor == TODAY


@pilot
async def test_filter_by_tag_narrows_posts_and_shows_in_the_header(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "filter-input"
        await type_text(pilot, "tag:vaccines")
        await pilot.press("enter")
        await settle(pilot)
        assert app.filters == Filters(tags=("vaccines",))
        assert "vaccines" in app.sub_title
        assert "vaccines" in app.screen.query_one(TopBar).render().plain
        assert [p.title for p in app.screen.query_one(DayAgenda).posts] == ["Flu clinic this week"]
        assert app.focused is app.screen.query_one(MonthGrid)
        # the filter follows to the other views, and escape clears it
        await pilot.press("escape")
        await settle(pilot)
        assert not app.filters.active and app.sub_title == "calendar.db"


@pilot
async def test_a_bad_filter_is_explained_and_not_applied(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "chanel:x")
        await pilot.press("enter")
        await settle(pilot)
        error = app.screen.query_one("#filter-error", Label)
        assert "unknown filter key 'chanel'" in str(error.render())
        assert not app.filters.active
        await pilot.press("escape")
        assert app.focused is app.screen.query_one(MonthGrid)


@pilot
async def test_filter_completion_takes_tab(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "tag:vac")
        await pilot.pause(0.1)
        await pilot.press("tab")
        assert app.screen.query_one(FilterBar).input.value == "tag:vaccines"


@pilot
async def test_enter_opens_the_day_and_clicks_select_a_day(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DayScreen)
        assert [p.title for p in app.screen.query_one(DayAgenda).posts] == [
            "Flu clinic this week",
            "Meet our new cardiologist",
        ]
        await pilot.press("escape")
        await settle(pilot)
        cell = app.screen.query_one(MonthGrid).cell_for(date(2026, 11, 30))
        await pilot.click(cell)
        await settle(pilot)
        assert app.cursor == date(2026, 11, 30)


@pilot
async def test_80x24_is_usable_and_e_edits_the_highlighted_post(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        assert (
            not screen.query_one(DayAgenda).display or screen.query_one(DayAgenda).region.width == 0
        )
        cell = screen.query_one(MonthGrid).cell_for(TODAY)
        assert cell.region.height >= 2 and cell.region.width >= 10
        summary = str(screen.query_one("#day-summary").render())
        assert "▶ 09:30 Flu clinic this week" in summary  # the post e acts on is named, not guessed
        await pilot.press("tab")  # two posts today: tab highlights the next
        await settle(pilot)
        assert "▶ 15:00 Meet our new cardiologist" in str(screen.query_one("#day-summary").render())
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert app.screen.query_one("#title", Input).value == "Meet our new cardiologist"


@pilot
async def test_other_cells_get_no_stale_lines_when_a_month_is_shorter(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for _ in range(3):  # to February 2027: four or five weeks, not six
            await pilot.press("pagedown")
        grid = app.screen.query_one(MonthGrid)
        shown = [c for c in grid.cells if c.display]
        assert len(shown) % 7 == 0 and len(shown) < 42
        assert all(isinstance(c, DayCell) for c in shown)


@pilot
async def test_needs_attention_marks_arrive_after_the_grid_is_painted(seeded):
    from calendar_data.checks.review import attention_ids
    from calendar_data.models import Post
    from calendar_data.posts import add_post
    from calendar_data.storage.settings_table import load_settings

    database = open_db(seeded)
    add_post(
        database,
        Post(
            title="Patient story: Maria's recovery",
            day=date(2026, 11, 24),
            features_patient=True,
            body="Maria is home. Call her at 555-201-3344 to say hi.",
        ),
        who="seed",
    )
    expected = attention_ids(
        database, list_posts(database), today=TODAY, settings=load_settings(database)
    )
    database.close()
    assert expected  # the seeded posts include some the review flags
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(MonthGrid)
        shown = {
            line.item.post.id
            for cell in grid.cells
            for line in cell.lines
            if line.item and line.item.post and line.item.post.id in cell.attention
        }
        on_grid = {
            line.item.post.id
            for cell in grid.cells
            for line in cell.lines
            if line.item and line.item.post
        }
        assert shown == expected & on_grid


@pilot
async def test_needs_attention_filter_shows_only_flagged_posts(seeded):
    """`is:attention` in the filter bar keeps the posts the compliance checks flag."""
    from calendar_data.models import Post
    from calendar_data.posts import add_post

    database = open_db(seeded)
    add_post(
        database,
        Post(title="RSVP with Maria", day=TODAY, body="Call Maria at 555-201-3344 to RSVP"),
    )
    database.close()
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert len(app.screen.query_one(DayAgenda).posts) == 3
        await pilot.press("slash")
        await type_text(pilot, "is:attention")
        await pilot.press("enter")
        await settle(pilot)
        assert app.filters == Filters(attention=True)
        assert "needs attention" in app.sub_title
        assert [p.title for p in app.screen.query_one(DayAgenda).posts] == ["RSVP with Maria"]

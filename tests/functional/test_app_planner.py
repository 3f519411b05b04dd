"""Pilot tests of the planner's keys: the highlighted post, move (keys, typed date, drag), duplicate, undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import Input

from calendar_data.models import Channel, Post
from calendar_data.posts import add_post, list_posts
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import TODAY, make_app, pilot, seeded_calendar, settle
from tui.screens.dialogs import ConfirmScreen
from tui.screens.editor import PostEditor
from tui.screens.help import HelpScreen
from tui.screens.month import MonthScreen
from tui.widgets.day_agenda import DayAgenda
from tui.widgets.month_grid import MonthGrid


@pytest.fixture
def seeded(db_path, small_list):
    """The seeded November calendar: TODAY has a 09:30 and a 15:00 post."""
    return seeded_calendar(db_path)


def posts_by_title(db_path) -> dict[str, date]:
    database = open_db(db_path)
    try:
        return {p.title: p.day for p in list_posts(database)}
    finally:
        database.close()


def cell_text(app, day: date) -> str:
    cell = app.screen.query_one(MonthGrid).cell_for(day)
    return cell.render().plain


@pilot
async def test_tab_walks_the_days_posts_and_e_edits_the_highlighted_one(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert "▶✎ Flu" in cell_text(app, TODAY)  # the first post is highlighted from the start
        await pilot.press("tab")
        assert "▶· Meet our" in cell_text(app, TODAY) and "▶✎" not in cell_text(app, TODAY)
        assert app.screen.query_one(DayAgenda).highlighted_post.title == "Meet our new cardiologist"
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert app.screen.query_one("#title", Input).value == "Meet our new cardiologist"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("shift+tab", "e")
        await settle(pilot)
        assert app.screen.query_one("#title", Input).value == "Flu clinic this week"


@pilot
async def test_a_click_highlights_the_post_under_the_pointer(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        cell = app.screen.query_one(MonthGrid).cell_for(TODAY)
        row = next(
            y for y in range(cell.size.height) if cell.post_at(y) not in (None, app.picked_post)
        )
        await pilot.click(cell, offset=(3, row))
        await settle(pilot)
        assert app.screen.query_one(DayAgenda).highlighted_post.title == "Meet our new cardiologist"


@pilot
async def test_d_deletes_the_highlighted_post_and_ctrl_z_brings_it_back(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert "Meet our new cardiologist" not in posts_by_title(seeded)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert posts_by_title(seeded)["Meet our new cardiologist"] == TODAY
        assert "Meet our" in cell_text(app, TODAY)


@pilot
async def test_move_with_arrows_then_undo_and_redo(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "M")
        assert app.screen.query_one("#move-bar").display
        await pilot.press("right", "right", "down", "enter")
        await settle(pilot)
        moved = TODAY + timedelta(days=9)
        assert posts_by_title(seeded)["Meet our new cardiologist"] == moved
        assert not app.screen.query_one("#move-bar").display
        assert app.cursor == moved and "▶· Meet our" in cell_text(app, moved)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert posts_by_title(seeded)["Meet our new cardiologist"] == TODAY
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert posts_by_title(seeded)["Meet our new cardiologist"] == moved


@pilot
async def test_move_to_a_typed_date_and_escape_cancels(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M", "right", "escape")
        await settle(pilot)
        assert posts_by_title(seeded)["Flu clinic this week"] == TODAY
        assert not app.screen.query_one("#move-bar").display
        assert app.cursor == TODAY  # escape puts the cursor back on the post
        await pilot.press(
            "M", "1", "2", "minus", "0", "3", "enter"
        )  # 12-03: across a month boundary
        await settle(pilot)
        assert posts_by_title(seeded)["Flu clinic this week"] == date(2026, 12, 3)
        assert isinstance(app.screen, MonthScreen) and app.screen.layout_.month == date(2026, 12, 1)


@pilot
async def test_dragging_a_post_to_another_day_moves_it(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(MonthGrid)
        source = grid.cell_for(TODAY)
        row = next(y for y in range(source.size.height) if source.post_at(y) is not None)
        await pilot.mouse_down(source, offset=(3, row))
        await pilot.mouse_up(grid.cell_for(date(2026, 11, 24)), offset=(3, 2))
        await settle(pilot)
        assert posts_by_title(seeded)["Flu clinic this week"] == date(2026, 11, 24)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert posts_by_title(seeded)["Flu clinic this week"] == TODAY


@pilot
async def test_duplicate_opens_the_editor_prefilled_on_another_day(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, PostEditor) and editor.post.id is None
        assert editor.query_one("#title", Input).value == "Flu clinic this week"
        date_input = editor.query_one("#date", Input)
        date_input.value = "2026-11-28"
        await pilot.press("ctrl+s")
        await settle(pilot)
        database = open_db(seeded)
        copies = [p for p in list_posts(database) if p.title == "Flu clinic this week"]
        database.close()
        assert sorted(p.day for p in copies) == [TODAY, date(2026, 11, 28)]
        assert {tuple(p.channels) for p in copies} == {copies[0].channels}


@pilot
async def test_undo_covers_only_this_session(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M", "right", "enter")
        await settle(pilot)
    assert posts_by_title(seeded)["Flu clinic this week"] == TODAY + timedelta(days=1)
    again = make_app(seeded)  # a restart: the move stays, and the new session has nothing to undo
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert posts_by_title(seeded)["Flu clinic this week"] == TODAY + timedelta(days=1)
        assert any("nothing to undo" in n.message for n in again._notifications)


@pilot
async def test_f1_opens_help_listing_the_new_keys(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {d for _, section in app.screen.sections for _, d in section}
        assert {"Move", "Duplicate", "Undo", "Redo", "Next post", "Week"} <= rows


@pilot
async def test_emoji_sequences_never_widen_a_cell(db_path, small_list):
    database = open_db(db_path)
    add_post(
        database,
        Post(
            title="❤️ Wear Red 👩‍⚕️ nurses 👍🏽 🎉🎉🎉 thanks all", day=TODAY, channels=(Channel.X,)
        ),
    )
    database.close()
    app = make_app(db_path)
    for size in ((80, 24), (120, 40), (160, 50)):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            cell = app.screen.query_one(MonthGrid).cell_for(TODAY)
            lines = cell.render().split()
            assert all(line.cell_len == cell.size.width for line in lines)
            assert not any(ch in line.plain for line in lines for ch in "\ufe0f\u200d\U0001f3fd")
            assert (
                "❤ Wea" in cell.render().plain
            )  # the base heart, then the title (cut at 80 columns)
        app = make_app(db_path)


@pilot
async def test_undo_shows_the_post_it_put_back(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M", "pagedown", "enter")  # to December: another month
        await settle(pilot)
        assert app.screen.layout_.month == date(2026, 12, 1)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.cursor == TODAY and app.screen.layout_.month == date(2026, 11, 1)
        assert "▶✎ Flu" in cell_text(app, TODAY)

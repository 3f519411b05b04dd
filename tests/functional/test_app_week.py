"""Pilot tests of the week view (w): columns, full titles, the band, keys and mouse like the month view."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import Input

from tests.functional.test_app_planner import posts_by_title
from tests.functional.test_app_support import TODAY, make_app, pilot, seeded_calendar, settle
from tui.screens.editor import PostEditor
from tui.screens.week import WeekScreen
from tui.widgets.week_column import WeekColumn


@pytest.fixture
def seeded(db_path, small_list):
    """The seeded November calendar: TODAY (Sat 21 Nov 2026) has a 09:30 and a 15:00 post."""
    return seeded_calendar(db_path)


def column(app, day: date) -> WeekColumn:
    return next(c for c in app.screen.query(WeekColumn) if c.day == day)


def column_text(app, day: date) -> str:
    return " ".join(column(app, day).render().plain.split())


@pilot
async def test_week_shows_seven_days_with_times_full_titles_and_the_band(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)
        days = [c.day for c in app.screen.query(WeekColumn)]
        assert days == [
            date(2026, 11, 15) + timedelta(days=i) for i in range(7)
        ]  # Sunday-first weeks
        text = column_text(app, TODAY)
        assert "09:30" in text and "Flu clinic this week" in text
        assert "15:00" in text and "Meet our new cardiologist" in text
        assert "Great American Smokeout" in column_text(
            app, date(2026, 11, 19)
        )  # the day's observance
        assert "Week of Sun 15 Nov 2026" in str(app.screen.query_one("#week-band").render())


@pilot
async def test_week_keys_pick_edit_and_page(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("w", "down")  # down walks the day's posts in the week view
        await settle(pilot)
        assert "▶15:00" in column_text(app, TODAY)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert app.screen.query_one("#title", Input).value == "Meet our new cardiologist"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("pagedown", "h")
        await settle(pilot)
        assert app.cursor == TODAY + timedelta(days=6)
        assert [c.day for c in app.screen.query(WeekColumn)][0] == date(2026, 11, 22)


@pilot
async def test_week_move_by_keys_and_by_drag_then_undo(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("w", "M", "left", "left", "enter")
        await settle(pilot)
        assert posts_by_title(seeded)["Flu clinic this week"] == TODAY - timedelta(days=2)
        source = column(app, TODAY)
        row = next(y for y in range(source.size.height) if source.post_at(y) is not None)
        await pilot.mouse_down(source, offset=(4, row))
        await pilot.mouse_up(column(app, date(2026, 11, 16)), offset=(4, 3))
        await settle(pilot)
        assert posts_by_title(seeded)["Meet our new cardiologist"] == date(2026, 11, 16)
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        assert posts_by_title(seeded)["Meet our new cardiologist"] == TODAY
        assert posts_by_title(seeded)["Flu clinic this week"] == TODAY

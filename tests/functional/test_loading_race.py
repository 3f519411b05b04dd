"""The loading indicator always goes away: views switched and filters applied as fast as keys go."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.functional.test_app_support import make_app, pilot, seeded_calendar, settle


@pytest.fixture
def seeded(db_path, small_list):
    return seeded_calendar(db_path)


async def _idle(pilot) -> None:
    for _ in range(2):
        await settle(pilot)
        await pilot.pause(0.05)


def _still_loading(app) -> bool:
    """The target shows a loading cover (Textual keeps it outside the DOM, as `_cover_widget`)."""
    target = app.screen.query_one("#main")
    return bool(target.loading) or target._cover_widget is not None


@pilot
async def test_agenda_settles_after_fast_view_switches(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for round_ in range(12):
            await pilot.press(*("g", "m", "g", "q", "g")[: 2 + round_ % 4])
            if round_ % 3 == 0:
                await pilot.press("g")
        await pilot.press("g")
        for _ in range(3):  # keys pressed as fast as they go, then the app left alone
            await _idle(pilot)
            await pilot.pause(0.3)
        await pilot.press("g")
        await _idle(pilot)
        assert app.current_mode == "agenda"
        assert not _still_loading(app)
        assert app.screen.query_one("#main", OptionList).option_count > 0


@pilot
async def test_agenda_settles_after_a_filter_is_applied_quickly(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        for round_ in range(8):
            await pilot.press("slash", *"heart", "enter")
            await pilot.press("slash", "ctrl+u", "enter")  # cleared again
            if round_ % 2:
                await pilot.press("r")
            await _idle(pilot)
            assert not _still_loading(app), f"round {round_}: still loading"
        assert app.screen.query_one("#main", OptionList).option_count > 0

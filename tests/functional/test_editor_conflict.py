"""An editor whose post was saved elsewhere meanwhile: it says so, and offers to reload or save a copy."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input

from calendar_data.posts import get_post, list_posts, update_post
from calendar_data.storage.database import open_db
from tests.functional.test_app_month import titles_on, type_text
from tests.functional.test_app_support import TODAY, make_app, pilot, seeded_calendar, settle
from tui.screens.dialogs import ChoiceScreen
from tui.screens.editor import PostEditor


@pytest.fixture
def seeded(db_path, small_list):
    return seeded_calendar(db_path)


def _someone_else_renames(path, title: str) -> None:
    other = open_db(path)  # the CLI or a teammate: another connection to the same file
    post = next(p for p in list_posts(other, TODAY, TODAY) if p.title == "Flu clinic this week")
    update_post(other, replace(post, title=title))
    other.close()


async def _edit_and_save(pilot, seeded) -> None:
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PostEditor)
    _someone_else_renames(seeded, "Flu clinic: walk-ins welcome")
    await pilot.press("end")
    await type_text(pilot, " (mine)")
    await pilot.press("ctrl+s")
    await settle(pilot)


@pilot
async def test_saving_over_a_change_made_elsewhere_offers_a_copy_and_keeps_both(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await _edit_and_save(pilot, seeded)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")  # "save your version as a new post"
        await settle(pilot)
        assert sorted(titles_on(seeded, TODAY)) == [
            "Flu clinic this week (mine) (copy)",
            "Flu clinic: walk-ins welcome",
            "Meet our new cardiologist",
        ]


@pilot
async def test_reload_shows_their_version_in_the_editor(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await _edit_and_save(pilot, seeded)
        await pilot.press("enter")  # "reload it"
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert app.screen.query_one("#title", Input).value == "Flu clinic: walk-ins welcome"
        await pilot.press("ctrl+s")  # nothing else changed: saves cleanly
        await settle(pilot)
        assert not isinstance(app.screen, (PostEditor, ChoiceScreen))
        assert "Flu clinic: walk-ins welcome" in titles_on(seeded, TODAY)


@pilot
async def test_keep_editing_leaves_the_typed_text_on_screen(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await _edit_and_save(pilot, seeded)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert app.screen.query_one("#title", Input).value == "Flu clinic this week (mine)"
        assert get_post(open_db(seeded), app.screen.post.id).title == "Flu clinic: walk-ins welcome"

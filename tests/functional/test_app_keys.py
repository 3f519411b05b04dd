"""Keys a user changes: config.toml [keys] remaps bindings by id, vim alternates, the remembered theme."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta

import pytest
from textual.binding import Binding

import tui
from calendar_data.settings import SettingsError, config_dir, load_ui_state, user_config
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import load_settings
from tests.functional.test_app_planner import posts_by_title
from tests.functional.test_app_support import NOW, TODAY, pilot, seeded_calendar, settle
from tui.app import CarecalApp, make_app
from tui.preferences import known_binding_ids
from tui.screens.help import HelpScreen


@pytest.fixture
def seeded(db_path, small_list):
    """The seeded November calendar."""
    return seeded_calendar(db_path)


def write_config(text: str) -> None:
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text(text)


def app_as_carecal_builds_it(db_path) -> CarecalApp:
    database = open_db(db_path)
    return make_app(
        database,
        load_settings(database),
        TODAY,
        lambda: NOW,
        db_path,
        config=user_config(),
        state_dir=config_dir(),
    )


def test_every_binding_has_an_id():
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        if info.name.endswith("__main__"):
            continue  # runs the command
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == info.name:
                for item in value.__dict__.get("BINDINGS", []):
                    assert isinstance(item, Binding) and item.id, (info.name, value.__name__, item)
    ids = known_binding_ids()
    assert {
        "post.move",
        "post.duplicate",
        "post.next",
        "app.undo",
        "app.redo",
        "app.week",
        "month.left",
    } <= set(ids)


@pilot
async def test_a_keys_table_remaps_move_and_help_shows_it(seeded):
    write_config('[keys]\n"post.move" = "ctrl+g"\n"month.right" = "right,l,n"\n')
    app = app_as_carecal_builds_it(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M")  # no longer bound
        assert not app.screen.query_one("#move-bar").display
        await pilot.press("ctrl+g", "right", "enter")
        await settle(pilot)
        assert posts_by_title(seeded)["Flu clinic this week"] == TODAY + timedelta(days=1)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = dict((d, k) for _, section in app.screen.sections for k, d in section)
        assert rows["Move"] == "ctrl+g"


@pilot
async def test_an_unknown_binding_id_is_named_and_the_rest_still_apply(seeded):
    write_config('[keys]\n"post.mvoe" = "ctrl+g"\n"app.undo" = "ctrl+u"\n')
    app = app_as_carecal_builds_it(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert any("'post.mvoe'" in n.message for n in app._notifications)
        await pilot.press("M", "right", "enter")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await settle(pilot)
        assert posts_by_title(seeded)["Flu clinic this week"] == TODAY


def test_a_bad_keys_table_names_the_file_and_entry():
    write_config('[keys]\n"post.move" = ""\n')
    with pytest.raises(SettingsError, match=r"config.toml: \[keys\] 'post.move' must be keys"):
        user_config()


@pilot
async def test_vim_keys_move_the_day(seeded):
    app = app_as_carecal_builds_it(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l", "l", "j", "h", "k")
        assert app.cursor == TODAY + timedelta(days=1)


@pilot
async def test_the_chosen_theme_is_remembered(seeded):
    app = app_as_carecal_builds_it(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    assert load_ui_state(config_dir())["theme"] == "nord"
    again = app_as_carecal_builds_it(seeded)
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"

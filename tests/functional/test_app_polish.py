"""The small things a daily user notices: typing after tab, the campaign dialog, colours, --json, hints."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rich.console import Console
from textual import events
from textual.widgets import Footer, Input, TextArea

from calendar_data.campaigns import CampaignError, add_campaign, list_campaigns
from calendar_data.models import Campaign
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import make_app, pilot, seeded_calendar, settle, type_text
from tui.cli.entry import main
from tui.screens.campaign_dialogs import CampaignEditor
from tui.screens.campaigns import CampaignsScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.editor import PostEditor
from tui.screens.legend import LegendScreen
from tui.screens.palette import CarecalCommands


def plain(renderable) -> str:
    """What a rich renderable prints, as text."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.fixture
def seeded(db_path, small_list):
    """The seeded November calendar."""
    return seeded_calendar(db_path)


@pilot
async def test_keys_typed_right_after_tab_land_in_the_next_field(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        # all queued at once, as a fast typist under load does: none may reach the title after the tab
        for key, character in [("T", "T"), ("U", "U"), ("tab", None), ("x", "x"), ("y", "y")]:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert app.screen.query_one("#title", Input).value == "TU"
        assert isinstance(app.focused, TextArea) and app.focused.text == "xy"


@pilot
async def test_campaign_dialog_asks_before_discarding_what_was_typed(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c", "n")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, CampaignsScreen)
        await pilot.press("n")
        await type_text(pilot, "Heart Month")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, CampaignEditor)
        assert app.screen.query_one("#c-name", Input).value == "Heart Month"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, CampaignsScreen)


@pilot
async def test_a_colour_outside_the_palette_is_refused_with_the_choices(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c", "n")
        await type_text(pilot, "Heart Month")
        app.screen.query_one("#c-colour", Input).value = "chartreuse"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CampaignEditor)
        error = str(app.screen.query_one("#c-colour-error").render())
        assert "'chartreuse' is not in the palette" in error and "teal" in error


def test_the_data_layer_refuses_a_colour_outside_the_palette(db):
    with pytest.raises(
        CampaignError, match=r"colour: 'chartreuse' is not in the palette \(choose from red, "
    ):
        add_campaign(db, Campaign(name="Heart Month", colour="chartreuse"))
    assert add_campaign(db, Campaign(name="Heart Month", colour="Teal")).colour == "teal"
    assert list_campaigns(db)[0].colour == "teal"


def test_campaigns_list_and_settings_take_json(seeded):
    runner = CliRunner()
    result = runner.invoke(main, ["campaigns", "list", "--json", "--db", str(seeded)])
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads(result.output)] == ["Flu Season"]
    result = runner.invoke(main, ["settings", "--json", "--db", str(seeded)])
    assert result.exit_code == 0, result.output
    assert {"key": "country", "value": "US"} in json.loads(result.output)
    result = runner.invoke(
        main, ["campaigns", "add", "Heart", "--colour", "chartreuse", "--db", str(seeded)]
    )
    assert (
        result.exit_code == 2 and "chartreuse" in result.output and result.output.count("\n") == 1
    )


@pilot
async def test_an_empty_calendar_says_what_to_do_first(db_path, small_list):
    open_db(db_path).close()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = app.screen.query_one("#onboarding")
        assert hint.display and "press n to plan a post" in str(hint.render()).lower()
        assert "carecal demo" in str(hint.render())
        await pilot.press("A")
        await type_text(pilot, "First post")
        await pilot.press("enter")
        await settle(pilot)
        assert not app.screen.query_one("#onboarding").display


@pilot
async def test_the_legend_explains_every_mark_and_channel_code(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, LegendScreen)
        text = plain(app.screen.query_one("#legend-body Static").content)
        for mark in ("·", "✎", "?", "✓", "◷", "●", "⚠", "▶", "⚑", "★", "FB", "IG", "LI", "bluesky"):
            assert mark in text, mark
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_text = " ".join(plain(s.content) for s in app.screen.query(".help-section"))
        assert "needs attention" in help_text and "scheduled" in help_text


@pilot
async def test_dialogs_show_their_own_keys_not_the_month_views(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        for key in ("x", "L", "d"):
            await pilot.press(key)
            await settle(pilot)
            dialog = app.screen
            footers = list(dialog.query(Footer))
            assert footers, type(dialog).__name__
            shown = {
                b.binding.description for b in dialog.active_bindings.values() if b.binding.show
            }
            assert not shown & {"New", "Edit", "Delete", "Move"}, (type(dialog).__name__, shown)
            await pilot.press("escape")
            await settle(pilot)


@pilot
async def test_the_palette_offers_move_duplicate_undo_and_the_week_view(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        titles = [title for title, _, _ in CarecalCommands(app.screen)._actions()]
        assert {
            "Open: Week view",
            "Move post",
            "Duplicate post",
            "Next post",
            "Undo",
            "Redo",
        } <= set(titles)

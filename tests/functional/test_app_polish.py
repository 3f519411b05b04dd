"""The small things a daily user notices: typing after tab, the campaign dialog, colours, --json, hints."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from textual import events
from textual.widgets import Input, TextArea

from calendar_data.campaigns import CampaignError, add_campaign, list_campaigns
from calendar_data.models import Campaign
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import make_app, pilot, seeded_calendar, settle, type_text
from tui.cli.entry import main
from tui.screens.campaign_dialogs import CampaignEditor
from tui.screens.campaigns import CampaignsScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.editor import PostEditor


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
    with pytest.raises(CampaignError, match=r"colour: 'chartreuse' is not in the palette \(choose from red, "):
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
    result = runner.invoke(main, ["campaigns", "add", "Heart", "--colour", "chartreuse", "--db", str(seeded)])
    assert result.exit_code == 2 and "chartreuse" in result.output and result.output.count("\n") == 1


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

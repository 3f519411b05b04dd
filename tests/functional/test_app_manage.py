"""Pilot tests of campaigns and tags, and the first-use path from the issue's 'done when'."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, SelectionList

from calendar_data.campaigns import get_campaign, list_campaigns
from calendar_data.models import Filters
from calendar_data.posts import list_posts
from calendar_data.storage.database import open_db
from calendar_data.tags import list_tags
from tests.functional.test_app_support import (
    TODAY,
    make_app,
    pilot,
    settle,
    type_text,
)
from tui.screens.agenda import AgendaScreen
from tui.screens.awareness import AwarenessScreen
from tui.screens.campaign_dialogs import AssignPosts, CampaignEditor
from tui.screens.campaigns import CampaignsScreen
from tui.screens.dialogs import ChoiceScreen, ConfirmScreen, PromptScreen
from tui.screens.editor import PostEditor
from tui.screens.tags import TagsScreen
from tui.widgets.day_agenda import DayAgenda
from tui.widgets.quarter_chart import QuarterChart


def read(db_path, fn):
    database = open_db(db_path)
    try:
        return fn(database)
    finally:
        database.close()


@pilot
async def test_create_edit_and_archive_a_campaign(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CampaignsScreen)
        assert [p.title for p in app.screen.posts] == [
            "Flu clinic this week",
            "December flu reminder",
        ]
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, CampaignEditor)
        await type_text(pilot, "Heart Month 2027")
        app.screen.query_one("#c-start", Input).value = "2027-02-01"
        app.screen.query_one("#c-end", Input).value = "2027-01-01"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CampaignEditor)  # ends before it starts: refused, shown
        assert app.screen.query_one("#c-end-error").display
        app.screen.query_one("#c-end", Input).value = "2027-02-28"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CampaignsScreen)
        saved = read(seeded, lambda db: get_campaign(db, "Heart Month 2027"))
        assert (saved.start, saved.end) == (date(2027, 2, 1), date(2027, 2, 28))
        assert app.screen.current.name == "Heart Month 2027"
        await pilot.press("A")
        await settle(pilot)
        assert read(seeded, lambda db: get_campaign(db, "Heart Month 2027")).archived
        assert [c.name for c in read(seeded, list_campaigns)] == ["Flu Season"]


@pilot
async def test_assign_posts_to_a_campaign(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignPosts)
        choices = dialog.query_one(SelectionList)
        night = next(p.id for p in dialog.posts if p.title == "Thank you, night nurses")
        december = next(p.id for p in dialog.posts if p.title == "December flu reminder")
        assert december in choices.selected
        choices.select(night)
        choices.deselect(december)
        await pilot.press("ctrl+s")
        await settle(pilot)
        in_campaign = read(
            seeded, lambda db: list_posts(db, filters=Filters(campaign="Flu Season"))
        )
        assert sorted(p.title for p in in_campaign) == [
            "Flu clinic this week",
            "Thank you, night nurses",
        ]
        assert [p.title for p in app.screen.posts] == [
            "Flu clinic this week",
            "Thank you, night nurses",
        ]


@pilot
async def test_rename_a_tag_updates_every_post(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("number_sign")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TagsScreen)
        assert screen.current.name == "vaccines" and screen.current.count == 2
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "flu-vaccines")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        names = [t.name for t in read(seeded, list_tags)]
        assert "flu-vaccines" in names and "vaccines" not in names
        tagged = read(seeded, lambda db: list_posts(db, filters=Filters(tags=("flu-vaccines",))))
        assert sorted(p.title for p in tagged) == ["December flu reminder", "Flu clinic this week"]
        assert screen.current.name == "flu-vaccines"


@pilot
async def test_merge_colour_and_delete_tags_and_enter_shows_posts(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("number_sign")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        table.move_cursor(row=[t.name for t in screen.tags].index("staff"))
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        app.screen.query_one("#choices").highlighted = [v for _, v in app.screen.choices].index(
            "cardiology"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert {t.name: t.count for t in read(seeded, list_tags)}["cardiology"] == 2
        table.move_cursor(row=[t.name for t in screen.tags].index("cardiology"))
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#choices").highlighted = [v for _, v in app.screen.choices].index(
            "teal"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert {t.name: t.colour for t in read(seeded, list_tags)}["cardiology"] == "teal"
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert "cardiology" not in [t.name for t in read(seeded, list_tags)]
        table.move_cursor(row=[t.name for t in screen.tags].index("vaccines"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen) and app.filters.tags == ("vaccines",)


@pilot
async def test_first_use_plan_tag_find_and_see_in_the_quarter(seeded):
    """The issue's 'done when', by keyboard alone: month → awareness → plan → tag → filter → quarter."""
    app = make_app(seeded)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(DayAgenda).day == TODAY  # this month, today selected
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AwarenessScreen)
        await pilot.press("n")  # plan a post for the next observance
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        for _ in range(9):  # title → copy → channels → date → time → tags
            if app.focused.id == "tags":
                break
            await pilot.press("tab")
        assert app.focused.id == "tags"
        await type_text(pilot, "winter-push")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AwarenessScreen)
        await pilot.press("m", "slash")
        await type_text(pilot, "tag:winter-push")
        await pilot.press("enter")
        await settle(pilot)
        assert app.cursor == TODAY
        await pilot.press("pagedown")  # December: the post is on the 25th
        await settle(pilot)
        assert [p.title for p in app.screen.layout_.posts_on(date(2026, 12, 25))] == [
            "Winter Wellness Fortnight"
        ]
        await pilot.press("q")
        await settle(pilot)
        assert app.screen.query_one(QuarterChart).summary.day_counts == {date(2026, 12, 25): 1}

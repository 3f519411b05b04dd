"""Pilot tests of the post editor: focus, validation next to the field, live counts, cancel, tags."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Label, Select, Static

from calendar_data.models import Channel, Status
from calendar_data.posts import list_posts
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import (
    TODAY,
    make_app,
    pilot,
    settle,
    type_text,
)
from tui.screens.dialogs import ConfirmScreen
from tui.screens.editor import PostEditor, complete_tags
from tui.screens.month import MonthScreen
from tui.widgets.channel_picker import ChannelPicker


def all_posts(db_path):
    database = open_db(db_path)
    try:
        return list_posts(database)
    finally:
        database.close()


async def open_new(pilot):
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PostEditor)
    return pilot.app.screen


@pilot
async def test_the_editor_opens_in_the_title_on_the_selected_day(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await open_new(pilot)
        assert app.focused is editor.query_one("#title", Input)
        assert editor.query_one("#date", Input).value == TODAY.isoformat()
        assert editor.query_one("#status", Select).value == Status.IDEA
        assert editor.query_one("#editor-side") is not None  # room for the compliance panel


@pilot
async def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_saved(seeded):
    before = len(all_posts(seeded))
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await open_new(pilot)
        await pilot.press("ctrl+s")  # no title
        await settle(pilot)
        title_error = editor.query_one("#title-error", Label)
        assert title_error.display and "title" in str(title_error.render()).lower()
        await type_text(pilot, "A post with a bad date")
        editor.query_one("#date", Input).value = "2026-13-45"
        editor.query_one("#time", Input).value = "25:99"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert editor.query_one("#date-error", Label).display
        assert "YYYY-MM-DD" in str(editor.query_one("#date-error", Label).render())
        assert editor.query_one("#time-error", Label).display
        assert app.focused is editor.query_one("#date", Input)
        assert len(all_posts(seeded)) == before
        editor.query_one("#date", Input).value = "2026-12-24"
        editor.query_one("#time", Input).value = "08:15"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MonthScreen)
        saved = [p for p in all_posts(seeded) if p.title == "A post with a bad date"]
        assert [(p.day, p.time.strftime("%H:%M")) for p in saved] == [(date(2026, 12, 24), "08:15")]


@pilot
async def test_escape_asks_before_throwing_away_typing(seeded):
    before = len(all_posts(seeded))
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_new(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, MonthScreen)
        await open_new(pilot)
        await type_text(pilot, "Half an idea")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert app.screen.query_one("#title", Input).value == "Half an idea"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MonthScreen)
        assert len(all_posts(seeded)) == before


@pilot
async def test_live_character_count_against_each_channel(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await open_new(pilot)
        picker = editor.query_one(ChannelPicker)
        picker.toggle(Channel.X)
        picker.toggle(Channel.INSTAGRAM)
        await pilot.pause()
        editor.query_one("#body").text = "x" * 300
        await pilot.pause()
        count = str(editor.query_one("#char-count", Static).render())
        assert "IG 300/2200" in count
        assert "X 300/280 ✗ 20 over" in count


@pilot
async def test_live_count_is_the_networks_count(seeded):
    """X weighs CJK and emoji 2 (twitter-text v3); Bluesky and Threads count graphemes."""
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await open_new(pilot)
        picker = editor.query_one(ChannelPicker)
        for channel in (Channel.X, Channel.BLUESKY, Channel.THREADS):
            picker.toggle(channel)
        await pilot.pause()
        family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
        editor.query_one("#body").text = f"健康 {family} नमस्ते 🇺🇸"
        await pilot.pause()
        count = str(editor.query_one("#char-count", Static).render())
        assert "X 17/280" in count  # 4 + 1 + 2 + 1 + 6 + 1 + 2
        assert "BS 10/300" in count and "TH 10/500" in count  # 2 + 1 + 1 + 1 + 3 + 1 + 1


@pilot
async def test_channels_toggle_with_keys_and_tags_complete_from_existing(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await open_new(pilot)
        await type_text(pilot, "Tagged post")
        editor.query_one(ChannelPicker).focus()
        assert editor.query_one(ChannelPicker).selected == (
            Channel.FACEBOOK,
        )  # the last used, as a default
        await pilot.press("right", "space")
        assert editor.query_one(ChannelPicker).selected == (Channel.FACEBOOK, Channel.INSTAGRAM)
        tags = editor.query_one("#tags", Input)
        tags.focus()
        await type_text(pilot, "vacc")
        await pilot.pause(0.1)
        await pilot.press("tab")
        await type_text(pilot, ", brand new")
        assert tags.value == "vaccines, brand new"
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = next(p for p in all_posts(seeded) if p.title == "Tagged post")
        assert saved.tags == ("brand new", "vaccines")
        assert saved.channels == (Channel.FACEBOOK, Channel.INSTAGRAM)


def test_complete_tags_completes_the_last_tag_only():
    known = ("vaccines", "cardiology", "staff")
    assert complete_tags("car", known) == "cardiology"
    assert complete_tags("staff, vac", known) == "staff, vaccines"
    assert complete_tags("staff, ", known) is None
    assert complete_tags("vaccines", known) is None
    assert complete_tags("zzz", known) is None


@pilot
async def test_ctrl_s_right_after_typing_saves_the_typing(seeded):
    """Keys that arrive in one burst (a fast typist, tmux send-keys) are saved in order with ctrl+s.

    As a priority binding, ctrl+s ran before the title's queued keys and saved the form without them.
    """
    from textual import events

    app = make_app(seeded)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_new(pilot)
        for key, char in [(c, c) for c in "Burst"] + [("ctrl+s", None)]:
            app.post_message(events.Key(key, char))  # no wait between them: one burst
        await settle(pilot)
        assert not isinstance(app.screen, PostEditor)
        assert [p.title for p in all_posts(seeded) if p.title == "Burst"] == ["Burst"]

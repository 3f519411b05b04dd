"""Pilot tests: per-channel copy in the post editor (ctrl+t) and the review thread (ctrl+r)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from textual.widgets import Input, OptionList, Static, TabbedContent, TextArea

from calendar_data.comments import add_comment, list_comments
from calendar_data.models import Channel
from calendar_data.posts import get_post, list_posts, update_post
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import (
    TODAY,
    make_app,
    pilot,
    seeded_calendar,
    settle,
    type_text,
)
from tui.messages import EditPost
from tui.screens.channel_copy import ChannelCopyScreen
from tui.screens.comments import CommentsScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.editor import PostEditor
from tui.screens.help import help_sections
from tui.screens.history import HistoryScreen
from tui.widgets.channel_copy import ChannelCopySummary
from tui.widgets.channel_picker import ChannelPicker

LONG_X = (
    "Walk-in flu shots all week at Main Street, no appointment needed, bring your insurance card. "
    * 4
)


@pytest.fixture
def seeded(db_path, small_list):
    """The seeded November calendar; post 1 is 'Flu clinic this week' on Facebook and X."""
    return seeded_calendar(db_path)


def stored(db_path, post_id: int = 1):
    database = open_db(db_path)
    try:
        return get_post(database, post_id)
    finally:
        database.close()


async def open_editor(pilot, db_path, post_id: int = 1) -> PostEditor:
    await settle(pilot)
    pilot.app.post_message(EditPost(stored(db_path, post_id)))
    await settle(pilot)
    assert isinstance(pilot.app.screen, PostEditor)
    return pilot.app.screen


async def write_x_copy(pilot, text: str) -> ChannelCopyScreen:
    await pilot.press("ctrl+t")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ChannelCopyScreen)
    dialog.query_one("#copy-tabs", TabbedContent).active = "tab-x"
    await settle(pilot)
    assert pilot.app.focused is dialog.query_one("#copy-x", TextArea)
    await type_text(pilot, text)
    return dialog


@pilot
async def test_edit_a_channels_copy_save_and_reopen(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        editor = await open_editor(pilot, seeded)
        assert "ctrl+t" in {b.key for b in editor.BINDINGS}
        dialog = await write_x_copy(pilot, "Flu shots all week #FluSeason")
        count = dialog.query_one("#count-x", Static).render()
        assert "own copy" in str(count)
        await pilot.press("ctrl+s")  # keep the dialog's copy
        await settle(pilot)
        assert app.screen is editor
        assert editor.query_one(ChannelCopySummary).variants == (
            (Channel.X, "Flu shots all week #FluSeason"),
        )
        assert "X✎ 29/280" in str(editor.query_one("#char-count", Static).render())
        await pilot.press("ctrl+s")  # save the post
        await settle(pilot)
        assert not isinstance(app.screen, PostEditor)
        saved = stored(seeded)
        assert saved.variants == ((Channel.X, "Flu shots all week #FluSeason"),)
        assert saved.body.startswith("Walk-in flu shots all week")  # Facebook keeps the main copy
        editor = await open_editor(pilot, seeded)  # reopen: the copy is there
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.screen.query_one("#copy-x", TextArea).text == "Flu shots all week #FluSeason"
        assert app.screen.query_one("#copy-facebook", TextArea).text == ""


@pilot
async def test_a_variant_over_the_limit_shows_in_the_dialog_and_the_compliance_panel(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        editor = await open_editor(pilot, seeded)
        dialog = await write_x_copy(pilot, "x")
        dialog.query_one("#copy-x", TextArea).load_text(LONG_X)
        await settle(pilot)
        assert "over" in str(dialog.query_one("#count-x", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause(0.4)  # the compliance panel re-checks after a short pause
        fields = {f.field for f in editor.query_one("#compliance-panel").findings}
        assert "body[x]" in fields


@pilot
async def test_escape_in_the_copy_dialog_asks_before_discarding(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        editor = await open_editor(pilot, seeded)
        await write_x_copy(pilot, "Short")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is editor and editor.query_one(ChannelCopySummary).variants == ()


@pilot
async def test_a_post_with_no_channels_is_told_to_pick_them_first(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        picker = app.screen.query_one(ChannelPicker)
        picker.focus()
        for _ in picker.selected:  # a new post starts on the last used channels: untick them
            await pilot.press("space")
        assert picker.selected == ()
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert any("channels first" in str(n.message) for n in app._notifications)


@pilot
async def test_comment_from_the_editor_and_read_it_in_the_history(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        editor = await open_editor(pilot, seeded)
        await pilot.press("ctrl+r")
        await settle(pilot)
        thread = app.screen
        assert isinstance(thread, CommentsScreen)
        assert app.focused is thread.query_one("#comment-input", Input)
        await type_text(pilot, "Please cite the CDC page")
        await pilot.press("enter")
        await settle(pilot)
        assert thread.query_one("#comment-input", Input).value == ""
        assert thread.query_one("#comments-thread", OptionList).option_count == 1
        database = open_db(seeded)
        try:
            assert [(c.who, c.text) for c in list_comments(database, 1)] == [
                ("tester", "Please cite the CDC page")
            ]
        finally:
            database.close()
        thread.query_one("#comments-thread", OptionList).focus()
        await pilot.press("delete")  # one's own comment can be taken back
        await settle(pilot)
        assert thread.query_one("#comments-thread", OptionList).option_count == 0
        await type_text(pilot, "Cited it")
        await pilot.press("enter")
        await settle(pilot)
        thread.query_one("#comment-input", Input).focus()
        await type_text(pilot, "half a thought")
        await pilot.press("escape")  # typed but not posted: asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is editor
        editor.query_one("#compliance-panel").action_history()  # the panel's `h`
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        rows = [
            app.screen.query_one("#history-table").get_row_at(i)[2]
            for i in range(app.screen.query_one("#history-table").row_count)
        ]
        assert "comment: Cited it" in rows and "removed comment #1" in rows


@pilot
async def test_someone_elses_comment_cannot_be_removed(seeded):
    database = open_db(seeded)
    add_comment(
        database,
        1,
        "Approver's note",
        who="Ana Approver",
        now=datetime(2026, 11, 20, 9, tzinfo=UTC),
    )
    database.close()
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await open_editor(pilot, seeded)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Ana Approver" in str(
            app.screen.query_one("#comments-thread", OptionList).get_option_at_index(0).prompt
        )
        app.screen.query_one("#comments-thread", OptionList).focus()
        await pilot.press("delete")
        await settle(pilot)
        assert app.screen.query_one("#comments-thread", OptionList).option_count == 1
        assert any("only its author" in str(n.message) for n in app._notifications)


@pilot
async def test_a_new_post_has_no_thread_until_it_is_saved(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert any("Save the post first" in str(n.message) for n in app._notifications)
        assert len(list_posts(open_db(seeded))) == 5


def test_the_new_keys_are_in_the_help_screen():
    from tui.app import CarecalApp

    sections = dict(help_sections(CarecalApp))
    editor = dict(sections["Post editor"])
    assert editor["ctrl+t"] == "Per-channel copy" and editor["ctrl+r"] == "Comments"
    assert "Per-channel copy" in sections and "Comments" in sections
    assert TODAY.year == 2026


@pilot
async def test_unticking_a_channel_with_its_own_copy_is_refused_until_it_is_cleared(seeded):
    database = open_db(seeded)
    update_post(database, replace(get_post(database, 1), variants=((Channel.X, "Short"),)))
    database.close()
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        editor = await open_editor(pilot, seeded)
        editor.query_one("#channels").toggle(Channel.X)  # untick X: its copy would go nowhere
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        error = editor.query_one("#variants-error")
        assert error.display and "does not go out on x" in str(error.render())
        await pilot.press("ctrl+t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChannelCopyScreen) and dialog.channels == (
            Channel.FACEBOOK,
            Channel.X,
        )
        dialog.query_one("#copy-x", TextArea).load_text("")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, PostEditor)
        assert stored(seeded).channels == (Channel.FACEBOOK,) and stored(seeded).variants == ()


@pilot
async def test_a_click_on_the_by_channel_line_opens_the_dialog(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        editor = await open_editor(pilot, seeded)
        assert not editor.query_one(
            ChannelCopySummary
        ).focusable  # not one more tab stop in the form
        await pilot.click("#variants")
        await settle(pilot)
        assert isinstance(app.screen, ChannelCopyScreen)
        assert app.screen.channels == (Channel.FACEBOOK, Channel.X)

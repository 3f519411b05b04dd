"""Recording where a post went live from the post editor, with Pilot: the panel, the dialog, the save."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from textual.widgets import Input, Label, Select, Static

from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.posts import add_post, get_post
from calendar_data.publish.links import published_links
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import TODAY, make_app, pilot, settle, type_text
from tui.messages import EditPost, NewPost
from tui.screens.editor import PostEditor
from tui.screens.published import PublishedScreen

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


@pytest.fixture
def calendar(db_path, small_list):
    database = open_db(db_path)
    posts = {
        "live": add_post(
            database,
            Post(
                title="Flu clinic open",
                day=date(2026, 11, 20),
                time=time(9, 0),
                body="Walk-in flu shots today at Main Street.",
                status=Status.APPROVED,
                channels=(Channel.FACEBOOK, Channel.X),
            ),
            who="seed",
            today=TODAY,
        ),
        "blocked": add_post(
            database,
            Post(
                title="Flu facts",
                day=date(2026, 11, 20),
                body="Flu shots work.",
                content_type=ContentType.EDUCATIONAL,
                channels=(Channel.FACEBOOK,),
            ),
            who="seed",
            today=TODAY,
        ),
    }
    database.close()
    return posts


def _stored(db_path, post_id):
    database = open_db(db_path)
    try:
        return get_post(database, post_id), published_links(database, post_id)
    finally:
        database.close()


async def _open_dialog(app, pilot, post):
    app.post_message(EditPost(post))
    await settle(pilot)
    assert isinstance(app.screen, PostEditor)
    app.screen.query_one("#published-record").focus()
    await pilot.press("p")
    await settle(pilot)


@pilot
async def test_record_where_a_post_went_live(calendar, db_path):
    post = calendar["live"]
    app = make_app(db_path)
    app.now = lambda: NOW
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        app.post_message(EditPost(post))
        await settle(pilot)
        assert "not recorded as published yet" in str(
            app.screen.query_one("#published-links", Static).render()
        )
        app.screen.query_one("#published-record").focus()
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PublishedScreen)
        assert (
            dialog.query_one("#published-at", Input).value == "2026-11-21 10:00"
        )  # now, team time (New York)
        assert dialog.query_one("#published-channel", Select).value == Channel.FACEBOOK
        await type_text(pilot, "ftp://example.org/x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "only http and https" in str(dialog.query_one("#url-error", Label).render())
        dialog.query_one(
            "#published-url", Input
        ).value = "https://www.facebook.com/riverside/posts/1001"
        dialog.query_one("#published-at", Input).value = "2026-11-22 09:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and "is in the future" in str(
            dialog.query_one("#at-error", Label).render()
        )
        dialog.query_one("#published-at", Input).value = "2026-11-20 09:02"
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored, links = _stored(db_path, post.id)
        assert stored.status is Status.PUBLISHED
        assert [(k.channel, k.url, k.published_at) for k in links] == [
            (
                Channel.FACEBOOK,
                "https://www.facebook.com/riverside/posts/1001",
                datetime(2026, 11, 20, 14, 2, tzinfo=UTC),
            )
        ]
        editor = app.screen
        assert (
            isinstance(editor, PostEditor) and editor.post.status is Status.PUBLISHED
        )  # reopened, fresh
        shown = str(editor.query_one("#published-links", Static).render())
        assert "facebook 20 Nov 2026 09:02 EST" in shown and "riverside/posts/1001" in shown
        editor.query_one("#published-record").focus()
        await pilot.press("p")
        await settle(pilot)
        assert (
            app.screen.query_one("#published-channel", Select).value == Channel.X
        )  # the one not yet recorded


@pilot
async def test_unsaved_changes_and_new_posts_are_not_recorded(calendar, db_path):
    app = make_app(db_path)
    app.now = lambda: NOW
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        app.post_message(EditPost(calendar["live"]))
        await settle(pilot)
        await type_text(pilot, " today")
        app.screen.query_one("#published-record").focus()
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert any("Save or undo your changes first" in n.message for n in app._notifications)
        await pilot.press("escape", "y")
        await settle(pilot)
        app.post_message(NewPost(TODAY))
        await settle(pilot)
        assert isinstance(app.screen, PostEditor) and not app.screen.query("#published-panel")


@pilot
async def test_a_blocked_post_is_refused_and_nothing_is_recorded(calendar, db_path):
    post = calendar["blocked"]
    app = make_app(db_path)
    app.now = lambda: NOW
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await _open_dialog(app, pilot, post)
        app.screen.query_one(
            "#published-url", Input
        ).value = "https://www.facebook.com/riverside/posts/7"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(n.title == "Not saved" and "sources" in n.message for n in app._notifications)
    stored, links = _stored(db_path, post.id)
    assert stored.status is Status.IDEA and links == []

"""Review comments in the editor and the history, and from the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from textual.widgets import Input

from calendar_data.comments import list_comments
from calendar_data.storage.database import open_db
from tests.functional.test_app_support import make_app, pilot, seeded_calendar, settle, type_text
from tui.cli.entry import main
from tui.history_words import describe
from tui.screens.editor import PostEditor
from tui.screens.history import HistoryScreen
from tui.widgets.comment_thread import CommentThread
from tui.widgets.compliance_panel import CompliancePanel


@pytest.fixture
def seeded(db_path, small_list):
    """The seeded November calendar."""
    return seeded_calendar(db_path)


def thread(db_path, post_id: int):
    database = open_db(db_path)
    try:
        return list_comments(database, post_id)
    finally:
        database.close()


@pilot
async def test_the_editor_shows_the_thread_and_adds_to_it(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, PostEditor)
        comments = editor.query_one(CommentThread)
        assert "No comments yet" in str(comments.query_one("#comment-list").render())
        comments.query_one("#comment-input", Input).focus()
        await type_text(pilot, "Cite the CDC page please")
        await pilot.press("enter")
        await settle(pilot)
        assert [c.body for c in thread(seeded, editor.post.id)] == ["Cite the CDC page please"]
        assert "Cite the CDC page please" in str(comments.query_one("#comment-list").render())
        assert not editor.dirty  # a comment is saved at once; cancelling the edit does not lose it
        editor.query_one(CompliancePanel).action_history()  # `h` in the panel
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert any(describe(e) == "commented: “Cite the CDC page please”" for e in app.screen.entries)


@pilot
async def test_a_new_post_has_no_thread_until_saved(seeded):
    app = make_app(seeded)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert not app.screen.query(CommentThread)


def test_cli_lists_and_adds_comments(db_path):
    runner = CliRunner()
    added = runner.invoke(main, ["posts", "add", "--title", "Flu", "--date", "2027-02-05", "--db", str(db_path)])
    post_id = added.output.strip().split()[-1]
    result = runner.invoke(main, ["comments", "add", post_id, "Needs a source", "--as", "Sam", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["comments", "list", post_id, "--json", "--db", str(db_path)])
    assert [(c["who"], c["text"]) for c in json.loads(result.output)] == [("Sam", "Needs a source")]
    result = runner.invoke(main, ["comments", "add", post_id, " ", "--db", str(db_path)])
    assert result.exit_code == 2 and "comment: write something first" in result.output

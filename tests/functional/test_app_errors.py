"""The app's one error policy, with Pilot: a failed worker or write is a notification, never an exit.

Each test injects the failure a busy calendar produces ("database is locked" from a
second writer) into the data-layer function the app calls, then checks that the app
is still running, that the user was told what failed, and that nothing typed was lost.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from textual.widgets import Input, Label, SelectionList

from calendar_data.consent import get_consent
from calendar_data.models import Channel, Post, Status
from calendar_data.posts import add_post, get_post
from tests.functional.test_app_support import TODAY, make_app, pilot, settle
from tui.messages import EditPost
from tui.screens.consent import ConsentScreen
from tui.screens.editor import PostEditor
from tui.screens.export import ExportScreen
from tui.write_path import FAILURES


def locked(*args, **kwargs):
    raise sqlite3.OperationalError("database is locked")


def errors(app) -> list[tuple[str, str]]:
    """(title, message) of every error notification the app is showing."""
    return [(n.title, n.message) for n in app._notifications if n.severity == "error"]


@pilot
async def test_a_locked_database_while_the_export_dialog_counts_is_reported(seeded, monkeypatch):
    monkeypatch.setattr("tui.screens.export.export_preview", locked)
    app = make_app(seeded)
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, ExportScreen)
        assert errors(app) == [(FAILURES["export-count"], "database is locked")]
        assert "Cannot count" in str(app.screen.query_one("#export-count", Label).render())
        monkeypatch.undo()  # the other writer is done: the next change counts again
        app.screen.query_one("#export-alarm", Input).value = "3"
        await settle(pilot)
        assert str(app.screen.query_one("#export-count", Label).render()).startswith(
            "The file will hold "
        )


async def _open_consent_dialog(pilot, app, post_id: int) -> ConsentScreen:
    app.post_message(EditPost(get_post(app.db, post_id)))
    await settle(pilot)
    assert isinstance(app.screen, PostEditor)
    app.screen.query_one("#compliance-findings").focus()
    await pilot.press("k")
    await pilot.pause()
    assert isinstance(app.screen, ConsentScreen)
    return app.screen


@pilot
async def test_a_locked_database_while_the_consent_dialog_saves_keeps_the_dialog(
    seeded, monkeypatch
):
    app = make_app(seeded)
    post_id = add_post(
        app.db,
        Post(
            title="Back on the trail",
            day=date(2026, 12, 3),
            features_patient=True,
            channels=(Channel.FACEBOOK,),
            status=Status.REVIEW,
        ),
        today=TODAY,
    ).id
    monkeypatch.setattr("tui.compliance_flow.record_consent", locked)
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        dialog = await _open_consent_dialog(pilot, app, post_id)
        dialog.query_one("#consent-form", Input).value = "PX-7"
        dialog.query_one("#consent-expires", Input).value = "2027-11-01"
        dialog.query_one("#consent-media", SelectionList).select("photo")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert errors(app) == [(FAILURES["consent"], "database is locked")]
        assert app.screen is dialog, "a failed save leaves the dialog open"
        assert dialog.query_one("#consent-form", Input).value == "PX-7", "and what was typed in it"
        assert get_consent(app.db, post_id) is None
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PostEditor)
        assert get_consent(app.db, post_id).form_ref == "PX-7"


@pilot
async def test_a_failed_post_save_keeps_the_editor_and_the_draft(seeded, monkeypatch):
    app = make_app(seeded)
    monkeypatch.setattr("tui.posts_flow.update_post", locked)
    post = get_post(app.db, 1)  # the seeded "Flu clinic this week"
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        app.post_message(EditPost(post))
        await settle(pilot)
        editor = app.screen
        editor.query_one("#title", Input).value = "Flu clinic: extra hours"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is editor
        assert editor.query_one("#title", Input).value == "Flu clinic: extra hours"
        assert errors(app) == [(FAILURES["post"], "database is locked")]
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, PostEditor)
        assert get_post(app.db, 1).title == "Flu clinic: extra hours"


@pilot
async def test_a_failed_read_worker_is_reported_by_the_same_handler(seeded, monkeypatch):
    app = make_app(seeded)
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app, "read", locked)
        await pilot.press("g")  # the agenda loads in a worker
        await settle(pilot)
        assert app.is_running
        assert (FAILURES["load"], "database is locked") in errors(app)


def test_every_worker_a_screen_starts_is_named_in_the_failure_table():
    """A worker missing from FAILURES would be reported as 'Something went wrong': name them all."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "tui"
    names = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'_worker\("([\w-]+)"', text))
        names |= set(re.findall(r'@work\([^)]*name="([\w-]+)"', text))
        assert "exit_on_error=True" not in text, path
        for call in re.findall(r"@work\(([^)]*)\)", text):
            assert "exit_on_error=False" in call and "name=" in call, f"{path}: @work({call})"
    assert names and names <= set(FAILURES)

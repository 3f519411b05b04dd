"""The export dialog with Pilot: live count, writing the file, rebuilding a feed, importing a file."""

from __future__ import annotations

import threading
from datetime import date

import icalendar
import pytest
from textual.app import App
from textual.widgets import Input, Label, Static

from calendar_data.ical.feeds import Feed, Scope, add_feed
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import load_settings
from tests.functional.test_app_support import NOW, TODAY, pilot, settle
from tests.ics_support import ICS, fill_calendar
from tui.screens.export import ExportContext, ExportScreen, default_file
from tui.write_path import WritePath


class Host(WritePath, App):
    """Just enough of CarecalApp for the dialog: the write path, and the context the app hands it."""

    def __init__(self, db, db_path) -> None:
        super().__init__()
        self.db, self.db_path = db, str(db_path)
        self.result = "not dismissed"
        self.changes = 0

    def read(self, fetch):
        if threading.current_thread() is threading.main_thread():
            return fetch(self.db)
        reader = open_db(self.db_path, migrate=False)
        try:
            return fetch(reader)
        finally:
            reader.close()

    def data_changed(self) -> None:
        self.changes += 1

    def on_mount(self) -> None:
        context = ExportContext(
            today=TODAY,
            now=lambda: NOW,
            settings=load_settings(self.db),
            read=self.read,
            write=lambda write: self.guard(lambda: write(self.db), failure="import"),
        )
        self.push_screen(ExportScreen(context), self._done)

    def _done(self, result) -> None:
        self.result = result


@pytest.fixture
def host(db, db_path, small_list):
    fill_calendar(db)
    return Host(db, db_path)


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Label).render())


def test_default_file_names_a_quarter_or_the_dates():
    assert default_file(date(2027, 1, 1), date(2027, 3, 31)) == "carecal-2027Q1.ics"
    assert default_file(date(2027, 1, 5), date(2027, 3, 31)) == "carecal-2027-01-05-2027-03-31.ics"


@pilot
async def test_the_dialog_shows_a_live_event_count(host):
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        assert host.screen.query_one("#export-from", Input).value == "2026-10-01"
        before = _text(host, "#export-count")
        assert before.startswith("The file will hold ")
        host.screen.query_one("#export-from", Input).value = "2027-01-01"
        host.screen.query_one("#export-to", Input).value = "2027-03-31"
        await settle(pilot)
        host.screen.query_one("#export-holidays").value = False
        host.screen.query_one("#export-observances").value = False
        await settle(pilot)
        assert _text(host, "#export-count") == "The file will hold 2 events."
        host.screen.query_one("#export-posts").value = False
        await settle(pilot)
        assert (
            _text(host, "#export-count")
            == "Cannot export: tick at least one of posts, observances, holidays"
        )
        host.screen.query_one("#export-posts").value = True
        host.screen.query_one("#export-to", Input).value = "2027-13-01"
        await settle(pilot)
        assert _text(host, "#export-count").startswith("Cannot export:")


@pilot
async def test_ctrl_s_writes_the_file_in_a_worker_and_dismisses(host, tmp_path):
    target = tmp_path / "out.ics"
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        host.screen.query_one("#export-from", Input).value = "2027-01-01"
        host.screen.query_one("#export-to", Input).value = "2027-03-31"
        host.screen.query_one("#export-alarm", Input).value = "7"
        host.screen.query_one("#export-path", Input).value = str(target)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert host.result.path == target and host.result.events > 0
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert len(calendar.walk("VEVENT")) == host.result.events
    assert calendar.walk("VALARM")


@pilot
async def test_b_rebuilds_the_selected_feed(host, db, tmp_path):
    target = tmp_path / "feed.ics"
    add_feed(
        db, Feed("Cardiology team", Scope(date(2027, 1, 1), date(2027, 3, 31)), path=str(target))
    )
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        host.screen.query_one("#export-feeds").focus()
        await pilot.press("b")
        await settle(pilot)
    assert target.exists()
    assert icalendar.Calendar.from_ical(target.read_bytes())["X-WR-CALNAME"] == "Cardiology team"


@pilot
async def test_import_previews_then_writes(host, db):
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        host.screen.query_one("#import-path", Input).value = str(ICS / "outlook.ics")
        host.screen.query_one("#import-preview").press()
        await settle(pilot)
        preview = str(host.screen.query_one("#import-result", Static).render())
        assert "would import posts: 10 added" in preview
        assert (
            db.execute("SELECT count(*) FROM posts WHERE external_uid IS NOT NULL").fetchone()[0]
            == 0
        )
        host.screen.query_one("#import-apply").press()
        await settle(pilot)
        assert "imported posts: 10 added" in str(
            host.screen.query_one("#import-result", Static).render()
        )
    assert host.changes == 1
    assert (
        db.execute("SELECT count(*) FROM posts WHERE external_uid IS NOT NULL").fetchone()[0] == 10
    )


@pilot
async def test_a_broken_import_file_is_reported_not_raised(host):
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        host.screen.query_one("#import-path", Input).value = str(ICS / "bad-truncated.ics")
        host.screen.query_one("#import-preview").press()
        await settle(pilot)
        assert "error: bad-truncated.ics:4: truncated" in str(
            host.screen.query_one("#import-result", Static).render()
        )


@pilot
async def test_escape_closes(host):
    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert host.result is None


@pilot
async def test_a_file_that_cannot_be_written_is_reported_and_the_dialog_stays(host, tmp_path):
    from textual.widgets import Button

    from tui.write_path import FAILURES

    async with host.run_test(size=(110, 44)) as pilot:
        await settle(pilot)
        host.screen.query_one("#export-path", Input).value = str(tmp_path)  # a folder, not a file
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(host.screen, ExportScreen) and host.result == "not dismissed"
        assert not host.screen.query_one("#export-write", Button).disabled
        [note] = [n for n in host._notifications if n.severity == "error"]
        assert note.title == FAILURES["export-write"] and "is a folder" in note.message

"""The export dialog's publisher formats with Pilot: the choice, disabled formats, rule breaks, writing.

The files are read back with the csv module (a second parser) and compared with
what Sprout's help centre documents (see docs/publishing.md).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from textual.app import App
from textual.widgets import Checkbox, Input, Label, RadioButton, Select, Static

from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.posts import add_post, get_post, update_post
from calendar_data.settings import DEFAULT_TRUSTED_DOMAINS
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import load_settings, save_settings
from tests.functional.test_app_support import pilot
from tui.screens.export import ExportContext, ExportScreen
from tui.write_path import WritePath

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 21)


class Host(WritePath, App):
    """Just enough of CarecalApp for the dialog: the write path and the context the app hands it."""

    def __init__(self, db, db_path) -> None:
        super().__init__()
        self.db, self.db_path = db, str(db_path)
        self.settings, self.today = load_settings(db), TODAY
        self.now = lambda: NOW

    def data_changed(self) -> None:
        pass

    def read(self, fetch):
        import threading

        if threading.current_thread() is threading.main_thread():
            return fetch(self.db)
        reader = open_db(self.db_path, migrate=False)
        try:
            return fetch(reader)
        finally:
            reader.close()

    def on_mount(self) -> None:
        context = ExportContext(
            today=TODAY,
            now=self.now,
            settings=load_settings(self.db),
            read=self.read,
            write=lambda write: self.guard(lambda: write(self.db), failure="import"),
        )
        self.push_screen(ExportScreen(context))


@pytest.fixture
def planned(db, small_list):
    """Two approved posts 5 minutes apart on X (a Sprout rule break) and one blocked by compliance."""
    trusted = replace(
        load_settings(db), trusted_domains=(*DEFAULT_TRUSTED_DOMAINS, "riverside-health.org")
    )
    save_settings(db, trusted)

    def add(title, at, channels, **extra):
        return add_post(
            db,
            Post(
                title=title,
                day=date(2026, 12, 1),
                time=at,
                body=f"{title}, at Riverside.",
                channels=channels,
                status=Status.APPROVED,
                **extra,
            ),
            who="tester",
            today=TODAY,
        )

    posts = {
        "kickoff": add("Winter wellness kickoff", time(9, 0), (Channel.FACEBOOK, Channel.X)),
        "close": add("Flu shots today", time(9, 5), (Channel.X,)),
        "blocked": add(
            "Flu facts",
            time(11, 0),
            (Channel.FACEBOOK,),
            content_type=ContentType.EDUCATIONAL,
            sources=("https://www.riverside-health.org/flu",),
        ),
    }
    save_settings(
        db, replace(trusted, trusted_domains=DEFAULT_TRUSTED_DOMAINS)
    )  # its source is no longer trusted
    return posts


async def _settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _label(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Label).render())


@pilot
async def test_formats_offered_and_refused_with_the_reason(db, db_path, planned):
    app = Host(db, db_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await _settle(app, pilot)
        buttons = {b.id: b for b in app.screen.query(RadioButton)}
        assert list(buttons) == [
            "format-ics",
            "format-sprout",
            "format-hootsuite",
            "format-buffer",
            "format-later",
        ]
        assert buttons["format-ics"].value and not buttons["format-sprout"].disabled
        assert all(buttons[f"format-{n}"].disabled for n in ("hootsuite", "buffer", "later"))
        note = str(app.screen.query_one("#export-refused", Static).render())
        assert note.startswith("Hootsuite, Buffer, Later: not offered: no help-centre description")
        await pilot.click("#format-hootsuite")  # disabled: nothing changes
        await _settle(app, pilot)
        assert app.screen.vendor == "ics" and "events" in _label(app, "#export-count")


@pilot
async def test_sprout_rule_breaks_and_kept_back_posts_are_listed_and_nothing_is_written(
    db, db_path, planned, tmp_path
):
    app = Host(db, db_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await _settle(app, pilot)
        await pilot.click("#format-sprout")
        await _settle(app, pilot)
        screen = app.screen
        assert screen.vendor == "sprout"
        assert screen.query_one("#export-path", Input).value.endswith(".csv")
        assert not screen.query_one("#export-posts", Checkbox).display
        assert screen.query_one("#export-date-order", Select).value == "mdy"  # a US team
        assert (
            _label(app, "#export-count") == "Cannot write: 1 rule break Sprout Social would refuse."
        )
        report = str(screen.query_one("#export-vendor-report", Static).render())
        close, kickoff, blocked = (planned[k].id for k in ("close", "kickoff", "blocked"))
        assert f"post {close} on x: is 5 minutes after post {kickoff}" in report
        assert f"post {blocked} (Flu facts): blocked by compliance: sources:" in report
        out = tmp_path / "out"
        out.mkdir()
        screen.query_one("#export-path", Input).value = str(out / "dec.csv")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert isinstance(app.screen, ExportScreen) and list(out.iterdir()) == []
        assert any(
            "rule break" in n.message and "Nothing written" in n.message for n in app._notifications
        )


@pilot
async def test_sprout_files_are_written_through_write_bulk(db, db_path, planned, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    moved = get_post(db, planned["close"].id)
    update_post(db, replace(moved, time=time(9, 30)), today=TODAY)
    app = Host(db, db_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await _settle(app, pilot)
        await pilot.click("#format-sprout")
        await _settle(app, pilot)
        screen = app.screen
        screen.query_one("#export-date-order", Select).value = "dmy"
        screen.query_one("#export-path", Input).value = str(out / "dec.csv")
        await _settle(app, pilot)
        assert _label(app, "#export-count") == "Sprout Social: 2 posts in 2 files."
        assert "dec-facebook.csv (1), dec-x.csv (2)" in str(
            screen.query_one("#export-vendor-report", Static).render()
        )
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert not isinstance(app.screen, ExportScreen)
    files = sorted(p.name for p in out.iterdir())
    assert files == ["dec-facebook.csv", "dec-x.csv"]
    rows = list(csv.reader(io.StringIO((out / "dec-x.csv").read_text("utf-8"))))
    assert rows == [
        ["date", "time_24hr", "message_text"],
        ["01/12/2026", "09:00", "Winter wellness kickoff, at Riverside."],
        ["01/12/2026", "09:30", "Flu shots today, at Riverside."],
    ]
    assert (out / "dec-x.csv").read_bytes().count(b"\r\n") == 3

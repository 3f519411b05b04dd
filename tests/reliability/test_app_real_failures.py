"""The app on a calendar whose disk fills up underneath it: a notice, nothing typed lost, then it saves.

A real failure, not an injected exception: the calendar lives on a small tmpfs that the test fills
while the app runs (needs root to mount; skipped otherwise). A file system turned read-only under a
running app cannot be staged this way (Linux refuses to remount a file system with files open for
writing), so that case is covered by the injected failures in tests/functional/test_app_errors.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Input

from calendar_data.posts import list_posts
from calendar_data.storage.database import open_db
from tests.functional.test_app_month import type_text
from tests.functional.test_app_support import TODAY, make_app, pilot, seeded_calendar, settle
from tui.screens.editor import PostEditor


def _errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb") as out:
        while True:
            try:
                out.write(b"\0" * 65536)
                out.flush()
            except OSError:
                return


async def _type_a_new_post(pilot, title: str) -> None:
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PostEditor)
    await type_text(pilot, title)
    await pilot.press("ctrl+s")
    await settle(pilot)


@pilot
async def test_a_full_disk_while_saving_keeps_the_editor_and_the_typing(tmpfs, small_list):
    folder = tmpfs.mount("2m")
    path = seeded_calendar(folder / "cal.db")
    app = make_app(path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        _fill(folder)
        big = "A" * 200
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#body").text = big * 50  # a save that needs new pages
        await type_text(pilot, "Written on a full disk")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
        if _errors(app):  # SQLite could not grow the file: the user is told and keeps the form
            assert any("full" in e or "disk" in e for e in _errors(app)), _errors(app)
            assert isinstance(app.screen, PostEditor)
            assert app.screen.query_one("#title", Input).value == "Written on a full disk"
        os.unlink(folder / "filler")
        if isinstance(app.screen, PostEditor):
            await pilot.press("ctrl+s")  # space again: the same form saves
            await settle(pilot)
        assert not isinstance(app.screen, PostEditor)
    titles = [p.title for p in list_posts(open_db(path), TODAY, TODAY)]
    assert titles.count("Written on a full disk") == 1

"""Sync from the app against a real Radicale: the S key, the top bar's status, the conflicts screen.

The app runs the sync in a worker with its own connection to the calendar
file; the test waits for that worker, then checks what the other teammate's
calendar and the server got.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from calendar_data.models import Post, Status
from calendar_data.posts import add_post, delete_post, get_post, list_posts, update_post
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import load_settings
from calendar_data.sync import list_conflicts, pending_changes
from tests.functional.test_app_support import pilot, settle
from tests.sync.conftest import NOW, TODAY
from tests.sync.test_held_by_gate import overridden_phone_post
from tui.screens.conflicts import ConflictsScreen
from tui.widgets.top_bar import TopBar


def _app(path, **kwargs):
    from tui.app import CarecalApp

    db = open_db(path)
    return CarecalApp(
        db=db, settings=load_settings(db), today=TODAY, db_path=str(path), now=lambda: NOW, **kwargs
    )


async def _sync(pilot) -> None:
    await pilot.press("S")
    await settle(pilot)
    await settle(pilot)


def _bar(app) -> str:
    return app.screen_stack[0].query_one(TopBar).render().plain


@pilot
async def test_s_syncs_from_the_app_and_the_top_bar_follows(team):
    alice, bob, _ = team
    add_post(
        alice.db, Post(title="Flu clinic hours", day=date(2027, 3, 10), body="Walk-in #flu shots")
    )
    app = _app(alice.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = _bar(app)  # at 80 columns the tabs shrink to their keys to make room
        assert "⇅ never synced · 1 to send" in bar and " q  g  a " in bar and len(bar) <= 80
        await _sync(pilot)
        assert pending_changes(alice.db, "team") == 0
        assert "⇅ synced 04:00" in _bar(app) and "to send" not in _bar(app)  # 09:00 UTC in New York
    assert bob.sync().pulled["new"] == 1
    assert [p.title for p in list_posts(bob.db)] == ["Flu clinic hours"]


@pilot
async def test_wide_top_bar_says_it_in_words(team):
    alice, _, _ = team
    add_post(alice.db, Post(title="Heart month", day=date(2027, 3, 2)))
    app = _app(alice.path)
    async with app.run_test(size=(150, 30)) as pilot:
        await settle(pilot)
        assert "⇅ never synced · 1 to send" in _bar(app)
        assert "Campaigns" in _bar(app)  # full tabs: there is room


@pilot
async def test_the_top_bar_says_what_this_machine_holds_back(team):
    alice, bob, _ = team
    overridden_phone_post(alice.db, Status.PUBLISHED)
    alice.sync()
    bob.sync()
    app = _app(bob.path)
    async with app.run_test(size=(150, 30)) as pilot:
        await settle(pilot)
        assert "⇅ synced 04:00 · 1 held here" in _bar(app) and "to send" not in _bar(app)
        await _sync(pilot)  # held, not sent back: still nothing to send
        assert "1 held here" in _bar(app) and "to send" not in _bar(app)


@pilot
async def test_a_conflict_is_shown_and_resolved_field_by_field_in_the_screen(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Flu clinic", day=date(2027, 3, 10), body="first copy"))
    alice.sync()
    bob.sync()
    mine = list_posts(alice.db)[0]
    theirs = list_posts(bob.db)[0]
    update_post(alice.db, replace(mine, title="Flu clinic (Alice)", body="alice's copy"))
    update_post(bob.db, replace(theirs, title="Flu clinic (Bob)", body="bob's copy"))
    bob.sync()
    app = _app(alice.path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await _sync(pilot)
        assert "1 conflict" in _bar(app)
        await pilot.press("Y")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        assert screen.conflicts[0]["fields"] == ["title", "body"]
        await pilot.press("r")  # title: the server's (Bob's); the cursor moves on to body
        await pilot.press("l")  # body: this calendar's (Alice's)
        assert screen.choices == {"title": "remote", "body": "local"}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.conflicts == [] and "No sync conflicts" in str(
            screen.query_one("#conflicts-heading").render()
        )
        await pilot.press("escape")
        await _sync(pilot)  # the merged version goes up
        assert "conflict" not in _bar(app)
    post = get_post(alice.db, mine.id)
    assert (post.title, post.body) == ("Flu clinic (Bob)", "alice's copy")
    assert list_conflicts(alice.db) == []
    bob.sync()
    got = list_posts(bob.db)[0]
    assert (got.title, got.body) == ("Flu clinic (Bob)", "alice's copy")


@pilot
async def test_a_delete_against_an_edit_is_kept_or_dropped_whole(team):
    alice, bob, _ = team
    add_post(alice.db, Post(title="Retired idea", day=date(2027, 3, 12)))
    alice.sync()
    bob.sync()
    mine = list_posts(alice.db)[0]
    delete_post(bob.db, list_posts(bob.db)[0].id)
    bob.sync()
    update_post(alice.db, replace(mine, title="Retired idea, revived"))
    app = _app(alice.path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await _sync(pilot)
        await pilot.press("Y")
        await settle(pilot)
        screen = app.screen
        assert screen.conflicts[0]["kind"] == "deleted-there"
        assert "deleted on the server" in str(screen.query_one("#conflict-kind").render())
        await pilot.press("r")  # the server's side: the deletion
        assert screen.choices == {"*": "remote"}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.conflicts == []
    assert list_posts(alice.db) == [] and list_conflicts(alice.db) == []


@pilot
async def test_sync_every_syncs_by_itself_while_the_app_is_open(team, monkeypatch):
    import asyncio

    from tui import sync_flow

    alice, bob, _ = team
    monkeypatch.setattr(sync_flow, "MINUTE_S", 0.2)
    add_post(alice.db, Post(title="Timed", day=date(2027, 3, 3)))
    app = _app(alice.path, sync_every=1)
    async with app.run_test(size=(100, 24)) as pilot:
        for _ in range(100):
            await asyncio.sleep(0.1)
            if pending_changes(alice.db, "team") == 0:
                break
        await settle(pilot)
        assert pending_changes(alice.db, "team") == 0
        assert not any(n.title == "Sync failed" for n in app._notifications)
    assert bob.sync().pulled["new"] == 1


def test_config_sync_every_reaches_the_app(team, isolated_dirs, monkeypatch):
    from click.testing import CliRunner

    from tui.app import CarecalApp
    from tui.cli.entry import main

    alice, _, _ = team
    config = isolated_dirs / "config" / "carecal" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("sync_every = 15\n")
    seen = {}
    monkeypatch.setattr(
        CarecalApp, "run", lambda self: seen.update(every=self.sync_every, ro=self.read_only)
    )
    result = CliRunner().invoke(main, ["--db", str(alice.path)])
    assert result.exit_code == 0, result.output
    assert seen == {"every": 15, "ro": False}


@pilot
async def test_a_server_that_refuses_is_a_notification_not_a_crash(team, monkeypatch):
    alice, _, _ = team
    monkeypatch.setenv("CARECAL_TEST_PASSWORD", "wrong")
    app = _app(alice.path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await _sync(pilot)
        assert app.is_running
        assert any(n.title == "Sync failed" for n in app._notifications)
        assert "sync failed" in _bar(app)


@pilot
async def test_read_only_app_refuses_to_sync(team):
    alice, _, _ = team
    add_post(alice.db, Post(title="Stays here", day=date(2027, 3, 10)))
    app = _app(alice.path, read_only=True)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await _sync(pilot)
        assert any(n.title == "Read-only" for n in app._notifications)
    assert pending_changes(alice.db, "team") == 1

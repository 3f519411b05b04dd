"""Reviewers' modes without a browser: approve and reject from the day dialog; --read-only refuses it all."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from calendar_data.models import Status
from calendar_data.posts import list_posts
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import load_settings
from tests.functional.test_app_support import STAMP, pilot, settle
from tests.web.web_support import TODAY, review_calendar
from tui.cli.entry import main
from tui.cli.web import app_command, local_page


def _app(path, **kwargs):
    from tui.app import CarecalApp

    db = open_db(path)
    return CarecalApp(
        db=db,
        settings=load_settings(db),
        today=TODAY,
        now=lambda: STAMP,
        db_path=str(path),
        **kwargs,
    )


def _status(path) -> Status:
    db = open_db(path)
    try:
        [post] = list_posts(db)
        return post.status
    finally:
        db.close()


@pilot
async def test_day_dialog_approves_then_rejects(tmp_path):
    path = review_calendar(tmp_path / "c.db")
    app = _app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the day dialog on today
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert _status(path) is Status.APPROVED
        await pilot.press("X")
        await settle(pilot)
    assert _status(path) is Status.REJECTED


@pilot
async def test_read_only_refuses_approve_edit_and_comments(tmp_path):
    path = review_calendar(tmp_path / "c.db")
    app = _app(path, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert any(n.title == "Read-only" for n in app._notifications)
        await pilot.press("e")  # the editor opens to read; saving is refused
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
    assert _status(path) is Status.REVIEW


@pilot
async def test_read_only_refuses_exports_and_reports(tmp_path):
    from tui.screens.export import ExportScreen

    path = review_calendar(tmp_path / "c.db")
    app = _app(path, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert sum(n.title == "Read-only" for n in app._notifications) == 1


def test_read_only_connection_cannot_write_even_past_the_app(tmp_path):
    import sqlite3

    path = review_calendar(tmp_path / "c.db")
    app = _app(path, read_only=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        app.db.execute("UPDATE posts SET title = 'x'")


def test_non_loopback_host_needs_public(tmp_path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "web", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--host 0.0.0.0: not a loopback address" in result.output and "--public" in result.output


def test_public_bind_warns_and_serves(tmp_path, monkeypatch):
    from textual_serve.server import Server

    served = {}
    monkeypatch.setattr(
        Server, "serve", lambda self, debug=False: served.update(host=self.host, cmd=self.command)
    )
    result = CliRunner().invoke(
        main,
        [
            "--db",
            str(tmp_path / "c.db"),
            "web",
            "--host",
            "0.0.0.0",
            "--public",
            "--read-only",
            "--port",
            "8123",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0:8123 with no login" in result.output
    assert served["host"] == "0.0.0.0" and served["cmd"].endswith("--read-only")


def test_loopback_is_the_default_and_says_nothing_of_the_network(tmp_path, monkeypatch):
    from textual_serve.server import Server

    served = {}
    monkeypatch.setattr(
        Server, "serve", lambda self, debug=False: served.update(host=self.host, cmd=self.command)
    )
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "web"])
    assert result.exit_code == 0, result.output
    assert served["host"] == "127.0.0.1" and "warning" not in result.output
    assert "--read-only" not in served["cmd"] and str(tmp_path / "c.db") in served["cmd"]


def test_page_asks_no_other_site(tmp_path):
    page = (local_page(tmp_path) / "app_index.html").read_text()
    assert "googleapis" not in page and "textual.js" in page


def test_app_command_passes_the_calendar_and_mode(tmp_path):
    command = app_command(tmp_path / "my cal.db", read_only=True, today="2026-11-21")
    assert "'" in command and command.endswith("--today 2026-11-21 --read-only")


def test_read_only_is_refused_for_a_command_it_would_not_stop(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "--db",
            str(tmp_path / "c.db"),
            "--read-only",
            "posts",
            "add",
            "--title",
            "x",
            "--date",
            "2027-01-01",
        ],
    )
    assert result.exit_code == 2 and "--read-only opens the app read-only" in result.output
    assert not (tmp_path / "c.db").exists()

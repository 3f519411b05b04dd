"""Backups while the calendar is in use, daily rotating backups, and restore (compared row for row)."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from calendar_data.models import Post
from calendar_data.posts import add_post, delete_post
from calendar_data.settings import Settings
from calendar_data.storage.backup_files import backup_dir, latest_backup
from calendar_data.storage.backups import daily_backup, restore
from calendar_data.storage.connection import data_version
from calendar_data.storage.database import open_db
from calendar_data.storage.errors import StoreError
from calendar_data.storage.settings_table import load_settings, save_settings
from tests.reliability.support import fingerprint, integrity

DAY = date(2026, 11, 21)


@pytest.fixture
def filled(db_path: Path) -> Path:
    db = open_db(db_path)
    for i in range(30):
        add_post(db, Post(title=f"Post {i}", day=date(2027, 1, 1 + i), tags=(f"t{i % 3}",)))
    db.close()
    return db_path


def content(path: Path) -> list[str]:
    """Every row of every carecal table, as SQL (the migrations record included)."""
    with closing(sqlite3.connect(path)) as conn:
        return [line for line in conn.iterdump() if line.startswith("INSERT")]


def private(path: Path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_cli_backup_works_while_another_connection_holds_a_write_transaction(run, filled, tmp_path):
    other = sqlite3.connect(filled, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM posts")  # not committed: the backup must not see it
    app = open_db(filled)  # and the app is open
    try:
        result = run("backup", "-o", str(tmp_path / "copy.db"))
    finally:
        other.execute("ROLLBACK")
        other.close()
        app.close()
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy.db"
    assert not integrity(copy) and private(copy)
    assert fingerprint(copy) == fingerprint(filled)
    assert not Path(f"{copy}-wal").exists()  # one self-contained file


def test_backup_refuses_to_overwrite_the_calendar_itself(run, filled):
    before = filled.read_bytes()
    for target in (filled, Path(f"{filled}-wal")):
        result = run("backup", "-o", str(target))
        assert result.exit_code == 2 and "is the calendar itself" in result.output
    assert filled.read_bytes() == before


def test_daily_backups_once_a_day_keep_the_newest(filled):
    db = open_db(filled)
    made = [daily_backup(db, filled, today=DAY + timedelta(days=n), keep=3) for n in range(5)]
    assert all(made)
    assert daily_backup(db, filled, today=DAY + timedelta(days=4), keep=3) is None  # once a day
    assert daily_backup(db, filled, today=DAY + timedelta(days=9), keep=0) is None  # turned off
    kept = sorted(p.name for p in backup_dir(filled).iterdir())
    assert kept == [f"calendar-{DAY + timedelta(days=n)}.daily.db" for n in (2, 3, 4)]
    assert all(private(p) for p in backup_dir(filled).iterdir())
    assert stat.S_IMODE(os.stat(backup_dir(filled)).st_mode) == 0o700
    assert latest_backup(filled) == made[-1]
    db.close()


def test_app_start_makes_the_days_backup_with_the_kept_count_from_settings(
    run, filled, monkeypatch
):
    opened = []
    monkeypatch.setattr("tui.app.CarecalApp.run", lambda self: opened.append(self.db_path))
    assert run("settings", "set", "backups_kept", "2").exit_code == 0
    for n in range(4):
        result = run(today=(DAY + timedelta(days=n)).isoformat())
        assert result.exit_code == 0, result.output
    assert len(opened) == 4
    assert sorted(p.name for p in backup_dir(filled).iterdir()) == [
        f"calendar-{DAY + timedelta(days=2)}.daily.db",
        f"calendar-{DAY + timedelta(days=3)}.daily.db",
    ]


@pytest.mark.parametrize("value", ["367", "lots", "100000", "", "3.5"])
def test_backups_kept_setting_refuses_bad_values_by_name(run, filled, value):
    result = run("settings", "set", "backups_kept", value)
    assert (
        result.exit_code == 2
        and "backups_kept" in result.output
        and "Traceback" not in result.output
    )
    db = open_db(filled)
    assert load_settings(db).backups_kept == Settings().backups_kept
    db.close()


def test_restore_brings_back_exactly_the_backup_and_keeps_the_current_file(run, filled, tmp_path):
    assert run("backup", "-o", str(tmp_path / "monday.db")).exit_code == 0
    db = open_db(filled)
    for post_id in (1, 2, 3):
        delete_post(db, post_id)
    add_post(db, Post(title="Written after the backup", day=date(2027, 5, 1)))
    save_settings(db, Settings(country="GB", timezone="Europe/London"))
    db.close()
    tuesday = content(filled)

    refused = run("restore", str(tmp_path / "monday.db"), input="n\n")
    assert (
        refused.exit_code == 1 and content(filled) == tuesday
    )  # asked first; "no" changes nothing
    result = run("restore", str(tmp_path / "monday.db"), input="y\n")
    assert result.exit_code == 0, result.output
    assert content(filled) == content(tmp_path / "monday.db")
    assert not integrity(filled) and private(filled)
    kept = [p for p in backup_dir(filled).iterdir() if "before-restore" in p.name]
    assert len(kept) == 1 and content(kept[0]) == tuesday and private(kept[0])


def test_an_open_app_sees_the_restored_calendar(filled, tmp_path):
    app = open_db(filled)
    copy = tmp_path / "copy.db"
    from calendar_data.storage.copy import backup

    backup(app, copy)
    add_post(app, Post(title="later", day=date(2027, 6, 1)))
    version = data_version(app)
    restore(filled, copy)
    assert data_version(app) != version  # the screen's change check notices
    assert app.execute("SELECT count(*) FROM posts").fetchone()[0] == 30
    app.close()


@pytest.mark.parametrize("kind", ["text", "truncated", "not-carecal", "newer", "itself", "missing"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(run, filled, tmp_path, kind):
    source = tmp_path / f"{kind}.db"
    if kind == "text":
        source.write_text("not a database\n")
    elif kind == "truncated":
        assert run("backup", "-o", str(source)).exit_code == 0
        source.write_bytes(source.read_bytes()[:5000])
    elif kind == "not-carecal":
        with closing(sqlite3.connect(source)) as conn:
            conn.execute("CREATE TABLE shopping (item)")
            conn.commit()
    elif kind == "newer":
        assert run("backup", "-o", str(source)).exit_code == 0
        with closing(sqlite3.connect(source)) as conn:
            conn.execute(
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES ('carecal', 'm999_future', 'x')"
            )
            conn.commit()
    elif kind == "itself":
        source = filled
    before = filled.read_bytes()
    result = run("restore", str(source), "--yes")
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert (
        "\n" not in line
        and "Traceback" not in line
        and (str(source) in line or source.name in line)
    )
    assert filled.read_bytes() == before
    with pytest.raises(StoreError):
        restore(filled, source)

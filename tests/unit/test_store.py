"""Opening, migrating and backing up the calendar file."""

from __future__ import annotations

import os
import random
import sqlite3
import stat

import pytest

from calendar_data.settings import Settings, SettingsError, resolve_db_path
from calendar_data.storage import database, migrations
from calendar_data.storage.changelog import change_log
from calendar_data.storage.copy import backup
from calendar_data.storage.database import open_db, schema_steps
from calendar_data.storage.errors import StoreError
from calendar_data.storage.settings_table import load_settings, save_settings


def test_new_file_is_private_wal_with_foreign_keys(db_path):
    db = open_db(db_path)
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert {
        "posts",
        "campaigns",
        "tags",
        "post_tags",
        "post_channels",
        "consents",
        "changes",
        "custom_observances",
        "observance_prefs",
        "settings",
    } <= set(db.table_names())
    indexes = {
        row[1] for row in db.execute("SELECT * FROM sqlite_master WHERE type = 'index'").fetchall()
    }
    assert "posts_by_date" in indexes


def test_second_open_is_harmless(db_path):
    open_db(db_path).close()
    db = open_db(db_path)
    assert schema_steps(db) == [name for name, _ in migrations.STEPS]
    assert not list(db_path.parent.glob("*.bak"))  # nothing pending, no backup


def test_pending_migration_backs_up_first(db_path, monkeypatch):
    db = open_db(db_path)
    db.execute("INSERT INTO tags (name) VALUES ('keep-me')")
    db.conn.commit()
    db.close()

    def m002_add_column(db):
        db.execute("ALTER TABLE tags ADD COLUMN note TEXT")

    monkeypatch.setattr(
        migrations, "STEPS", (*migrations.STEPS, ("m002_add_column", m002_add_column))
    )

    monkeypatch.setattr(database, "STEPS", migrations.STEPS)
    db = open_db(db_path)
    assert "note" in db["tags"].columns_dict
    backups = list(db_path.parent.glob("calendar.db.*.before-m002_add_column.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(os.stat(backups[0]).st_mode) == 0o600
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT name FROM tags").fetchall() == [("keep-me",)]
        assert "note" not in [r[1] for r in old.execute("PRAGMA table_info(tags)")]


def test_failed_migration_leaves_database_as_it_was(db_path, monkeypatch):
    open_db(db_path).close()

    def m002_broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(database, "STEPS", (*migrations.STEPS, ("m002_broken", m002_broken)))
    with pytest.raises(RuntimeError):
        open_db(db_path)
    monkeypatch.setattr(database, "STEPS", migrations.STEPS)
    db = open_db(db_path)
    assert "half_done" not in db.table_names()


def test_newer_database_is_refused(db_path):
    db = open_db(db_path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('carecal', 'm999_future', 'x')"
    )
    db.conn.commit()
    db.close()
    with pytest.raises(StoreError, match="newer carecal"):
        open_db(db_path)


@pytest.mark.parametrize(
    "content",
    [b"hello, I am a text file\n", random.Random(7).randbytes(4096)],
    ids=["text", "random"],
)
def test_non_sqlite_file_is_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError):
        open_db(path)
    assert path.read_bytes() == content


def test_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="folder"):
        open_db(tmp_path)


def test_backup_is_consistent_and_private(db, tmp_path):
    db.execute("INSERT INTO tags (name) VALUES ('a')")
    db.conn.commit()
    copy = backup(db, tmp_path / "out" / "copy.db")
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT name FROM tags").fetchall() == [("a",)]


def test_settings_round_trip_and_log(db):
    assert load_settings(db) == Settings()
    changed = save_settings(
        db, Settings(country="GB", timezone="Europe/London", regions=("global", "UK")), who="lead"
    )
    assert load_settings(db) == changed
    entry = change_log(db, entity="settings")[0]
    assert entry.who == "lead" and set(entry.changes) == {"country", "timezone", "regions"}


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        (Settings(timezone="Mars/Olympus"), "timezone"),
        (Settings(regions=("EU-West",)), "regions"),
        (Settings(first_weekday=9), "first_weekday"),
    ],
)
def test_bad_settings_name_the_field(db, settings, field):
    with pytest.raises(SettingsError, match=f"^{field}:"):
        save_settings(db, settings)
    assert load_settings(db) == Settings()


def test_db_path_precedence(tmp_path, monkeypatch, isolated_dirs):
    assert resolve_db_path(None).name == "carecal.db"
    assert str(isolated_dirs) in str(resolve_db_path(None))
    monkeypatch.setenv("CARECAL_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert resolve_db_path(str(tmp_path / "flag.db")) == tmp_path / "flag.db"

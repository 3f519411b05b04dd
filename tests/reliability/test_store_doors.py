"""What the store refuses or protects before anything is written: missing files, devices, other apps' files."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from calendar_data.storage.database import CalendarMissing, open_db
from calendar_data.storage.errors import StoreError
from tui.cli.entry import main

READ_ONLY = [
    ["posts", "list"],
    ["posts", "list", "--json"],
    ["check"],
    ["tags"],
    ["campaigns"],
    ["settings"],
    ["export", "--quarter", "2027Q1", "-o", "out.ics"],
    ["feeds", "list"],
    ["backup"],
    ["serve"],
]


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c))
def test_read_commands_on_a_missing_file_create_nothing(tmp_path, command):
    target = tmp_path / "no" / "such" / "dir" / "x.db"
    result = _run("--db", str(target), *command)
    assert result.exit_code == 2, result.output
    assert "no calendar here" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "no").exists()


def test_observance_listings_need_no_calendar_and_create_none(tmp_path):
    target = tmp_path / "x.db"
    result = _run("--db", str(target), "observances", "--year", "2027", "--json")
    assert result.exit_code == 0 and '"world-kidney-day"' in result.stdout
    assert _run("--db", str(target), "upcoming", "--days", "10").exit_code == 0
    assert not target.exists()


def test_write_commands_create_the_calendar_private(tmp_path):
    target = tmp_path / "new" / "cal.db"
    result = _run("--db", str(target), "posts", "add", "--title", "First", "--date", "2027-01-04")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_under_umask_000_every_folder_and_file_is_private(tmp_path):
    old = os.umask(0)
    try:
        target = tmp_path / "a" / "b" / "cal.db"
        open_db(target).close()
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_existing_readable_calendar_is_tightened_and_the_user_told(tmp_path):
    target = tmp_path / "cal.db"
    open_db(target).close()
    os.chmod(target, 0o644)
    result = _run("--db", str(target), "tags")
    assert result.exit_code == 0
    assert "tightened to 0600" in result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "tightened" not in _run("--db", str(target), "tags").output  # said once


def test_open_db_without_create_raises_and_creates_nothing(tmp_path):
    with pytest.raises(CalendarMissing):
        open_db(tmp_path / "sub" / "x.db", create=False)
    assert not (tmp_path / "sub").exists()


@pytest.mark.parametrize("kind", ["fifo", "devnull", "folder"])
def test_devices_pipes_and_folders_are_refused_at_once(tmp_path, kind):
    target = {"fifo": tmp_path / "pipe", "devnull": "/dev/null", "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    result = _run("--db", str(target), "posts", "add", "--title", "x", "--date", "2027-01-04")
    assert result.exit_code == 2
    assert "not a regular file" in result.output or "is a folder" in result.output
    assert not os.path.exists("/dev/null-journal") and not os.path.exists("/dev/null-wal")


def test_another_applications_database_is_left_untouched(tmp_path):
    target = tmp_path / "notes.db"
    with closing(sqlite3.connect(target)) as conn:
        conn.execute(
            "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT)"
        )  # a name carecal also uses
        conn.commit()
    before = target.read_bytes()
    result = _run("--db", str(target), "posts", "list")
    assert result.exit_code == 2 and "another application's SQLite database" in result.output
    assert target.read_bytes() == before
    assert not target.with_name("notes.db-wal").exists()
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_calendar_on_a_read_only_file_system_can_still_be_read(tmpfs):
    folder = tmpfs.mount("2m")
    target = folder / "cal.db"
    db = open_db(target)
    db.execute("INSERT INTO tags (name) VALUES ('heart')")
    db.conn.commit()
    db.close()  # the last connection checkpoints and removes the -wal
    tmpfs.remount_ro()
    result = _run("--db", str(target), "tags")
    assert result.exit_code == 0, result.output
    assert "heart" in result.output
    write = _run("--db", str(target), "posts", "add", "--title", "x", "--date", "2027-01-04")
    assert write.exit_code == 2 and len(write.output.strip().splitlines()) == 1, write.output


def test_two_processes_creating_one_new_file_do_not_race_the_first_migration(tmp_path):
    import subprocess
    import sys

    from tests.reliability.support import ROOT, script_env

    target = tmp_path / "fresh.db"
    code = (
        "import sys; from calendar_data.storage.database import open_db; "
        "open_db(sys.argv[1]).close(); print('ok')"
    )
    for _ in range(5):
        target.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(target)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=script_env(),
                cwd=ROOT,
            )
            for _ in range(4)
        ]
        outs = [p.communicate(timeout=60) for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
    with closing(sqlite3.connect(target)) as conn:
        steps = conn.execute("SELECT name FROM _sqlite_migrations").fetchall()
    assert len(steps) == len(set(steps))


def test_store_error_names_the_file(tmp_path):
    target = tmp_path / "junk.db"
    target.write_bytes(b"this is not a database at all, just text" * 10)
    with pytest.raises(StoreError, match="junk.db: is not an SQLite database"):
        open_db(target)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_no_export_may_write_over_the_calendar(tmp_path, suffix):
    target = tmp_path / "cal.db"
    assert _run("--db", str(target), "demo").exit_code == 0
    before = target.read_bytes()
    out = str(target) + suffix
    result = _run("--db", str(target), "export", "--quarter", "2027Q1", "-o", out)
    assert result.exit_code == 2 and "is the calendar itself" in result.output, result.output
    feed = _run(
        "--db", str(target), "feeds", "add", "Team", "--quarter", "2027Q1", "-o", str(target)
    )
    assert feed.exit_code == 2 and "is the calendar itself" in feed.output, feed.output
    report = _run(
        "--db",
        str(target),
        "report",
        "--from",
        "2027-01-01",
        "--to",
        "2027-01-31",
        "--format",
        "md",
        "-o",
        str(target),
    )
    assert report.exit_code == 2, report.output
    assert target.read_bytes()[:16] == before[:16] == b"SQLite format 3\x00"
    assert _run("--db", str(target), "posts", "list").exit_code == 0


def test_no_export_may_write_over_the_latest_backup(tmp_path):
    target = tmp_path / "cal.db"
    assert _run("--db", str(target), "demo").exit_code == 0
    made = _run("--db", str(target), "backup")  # the default name, beside the calendar
    assert made.exit_code == 0
    backup = made.stdout.strip()
    result = _run("--db", str(target), "export", "--quarter", "2027Q1", "-o", backup)
    assert result.exit_code == 2 and "is the calendar itself (or its backup)" in result.output
    assert Path(backup).read_bytes()[:16] == b"SQLite format 3\x00"
    fine = _run(
        "--db", str(target), "export", "--quarter", "2027Q1", "-o", str(tmp_path / "q1.ics")
    )
    assert fine.exit_code == 0


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system under `folder` until at most `leave` bytes are free."""
    filler = folder / "filler"
    with filler.open("wb") as out:
        while True:
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            if free <= leave:
                break
            try:
                out.write(b"\0" * min(65536, free - leave))
                out.flush()
            except OSError:
                break


@pytest.mark.parametrize("leave", [8 * 1024, 31 * 1024, 120 * 1024, 250 * 1024])
def test_restore_on_a_full_disk_changes_nothing(tmpfs, tmp_path, leave):
    folder = tmpfs.mount("3m")
    target = folder / "cal.db"
    assert _run("--db", str(target), "demo").exit_code == 0
    bigger = tmp_path / "big.db"  # a sound backup larger than the space left
    assert _run("--db", str(bigger), "demo").exit_code == 0
    for i in range(300):
        _run(
            "--db",
            str(bigger),
            "posts",
            "add",
            "--title",
            f"padding {i} " + "x" * 200,
            "--date",
            "2027-01-04",
        )
    before = _run("--db", str(target), "posts", "list", "--json").stdout
    _fill(folder, leave)
    result = _run("--db", str(target), "restore", "-y", str(bigger))
    assert result.exit_code != 0, result.output
    (folder / "filler").unlink()
    assert not list(folder.glob("cal.db.damaged-*"))
    assert _run("--db", str(target), "posts", "list", "--json").stdout == before
    assert not [p for p in folder.rglob("*") if ".partial" in p.name]


def test_a_killed_backup_leaves_no_partial_files_behind(tmp_path, monkeypatch):
    import calendar_data.storage.copy as copy_module

    target = tmp_path / "cal.db"
    db = open_db(target)
    real_connect = sqlite3.connect

    class Boom(sqlite3.Connection):
        def execute(self, sql, *args):  # the copy is complete; fail before it is renamed into place
            if "journal_mode" in sql:
                raise sqlite3.OperationalError("database or disk is full")
            return super().execute(sql, *args)

    monkeypatch.setattr(
        copy_module.sqlite3, "connect", lambda path, **kw: real_connect(path, factory=Boom)
    )
    dest = tmp_path / "b" / "copy.db"
    with pytest.raises(sqlite3.OperationalError):
        copy_module.backup(db, dest)
    monkeypatch.undo()
    assert [p.name for p in dest.parent.iterdir()] == []
    stale = target.with_name(target.name + "-backups") / "cal-2026-11-20.daily.db.partial"
    stale.parent.mkdir()
    stale.write_bytes(b"half")
    from datetime import date

    from calendar_data.storage.backups import daily_backup

    daily_backup(db, target, today=date(2026, 11, 21), keep=3)
    assert not stale.exists()
    db.close()

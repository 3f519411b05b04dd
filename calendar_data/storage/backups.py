"""Automatic daily backups of the calendar, and restoring it from a backup.

Daily backups go to a folder beside the database (`carecal.db-backups/`) and
rotate; a damaged calendar is never backed up (so good copies are not rotated
out for bad ones) and never overwritten by a restore (it is moved aside).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from calendar_data.settings import make_private_dirs
from calendar_data.storage.backup_files import (
    SQLITE_MAGIC,
    before_restore_path,
    daily_backup_path,
    damaged_path,
    is_daily_backup,
    partial_path,
)
from calendar_data.storage.connection import CalendarDatabase, check_integrity, utcnow
from calendar_data.storage.copy import backup, remove_partial
from calendar_data.storage.database import open_db
from calendar_data.storage.errors import DamagedDatabaseError, StoreError
from calendar_data.storage.migrations import STEPS


def daily_backup(
    db: CalendarDatabase, db_path: str | os.PathLike, *, today: date, keep: int
) -> Path | None:
    """Today's backup, once a day, keeping the newest `keep` (0: none); None when nothing was written.

    A damaged calendar is never backed up (DamagedDatabaseError), so good copies are not rotated out.
    """
    target = daily_backup_path(db_path, today)
    if target.parent.is_dir():  # copies killed half-way on earlier days
        for stale in target.parent.glob("*.partial*"):
            stale.unlink(missing_ok=True)
    if keep <= 0 or target.exists():
        return None
    backup(db, target)  # checks the calendar first
    dailies = sorted(p for p in target.parent.iterdir() if is_daily_backup(db_path, p))
    for old in dailies[:-keep]:
        old.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class Restored:
    """What `restore` did: the calendar now holds `source`; `previous` keeps what was there."""

    path: Path
    source: Path
    previous: Path | None


def restore(db_path: str | os.PathLike, source: str | os.PathLike) -> Restored:
    """Replace the calendar with a backup, keeping the current file first.

    A sound calendar is backed up, then overwritten in one transaction through SQLite's
    backup API (other open connections see the change); a damaged one is moved aside,
    never overwritten.

    Raises:
        StoreError: the backup is not a sound carecal database (nothing is changed).
    """
    target, source = Path(db_path), Path(source)
    if source.resolve() == target.resolve():
        raise StoreError(f"{source}: is the calendar itself, not a backup of it")
    copy = _open_backup(source)
    at = utcnow()
    try:
        current = None
        damaged = False
        if target.exists():
            try:
                current = open_db(target, migrate=False)
                check_integrity(current)  # busy, full or I/O errors propagate: they are not damage
            except DamagedDatabaseError:
                if current is not None:
                    current.close()
                current, damaged = None, True
        previous: Path | None
        if current is not None:
            try:
                previous = backup(current, before_restore_path(target, at))
                copy.backup(
                    current.conn
                )  # one transaction: on any failure the calendar is as it was
            finally:
                current.close()
        else:
            previous = _replace_with(copy, target, at, damaged=damaged)
    finally:
        copy.close()
    return Restored(target, source, previous)


def _replace_with(
    copy: sqlite3.Connection, target: Path, at: datetime, *, damaged: bool
) -> Path | None:
    """Write the backup to a new file beside `target`; only when complete, move the old file aside.

    All or nothing: a full disk or an I/O error leaves the old file (damaged or absent) where it was.
    """
    make_private_dirs(target.parent)
    fresh_path = partial_path(target)
    remove_partial(fresh_path)
    os.close(os.open(fresh_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        fresh = sqlite3.connect(fresh_path)
        try:
            copy.backup(fresh)
            fresh.execute("PRAGMA journal_mode = DELETE")
        finally:
            fresh.close()
        previous = _move_aside(target, at) if damaged else None
        os.replace(fresh_path, target)
    except BaseException:
        remove_partial(fresh_path)
        raise
    return previous


def _open_backup(source: Path) -> sqlite3.Connection:
    """A read-only connection to a backup that is sound and from this carecal or older."""
    try:
        with source.open("rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                raise StoreError(f"{source}: is not an SQLite database, so not a carecal backup")
    except OSError as exc:
        raise StoreError(f"{source}: cannot read the backup ({exc.strerror})") from None
    conn = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        check_integrity(CalendarDatabase(conn, execute_plugins=False))
        steps = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'carecal'"
            ).fetchall()
        }
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{source}: is not a carecal backup ({exc})") from None
    except DamagedDatabaseError as exc:
        conn.close()
        raise StoreError(f"{exc}; choose another backup") from None
    newer = steps - {name for name, _ in STEPS}
    if not steps or newer:
        conn.close()
        raise StoreError(
            f"{source}: "
            + (
                "written by a newer carecal; upgrade carecal"
                if newer
                else "is not a carecal backup"
            )
        )
    return conn


def _move_aside(target: Path, at: datetime) -> Path:
    """Rename a damaged calendar (and its -wal/-shm) out of the way; returns its new name."""
    aside = damaged_path(target, at)
    for suffix in ("-wal", "-shm", ""):
        part = target.with_name(target.name + suffix)
        if part.exists():
            os.replace(part, aside.with_name(aside.name + suffix))
    return aside

"""Automatic backups of the calendar, finding the newest one, and restoring from it.

Daily backups go to a folder beside the database (`carecal.db-backups/`) and
rotate; a damaged calendar is never backed up (so good copies are not rotated
out for bad ones) and never overwritten by a restore (it is moved aside).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from calendar_data.migrations import STEPS
from calendar_data.store import (
    SQLITE_MAGIC,
    CalendarDatabase,
    DamagedDatabaseError,
    StoreError,
    backup,
    check_integrity,
    open_db,
    utcnow,
)


def backup_dir(db_path: str | os.PathLike) -> Path:
    """The folder of automatic backups of the calendar at `db_path` (beside it)."""
    path = Path(db_path)
    return path.with_name(path.name + "-backups")


def daily_backup(db: CalendarDatabase, db_path: str | os.PathLike, *, today: date, keep: int) -> Path | None:
    """Today's backup, once a day, keeping the newest `keep` (0: none); None when nothing was written.

    A damaged calendar is never backed up (DamagedDatabaseError), so good copies are not rotated out.
    """
    folder, stem = backup_dir(db_path), Path(db_path).stem
    target = folder / f"{stem}-{today.isoformat()}.daily.db"
    if keep <= 0 or target.exists():
        return None
    backup(db, target)  # checks the calendar first
    dailies = sorted(p for p in folder.iterdir() if p.name.startswith(f"{stem}-") and p.name.endswith(".daily.db"))
    for old in dailies[:-keep]:
        old.unlink(missing_ok=True)
    return target


def latest_backup(db_path: str | os.PathLike) -> Path | None:
    """The newest backup carecal made of `db_path` (daily, before a migration or restore, or `carecal backup`)."""
    path = Path(db_path)
    found = []
    if backup_dir(path).is_dir():
        found += [p for p in backup_dir(path).iterdir() if p.name.endswith(".db")]
    if path.parent.is_dir():
        found += [p for p in path.parent.iterdir()
                  if (p.name.startswith(path.name + ".") and p.name.endswith(".bak"))
                  or (p.name.startswith(path.stem + "-") and p.name.endswith(".backup.db"))]
    candidates = []
    for candidate in found:
        try:
            with candidate.open("rb") as handle:
                if handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
                    candidates.append((candidate.stat().st_mtime_ns, candidate.name, candidate))
        except OSError:
            continue
    return max(candidates)[2] if candidates else None


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
    stamp = f"{utcnow():%Y%m%dT%H%M%S}"
    try:
        previous = None
        current = None
        if target.exists():
            try:
                current = open_db(target, migrate=False)
                check_integrity(current)
            except DamagedDatabaseError:
                if current is not None:
                    current.close()
                current, previous = None, _move_aside(target, stamp)
        if current is not None:
            try:
                previous = backup(current, backup_dir(target) / f"{target.stem}-{stamp}.before-restore.db")
                copy.backup(current.conn)
            finally:
                current.close()
        else:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
            fresh = sqlite3.connect(target)
            try:
                copy.backup(fresh)
            finally:
                fresh.close()
    finally:
        copy.close()
    return Restored(target, source, previous)


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
        steps = {r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'carecal'").fetchall()}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{source}: is not a carecal backup ({exc})") from None
    except DamagedDatabaseError as exc:
        conn.close()
        raise StoreError(f"{exc}; choose another backup") from None
    newer = steps - {name for name, _ in STEPS}
    if not steps or newer:
        conn.close()
        raise StoreError(f"{source}: " + ("written by a newer carecal; upgrade carecal" if newer
                                          else "is not a carecal backup"))
    return conn


def _move_aside(target: Path, stamp: str) -> Path:
    """Rename a damaged calendar (and its -wal/-shm) out of the way; returns its new name."""
    aside = target.with_name(f"{target.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm", ""):
        part = target.with_name(target.name + suffix)
        if part.exists():
            os.replace(part, aside.with_name(aside.name + suffix))
    return aside

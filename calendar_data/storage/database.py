"""Opening the calendar file safely: create it private, refuse what is not ours, migrate it.

The file is created private (mode 0600: it may hold consent references) and is backed
up before any schema migration touches it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from calendar_data.storage.backup_files import SQLITE_MAGIC, latest_backup, migration_backup_path
from calendar_data.storage.connection import BUSY_TIMEOUT_MS, CalendarDatabase, configure, utcnow
from calendar_data.storage.copy import backup
from calendar_data.storage.errors import DAMAGE_CODES, DamagedDatabaseError, StoreError
from calendar_data.storage.migrations import STEPS


def _migrations() -> Migrations:
    migrations = Migrations("carecal")
    for name, step in STEPS:
        migrations(name=name)(step)
    return migrations


def open_db(path: str | os.PathLike, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the calendar at `path`, migrated to the current schema.

    Raises:
        StoreError: the path is a folder, unreadable, not an SQLite file, or newer than us.
    """
    if str(path) == ":memory:":
        db = CalendarDatabase(memory=True)
        configure(db)
        if migrate:
            _migrate(db, None)
        return db
    target = Path(path)
    _prepare_file(target)
    conn = None
    try:
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        db = CalendarDatabase(conn)
        configure(db)
        if migrate:
            _migrate(db, target)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        damaged = getattr(exc, "sqlite_errorcode", 0) & 0xFF in DAMAGE_CODES
        raise (DamagedDatabaseError if damaged else StoreError)(
            f"{target}: cannot use this database ({exc})") from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return db


def _prepare_file(target: Path) -> None:
    if target.is_dir():
        raise StoreError(f"{target}: is a folder, not a database file")
    if not target.exists():
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass  # another process created it first
        except OSError as exc:
            raise StoreError(f"{target}: cannot create the database ({exc.strerror})") from None
        return
    try:
        with target.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{target}: cannot read the database ({exc.strerror})") from None
    if head and head != SQLITE_MAGIC:
        raise DamagedDatabaseError(f"{target}: is not an SQLite database")
    if not head and latest_backup(target):
        raise DamagedDatabaseError(f"{target}: is empty (0 bytes), yet carecal has backups of it")


def _migrate(db: Database, target: Path | None) -> None:
    migrations = _migrations()
    known = {name for name, _ in STEPS}
    applied = {m.name for m in migrations.applied(db)}
    newer = applied - known
    if newer:
        raise StoreError(f"{target}: written by a newer carecal (schema step {sorted(newer)[-1]}); upgrade carecal")
    pending = migrations.pending(db)
    if not pending:
        return
    if target is not None and db.table_names():
        backup_path = migration_backup_path(target, pending[0].name, utcnow())
        backup(db, backup_path)
    migrations.apply(db)


def schema_steps(db: Database) -> list[str]:
    """Names of the migration steps applied to `db`, oldest first."""
    return [m.name for m in _migrations().applied(db)]

"""Opening the calendar file safely: create it private, refuse what is not ours, migrate it.

The file is created private (mode 0600: it may hold consent references) and is backed
up before any schema migration touches it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from calendar_data.settings import make_private_dirs
from calendar_data.storage.backup_files import latest_backup, migration_backup_path
from calendar_data.storage.connection import BUSY_TIMEOUT_MS, CalendarDatabase, configure, utcnow
from calendar_data.storage.copy import backup
from calendar_data.storage.errors import DAMAGE_CODES, DamagedDatabaseError, StoreError
from calendar_data.storage.migrations import STEPS


def _migrations() -> Migrations:
    migrations = Migrations("carecal")
    for name, step in STEPS:
        migrations(name=name)(step)
    return migrations


class CalendarMissing(StoreError):
    """A read-only command was pointed at a calendar file that does not exist (nothing was created)."""


def open_db(
    path: str | os.PathLike, *, migrate: bool = True, create: bool = True
) -> CalendarDatabase:
    """Open the calendar at `path`, migrated to the current schema; created first when `create` allows.

    The file itself is never opened with a plain file handle here: in a process that holds an SQLite
    connection to it, closing any other descriptor of the file drops every POSIX lock the process
    holds, and another process may then delete the WAL under a live connection. What the file is
    (SQLite or not, carecal's or another application's) is asked of SQLite itself, before anything
    is written. A folder that cannot take a -wal file is read through SQLite's read-only mode.

    Raises:
        CalendarMissing: `create` is False and there is no file at `path`.
        DamagedDatabaseError: the file is not an SQLite database, or is empty though backups exist.
        StoreError: a folder or device, another application's database, unreadable, or from a newer carecal.
    """
    if str(path) == ":memory:":
        db = CalendarDatabase(memory=True)
        configure(db)
        if migrate:
            _migrate(db, None)
        return db
    target = Path(path)
    notices = _prepare_file(target, create=create)
    read_only = not os.access(target.parent, os.W_OK) or not os.access(target, os.W_OK)
    conn = None
    try:
        conn = _connect(target, read_only=read_only)
        db = CalendarDatabase(conn)
        db.notices = notices
        _refuse_foreign(db, target)
        configure(db, read_only=read_only)
        if migrate:
            _migrate(db, target)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == sqlite3.SQLITE_NOTADB:
            raise DamagedDatabaseError(f"{target}: is not an SQLite database") from None
        damaged = code in DAMAGE_CODES
        raise (DamagedDatabaseError if damaged else StoreError)(
            f"{target}: cannot use this database ({exc})"
        ) from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return db


def _connect(target: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection to `target`; read-only (no -wal, -shm or journal created) when the folder or file is."""
    if not read_only:
        return sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
    uri = target.resolve().as_uri()
    wal = target.with_name(target.name + "-wal")
    # With no -wal beside it and no way to make a -shm, nobody can be writing: read the file as it is.
    mode = "?mode=ro" if wal.exists() else "?immutable=1"
    return sqlite3.connect(uri + mode, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def _prepare_file(target: Path, *, create: bool) -> list[str]:
    """Check what is at `target` without opening it (stat only); create it private when allowed.

    Returns notices for the user (e.g. a mode tightened to 0600).
    """
    try:
        info = target.stat()
    except FileNotFoundError:
        if not create:
            raise CalendarMissing(
                f"{target}: no calendar here (nothing was created); open the app "
                "or run `carecal demo` to make one, or check --db"
            ) from None
        _create_private(target)
        return []
    except OSError as exc:
        raise StoreError(f"{target}: cannot read the database ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{target}: is a folder, not a database file")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(
            f"{target}: is not a regular file (a device, pipe or socket), so not a calendar"
        )
    if info.st_size == 0 and latest_backup(target):
        raise DamagedDatabaseError(f"{target}: is empty (0 bytes), yet carecal has backups of it")
    notices = []
    if stat.S_IMODE(info.st_mode) & 0o077 and os.access(target, os.W_OK):
        try:
            os.chmod(target, 0o600)
            notices.append(
                f"{target}: was readable by others (mode {stat.S_IMODE(info.st_mode):o}); "
                "tightened to 0600 (it may hold consent references)"
            )
        except OSError:
            pass
    return notices


def _create_private(target: Path) -> None:
    """Create the calendar file 0600 and any missing folders 0700, whatever the umask."""
    try:
        make_private_dirs(target.parent)
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.chmod(target, 0o600)
    except FileExistsError:
        pass  # another process created it first
    except OSError as exc:
        raise StoreError(f"{target}: cannot create the database ({exc.strerror})") from None


def _refuse_foreign(db: Database, target: Path) -> None:
    """Refuse an SQLite file of another application before anything (even WAL mode) is written to it."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return  # a new, empty file: ours to set up
    ours = (
        "_sqlite_migrations" in tables
        and db.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'carecal' LIMIT 1"
        ).fetchone()
    )
    if not ours:
        shown = ", ".join(sorted(tables)[:4]) + (", ..." if len(tables) > 4 else "")
        raise StoreError(
            f"{target}: is another application's SQLite database (tables: {shown}), "
            "not a carecal calendar; carecal leaves it untouched"
        )


def _migrate(db: CalendarDatabase, target: Path | None) -> None:
    migrations = _migrations()
    known = {name for name, _ in STEPS}
    applied = {m.name for m in migrations.applied(db)}
    newer = applied - known
    if newer:
        raise StoreError(
            f"{target}: written by a newer carecal (schema step {sorted(newer)[-1]}); upgrade carecal"
        )
    pending = migrations.pending(db)
    if not pending:
        return
    if db.read_only:
        raise StoreError(
            f"{target}: needs a schema upgrade, but the file or its folder is read-only"
        )
    if target is not None and db.table_names():
        backup(db, migration_backup_path(target, pending[0].name, utcnow()))
    # Under the write lock, and checked again: two processes opening a brand-new file at the same
    # instant must not both run the first step. Every pending step lands together, or none does.
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        if migrations.pending(db):
            migrations.apply(db)
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.rollback()
        raise


def schema_steps(db: Database) -> list[str]:
    """Names of the migration steps applied to `db`, oldest first."""
    return [m.name for m in _migrations().applied(db)]

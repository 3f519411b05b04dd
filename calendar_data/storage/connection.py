"""One SQLite connection configured the way carecal needs it, and the small helpers around it.

Every connection runs in WAL mode with foreign keys on and a busy timeout, so the TUI and a
CLI script can share one file; write transactions take the write lock at BEGIN so a writer
waits its turn instead of failing. Opening a file (creating, checking, migrating) is
`storage.database.open_db`; this module knows nothing of files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from calendar_data.storage.errors import DAMAGE_CODES, DamagedDatabaseError

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another writer: the app's UI thread must not freeze for long."""

SCRIPT_BUSY_TIMEOUT_MS = 30000
"""What a CLI command waits: a script beside a long import should wait its turn, not fail."""


def set_busy_timeout(db: Database, milliseconds: int) -> None:
    """Change how long this connection waits for another process's write lock."""
    db.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")


class CalendarDatabase(Database):
    """sqlite-utils' Database whose write transactions take the write lock at BEGIN.

    A deferred transaction that reads and then writes cannot wait for another
    writer: SQLite refuses its lock upgrade at once ("database is locked") and
    busy_timeout does not retry it. `BEGIN IMMEDIATE` waits its turn instead.
    """

    notices: list[str] = []
    """Things the user should be told once about the file (e.g. its mode was tightened)."""
    read_only: bool = False
    """Opened read-only (a folder that cannot take a -wal file): every write fails."""

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One write transaction (a savepoint when nested): all of it lands, or none of it."""
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def utcnow() -> datetime:
    """Now, in UTC, to the second (what the change log and stamps record)."""
    return datetime.now(UTC).replace(microsecond=0)


def configure(db: CalendarDatabase, *, read_only: bool = False) -> None:
    """Foreign keys, busy timeout, WAL (not on a read-only file: that would be a write)."""
    db.read_only = read_only
    db.conn.isolation_level = "IMMEDIATE"  # Python's implicit BEGIN before a write, too
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not read_only:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")


def database_file(db: Database) -> Path | None:
    """The file behind `db` (None in memory)."""
    name = db.execute("PRAGMA database_list").fetchone()[2]
    return Path(name) if name else None


def check_integrity(db: Database) -> None:
    """Raise DamagedDatabaseError unless SQLite's quick_check finds the file sound."""
    try:
        found = [row[0] for row in db.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in DAMAGE_CODES:
            raise  # busy, disk full, I/O error: a problem of the moment, not damage to the file
        found = [str(exc)]
    if found != ["ok"]:
        first = " ".join(found[0].replace("*** in database main ***", "").split())[:120]
        raise DamagedDatabaseError(f"{database_file(db) or 'database'}: damaged ({first})")


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction for a multi-row write (BEGIN IMMEDIATE): all of it lands, or none of it."""
    with db.atomic():
        yield db


def data_version(db: Database) -> int:
    """A number that changes whenever anyone commits a change: another process or this connection.

    Poll it (cheap: one pragma) to refresh a screen when the CLI or a second app edits the calendar.
    """
    return db.execute("PRAGMA data_version").fetchone()[0] + db.conn.total_changes

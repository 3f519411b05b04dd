"""A consistent copy of a live calendar through SQLite's online backup API.

Used by `carecal backup`, the daily backup, the backup before a migration and the one
before a restore; the names those copies get are in `storage.backup_files`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from calendar_data.settings import make_private_dirs
from calendar_data.storage.backup_files import calendar_files, partial_path
from calendar_data.storage.connection import check_integrity, database_file
from calendar_data.storage.errors import StoreError


def backup(db: Database, destination: str | os.PathLike) -> Path:
    """A consistent, self-contained copy of the database (SQLite's online backup), private (0600).

    Works while other connections read or write. Refuses to write over the database itself, and
    to copy a damaged one (DamagedDatabaseError), so every backup is sound.
    """
    check_integrity(db)
    dest = Path(destination)
    source = database_file(db)
    if source and dest.resolve() in calendar_files(source):
        raise StoreError(f"{dest}: is the calendar itself; choose another backup file")
    make_private_dirs(dest.parent)
    tmp = partial_path(dest)
    remove_partial(tmp)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        copy = sqlite3.connect(tmp)
        try:
            db.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        finally:
            copy.close()
        os.replace(tmp, dest)
    except BaseException:
        remove_partial(tmp)  # and the -wal/-shm/-journal a failed copy can leave beside it
        raise
    return dest


def remove_partial(path: Path) -> None:
    """Delete a half-written copy and the SQLite files that may sit beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)

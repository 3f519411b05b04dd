"""Where carecal may write a file the user named: never over the calendar, its -wal/-shm or its backups.

Exports, saved feeds, vendor CSVs and reports all pass their output path through `check_output`
before writing, so `carecal export -o cal.db` cannot replace the live calendar with an .ics file.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from calendar_data.storage.backup_files import backup_dir, calendar_files, latest_backup
from calendar_data.storage.connection import database_file
from calendar_data.storage.errors import StoreError


def protected_paths(db_path: str | os.PathLike) -> set[Path]:
    """The calendar, its -wal and -shm, and the newest backup: files no output may replace."""
    found = set(calendar_files(db_path))
    latest = latest_backup(db_path)
    if latest is not None:
        found.add(latest.resolve())
    return found


def check_output(db: Database, target: str | os.PathLike) -> Path:
    """`target` as a Path, or StoreError when writing it would overwrite the calendar or a backup."""
    path = Path(target)
    source = database_file(db)
    if source is None:
        return path
    resolved = path.resolve()
    if resolved in protected_paths(source):
        raise StoreError(
            f"{path}: is the calendar itself (or its backup); choose another output file"
        )
    if resolved.parent == backup_dir(source).resolve():
        raise StoreError(
            f"{path}: is inside the calendar's backup folder; choose another output file"
        )
    return path

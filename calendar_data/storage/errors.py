"""Why a calendar file cannot be used: the two errors every storage module raises."""

from __future__ import annotations

import sqlite3


class StoreError(RuntimeError):
    """The database cannot be used: unreadable, not SQLite, or from a newer carecal."""


class DamagedDatabaseError(StoreError):
    """The file is not a usable database (overwritten, truncated, corrupt); it is left untouched."""


DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
"""SQLite result codes that mean the file itself is damaged (not busy, not missing)."""

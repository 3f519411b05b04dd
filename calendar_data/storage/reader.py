"""One thread with one read connection, for the app's work off its UI thread.

SQLite connections belong to the thread that opened them, and opening one per read is slow
and (with any plain file handle involved) dangerous: see `storage.database.open_db`. The app
therefore keeps exactly two connections to its calendar: the UI thread's, which every write
uses, and this reader's, opened on first use and closed when the app ends. Every worker read
runs here, one after another.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from calendar_data.storage.connection import CalendarDatabase
from calendar_data.storage.database import open_db

T = TypeVar("T")


class ReaderThread:
    """Runs read functions on a single thread that owns one connection to the calendar at `path`."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="carecal-reader")
        self._db: CalendarDatabase | None = None
        self.opened = 0
        """How many connections this reader has opened (one, unless the file was replaced)."""

    def run(self, fetch: Callable[[Any], T]) -> T:
        """`fetch(db)` on the reader's thread and connection; its result, or its exception."""
        return self._executor.submit(self._call, fetch).result()

    def _call(self, fetch: Callable[[Any], T]) -> T:
        if self._db is None:
            self._db = open_db(self.path, migrate=False, create=False)
            self.opened += 1
        return fetch(self._db)

    def close(self) -> None:
        """Close the connection (on its own thread) and stop the thread; safe to call twice."""

        def close_db() -> None:
            if self._db is not None:
                self._db.close()
                self._db = None

        try:
            self._executor.submit(close_db).result()
        except RuntimeError:  # already shut down
            return
        self._executor.shutdown(wait=True)

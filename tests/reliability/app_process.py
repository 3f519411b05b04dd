"""A real carecal app, headless, doing what a person's session does while other processes use the file.

Usage: app_process.py DB SECONDS REPORT.json

It holds the app's connections open, switches views (each switch reads in a worker) and saves a
post through the app's one write path every few hundred milliseconds. A watcher thread checks
that the calendar's -wal file is never deleted and never shows up "(deleted)" among the open
file descriptors. When the time is up it writes what it saw to REPORT.json and quits.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from datetime import date
from pathlib import Path

from calendar_data.models import Post
from calendar_data.posts import add_post
from calendar_data.storage.connection import utcnow
from calendar_data.storage.database import open_db
from calendar_data.storage.settings_table import load_settings
from tui.app import make_app

TODAY = date(2026, 11, 21)


def watch(db: Path, stop: threading.Event, seen: dict) -> None:
    """Record every moment the WAL is missing or open-but-deleted while the app runs."""
    wal = db.with_name(db.name + "-wal")
    while not stop.is_set():
        if not wal.exists():
            seen["wal_missing"] += 1
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target.startswith(str(db)) and target.endswith("(deleted)"):
                seen["deleted_fds"].add(target)
        time.sleep(0.01)


async def session(db_path: Path, seconds: float, seen: dict) -> None:
    db = open_db(db_path)
    app = make_app(db, load_settings(db), TODAY, utcnow, db_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause(0.3)
        deadline = time.monotonic() + seconds
        views = ["g", "m", "q", "a", "m"]
        i = 0
        while time.monotonic() < deadline:
            await pilot.press(views[i % len(views)])
            await pilot.pause(0.15)
            title = f"app-{i}"
            saved = app.guard(
                lambda t=title: add_post(app.db, Post(title=t, day=TODAY), today=TODAY)
            )
            seen["app_writes"] += 1
            if saved is None:
                seen["app_write_failures"] += 1
            else:
                seen["app_titles"].append(title)
            app.check_other_writers()
            i += 1
        await pilot.pause(0.2)


def main() -> None:
    db_path, seconds, report = Path(sys.argv[1]).resolve(), float(sys.argv[2]), Path(sys.argv[3])
    seen = {
        "wal_missing": 0,
        "deleted_fds": set(),
        "app_writes": 0,
        "app_write_failures": 0,
        "app_titles": [],
    }
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(db_path, stop, seen), daemon=True)
    started = False
    try:
        asyncio.run(_with_watcher(db_path, seconds, seen, watcher, stop))
        started = True
    finally:
        stop.set()
        seen["deleted_fds"] = sorted(seen["deleted_fds"])
        seen["completed"] = started
        report.write_text(json.dumps(seen))


async def _with_watcher(db_path, seconds, seen, watcher, stop) -> None:
    async def run() -> None:
        await session(db_path, seconds, seen)

    loop_task = asyncio.create_task(run())
    await asyncio.sleep(0.5)  # the app has its connections before the watcher starts judging
    watcher.start()
    await loop_task
    stop.set()


if __name__ == "__main__":
    main()

"""A bulk write run in its own process so a test can kill it with SIGKILL part-way.

    python crash_writer.py SCENARIO DB [--kill-at N] [--ready]

The write's SQLite connection gets a progress handler that counts ticks (one
per `--tick` SQLite virtual-machine instructions, default TICK). With `--kill-at N` the process sends
itself SIGKILL at tick N: no cleanup, no rollback, no atexit, exactly as if the
machine's OOM killer or `kill -9` struck there. Without it, the write runs to
the end and the last line printed is `ticks T` (how many kill points exist).
`--ready` prints `writing` just before the write starts, for a parent that
kills after a random delay instead.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from datetime import date
from pathlib import Path

from calendar_data.models import Channel, Post
from calendar_data.posts import add_post
from calendar_data.storage.connection import transaction
from calendar_data.storage.database import open_db

TICK = 1000
BULK_POSTS = 20_000
IMPORT_EVENTS = 20_000
TODAY = date(2026, 12, 1)


def bulk_add(db) -> None:
    """20,000 posts in one transaction, the way an import or a bulk paste writes them."""
    with transaction(db):
        for i in range(BULK_POSTS):
            add_post(
                db,
                Post(
                    title=f"Bulk post {i}",
                    day=date(2027, 1 + i % 12, 1 + i % 28),
                    body=f"Copy {i} #Bulk",
                    tags=("bulk", f"week-{i % 52}"),
                    channels=(Channel.FACEBOOK, Channel.X),
                ),
                who="bulk",
            )


def demo(db) -> None:
    from calendar_data.demo import fill_demo

    fill_demo(db, date(2027, 1, 1), today=TODAY)


def rename(db) -> None:
    from calendar_data.tags import rename_tag

    rename_tag(db, "flu", "influenza", who="renamer")


def import_ics(db) -> None:
    from calendar_data.ical.plan import import_ics as run_import

    data = (Path(db_path_arg()).parent / "events.ics").read_bytes()
    run_import(
        db,
        data,
        as_="posts",
        where="events.ics",
        today=TODAY,
        window=(date(2026, 1, 1), date(2029, 12, 31)),
    )


SCENARIOS = {"bulk_add": bulk_add, "demo": demo, "rename": rename, "import": import_ics}


def events_ics(count: int = IMPORT_EVENTS) -> bytes:
    """An Outlook-style file of `count` all-day events with distinct UIDs."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Reliability//EN"]
    for i in range(count):
        day = date(2027, 1 + i % 12, 1 + i % 28)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bulk-{i}@example.org",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"SUMMARY:Imported event {i}",
            f"DESCRIPTION:Planned copy {i}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def db_path_arg() -> str:
    return sys.argv[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("db")
    parser.add_argument("--kill-at", type=int, default=0)
    parser.add_argument("--ready", action="store_true")
    parser.add_argument("--tick", type=int, default=TICK, help="VM instructions per tick")
    args = parser.parse_args()
    db = open_db(args.db)
    ticks = 0

    def on_progress() -> int:
        nonlocal ticks
        ticks += 1
        if ticks == args.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return 0

    db.conn.set_progress_handler(on_progress, args.tick)
    if args.ready:
        print("writing", flush=True)
    SCENARIOS[args.scenario](db)
    db.conn.set_progress_handler(None, args.tick)
    db.close()
    print(f"ticks {ticks}", flush=True)


if __name__ == "__main__":
    main()

"""One side of the concurrency test: the app's data layer, or the command line, writing at once.

    python concurrent_writer.py app|cli DB COUNT SHARED_IDS

Both sides wait for a line on stdin (so they start together), then each adds
COUNT posts and, after each one, adds a tag of its own to one of the shared
posts (read, modify, write: the edit another process can race). They print one
JSON line: what they did and every error they met.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date, timedelta

from click.testing import CliRunner

from calendar_data.models import Post
from calendar_data.posts import add_post, get_post, update_post
from calendar_data.storage.connection import transaction
from calendar_data.storage.database import open_db
from tui.cli.entry import main as cli_main

FIRST_DAY = date(2027, 1, 1)


def as_app(path: str, count: int, shared: list[int]) -> dict:
    """One long-lived connection, as the TUI holds; each save is one transaction."""
    db = open_db(path)
    errors = []
    for i in range(count):
        try:
            add_post(db, Post(title=f"app {i}", day=FIRST_DAY + timedelta(days=i % 365)), who="app")
            with transaction(db):  # the editor's save: re-read and write in one transaction
                post = get_post(db, shared[i % len(shared)])
                update_post(db, replace(post, tags=(*post.tags, f"app-{i}")), who="app")
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
            errors.append(f"{type(exc).__name__}: {exc}")
    db.close()
    return {"role": "app", "errors": errors}


def as_cli(path: str, count: int, shared: list[int]) -> dict:
    """`carecal posts add` and `carecal posts edit`, each a fresh invocation with its own connection."""
    runner = CliRunner()
    errors = []
    for i in range(count):
        day = (FIRST_DAY + timedelta(days=i % 365)).isoformat()
        for args in (
            ["posts", "add", "--title", f"cli {i}", "--date", day, "--as", "cli"],
            ["posts", "edit", str(shared[i % len(shared)]), "--tag", f"cli-{i}", "--as", "cli"],
        ):
            result = runner.invoke(cli_main, ["--db", path, "--today", "2026-12-01", *args])
            if result.exit_code != 0 or "locked" in result.output:
                errors.append(
                    f"{' '.join(args[:2])} {i}: exit {result.exit_code}: {result.output.strip()}"
                )
    return {"role": "cli", "errors": errors}


def main() -> None:
    role, path, count, shared = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ids = [int(x) for x in shared.split(",")]
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps((as_app if role == "app" else as_cli)(path, count, ids)), flush=True)


if __name__ == "__main__":
    main()

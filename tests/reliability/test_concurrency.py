"""Two processes write at once: the app's data layer and the command line.

Each adds 1,000 posts and, after each, tags one of 50 shared posts (a
read-modify-write that races the other process). Every row must be there,
every tag (no edit lost), no "database is locked" may reach either side, and
the file must stay sound.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date

import pytest

from calendar_data.models import Post
from calendar_data.posts import add_post
from calendar_data.storage.database import open_db
from tests.reliability.figures import record
from tests.reliability.support import integrity, start_script

pytestmark = pytest.mark.slow

COUNT = 1000
SHARED = 50


def test_app_and_cli_write_at_once_and_nothing_is_lost(db_path):
    db = open_db(db_path)
    shared = [
        add_post(db, Post(title=f"shared {i}", day=date(2027, 1, 1 + i % 28))).id
        for i in range(SHARED)
    ]
    db.close()
    ids = ",".join(map(str, shared))
    sides = [
        start_script("concurrent_writer.py", role, str(db_path), str(COUNT), ids)
        for role in ("app", "cli")
    ]
    for side in sides:
        side.stdin = None
        assert side.stdout.readline().strip() == "ready"
    reports = []
    for side in sides:
        out, err = side.communicate(input="go\n", timeout=600)
        assert side.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    errors = [e for report in reports for e in report["errors"]]
    assert not errors, errors[:5]

    assert not integrity(db_path)
    with closing(sqlite3.connect(db_path)) as conn:
        titles = {r[0] for r in conn.execute("SELECT title FROM posts")}
        assert titles >= {f"app {i}" for i in range(COUNT)} | {f"cli {i}" for i in range(COUNT)}
        assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == SHARED + 2 * COUNT
        lost = []
        for n, post_id in enumerate(shared):
            tags = {
                r[0]
                for r in conn.execute(
                    "SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = ?",
                    [post_id],
                )
            }
            expected = {f"{who}-{i}" for who in ("app", "cli") for i in range(n, COUNT, SHARED)}
            lost += sorted(expected - tags)
        assert not lost, f"{len(lost)} edits lost, e.g. {lost[:5]}"
        edits = conn.execute("SELECT count(*) FROM changes WHERE action = 'update'").fetchone()[0]
    assert edits == 2 * COUNT
    record(
        "concurrency",
        processes=2,
        posts_added=2 * COUNT,
        edits=edits,
        lost_rows=0,
        lost_edits=0,
        locked_errors=0,
    )

"""Write transactions wait for another writer instead of failing with "database is locked".

A deferred transaction (sqlite-utils' `BEGIN`) that reads before it writes cannot
wait for the write lock: SQLite fails the upgrade at once with SQLITE_BUSY, which
busy_timeout does not retry. carecal's transactions take the lock up front
(`BEGIN IMMEDIATE`), so the same call waits its turn and succeeds.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest

from calendar_data.campaigns import add_campaign
from calendar_data.models import Campaign, Post
from calendar_data.posts import add_post, get_post
from calendar_data.storage.connection import data_version, transaction
from calendar_data.storage.database import open_db
from calendar_data.tags import delete_tag

RELEASE_AFTER_S = 0.3  # the other writer's hold; far below the 5 s busy timeout


def _hold_write_lock(path, held: threading.Event) -> threading.Thread:
    """Another connection takes the write lock, writes, and commits a moment later."""

    def run() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO tags (name) VALUES ('from-the-other-writer')")
        held.set()
        threading.Event().wait(RELEASE_AFTER_S)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("write", ["add_post_with_campaign", "delete_tag"])
def test_read_then_write_transaction_waits_for_the_other_writer(db_path, write):
    db = open_db(db_path)
    add_campaign(db, Campaign(name="Heart Month"))
    add_post(db, Post(title="seed", day=date(2027, 2, 1), tags=("old",)))
    held = threading.Event()
    thread = _hold_write_lock(db_path, held)
    held.wait()
    try:
        if write == "add_post_with_campaign":  # reads the campaign id, then inserts
            add_post(db, Post(title="x", day=date(2027, 2, 2), campaign="Heart Month"))
        else:  # counts the tag's posts, then deletes it
            delete_tag(db, "old")
    finally:
        thread.join()
    names = {r[0] for r in db.execute("SELECT name FROM tags").fetchall()}
    assert "from-the-other-writer" in names
    db.close()


def test_read_modify_write_in_one_transaction_sees_the_latest_row(db_path):
    db = open_db(db_path)
    post = add_post(db, Post(title="seed", day=date(2027, 2, 1)))
    held = threading.Event()
    thread = _hold_write_lock(db_path, held)
    held.wait()
    with transaction(db):
        fresh = get_post(db, post.id)
        db.execute("UPDATE posts SET title = ? WHERE id = ?", [fresh.title + "!", post.id])
    thread.join()
    assert get_post(db, post.id).title == "seed!"
    db.close()


def test_data_version_moves_when_another_connection_commits(db_path):
    app = open_db(db_path)
    cli = open_db(db_path)
    before = data_version(app)
    assert data_version(app) == before  # reading changes nothing
    add_post(cli, Post(title="from the CLI", day=date(2027, 3, 1)))
    after = data_version(app)
    assert after != before
    add_post(app, Post(title="from the app", day=date(2027, 3, 2)))
    assert data_version(app) != after  # its own writes count too
    app.close()
    cli.close()

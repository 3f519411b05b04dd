"""Many new posts at once (an import): one transaction, `executemany`, the user and settings read once.

`posts.add_post` is right for one post and costly for 10,000: each call opened a savepoint,
read the settings (for the time zone) and the user's config.toml (for the change log's
`who`), inserted tags one statement at a time and read the post back. Importing a 10,000-event
feed spent most of its own time there. `add_posts` validates every post as `add_post` does,
with the same compliance gate, then writes them all, links and change-log rows included,
in one transaction: all of them land, or none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from calendar_data.checks.approval import ComplianceBlocked, require_compliance
from calendar_data.errors import PostError
from calendar_data.models import Post
from calendar_data.post_rows import row_values
from calendar_data.post_validation import validate
from calendar_data.posts import _snapshot, checking_day
from calendar_data.settings import current_user
from calendar_data.storage.connection import utcnow
from calendar_data.storage.settings_table import load_settings

Blocked = Callable[[int, Post, ComplianceBlocked], Post]
"""What to save instead of a post the compliance gate refused: (index, post, refusal) -> post."""


def prepare_posts(
    db,
    posts: Sequence[Post],
    *,
    today: date | None = None,
    who: str | None = None,
    now: datetime | None = None,
    blocked: Blocked | None = None,
) -> list[Post]:
    """Every post validated and through the compliance gate, as `add_post` would save it.

    A refused post raises ComplianceBlocked, unless `blocked` says what to save instead
    (an import keeps it as a draft); that replacement is validated and gated in turn.
    """
    zone = load_settings(db).timezone
    today = checking_day(today, now)
    ready = []
    for index, post in enumerate(posts):
        try:
            post = validate(
                db, replace(post, consent=None), timezone=zone
            )  # as add_post: no consent rides along
        except PostError as exc:
            exc.index = index  # which post: the caller names it (an import, by its line)
            raise
        try:
            require_compliance(db, post, before=None, today=today, who=who, now=now)
        except ComplianceBlocked as exc:
            if blocked is None:
                raise
            post = validate(db, replace(blocked(index, post, exc), consent=None), timezone=zone)
            require_compliance(db, post, before=None, today=today, who=who, now=now)
        ready.append(post)
    return ready


def add_posts(
    db,
    posts: Sequence[Post],
    *,
    who: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
    blocked: Blocked | None = None,
    external_uids: Sequence[str | None] | None = None,
) -> list[int]:
    """Insert new posts with their channels, tags and copy, logged; their ids, in order.

    The posts are validated first (PostError names the first bad one's field, its `index`
    the post); see `prepare_posts` for `blocked`. Nothing is written unless every post is
    valid. `external_uids` are the calendar UIDs the posts were imported from, by position
    (each post's `ical_sequence` is then kept, as `post_stamps.set_external_uid` keeps it).
    """
    if external_uids is not None and len(external_uids) != len(posts):
        raise ValueError("external_uids: one per post")
    who = who or current_user()
    ready = prepare_posts(db, posts, today=today, who=who, now=now, blocked=blocked)
    if not ready:
        return []
    at = now or utcnow()
    stamp = at.isoformat()
    ids: list[int] = []
    with db.atomic():
        for index, post in enumerate(ready):
            columns = row_values(db, post) | {
                "created_at": stamp,
                "updated_at": stamp,
                "sequence": 0,
                "ical_sequence": 0,
                "content_changed_at": stamp,
            }
            if (
                external_uids is not None
            ):  # as `post_stamps.set_external_uid`: an imported event keeps its SEQUENCE
                columns["external_uid"] = external_uids[index]
                columns["ical_sequence"] = max(post.ical_sequence, 0)
            cursor = db.execute(
                f"INSERT INTO posts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # column names from code, values bound  # nosec B608
                list(columns.values()),
            )
            ids.append(cursor.lastrowid)
        _write_all_links(db, ids, ready)
        db.conn.executemany(
            "INSERT INTO changes (at, who, action, entity, entity_id, changes) VALUES (?, ?, 'create', 'post', ?, ?)",
            [
                (stamp, who, str(pid), json.dumps(_snapshot(post), default=str, sort_keys=True))
                for pid, post in zip(ids, ready, strict=True)
            ],
        )
    return ids


def _write_all_links(db, ids: list[int], posts: list[Post]) -> None:
    """Channels, tags (each distinct tag created once) and per-channel copy of freshly inserted posts."""
    pairs = list(zip(ids, posts, strict=True))
    db.conn.executemany(
        "INSERT INTO post_channels (post_id, channel) VALUES (?, ?)",
        [(pid, str(c)) for pid, post in pairs for c in dict.fromkeys(post.channels)],
    )
    names = list(dict.fromkeys(tag for post in posts for tag in post.tags))
    if names:
        db.conn.executemany("INSERT OR IGNORE INTO tags (name) VALUES (?)", [(n,) for n in names])
        tag_ids = {}
        for name in names:
            tag_ids[name] = db.execute(
                "SELECT id FROM tags WHERE name = ? COLLATE NOCASE", [name]
            ).fetchone()[0]
        db.conn.executemany(
            "INSERT OR IGNORE INTO post_tags (post_id, tag_id) VALUES (?, ?)",
            [(pid, tag_ids[t]) for pid, post in pairs for t in post.tags],
        )
    db.conn.executemany(
        "INSERT INTO post_copy (post_id, channel, body) VALUES (?, ?, ?)",
        [(pid, str(c), text) for pid, post in pairs for c, text in post.variants],
    )

"""Review comments: the back-and-forth between a post's writer and its approver.

A thread per post (who, when, text), kept in its own table so no export reads it:
comments never leave the machine (team sync, when it comes, decides on its own).
Each comment is also a line of the post's change log, so the history shows the
conversation beside the edits it led to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from calendar_data.posts import get_post
from calendar_data.settings import current_user
from calendar_data.storage.changelog import log_change
from calendar_data.storage.connection import utcnow

MAX_COMMENT = 2000
"""Characters in one comment: a review note, not a document."""


class CommentError(ValueError):
    """A comment that cannot be saved; names what is wrong."""


@dataclass(frozen=True)
class Comment:
    """One comment of a post's thread."""

    post_id: int
    at: datetime
    who: str
    body: str
    id: int | None = None


def add_comment(db, post_id: int, body: str, *, who: str | None = None, now: datetime | None = None) -> Comment:
    """Add a comment to a post's thread; returns it with its id."""
    text = body.strip()
    if not text:
        raise CommentError("comment: write something first")
    if len(text) > MAX_COMMENT:
        raise CommentError(f"comment: {len(text)} characters; keep it under {MAX_COMMENT}")
    get_post(db, post_id)  # PostError('id', ...) when there is no such post
    at, author = now or utcnow(), who or current_user()
    with db.atomic():
        cursor = db.execute("INSERT INTO post_comments (post_id, at, who, body) VALUES (?, ?, ?, ?)",
                            [post_id, at.isoformat(), author, text])
        log_change(db, "comment", "post", post_id, {"comment": text}, who=author, at=at)
    return Comment(post_id, at, author, text, cursor.lastrowid)


def list_comments(db, post_id: int) -> list[Comment]:
    """A post's thread, oldest first."""
    rows = db.execute("SELECT id, at, who, body FROM post_comments WHERE post_id = ? ORDER BY id",
                      [post_id]).fetchall()
    return [Comment(post_id, datetime.fromisoformat(r[1]), r[2], r[3], r[0]) for r in rows]

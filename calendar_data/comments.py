"""Review comments: the thread of a post between its writer and its approver (who, when, text).

Comments live only in the `post_comments` table and stay on this machine: no export, feed,
vendor CSV or report reads them (this module is the only reader). Adding or removing one is
recorded in the change log by comment id, never by text, so a removed comment's words are
gone; the post's `sequence` does not move, because nothing a calendar client sees changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from calendar_data.models import ChangeEntry
from calendar_data.posts import get_post
from calendar_data.settings import current_user
from calendar_data.storage.changelog import change_log, log_change
from calendar_data.storage.connection import utcnow

MAX_COMMENT = 2000
"""Longest comment, in characters: a review note, not a document."""
MAX_WHO = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CommentError(ValueError):
    """A comment that cannot be saved or removed as given; the message names the field."""


@dataclass(frozen=True)
class Comment:
    """One message in a post's review thread."""

    id: int
    post_id: int
    who: str
    at: datetime
    text: str


def clean_comment(text: str) -> str:
    """The comment as stored: control characters dropped, line ends LF, outer space trimmed.

    Raises:
        CommentError: the comment is empty or longer than MAX_COMMENT.
    """
    cleaned = _CONTROL.sub("", str(text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not cleaned:
        raise CommentError("text: write something (a comment cannot be empty)")
    if len(cleaned) > MAX_COMMENT:
        raise CommentError(
            f"text: keep a comment under {MAX_COMMENT:,} characters (this is {len(cleaned):,})"
        )
    return cleaned


def _author(who: str | None) -> str:
    name = " ".join((who or current_user()).split())
    if not name:
        raise CommentError("as: give the name the comment is from")
    if len(name) > MAX_WHO:
        raise CommentError(f"as: keep the name under {MAX_WHO} characters")
    return name


def add_comment(
    db, post_id: int, text: str, *, who: str | None = None, now: datetime | None = None
) -> Comment:
    """Add a comment to a post's thread in one logged transaction; returns it as stored.

    `who` is the acting name (the CLI's `--as`, the app's user), else config.toml `user` or the login.

    Raises:
        PostError: there is no such post.
        CommentError: the text or name is not acceptable.
    """
    get_post(db, post_id)
    body = clean_comment(text)
    author = _author(who)
    at = (now or utcnow()).replace(microsecond=0)
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO post_comments (post_id, who, at, body) VALUES (?, ?, ?, ?)",
            [post_id, author, at.isoformat(), body],
        )
        comment_id = cursor.lastrowid
        log_change(db, "comment", "post", post_id, {"comment_id": comment_id}, who=author, at=at)
    return Comment(comment_id, post_id, author, at, body)


def list_comments(db, post_id: int) -> list[Comment]:
    """A post's thread, oldest first (empty for a post with none)."""
    rows = db.execute(
        "SELECT id, post_id, who, at, body FROM post_comments WHERE post_id = ? ORDER BY at, id",
        [post_id],
    ).fetchall()
    return [Comment(r[0], r[1], r[2], datetime.fromisoformat(r[3]), r[4]) for r in rows]


def get_comment(db, comment_id: int) -> Comment:
    """One comment by id; CommentError when there is none."""
    row = db.execute(
        "SELECT id, post_id, who, at, body FROM post_comments WHERE id = ?", [comment_id]
    ).fetchone()
    if row is None:
        raise CommentError(f"id: no comment with id {comment_id}")
    return Comment(row[0], row[1], row[2], datetime.fromisoformat(row[3]), row[4])


def delete_comment(
    db, comment_id: int, *, who: str | None = None, now: datetime | None = None
) -> Comment:
    """Remove one's own comment (logged by id); returns what was removed.

    Raises:
        CommentError: no such comment, or it was written by someone else.
    """
    comment = get_comment(db, comment_id)
    author = _author(who)
    if comment.who.casefold() != author.casefold():
        raise CommentError(
            f"id: comment {comment_id} is {comment.who}'s; only its author can remove it"
        )
    with db.atomic():
        db.execute("DELETE FROM post_comments WHERE id = ?", [comment_id])
        log_change(
            db,
            "comment-removed",
            "post",
            comment.post_id,
            {"comment_id": comment_id},
            who=author,
            at=now,
        )
    return comment


def history_with_comments(db, post_id: int, *, limit: int = 1000) -> list[ChangeEntry]:
    """The post's change log (newest first) with each comment's text in its entry.

    A comment entry's `changes` gain `text` (the comment as it stands) or `removed: True`
    when it has since been taken back, so a history reads "comment: ..." in place.
    """
    texts = {c.id: c.text for c in list_comments(db, post_id)}
    entries = []
    for entry in change_log(db, entity="post", entity_id=post_id, limit=limit):
        if entry.action == "comment":
            comment_id = entry.changes.get("comment_id")
            extra = {"text": texts[comment_id]} if comment_id in texts else {"removed": True}
            entry = replace(entry, changes={**entry.changes, **extra})
        entries.append(entry)
    return entries


def comment_to_json(comment: Comment) -> dict:
    """The comment as `carecal comments list --json` prints it."""
    return {
        "id": comment.id,
        "post_id": comment.post_id,
        "who": comment.who,
        "at": comment.at.isoformat(),
        "text": comment.text,
    }

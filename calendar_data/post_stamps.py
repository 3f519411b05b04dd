"""A post's identity and version as calendars see them: iCal sequence, content stamps, imported UIDs.

Part of the `posts` table's owner (with `posts`): what exports, feeds, imports and a change of time
zone read and move, kept apart from the editing path in `posts`.
"""

from __future__ import annotations

from datetime import date, datetime

from calendar_data.storage.connection import utcnow


def post_versions(db, start: date, end: date) -> list[tuple[int, int, str]]:
    """(id, iCal sequence, content change time) of every post dated `start`..`end`, by id.

    What an export shows of these posts changes only when this list does (campaigns, tags and settings
    are logged as their own changes): one indexed query, no post built.
    """
    rows = db.execute(
        "SELECT id, ical_sequence, coalesce(content_changed_at, updated_at) FROM posts "
        "WHERE post_date BETWEEN ? AND ? ORDER BY id",
        [start.isoformat(), end.isoformat()],
    )
    return [tuple(r) for r in rows.fetchall()]


def post_id_by_external_uid(db, uid: str) -> int | None:
    """The post imported from a calendar event with this UID, if any (iCal re-import)."""
    row = db.execute("SELECT id FROM posts WHERE external_uid = ?", [uid]).fetchone()
    return row[0] if row else None


def imported_uids(db, post_ids: list[int]) -> dict[int, str]:
    """post id -> the calendar UID it was imported with, for those of `post_ids` that have one.

    An export gives such a post its original UID back, so the calendar it came from updates the
    event in place. Read 500 ids at a time, under the 999 bound parameters older SQLite builds allow.
    """
    found: dict[int, str] = {}
    for chunk in range(0, len(post_ids), 500):
        part = post_ids[chunk : chunk + 500]
        rows = db.execute(
            f"SELECT id, external_uid FROM posts WHERE external_uid IS NOT NULL AND id IN "  # column names from code, values bound  # nosec B608
            f"({', '.join('?' * len(part))})",
            part,
        ).fetchall()
        found.update({r[0]: r[1] for r in rows})
    return found


def set_external_uid(db, post_id: int, uid: str | None, *, sequence: int | None = None) -> None:
    """Record the calendar UID a post was imported from (call inside the import's transaction).

    `sequence` is the event's SEQUENCE: a post imported from carecal's own file keeps its revision
    number, so a subscriber that already holds that revision sees nothing new.
    """
    if sequence is not None and sequence > 0:
        db.execute(
            "UPDATE posts SET external_uid = ?, ical_sequence = max(ical_sequence, ?) WHERE id = ?",
            [uid, sequence, post_id],
        )
    else:
        db.execute("UPDATE posts SET external_uid = ? WHERE id = ?", [uid, post_id])


def bump_timed_posts(db, *, now: datetime | None = None) -> int:
    """Move the version of every timed post (call inside the transaction that changed the time zone).

    A timed post is planned at a wall-clock time in the team's zone, so a new zone moves its
    instant: SEQUENCE and LAST-MODIFIED must change so calendar clients replace their copy.
    """
    stamp = (now or utcnow()).isoformat()
    cursor = db.execute(
        "UPDATE posts SET sequence = sequence + 1, updated_at = ?, ical_sequence = ical_sequence + 1, "
        "content_changed_at = ? WHERE post_time IS NOT NULL",
        [stamp, stamp],
    )
    return cursor.rowcount


def timed_post_count(db) -> int:
    """How many posts have a time of day (what a change of time zone would move)."""
    return db.execute("SELECT count(*) FROM posts WHERE post_time IS NOT NULL").fetchone()[0]


def bump_campaign_posts(db, campaign_id: int | None) -> None:
    """Posts of a campaign change version (its removal changes them), so an open editor sees a conflict."""
    db.execute("UPDATE posts SET sequence = sequence + 1 WHERE campaign_id = ?", [campaign_id])


def bump_tagged_posts(db, tag_id: int) -> None:
    """Posts carrying a tag change version (a rename, merge or delete changes them), as above."""
    db.execute(
        "UPDATE posts SET sequence = sequence + 1 WHERE id IN "
        "(SELECT post_id FROM post_tags WHERE tag_id = ?)",
        [tag_id],
    )


def post_created_at(db, post_id: int) -> str | None:
    """When a post was created, as stored (None when there is no such post): sync tells a reused id by it."""
    row = db.execute("SELECT created_at FROM posts WHERE id = ?", [post_id]).fetchone()
    return row[0] if row else None

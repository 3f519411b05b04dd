"""A reviewer's recorded decision that one PHI finding on one post is safe to publish.

This module owns the `overrides` table; recording one is validated against the
post's current findings by `checks.approval.add_override`. An override is keyed by the finding's kind and the exact text it matched
(`phone:555-201-3344`), so it stops applying as soon as that text changes: a
reviewer approves what they read, not whatever the copy later says. Overrides
live only in the `overrides` table and are never exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from calendar_data.settings import current_user
from calendar_data.storage.changelog import log_change

MAX_REASON = 500


class OverrideError(ValueError):
    """An override that cannot be recorded or removed as asked."""


@dataclass(frozen=True)
class Override:
    """Who accepted which finding on which post, when and why."""

    post_id: int
    key: str
    reason: str
    who: str
    at: datetime


def insert_override(
    db, post_id: int, key: str, reason: str, *, who: str | None, at: datetime
) -> None:
    """Store an override and log it (validated by `checks.approval.add_override`, its only caller)."""
    with db.atomic():
        db.execute(
            "INSERT OR REPLACE INTO overrides (post_id, finding_key, reason, who, at) "
            "VALUES (?, ?, ?, ?, ?)",
            [post_id, key, reason, who or current_user(), at.isoformat()],
        )
        log_change(
            db, "override", "post", post_id, {"finding": key, "reason": reason}, who=who, at=at
        )


def list_overrides(db, post_id: int | None = None) -> list[Override]:
    """Overrides for one post (or every post), oldest first."""
    sql = "SELECT post_id, finding_key, reason, who, at FROM overrides"
    params: list = []
    if post_id is not None:
        sql += " WHERE post_id = ?"
        params.append(post_id)
    rows = db.execute(sql + " ORDER BY id", params).fetchall()
    return [Override(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4])) for r in rows]


def overrides_by_post(db) -> dict[int, list[Override]]:
    """Every override grouped by post id (one query for `carecal check` over a year)."""
    grouped: dict[int, list[Override]] = {}
    for override in list_overrides(db):
        grouped.setdefault(override.post_id, []).append(override)
    return grouped


def remove_override(db, post_id: int, key: str, *, who: str | None = None) -> Override:
    """Withdraw an override; the finding blocks approval again."""
    existing = [o for o in list_overrides(db, post_id) if o.key == key]
    if not existing:
        raise OverrideError(f"post {post_id} has no override {key!r}")
    with db.atomic():
        db.execute("DELETE FROM overrides WHERE post_id = ? AND finding_key = ?", [post_id, key])
        log_change(db, "override-removed", "post", post_id, {"finding": key}, who=who)
    return existing[0]

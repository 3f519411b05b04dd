"""Crisis holds: during an incident, every approved or scheduled post in a window is paused at once.

A hospital comms team stops its promotional posts when something goes wrong
(a mass-casualty event, an outage, a death on the news). `place_hold` records the
window and its reason and, in the same transaction, the posts it catches; a post
approved into the window while the hold is active is caught too (`held_posts`
answers from the window, not only the snapshot). Exports and feeds write held
posts as STATUS:CANCELLED with their SEQUENCE bumped, so Outlook and Google take
them off the team's calendars, and bump it again on release, so they come back.
The post's own status does not change: releasing the hold returns every post to
where it was. Crisis updates (or any type named in `except_types`) are never held.

This module owns the `holds` and `held_posts` tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from calendar_data.models import ContentType, Filters, Post, Status
from calendar_data.posts import list_posts
from calendar_data.settings import current_user
from calendar_data.storage.changelog import log_change
from calendar_data.storage.connection import utcnow

HELD_STATUSES = (Status.APPROVED, Status.SCHEDULED)
"""What a hold catches: posts that would otherwise go out."""
MAX_REASON = 300
MAX_DAYS = 366


class HoldError(ValueError):
    """A hold that cannot be placed or released as asked; names the field."""


@dataclass(frozen=True)
class Hold:
    """One crisis hold: its window, why, who placed and released it, and the posts it caught."""

    id: int
    start: date
    end: date
    reason: str
    except_types: tuple[ContentType, ...]
    held_by: str
    held_at: datetime
    released_by: str | None = None
    released_at: datetime | None = None
    post_ids: tuple[int, ...] = ()
    """The posts caught when it was placed (and, once released, every post it held)."""

    @property
    def active(self) -> bool:
        """Whether the hold is still in force."""
        return self.released_at is None

    def catches(self, post: Post) -> bool:
        """Whether this (active) hold holds `post`: caught when placed, or approved into its window since."""
        if post.id in self.post_ids:
            return True
        return (
            self.start <= post.day <= self.end
            and post.status in HELD_STATUSES
            and post.content_type not in self.except_types
        )

    def to_json(self) -> dict:
        """The hold as `carecal hold list --json` prints it."""
        return {
            "id": self.id,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "reason": self.reason,
            "except_types": [str(t) for t in self.except_types],
            "active": self.active,
            "held_by": self.held_by,
            "held_at": self.held_at.isoformat(),
            "released_by": self.released_by,
            "released_at": self.released_at.isoformat() if self.released_at else None,
            "posts": list(self.post_ids),
        }


_SELECT = (
    "SELECT h.id, h.start_date, h.end_date, h.reason, h.except_types, h.held_by, h.held_at, "
    "h.released_by, h.released_at, (SELECT json_group_array(post_id) FROM held_posts hp "
    "WHERE hp.hold_id = h.id) FROM holds h"
)


def _row(row: tuple) -> Hold:
    return Hold(
        id=row[0],
        start=date.fromisoformat(row[1]),
        end=date.fromisoformat(row[2]),
        reason=row[3],
        except_types=tuple(ContentType(t) for t in json.loads(row[4])),
        held_by=row[5],
        held_at=datetime.fromisoformat(row[6]),
        released_by=row[7],
        released_at=datetime.fromisoformat(row[8]) if row[8] else None,
        post_ids=tuple(sorted(json.loads(row[9] or "[]"))),
    )


def list_holds(db, *, active_only: bool = False) -> list[Hold]:
    """Every hold, newest first (or only those in force)."""
    where = " WHERE h.released_at IS NULL" if active_only else ""
    return [_row(r) for r in db.execute(_SELECT + where + " ORDER BY h.id DESC").fetchall()]


def get_hold(db, hold_id: int) -> Hold:
    """One hold by id; HoldError naming the id when there is none."""
    row = db.execute(_SELECT + " WHERE h.id = ?", [hold_id]).fetchone()
    if row is None:
        raise HoldError(f"hold: no hold with id {hold_id} (see carecal hold list)")
    return _row(row)


def _validated(
    start: date, end: date, reason: str, except_types
) -> tuple[str, tuple[ContentType, ...]]:
    if end < start:
        raise HoldError(f"to: {end} is before from {start}")
    if (end - start).days >= MAX_DAYS:
        raise HoldError(f"to: a hold covers at most {MAX_DAYS} days ({start} to {end} is longer)")
    reason = " ".join((reason or "").split())
    if not reason:
        raise HoldError("reason: say why posts are held (the history keeps it)")
    if len(reason) > MAX_REASON:
        raise HoldError(f"reason: keep it under {MAX_REASON} characters")
    try:
        types = tuple(dict.fromkeys(ContentType(t) for t in except_types))
    except ValueError as exc:
        raise HoldError(f"except-type: {exc}") from None
    return reason, types


def place_hold(
    db,
    start: date,
    end: date,
    reason: str,
    *,
    except_types=(ContentType.CRISIS_UPDATE,),
    who: str | None = None,
    now: datetime | None = None,
) -> Hold:
    """Hold every approved or scheduled post dated in `[start, end]`, in one logged transaction.

    Each held post's history records the hold; posts of `except_types` (crisis
    updates by default) are left to go out.
    """
    reason, types = _validated(start, end, reason, except_types)
    who = who or current_user()
    stamp = now or utcnow()
    with db.atomic():
        caught = [
            p
            for p in list_posts(db, start, end, Filters(statuses=HELD_STATUSES))
            if p.content_type not in types
        ]
        cursor = db.execute(
            "INSERT INTO holds (start_date, end_date, reason, except_types, held_by, held_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                start.isoformat(),
                end.isoformat(),
                reason,
                json.dumps([str(t) for t in types]),
                who,
                stamp.isoformat(),
            ],
        )
        hold_id = cursor.lastrowid
        db.conn.executemany(
            "INSERT INTO held_posts (hold_id, post_id) VALUES (?, ?)",
            [(hold_id, p.id) for p in caught],
        )
        log_change(
            db,
            "hold",
            "hold",
            hold_id,
            {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "reason": reason,
                "posts": len(caught),
            },
            who=who,
            at=stamp,
        )
        for post in caught:
            log_change(
                db, "hold", "post", post.id, {"hold": hold_id, "reason": reason}, who=who, at=stamp
            )
    return get_hold(db, hold_id)


def release_hold(db, hold_id: int, *, who: str | None = None, now: datetime | None = None) -> Hold:
    """End a hold: its posts go back on the calendars (SEQUENCE bumped again), in one logged transaction."""
    hold = get_hold(db, hold_id)
    if not hold.active:
        raise HoldError(
            f"hold: hold {hold_id} was already released by {hold.released_by} on "
            f"{hold.released_at:%Y-%m-%d}"
        )
    who = who or current_user()
    stamp = now or utcnow()
    with db.atomic():
        held = [p for p in list_posts(db, hold.start, hold.end) if hold.catches(p)]
        joined = [p.id for p in held if p.id is not None and p.id not in hold.post_ids]
        db.conn.executemany(
            "INSERT OR IGNORE INTO held_posts (hold_id, post_id) VALUES (?, ?)",
            [(hold_id, pid) for pid in joined],
        )  # so their SEQUENCE moves on release too
        db.execute(
            "UPDATE holds SET released_by = ?, released_at = ? WHERE id = ?",
            [who, stamp.isoformat(), hold_id],
        )
        log_change(db, "release", "hold", hold_id, {"posts": len(held)}, who=who, at=stamp)
        for pid in sorted({*hold.post_ids, *joined}):
            log_change(db, "release", "post", pid, {"hold": hold_id}, who=who, at=stamp)
    return get_hold(db, hold_id)


@dataclass(frozen=True)
class HoldMark:
    """How a post stands with the holds: held now (by which hold), and how far its SEQUENCE moved."""

    held_by: int | None
    """The id of the active hold holding it, or None."""
    bump: int
    """Added to the post's SEQUENCE in exports: 1 per hold that caught it, 1 more once released."""


def hold_marks(db, posts: list[Post]) -> dict[int, HoldMark]:
    """Every post of `posts` that a hold touches (held now, or held and released), by id."""
    holds = list_holds(db)
    if not holds:
        return {}
    marks: dict[int, HoldMark] = {}
    for post in posts:
        if post.id is None:
            continue
        bump = sum(1 if h.active else 2 for h in holds if post.id in h.post_ids)
        held = next((h.id for h in holds if h.active and h.catches(post)), None)
        if bump or held is not None:
            marks[post.id] = HoldMark(held, bump)
    return marks


def held_ids(db, posts: list[Post]) -> frozenset[int]:
    """Ids of the posts an active hold holds (the calendar's held mark)."""
    return frozenset(pid for pid, mark in hold_marks(db, posts).items() if mark.held_by is not None)

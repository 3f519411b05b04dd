"""The approval workflow: which status may follow which, defined in one place.

A post may skip forward (an idea can be approved directly when its checks
pass), may fall back to draft or idea, and once published only moves to
archived: a published post is a record of what went out.
"""

from __future__ import annotations

from datetime import datetime, time

from calendar_data.models import Post, Status

FORWARD: tuple[Status, ...] = (
    Status.IDEA,
    Status.DRAFT,
    Status.REVIEW,
    Status.APPROVED,
    Status.SCHEDULED,
    Status.PUBLISHED,
)
"""The main line, in order."""

APPROVED_OR_LATER = frozenset({Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED})
"""Moving into one of these runs the blocking compliance checks."""

INACTIVE = frozenset({Status.REJECTED, Status.ARCHIVED})
"""Posts that will not go out: `carecal check` and the calendar mark skip them."""

BACK = frozenset({Status.DRAFT, Status.IDEA})


def transition_error(old: Status, new: Status) -> str | None:
    """Why `old -> new` is not allowed, or None when it is."""
    if old == new:
        return None
    if old is Status.PUBLISHED:
        return None if new is Status.ARCHIVED else "a published post can only be archived"
    if new is Status.ARCHIVED:
        return None
    if new is Status.REJECTED:
        return (
            None
            if old in (Status.REVIEW, Status.APPROVED, Status.SCHEDULED)
            else ("only a post in review, approved or scheduled can be rejected")
        )
    if old in (Status.REJECTED, Status.ARCHIVED):
        return None if new in BACK else f"a {old} post goes back to draft or idea first"
    if new in BACK or FORWARD.index(new) > FORWARD.index(old):
        return None
    return f"{old} cannot move back to {new} (back moves go to draft or idea)"


def next_statuses(old: Status) -> list[Status]:
    """Every status `old` may move to, in workflow order (for pickers)."""
    return [s for s in Status if s != old and transition_error(old, s) is None]


def restore_error(old: Status, new: Status, archived_from: str | None) -> str | None:
    """`transition_error`, knowing what an archived post was: a published one is only restored to published.

    `archived_from` is the status the post had when it was archived (from the change log).
    """
    if old is Status.ARCHIVED and archived_from == Status.PUBLISHED and new != old:
        return (
            None
            if new is Status.PUBLISHED
            else (
                "this post was published before it was archived: it can only be restored to published"
            )
        )
    return transition_error(old, new)


def publish_error(post: Post, now_local: datetime, reason: str | None = None) -> str | None:
    """Why the post may not be marked published yet: its date and time have not come (no reason given).

    `now_local` is now in the team's time zone, naive; an all-day post may be marked from its day on.
    A stated `reason` (it went out early, by hand) lets it through, and the change log keeps it.
    """
    due = datetime.combine(post.day, post.time or time(0))
    if due <= now_local or " ".join((reason or "").split()):
        return None
    when = f"{post.day} {post.time:%H:%M}" if post.time else str(post.day)
    return (
        f"the post is due {when}, not yet come; mark it published then, "
        "or give the reason it went out early (--reason)"
    )

"""The approval workflow: which status may follow which, defined in one place.

A post may skip forward (an idea can be approved directly when its checks
pass), may fall back to draft or idea, and once published only moves to
archived: a published post is a record of what went out.
"""

from __future__ import annotations

from calendar_data.models import Status

FORWARD: tuple[Status, ...] = (
    Status.IDEA, Status.DRAFT, Status.REVIEW, Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED,
)
"""The main line, in order."""

APPROVED_OR_LATER = frozenset({Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED})
"""Moving into one of these runs the blocking compliance checks."""

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
        return None if old in (Status.REVIEW, Status.APPROVED, Status.SCHEDULED) else (
            "only a post in review, approved or scheduled can be rejected")
    if old in (Status.REJECTED, Status.ARCHIVED):
        return None if new in BACK else f"a {old} post goes back to draft or idea first"
    if new in BACK or FORWARD.index(new) > FORWARD.index(old):
        return None
    return f"{old} cannot move back to {new} (back moves go to draft or idea)"


def next_statuses(old: Status) -> list[Status]:
    """Every status `old` may move to, in workflow order (for pickers)."""
    return [s for s in Status if s != old and transition_error(old, s) is None]

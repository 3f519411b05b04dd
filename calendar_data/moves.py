"""Moving and duplicating posts: what the planner's `M` and `D` (and a mouse drag) do.

Both go through the one write path (`posts.update_post` / the editor and `posts.add_post`),
so the compliance gate and the change log apply as they do to any edit.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, datetime

from calendar_data.models import Post, Status
from calendar_data.posts import get_post, update_post


def move_post(
    db,
    post_id: int,
    day: date,
    *,
    who: str | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Post:
    """Give a saved post another date (its time, channels and copy stay); returns it as saved."""
    post = get_post(db, post_id)
    if post.day == day:
        return post
    return update_post(db, replace(post, day=day), who=who, today=today, now=now)


def duplicate_of(post: Post) -> Post:
    """An unsaved copy of `post` for the editor: same copy, channels and tags, back at draft.

    The copy has no id, history or consent record of its own, and anything past review
    goes back to draft so the copy is approved on its own merits.
    """
    status = post.status if post.status in (Status.IDEA, Status.DRAFT) else Status.DRAFT
    return replace(
        post, id=None, created_at=None, updated_at=None, sequence=0, consent=None, status=status
    )


def parse_move_day(text: str, around: date) -> date | None:
    """A day typed while moving: '2027-02-17', '02-17' (the year of `around`) or '17' (its month).

    Returns None while the text is not (yet) a real date, so typing can go on.
    """
    parts = text.strip().split("-")
    if not all(p.isdigit() for p in parts) or len(parts) > 3:
        return None
    try:
        if len(parts) == 3 and len(parts[0]) == 4:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            return date(around.year, int(parts[0]), int(parts[1]))
        if len(parts) == 1 and 1 <= len(parts[0]) <= 2:
            day = int(parts[0])
            if 1 <= day <= calendar.monthrange(around.year, around.month)[1]:
                return around.replace(day=day)
    except ValueError:
        return None
    return None

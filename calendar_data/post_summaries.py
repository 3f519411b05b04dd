"""Read-only summaries of the posts tables for the app's defaults (split from posts.py, which owns them).

`count_posts` tells the month view to greet an empty calendar; `last_used_channels` is the
channels a new post (editor or quick-add line) starts with.
"""

from __future__ import annotations

from calendar_data.models import Channel


def count_posts(db) -> int:
    """How many posts the calendar holds (0: a new calendar, which the app greets with a hint)."""
    return db.execute("SELECT count(*) FROM posts").fetchone()[0]


def last_used_channels(db) -> tuple[Channel, ...]:
    """The channels of the newest post that has any: the quick-add line's default."""
    row = db.execute(
        "SELECT group_concat(channel) FROM post_channels WHERE post_id = "
        "(SELECT max(post_id) FROM post_channels)"
    ).fetchone()
    return tuple(Channel(c) for c in row[0].split(",")) if row and row[0] else ()

"""The checks with the database: the team's settings and reviewers' overrides read from the calendar.

`findings.check_post` is pure; these functions feed it what is stored, for one post (the
editor, the approval gate) or many at once (`carecal check`, the calendar's attention mark).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from calendar_data.checks.findings import INACTIVE, Finding, check_post, needs_attention
from calendar_data.checks.overrides import list_overrides, overrides_by_post
from calendar_data.models import Post
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings


def findings_for(db, post: Post, *, today: date, settings: Settings | None = None) -> list[Finding]:
    """`check_post` with the team's settings and the post's overrides read from `db`."""
    overrides = list_overrides(db, post.id) if post.id is not None else []
    return check_post(post, settings or load_settings(db), today=today, overrides=overrides)


def review(db, posts: Iterable[Post], *, today: date,
           settings: Settings | None = None) -> dict[int, list[Finding]]:
    """Findings for many posts (inactive ones skipped), settings and overrides read once."""
    settings = settings or load_settings(db)
    grouped = overrides_by_post(db)
    result: dict[int, list[Finding]] = {}
    for post in posts:
        if post.status in INACTIVE or post.id is None:
            continue
        result[post.id] = check_post(post, settings, today=today, overrides=grouped.get(post.id, ()))
    return result


def attention_ids(db, posts: Iterable[Post], *, today: date, settings: Settings | None = None) -> frozenset[int]:
    """Ids of the posts that need attention (a blocking finding or an open warning): the calendar's mark."""
    return frozenset(pid for pid, found in review(db, posts, today=today, settings=settings).items()
                     if needs_attention(found))

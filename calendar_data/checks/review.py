"""The checks with the database: the team's settings and reviewers' overrides read from the calendar.

`findings.check_post` is pure; these functions feed it what is stored, for one post (the
editor, the approval gate) or many at once (`carecal check`, the calendar's attention mark).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from calendar_data.checks.evidence_sources import stored_observance_sources
from calendar_data.checks.findings import Finding, check_post, needs_attention
from calendar_data.checks.overrides import list_overrides, overrides_by_post
from calendar_data.checks.workflow import INACTIVE
from calendar_data.models import Post
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings


def findings_for(db, post: Post, *, today: date, settings: Settings | None = None) -> list[Finding]:
    """`check_post` with the team's settings, the post's overrides and its observance's source from `db`."""
    overrides = list_overrides(db, post.id) if post.id is not None else []
    source = stored_observance_sources(db).get(post.observance_id) if post.observance_id else None
    return check_post(
        post,
        settings or load_settings(db),
        today=today,
        overrides=overrides,
        observance_source=source,
    )


def review(
    db, posts: Iterable[Post], *, today: date, settings: Settings | None = None
) -> dict[int, list[Finding]]:
    """Findings for many posts (inactive ones skipped), settings and overrides read once."""
    settings = settings or load_settings(db)
    grouped = overrides_by_post(db)
    sources = stored_observance_sources(db)
    result: dict[int, list[Finding]] = {}
    for post in posts:
        if post.status in INACTIVE or post.id is None:
            continue
        result[post.id] = check_post(
            post,
            settings,
            today=today,
            overrides=grouped.get(post.id, ()),
            observance_source=sources.get(post.observance_id or ""),
        )
    return result


def attention_ids(
    db, posts: Iterable[Post], *, today: date, settings: Settings | None = None
) -> frozenset[int]:
    """Ids of the posts that need attention (a blocking finding or an open warning): the calendar's mark."""
    return frozenset(
        pid
        for pid, found in review(db, posts, today=today, settings=settings).items()
        if needs_attention(found)
    )

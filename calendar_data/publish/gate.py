"""Which posts may leave for a publisher, and the copy each channel gets.

The same door as the approval workflow: a post with a blocking compliance
finding never goes to a vendor file, and neither does a post under a crisis
hold. Both checks live here so the bulk exports and any later door share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from calendar_data.models import Channel, Post, Status, copy_for

DEFAULT_STATUSES: tuple[Status, ...] = (Status.APPROVED, Status.SCHEDULED)
"""What goes to a publisher unless the user asks for other statuses."""


@dataclass(frozen=True)
class Skipped:
    """A post kept out of an export, and why (shown to the user, never silent)."""

    post: Post
    reason: str


def channel_copy(db, post: Post, channel: Channel) -> str:
    """The copy `post` goes out with on `channel`: its per-channel variant where one exists, else the body.

    Every exporter calls it; the variant itself comes from `models.copy_for`, the one rule for
    which copy a channel gets (the checks measure the same text).
    """
    variant = _variant_lookup(db, post, channel)
    return variant if variant and variant.strip() else post.body


def _variant_lookup(db, post: Post, channel: Channel) -> str | None:
    """The copy stored for (post, channel): read with the post, so `db` is not queried again."""
    return copy_for(post, channel)


def held_post_ids(db, posts: Iterable[Post]) -> frozenset[int]:
    """Ids of the posts under a crisis hold (issue 13); no hold store exists yet, so none.

    Kept as one function so the hold module, when it lands, plugs in here and
    every publisher export honours it.
    """
    return frozenset()


def gate(
    db,
    posts: Iterable[Post],
    *,
    today: date,
    settings=None,
    held: Callable[[object, list[Post]], frozenset[int]] = held_post_ids,
) -> tuple[list[Post], list[Skipped]]:
    """Split `posts` into those that may go to a publisher and those kept back (with the reason).

    Blocking compliance findings (the approval module's own check, settings and
    overrides read once) and crisis holds keep a post back.
    """
    from calendar_data.checks.findings import reasons
    from calendar_data.checks.review import review
    from calendar_data.checks.workflow import INACTIVE

    posts = list(posts)
    findings = review(db, posts, today=today, settings=settings)
    on_hold = held(db, posts)
    kept: list[Post] = []
    skipped: list[Skipped] = []
    for post in posts:
        if post.status in INACTIVE:
            skipped.append(Skipped(post, f"{post.status} posts never go to a publisher"))
            continue
        if post.id in on_hold:
            skipped.append(Skipped(post, "under a crisis hold"))
            continue
        blocking = reasons(findings.get(post.id, []) if post.id is not None else [])
        if blocking:
            skipped.append(Skipped(post, "blocked by compliance: " + "; ".join(blocking)))
            continue
        kept.append(post)
    return kept, skipped

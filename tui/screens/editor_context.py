"""What the post editor is handed: the pickers' choices and how a draft is checked, loaded and linked.

Built by the app each time the editor opens (`editor_context`), so the editor itself reads
nothing from the calendar: the choices come from here and every check and load is a callable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from textual.screen import Screen

from calendar_data.campaigns import list_campaigns
from calendar_data.models import Post
from calendar_data.observances import all_observances
from calendar_data.posts import get_post, preflight
from calendar_data.settings import Settings
from calendar_data.tags import list_tags
from tui.comments_flow import open_comments
from tui.compliance_flow import draft_checker
from tui.publish_flow import local_links


@dataclass(frozen=True)
class EditorContext:
    """What the editor offers and how it checks a draft (handed down by the app)."""

    campaigns: tuple[str, ...]
    tags: tuple[str, ...]
    observances: tuple[tuple[str, str], ...]
    """(name, id) pairs, by name."""
    check: Callable[[Post], None]
    """Raises PostError naming the field when the draft cannot be saved."""
    compliance: Callable[[Post], list] | None = None
    """Compliance findings for a draft, shown live in the side panel."""
    today: date | None = None
    """Dates a consent recorded for a post not yet saved."""
    load: Callable[[int], Post] | None = None
    """The post as stored now (to reload after someone else saved it)."""
    comments: Callable[[Screen, Post], None] | None = None
    """Opens the post's review thread over `screen` (ctrl+r)."""
    links: Callable[[int], list] | None = None
    """Where a saved post went live (post id -> its recorded links), for the published panel."""


def editor_context(
    db,
    settings: Settings,
    today: date,
    now: Callable[[], datetime] | None = None,
    vocabulary: tuple[list[str], list[str]] | None = None,
) -> EditorContext:
    """Read the campaigns, tags and observances the editor's pickers offer.

    `vocabulary` is the app's cached (tag names, campaign names); without it they are read here.
    """

    def check(post: Post) -> None:  # approving: blocking findings keep the editor open
        sequence = post.sequence if post.id is not None else None
        preflight(db, post, today=today, expected_sequence=sequence)

    if vocabulary is None:
        vocabulary = ([t.name for t in list_tags(db)], [c.name for c in list_campaigns(db)])
    tags, campaigns = vocabulary
    observances = tuple(
        sorted(((o.name, o.id) for o in all_observances(db)), key=lambda p: p[0].casefold())
    )
    return EditorContext(
        tuple(campaigns),
        tuple(tags),
        observances,
        check,
        draft_checker(db, settings, today),
        load=lambda pid: get_post(db, pid),
        comments=lambda screen, post: open_comments(screen, db, post, now=now),
        links=lambda post_id: local_links(db, post_id, settings.timezone),
        today=today,
    )

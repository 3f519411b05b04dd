"""Changing the team's settings, with what the change does to the plan, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from calendar_data.post_stamps import bump_timed_posts, timed_post_count
from calendar_data.posts import list_posts
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings, save_settings
from calendar_data.times import gap_problem


@dataclass(frozen=True)
class SettingsChange:
    """The settings as saved, and how many timed posts now fall at another instant."""

    settings: Settings
    moved_posts: int = 0
    nonexistent: tuple[str, ...] = ()
    """One line per timed post whose wall-clock time does not exist in the new zone (fix each)."""


def timed_posts_moved_by(db, new: Settings) -> int:
    """How many posts a change to `new` would move in time (for asking before saving)."""
    if load_settings(db).timezone == new.timezone:
        return 0
    return timed_post_count(db)


def change_settings(
    db, new: Settings, *, who: str | None = None, now: datetime | None = None
) -> SettingsChange:
    """Save `new`; a new time zone also bumps every timed post's version (their instants moved)."""
    before = load_settings(db)
    with db.atomic():
        saved = save_settings(db, new, who=who)
        moved = bump_timed_posts(db, now=now) if saved.timezone != before.timezone else 0
    gaps: list[str] = []
    if moved:
        for post in list_posts(db):
            problem = post.time and gap_problem(post.day, post.time, saved.timezone)
            if problem:
                gaps.append(f"post {post.id} ({post.title}): {problem}")
    return SettingsChange(saved, moved, tuple(gaps))

"""Hold-back: the one rule for what leaves the building in any export (iCal file, feed, vendor CSV).

A post with a blocking compliance finding (possible PHI, a patient story without
valid consent, a claim with no source, copy over a network's limit) keeps its
slot in an export (date, time, channels, status) but not its copy: its title and
description become `held_title(post)`. Every exporter asks `hold_back` which posts
to treat so, shows `HoldBackReport.describe()` to the user, and honours the
user's explicit `include_blocked` (which the report then says was used).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from calendar_data.checks.evidence_sources import stored_observance_sources
from calendar_data.checks.findings import Finding, check_post
from calendar_data.checks.marks import marks_for, store_marks
from calendar_data.checks.overrides import overrides_by_post
from calendar_data.checks.workflow import INACTIVE
from calendar_data.models import Post
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings

LISTED = 8
"""How many held posts an export's one-line report names, with their reasons."""
HELD_TITLE = "Post #{id} held for compliance review"
"""What a held-back post's title (and description) reads as in every export."""


def held_title(post: Post) -> str:
    """The neutral text that replaces a held-back post's title and copy."""
    return HELD_TITLE.format(id=post.id)


@dataclass(frozen=True)
class HeldPost:
    """One post held back from an export and why (finding types, never the flagged text)."""

    post_id: int
    why: tuple[str, ...]
    """The kinds of blocking finding, e.g. ("possible phone", "consent missing"); given for the
    first `LISTED` held posts (what `describe` names), empty past them when a stored mark said
    "blocked" (the reasons are then not worked out again: `carecal check` lists them)."""


@dataclass(frozen=True)
class HoldBackReport:
    """What an export held back, or (with `include_blocked`) exported whole despite blocking findings."""

    posts: tuple[HeldPost, ...] = ()
    include_blocked: bool = False
    ids: frozenset[int] = field(default_factory=frozenset)

    def __len__(self) -> int:
        return len(self.posts)

    def describe(self) -> str:
        """One line for stderr or the export dialog ('' when nothing had a blocking finding)."""
        if not self.posts:
            return ""
        listed = "; ".join(f"#{p.post_id} ({', '.join(p.why)})" for p in self.posts[:LISTED])
        more = f"; and {len(self.posts) - LISTED} more" if len(self.posts) > LISTED else ""
        count = f"{len(self.posts)} post{'s' if len(self.posts) != 1 else ''}"
        if self.include_blocked:
            return (
                f"--include-blocked: {count} with blocking compliance findings exported WITH their copy: "
                f"{listed}{more}"
            )
        return (
            f"held back {count} for compliance review (slot kept, copy left out; run carecal check "
            f"to see the findings): {listed}{more}"
        )


def _why(findings: Iterable[Finding]) -> tuple[str, ...]:
    words = []
    for finding in findings:
        if finding.blocking:
            word = (
                f"{finding.type} {finding.kind}".replace("-", " ")
                if finding.type != "phi"
                else f"possible {finding.kind.replace('-', ' ')}"
            )
            if word not in words:
                words.append(word)
    return tuple(words)


def hold_back(
    db,
    posts: Iterable[Post],
    *,
    today: date,
    include_blocked: bool = False,
    settings: Settings | None = None,
) -> HoldBackReport:
    """Which of `posts` an export must write without their copy (all of them listed, by id).

    Rejected and archived posts are judged too: they still appear (cancelled) in a file.
    A post whose stored needs-attention mark still holds and records no blocking finding
    is not checked again: only the blocked (for the reasons), the unmarked and the inactive are; the
    marks this computes are stored for the next export (best effort: a read-only or busy
    file just computes them again next time).
    """
    settings = settings or load_settings(db)
    saved = {p.id: p for p in posts if p.id is not None}
    marks = marks_for(db, saved.values(), today=today, settings=settings)
    active = {p.id for p in saved.values() if p.status not in INACTIVE}
    grouped, sources = overrides_by_post(db), stored_observance_sources(db)
    found: list[HeldPost] = []
    for post_id in sorted(saved):
        if post_id in active and post_id not in marks.blocked:
            continue  # its mark vouches: no blocking finding (at most open warnings)
        if post_id in active and len(found) >= LISTED:
            found.append(HeldPost(post_id, ()))  # blocked, by its mark; past the listed few
            continue
        post = saved[post_id]
        findings = check_post(
            post,
            settings,
            today=today,
            overrides=grouped.get(post_id, ()),
            observance_source=sources.get(post.observance_id or ""),
        )
        if any(f.blocking for f in findings):
            found.append(HeldPost(post_id, _why(findings)))
    _keep(db, marks.computed)
    held = tuple(found)
    ids = frozenset() if include_blocked else frozenset(p.post_id for p in held)
    return HoldBackReport(held, include_blocked, ids)


def _keep(db, computed) -> None:
    """Store freshly computed marks if the file takes a write now; an export never fails for a cache."""
    if not computed or db.conn.in_transaction:
        return
    with contextlib.suppress(sqlite3.Error):  # read-only (a feed server's file) or busy: keep going
        store_marks(db, computed)

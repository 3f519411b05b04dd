"""Hold-back: the one rule for what leaves the building in any export (iCal file, feed, vendor CSV).

A post with a blocking compliance finding (possible PHI, a patient story without
valid consent, a claim with no source, copy over a network's limit) keeps its
slot in an export (date, time, channels, status) but not its copy: its title and
description become `held_title(post)`. Every exporter asks `hold_back` which posts
to treat so, shows `HoldBackReport.describe()` to the user, and honours the
user's explicit `include_blocked` (which the report then says was used).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from calendar_data.checks.findings import Finding, check_post
from calendar_data.checks.overrides import overrides_by_post
from calendar_data.models import Post
from calendar_data.settings import Settings
from calendar_data.storage.settings_table import load_settings

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
    """The kinds of blocking finding, e.g. ("possible phone", "consent missing")."""


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
        listed = "; ".join(f"#{p.post_id} ({', '.join(p.why)})" for p in self.posts[:8])
        more = f"; and {len(self.posts) - 8} more" if len(self.posts) > 8 else ""
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
    """
    settings = settings or load_settings(db)
    grouped = overrides_by_post(db)
    found: list[HeldPost] = []
    saved = {p.id: p for p in posts if p.id is not None}
    for post_id in sorted(saved):
        post = saved[post_id]
        findings = check_post(post, settings, today=today, overrides=grouped.get(post_id, ()))
        if any(f.blocking for f in findings):
            found.append(HeldPost(post_id, _why(findings)))
    held = tuple(found)
    ids = frozenset() if include_blocked else frozenset(p.post_id for p in held)
    return HoldBackReport(held, include_blocked, ids)

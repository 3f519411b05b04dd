"""What a post must be before it is saved: each field checked and tidied, or one PostError naming it.

Every write path runs `validate` first (`posts.add_post`, `update_post` and `preflight`, and
`posts_bulk` for an import), so a post is held to the same rules whether it comes from the
editor, the CLI, an import or sync.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from calendar_data.campaigns import campaign_id
from calendar_data.errors import PostError
from calendar_data.models import Channel, Post
from calendar_data.post_rows import CHANNEL_ORDER
from calendar_data.storage.settings_table import load_settings
from calendar_data.tags import TagError, clean_tag, tag_name
from calendar_data.times import gap_problem, is_ambiguous

MAX_DURATION_MINUTES = 31 * 1440
"""The longest slot a post may hold (a month-long series shown as one block)."""


def validate(db, post: Post, *, timezone: str | None = None) -> Post:
    """The post with tidied values, or PostError naming the first bad field (`timezone`: a bulk save's)."""
    title = post.title.strip() if isinstance(post.title, str) else ""
    title = re.sub(r"[\t\r\n]+", " ", title)  # a title is one line: a pasted break becomes a space
    if not title:
        raise PostError("title", "a post needs a title")
    if len(title) > 300:
        raise PostError("title", "keep the title under 300 characters")
    _refuse_control_characters(post, title)
    if not isinstance(post.day, date) or not 1601 <= post.day.year <= 4500:
        raise PostError("date", "must be a date between 1601 and 4500")
    try:
        tags = tuple(dict.fromkeys(clean_tag(t) for t in post.tags if tag_name(t)))
    except TagError as exc:
        raise PostError("tag", str(exc).removeprefix("tag: ")) from None
    if post.campaign and campaign_id(db, post.campaign) is None:
        raise PostError("campaign", f"no campaign named {post.campaign!r} (create it first)")
    for url in post.sources:
        if not url.startswith(("http://", "https://")):
            raise PostError("source", f"{url!r} is not an http(s) URL")
    if post.duration_minutes is not None and not (
        isinstance(post.duration_minutes, int) and 0 < post.duration_minutes <= MAX_DURATION_MINUTES
    ):
        raise PostError(
            "duration",
            f"{post.duration_minutes!r} minutes: give 1 to {MAX_DURATION_MINUTES} "
            "(a slot of up to 31 days)",
        )
    hashtags = tuple(h if h.startswith("#") else f"#{h}" for h in post.hashtags)
    at = post.time
    if at is not None:
        timezone = timezone or load_settings(db).timezone
        problem = gap_problem(post.day, at, timezone)
        if problem:
            raise PostError("time", problem)
        if at.fold and not is_ambiguous(post.day, at, timezone):
            at = at.replace(fold=0)  # "the later one" means nothing on an ordinary day
    return replace(
        post, title=title, tags=tags, hashtags=hashtags, time=at, variants=_valid_variants(post)
    )


_LINE_BREAKS = frozenset("\t\n\r")


def _control_character(text: str, *, multiline: bool) -> str | None:
    """The first control character in `text` (tab and line breaks allowed in `multiline` text)."""
    for char in text:
        if (char < " " or "\x7f" <= char <= "\x9f") and not (multiline and char in _LINE_BREAKS):
            return char
    return None


def _refuse_control_characters(post: Post, title: str) -> None:
    """PostError naming the field that holds a control character (a NUL cuts text short in SQLite)."""
    fields = [("title", title, False), ("body", post.body or "", True)]
    fields += [("private notes", post.private_notes or "", True)]
    fields += [(f"body[{c}]", t, True) for c, t in post.variants if isinstance(t, str)]
    fields += [
        (name, v, False)
        for name, values in (
            ("hashtag", post.hashtags),
            ("asset", post.assets),
            ("source", post.sources),
        )
        for v in values
    ]
    for name, text, multiline in fields:
        char = _control_character(text, multiline=multiline)
        if char is not None:
            raise PostError(name, f"holds a control character (U+{ord(char):04X}); remove it")


def _valid_variants(post: Post) -> tuple[tuple[Channel, str], ...]:
    """The post's per-channel copy tidied, or PostError naming the variant (`body[x]`).

    A blank variant, or one that says the same as the body, is dropped: that channel gets the body.
    """
    found: dict[Channel, str] = {}
    for channel, text in post.variants:
        try:
            channel = Channel(str(channel).strip().lower())
        except ValueError:
            raise PostError(
                f"body[{channel}]",
                f"{channel!r} is not a channel ({', '.join(c.value for c in Channel)})",
            ) from None
        if not isinstance(text, str):
            raise PostError(f"body[{channel}]", "the copy must be text")
        if channel not in post.channels:
            raise PostError(
                f"body[{channel}]",
                f"the post does not go out on {channel}; add the channel or remove this copy",
            )
        found[channel] = text
    kept = {c: t for c, t in found.items() if t.strip() and t.strip() != post.body.strip()}
    return tuple(sorted(kept.items(), key=lambda pair: CHANNEL_ORDER[pair[0]]))

"""Per-channel copy in an event's DESCRIPTION: written after the body, read back on import.

A calendar event is one plan slot, so a post with its own X and LinkedIn versions stays one
event; its DESCRIPTION lists each version under a `[Copy for X]` line between the body and
the footer ("Hashtags: ..."), so whoever reads the plan in Outlook sees what each channel
gets, and `carecal import` of carecal's own file restores the versions.
"""

from __future__ import annotations

import re

from calendar_data.models import Channel, Post

CHANNEL_NAMES: dict[Channel, str] = {
    Channel.FACEBOOK: "Facebook",
    Channel.INSTAGRAM: "Instagram",
    Channel.X: "X",
    Channel.LINKEDIN: "LinkedIn",
    Channel.YOUTUBE: "YouTube",
    Channel.TIKTOK: "TikTok",
    Channel.PINTEREST: "Pinterest",
    Channel.THREADS: "Threads",
    Channel.BLUESKY: "Bluesky",
}
"""How the heading names each channel (the networks' own spelling)."""

_BY_NAME = {name.casefold(): channel for channel, name in CHANNEL_NAMES.items()}
_HEADING = re.compile(r"^\[Copy for ([A-Za-z]+)\]$", re.M)


def variant_blocks(post: Post) -> str:
    """The post's per-channel versions as DESCRIPTION text ('' when it has none)."""
    return "\n\n".join(
        f"[Copy for {CHANNEL_NAMES[channel]}]\n{text.strip()}"
        for channel, text in post.variants
        if text.strip()
    )


def with_variants(body: str, post: Post) -> str:
    """`body` followed by the post's per-channel versions (the copy part of a DESCRIPTION)."""
    blocks = variant_blocks(post)
    if not blocks:
        return body
    return f"{body}\n\n{blocks}" if body else blocks


def split_variants(text: str) -> tuple[str, tuple[tuple[Channel, str], ...]]:
    """(body, variants) from the copy part of a DESCRIPTION written by `with_variants`.

    Only headings that start a paragraph and name a known channel count; anything else is
    left in the body as the user wrote it.
    """
    starts = [
        m
        for m in _HEADING.finditer(text)
        if m.group(1).casefold() in _BY_NAME
        and (m.start() == 0 or text[: m.start()].endswith("\n\n"))
    ]
    if not starts:
        return text, ()
    body = text[: starts[0].start()].rstrip("\n")
    found: dict[Channel, str] = {}
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        chunk = text[match.end() : end].strip("\n")
        if chunk.strip():
            found[_BY_NAME[match.group(1).casefold()]] = chunk.strip()
    order = list(Channel)
    return body, tuple(sorted(found.items(), key=lambda pair: order.index(pair[0])))

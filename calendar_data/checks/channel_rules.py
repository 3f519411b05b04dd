"""Per-channel limits on post copy, read from `channel_limits.toml` beside this module.

Each limit carries the page it was checked against, so a reviewer can see why
carecal refuses to schedule 300 characters for X. The copy measured for a
channel is the post's body plus any explicit hashtags not already written in it
(that is what goes out); the title is measured only where a network shows one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from calendar_data.checks.channel_counting import COUNTINGS, count
from calendar_data.models import Channel, parse_hashtags

LIMITS_FILE = Path(__file__).with_name("channel_limits.toml")

_KEYS = {
    "name",
    "text",
    "hashtags",
    "title",
    "url_length",
    "counts",
    "counts_source",
    "source",
    "checked",
    "note",
}


@dataclass(frozen=True)
class ChannelLimit:
    """What one network accepts in a single post, and where that was checked."""

    channel: Channel
    name: str
    text: int
    """Most characters of body plus hashtags."""
    source: str
    checked: str = ""
    hashtags: int | None = None
    """Most hashtags per post, when the network caps them."""
    title: int | None = None
    """Most characters of the title, for networks that show one (YouTube, Pinterest)."""
    url_length: int | None = None
    """Characters each link counts as, when the network shortens links (X)."""
    counts: str = "characters"
    """How the network counts: one of channel_counting.COUNTINGS (x-weighted, graphemes...)."""
    counts_source: str = ""
    """Where that way of counting is published."""
    note: str = ""


@dataclass(frozen=True)
class LimitProblem:
    """One limit a post breaks on one channel."""

    channel: Channel
    field: str  # "body" | "hashtags" | "title"
    used: int
    allowed: int
    variant: bool = False
    """True when the copy measured is the post's own version for this channel, not its body."""

    @property
    def where(self) -> str:
        """The field as findings name it: `body`, or `body[x]` / `hashtags[x]` for a channel's own copy."""
        return f"{self.field}[{self.channel}]" if self.variant else self.field

    @property
    def message(self) -> str:
        """One line a comms person can act on."""
        name = CHANNEL_LIMITS[self.channel].name
        if self.field == "hashtags":
            return f"{name} allows {self.allowed} hashtags; this post has {self.used}"
        what = "title" if self.field == "title" else "copy plus hashtags"
        return f"{name} allows {self.allowed:,} characters of {what}; this is {self.used:,} ({self.used - self.allowed:,} over)"


class ChannelRulesError(ValueError):
    """The limits file is malformed; names the entry and key."""


def load_limits(path: Path = LIMITS_FILE) -> dict[Channel, ChannelLimit]:
    """Every channel's limit from the TOML file, validated strictly."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    limits: dict[Channel, ChannelLimit] = {}
    for key, entry in data.items():
        try:
            channel = Channel(key)
        except ValueError:
            raise ChannelRulesError(f"{path.name}: [{key}] is not a channel") from None
        unknown = set(entry) - _KEYS
        if unknown:
            raise ChannelRulesError(f"{path.name}: [{key}] unknown key {sorted(unknown)[0]!r}")
        for number in ("text", "hashtags", "title", "url_length"):
            value = entry.get(number)
            if value is not None and (not isinstance(value, int) or value <= 0):
                raise ChannelRulesError(
                    f"{path.name}: [{key}] {number} must be a positive whole number"
                )
        if not str(entry.get("source", "")).startswith("https://"):
            raise ChannelRulesError(f"{path.name}: [{key}] needs a source URL")
        if entry.get("counts", "characters") not in COUNTINGS:
            raise ChannelRulesError(
                f"{path.name}: [{key}] counts must be one of {', '.join(COUNTINGS)}"
            )
        if not str(entry.get("counts_source", "")).startswith("https://"):
            raise ChannelRulesError(
                f"{path.name}: [{key}] needs a counts_source URL (where the counting is published)"
            )
        if "text" not in entry or "name" not in entry:
            raise ChannelRulesError(f"{path.name}: [{key}] needs name and text")
        limits[channel] = ChannelLimit(channel=channel, **entry)
    missing = [c for c in Channel if c not in limits]
    if missing:
        raise ChannelRulesError(f"{path.name}: no limits for {missing[0]}")
    return {c: limits[c] for c in Channel}


CHANNEL_LIMITS: dict[Channel, ChannelLimit] = load_limits()
"""Every channel's limit, in Channel order (the post editor's live count reads this)."""


def outgoing_text(body: str, hashtags: tuple[str, ...] = ()) -> str:
    """The copy that goes out: the body plus explicit hashtags it does not already contain."""
    in_body = {h.casefold() for h in parse_hashtags(body or "")}
    extra = [h if h.startswith("#") else f"#{h}" for h in hashtags]
    extra = [h for h in dict.fromkeys(extra) if h.casefold() not in in_body]
    return " ".join(part for part in ((body or "").rstrip(), " ".join(extra)) if part)


def measure(text: str, channel: Channel) -> int:
    """How long `text` is as `channel` counts it (X's weighted length, graphemes, UTF-16...)."""
    limit = CHANNEL_LIMITS[channel]
    return count(text, limit.counts, limit.url_length)


def character_count(body: str, hashtags: tuple[str, ...], channel: Channel) -> tuple[int, int]:
    """(used, allowed) for the copy on one channel: what the editor's live counter shows."""
    return measure(outgoing_text(body, hashtags), channel), CHANNEL_LIMITS[channel].text


def limit_problems(
    title: str,
    body: str,
    hashtags: tuple[str, ...],
    channels: tuple[Channel, ...],
    variants: tuple[tuple[Channel, str], ...] = (),
) -> list[LimitProblem]:
    """Every limit the post breaks on each of its channels.

    Each channel is measured on the copy it gets: its own version from `variants` where the
    post has one (the problem then names `body[x]`), else the body.
    """
    problems: list[LimitProblem] = []
    own = {c: t for c, t in variants if t.strip()}
    for channel in dict.fromkeys(channels):
        limit = CHANNEL_LIMITS[channel]
        text = outgoing_text(own.get(channel, body), hashtags)
        variant = channel in own
        used = measure(text, channel)
        if used > limit.text:
            problems.append(LimitProblem(channel, "body", used, limit.text, variant))
        tag_count = len(parse_hashtags(text))
        if limit.hashtags is not None and tag_count > limit.hashtags:
            problems.append(LimitProblem(channel, "hashtags", tag_count, limit.hashtags, variant))
        if limit.title is not None and len(title or "") > limit.title:
            problems.append(LimitProblem(channel, "title", len(title), limit.title))
    return problems

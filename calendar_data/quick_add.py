"""The quick-add line (A): one line of text parsed into a post.

    Wear Red Day 2027-02-05 09:30 #heart @instagram @x !draft +HeartMonth

Words are the title; a date (YYYY-MM-DD or MM-DD), a 24-hour time, `#tag`, `@channel`,
`!status` and `+campaign` (spaces and case ignored) fill the rest. The day
defaults to the selected one and the channels to the last ones used, so a typical
post is the title and two or three tokens. A token that looks meant but is not
valid (`@fb`, `2027-02-30`, `25:00`, `!done`) stops the parse with a message
naming it, so nothing is saved half-understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from calendar_data.models import Channel, Post, Status

DATE_RE = re.compile(r"^(\d{4}-)?\d{1,2}-\d{1,2}$")
TIME_RE = re.compile(r"^\d{1,2}:\d{2}$")
CHANNEL_ALIASES = {
    "fb": Channel.FACEBOOK,
    "ig": Channel.INSTAGRAM,
    "li": Channel.LINKEDIN,
    "yt": Channel.YOUTUBE,
    "tt": Channel.TIKTOK,
    "twitter": Channel.X,
    "bs": Channel.BLUESKY,
}
"""The short codes the calendar shows (legend), accepted as well as the full names."""


class QuickAddError(ValueError):
    """A token of the quick-add line that could not be understood; names it."""


@dataclass(frozen=True)
class QuickAdd:
    """What a line was parsed into, and which defaults filled the gaps."""

    post: Post
    defaulted: tuple[str, ...] = ()
    """Fields taken from the defaults ("date", "channels"), for the preview."""


def parse_quick_add(
    text: str, *, day: date, channels: tuple[Channel, ...] = (), campaigns: tuple[str, ...] = ()
) -> QuickAdd:
    """Parse one line into an unsaved post (status idea unless `!status` says otherwise).

    Args:
        text: the line as typed.
        day: the date when the line names none (the selected day).
        channels: the channels when the line names none (the last ones used).
        campaigns: campaign names a `+campaign` token may name.

    Raises:
        QuickAddError: naming the first token that is not valid, or when no title is left.
    """
    title: list[str] = []
    found: dict = {"channels": [], "tags": []}
    for token in text.split():
        _token(token, found, title, day, campaigns)
    if not title:
        raise QuickAddError(
            "title: the line needs some words for the title, e.g. 'Wear Red Day 2027-02-05 @x'"
        )
    defaulted = tuple(
        name
        for name, missing in (
            ("date", "day" not in found),
            ("channels", not found["channels"] and channels),
        )
        if missing
    )
    post = Post(
        title=" ".join(title),
        day=found.get("day", day),
        time=found.get("time"),
        status=found.get("status", Status.IDEA),
        channels=tuple(dict.fromkeys(found["channels"] or channels)),
        tags=tuple(dict.fromkeys(found["tags"])),
        campaign=found.get("campaign"),
    )
    return QuickAdd(post, defaulted)


def _token(
    token: str, found: dict, title: list[str], day: date, campaigns: tuple[str, ...]
) -> None:
    """Sort one token into `found` (or the title)."""
    if DATE_RE.match(token):
        found["day"] = _date(token, day)
    elif TIME_RE.match(token):
        found["time"] = _time(token)
    elif token.startswith("@") and len(token) > 1:
        found["channels"].append(_channel(token))
    elif token.startswith("#") and len(token) > 1:
        found["tags"].append(token[1:])
    elif token.startswith("!") and len(token) > 1:
        try:
            found["status"] = Status(token[1:].casefold())
        except ValueError:
            raise QuickAddError(
                f"{token}: not a status (use {', '.join('!' + s for s in Status)})"
            ) from None
    elif token.startswith("+") and len(token) > 1:
        found["campaign"] = _campaign(token, campaigns)
    else:
        title.append(token)


def _date(token: str, day: date) -> date:
    parts = [int(p) for p in token.split("-")]
    year, month, number = parts if len(parts) == 3 else (day.year, *parts)
    try:
        return date(year, month, number)
    except ValueError as exc:
        raise QuickAddError(f"{token}: not a date ({exc}); use YYYY-MM-DD or MM-DD") from None


def _time(token: str) -> time:
    hours, minutes = (int(p) for p in token.split(":"))
    try:
        return time(hours, minutes)
    except ValueError:
        raise QuickAddError(f"{token}: not a time; use 24-hour HH:MM") from None


def _channel(token: str) -> Channel:
    name = token[1:].casefold()
    if name in CHANNEL_ALIASES:
        return CHANNEL_ALIASES[name]
    try:
        return Channel(name)
    except ValueError:
        known = ", ".join("@" + c for c in Channel)
        raise QuickAddError(f"{token}: not a channel (use {known})") from None


def _campaign(token: str, campaigns: tuple[str, ...]) -> str:
    wanted = token[1:].replace("-", "").replace("_", "").casefold()
    match = next((c for c in campaigns if c.replace(" ", "").casefold() == wanted), None)
    if match is None:
        choices = (
            ", ".join("+" + c.replace(" ", "") for c in campaigns) or "none yet: add one with c"
        )
        raise QuickAddError(f"{token}: no such campaign ({choices})")
    return match

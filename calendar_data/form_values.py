"""Turning what people type into forms into values: dates, times, lists, copy length per channel.

The post editor and the command palette parse with these, so a typed value means
the same in the app as in tests; errors are ValueErrors whose message says what
to type instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from calendar_data.checks.channel_rules import character_count
from calendar_data.models import Channel, parse_hashtags


@dataclass(frozen=True)
class ChannelCount:
    """Characters used against one channel's limit."""

    channel: Channel
    used: int
    limit: int

    @property
    def over(self) -> bool:
        """Whether the copy is too long for the channel."""
        return self.used > self.limit


def post_length(body: str, hashtags: tuple[str, ...] = ()) -> int:
    """Characters the copy will take: the body plus explicit hashtags it does not already hold."""
    text = body.strip()
    in_body = {h.casefold() for h in parse_hashtags(text)}
    extra = [h for h in hashtags if h.casefold() not in in_body]
    return len(text) + sum(len(h) + 1 for h in extra) - (1 if extra and not text else 0)


def channel_counts(
    body: str,
    hashtags: tuple[str, ...],
    channels: tuple[Channel, ...],
    variants: tuple[tuple[Channel, str], ...] = (),
) -> list[ChannelCount]:
    """The copy's length against each chosen channel's limit, counted as the channel counts it.

    A channel with its own version of the copy (`variants`) is measured on that version.
    """
    own = {Channel(c): t for c, t in variants if t.strip()}
    return [
        ChannelCount(Channel(c), *character_count(own.get(Channel(c), body), hashtags, Channel(c)))
        for c in channels
    ]


def parse_day(text: str) -> date:
    """A post date typed as YYYY-MM-DD; ValueError says what is wrong."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):  # the shape is right: the day is not
            raise ValueError(f"{text.strip()} is not a day on the calendar (YYYY-MM-DD)") from None
        raise ValueError("use YYYY-MM-DD, e.g. 2027-03-11") from None


def parse_time(text: str) -> time | None:
    """An optional 24-hour HH:MM; blank means all day."""
    if not text.strip():
        return None
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError("use HH:MM (24-hour), or leave blank for all day") from None


def split_list(text: str) -> tuple[str, ...]:
    """Comma- or space-separated values, blanks and duplicates dropped, order kept."""
    return tuple(dict.fromkeys(v for v in text.replace(",", " ").split() if v))


def parse_goto_date(text: str, today: date) -> date | None:
    """A date typed in the command palette: 2027-03-11, 2027-03, 'mar 2027', '11 mar 2027', 'today'."""
    text = " ".join(text.strip().replace(",", " ").split()).casefold()
    if text in ("today", "now"):
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    for fmt in (
        "%Y-%m-%d",
        "%Y-%m",
        "%d %b %Y",
        "%d %B %Y",
        "%b %d %Y",
        "%B %d %Y",
        "%b %Y",
        "%B %Y",
    ):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None

"""Where a post went live: one URL per channel and when, and the move to published with it.

The link is what analytics rows are matched by first (`metrics.py`), so URLs
are stored with a normalised key: scheme and host lower-cased, `www.` and
`mobile.` dropped, twitter.com read as x.com, query, fragment and trailing
slash removed. Recording a link moves the post to published through the
workflow rules (`posts.update_post`), in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from calendar_data.errors import PostError
from calendar_data.models import Channel, Status
from calendar_data.posts import get_post, update_post
from calendar_data.settings import current_user
from calendar_data.storage.changelog import log_change
from calendar_data.storage.connection import utcnow

_HOST_ALIASES = {"twitter.com": "x.com", "fb.com": "facebook.com", "instagr.am": "instagram.com"}
MAX_URL = 2000
CLOCK_SLACK = timedelta(minutes=5)
"""How far in the future a "went live at" time may be (clock skew), no more."""


@dataclass(frozen=True)
class PublishedLink:
    """One channel a post went live on."""

    post_id: int
    channel: Channel
    url: str
    published_at: datetime
    recorded_by: str = ""

    def to_json(self) -> dict:
        """As the CLI's JSON prints it."""
        return {
            "post_id": self.post_id,
            "channel": self.channel.value,
            "url": self.url,
            "published_at": self.published_at.isoformat(),
            "recorded_by": self.recorded_by,
        }


def check_url(url: str) -> str:
    """The URL tidied, or PostError('url', ...) unless it is an absolute http(s) URL with a host."""
    text = (url or "").strip()
    if not text:
        raise PostError("url", "give the URL where the post went live")
    if len(text) > MAX_URL or any(c.isspace() for c in text):
        raise PostError("url", f"{text[:80]!r} is not a URL (spaces, or over {MAX_URL} characters)")
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        raise PostError("url", f"{text[:80]!r} is not a URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise PostError("url", f"{text[:80]!r}: only http and https URLs are accepted")
    if not host or "." not in host:
        raise PostError("url", f"{text[:80]!r}: no host name in it")
    return text


def url_key(url: str) -> str:
    """The normalised form two spellings of one post's URL share (for matching)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in ("www.", "mobile.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    host = _HOST_ALIASES.get(host, host)
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}"


def parse_when(text: str, zone: str) -> datetime:
    """A "went live at" time: ISO date-time, with an offset or in the team's zone; aware, UTC.

    Raises PostError('at', ...) for anything else.
    """
    raw = (text or "").strip()
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "T", 1) if " " in raw else raw)
    except ValueError:
        raise PostError(
            "at", f"{raw!r} is not a time (YYYY-MM-DDTHH:MM, team time zone or with an offset)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC).replace(microsecond=0)


def record_published(
    db,
    post_id: int,
    channel: Channel | str,
    url: str,
    *,
    at: datetime | None = None,
    now: datetime | None = None,
    who: str | None = None,
) -> PublishedLink:
    """Record that `post_id` went live on `channel` at `url`; the post moves to published.

    One transaction: the status change (workflow rules and the compliance gate
    of `update_post`) and the link land together or not at all. A second link
    for the same channel replaces the first; a URL already recorded for another
    post is refused.
    """
    now = now or utcnow()
    channel, url, at = _checked(channel, url, at or now, now)
    who = who or current_user()
    with db.atomic():
        post = get_post(db, post_id)
        if channel not in post.channels:
            planned = ", ".join(c.value for c in post.channels) or "none"
            raise PostError(
                "channel", f"post {post_id} is not planned for {channel} (its channels: {planned})"
            )
        _refuse_taken(db, post_id, channel, url)
        if post.status is not Status.PUBLISHED:
            update_post(  # the link is the stated reason if it went live before its planned time
                db,
                replace(post, status=Status.PUBLISHED),
                who=who,
                now=now,
                today=at.date(),
                reason=f"went live on {channel} at {url}",
            )
        db.execute(
            "INSERT OR REPLACE INTO published_links (post_id, channel, url, url_key, published_at, "
            "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [post_id, str(channel), url, url_key(url), at.isoformat(), who, now.isoformat()],
        )
        change = {"channel": str(channel), "url": url, "published_at": at.isoformat()}
        log_change(db, "published", "post", post_id, change, who=who, at=now)
    return PublishedLink(post_id, channel, url, at, who)


def _checked(channel, url: str, at: datetime, now: datetime) -> tuple[Channel, str, datetime]:
    """The channel, URL and time validated (PostError naming the field otherwise)."""
    try:
        channel = Channel(str(channel).lower())
    except ValueError:
        raise PostError(
            "channel", f"{channel!r}: use {', '.join(c.value for c in Channel)}"
        ) from None
    at = at.astimezone(UTC).replace(microsecond=0)
    if at > now + CLOCK_SLACK:
        raise PostError(
            "at", f"{at:%Y-%m-%d %H:%M} UTC is in the future; record a post once it is live"
        )
    return channel, check_url(url), at


def _refuse_taken(db, post_id: int, channel: Channel, url: str) -> None:
    """PostError when the same address is already recorded for another post or channel."""
    other = db.execute(
        "SELECT post_id, channel FROM published_links WHERE url_key = ? "
        "AND NOT (post_id = ? AND channel = ?)",
        [url_key(url), post_id, str(channel)],
    ).fetchone()
    if other:
        raise PostError("url", f"{url} is already recorded for post {other[0]} on {other[1]}")


def published_links(db, post_id: int | None = None) -> list[PublishedLink]:
    """Every recorded link (of one post), by post and channel."""
    sql = "SELECT post_id, channel, url, published_at, recorded_by FROM published_links"
    params: list = []
    if post_id is not None:
        sql += " WHERE post_id = ?"
        params.append(post_id)
    rows = db.execute(sql + " ORDER BY post_id, channel", params).fetchall()
    return [
        PublishedLink(r[0], Channel(r[1]), r[2], datetime.fromisoformat(r[3]), r[4]) for r in rows
    ]


def post_for_url(db, url: str) -> tuple[int, Channel] | None:
    """The (post id, channel) a URL was recorded for, by its normalised key."""
    row = db.execute(
        "SELECT post_id, channel FROM published_links WHERE url_key = ?", [url_key(url)]
    ).fetchone()
    return (row[0], Channel(row[1])) if row else None

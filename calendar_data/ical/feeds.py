"""Saved feeds: named export definitions ("Q1 campaigns for Outlook", "Cardiology team").

A feed stores a scope (fixed dates, or "the next N days" re-evaluated whenever
it is built or served), the kinds of item, filters and reminders, the file it
is written to, and an unguessable token that names it on the subscription
server. Feeds live in the calendar database, so the whole team shares them.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from calendar_data.agenda import KINDS
from calendar_data.ical.export import (
    MAX_DAYS,
    ExportResult,
    ExportSpec,
    render_export,
    write_atomic,
)
from calendar_data.models import Channel, Filters, Status
from calendar_data.post_stamps import post_versions
from calendar_data.settings import make_private_dirs
from calendar_data.storage.changelog import last_change, last_post_departure, log_change
from calendar_data.storage.connection import utcnow
from calendar_data.storage.outputs import check_output

TOKEN_BYTES = 24
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


class FeedError(ValueError):
    """A feed that cannot be saved or found; names the field or feed."""


@dataclass(frozen=True)
class Scope:
    """Fixed dates (`start`/`end`), or a window around the day the feed is built."""

    start: date | None = None
    end: date | None = None
    next_days: int | None = None
    """Relative scope: from `past_days` before today to `next_days` after it."""
    past_days: int = 0

    def resolve(self, today: date) -> tuple[date, date]:
        """The dates this scope covers when built on `today`."""
        if self.next_days is not None:
            return today - timedelta(days=self.past_days), today + timedelta(days=self.next_days)
        if self.start is None or self.end is None:
            raise FeedError("scope: give --quarter, --from and --to, or --next-days")
        return self.start, self.end

    @property
    def relative(self) -> bool:
        """Whether the dates move with the day the feed is built."""
        return self.next_days is not None

    def describe(self) -> str:
        """Human words for the scope, e.g. "2027-01-01 to 2027-03-31" or "next 90 days"."""
        if self.next_days is None:
            return f"{self.start} to {self.end}"
        past = f", past {self.past_days} days" if self.past_days else ""
        return f"next {self.next_days} days{past}"

    def validated(self) -> Scope:
        """Self, or FeedError naming the bad part."""
        if self.next_days is not None:
            if self.start or self.end:
                raise FeedError("scope: give fixed dates or --next-days, not both")
            if not 0 <= self.next_days <= MAX_DAYS or not 0 <= self.past_days <= MAX_DAYS:
                raise FeedError(f"next-days: keep the window within {MAX_DAYS} days")
            return self
        if self.start is None or self.end is None:
            raise FeedError("scope: give --quarter, --from and --to, or --next-days")
        ExportSpec(self.start, self.end).validated()
        return self


@dataclass(frozen=True)
class Feed:
    """A named, saved export."""

    name: str
    scope: Scope
    include: tuple[str, ...] = KINDS
    filters: Filters = field(default_factory=Filters)
    alarm_days: int | None = None
    path: str | None = None
    """The file `feeds build` writes."""
    token: str = ""
    """The secret in the feed's server URL."""
    include_blocked: bool = False
    """Serve posts with blocking compliance findings whole (by default their copy is held back)."""
    id: int | None = None
    updated_at: datetime | None = None

    def spec(self, today: date) -> ExportSpec:
        """The export this feed means when built on `today`."""
        start, end = self.scope.resolve(today)
        return ExportSpec(
            start,
            end,
            include=self.include,
            filters=self.filters,
            alarm_days=self.alarm_days,
            name=self.name,
            include_blocked=self.include_blocked,
        )

    @property
    def url_path(self) -> str:
        """The path the subscription server answers on."""
        return f"/feeds/{self.token}.ics"


def slug(name: str) -> str:
    """A file-name-safe form of a feed name."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60] or "feed"


def default_feed_path(db, folder: Path, name: str) -> Path:
    """Where `feeds add` writes a feed given no -o: FOLDER/SLUG.ics, numbered (SLUG-2.ics...) when another
    feed already writes there ("Team feed" and "team-feed!" slug alike; the last build would win)."""
    used = {feed.path for feed in list_feeds(db) if feed.path}
    base, number = slug(name), 2
    candidate = (folder / f"{base}.ics").resolve()
    while str(candidate) in used:
        candidate, number = (folder / f"{base}-{number}.ics").resolve(), number + 1
    return candidate


def _spec_json(feed: Feed) -> str:
    f = feed.filters
    data = {
        "scope": {
            "start": feed.scope.start.isoformat() if feed.scope.start else None,
            "end": feed.scope.end.isoformat() if feed.scope.end else None,
            "next_days": feed.scope.next_days,
            "past_days": feed.scope.past_days,
        },
        "include": list(feed.include),
        "alarm_days": feed.alarm_days,
        **({"include_blocked": True} if feed.include_blocked else {}),
        "filters": {
            "text": f.text,
            "tags": list(f.tags),
            "channels": [str(c) for c in f.channels],
            "statuses": [str(s) for s in f.statuses],
            "campaign": f.campaign,
            "categories": list(f.categories),
            "regions": list(f.regions),
        },
    }
    return json.dumps(data, sort_keys=True)


def _row(row: tuple) -> Feed:
    data = json.loads(row[3])
    scope = data["scope"]
    f = data["filters"]
    return Feed(
        id=row[0],
        name=row[1],
        token=row[2],
        path=row[4],
        updated_at=datetime.fromisoformat(row[5]),
        scope=Scope(
            date.fromisoformat(scope["start"]) if scope["start"] else None,
            date.fromisoformat(scope["end"]) if scope["end"] else None,
            scope["next_days"],
            scope.get("past_days", 0),
        ),
        include=tuple(data["include"]),
        alarm_days=data["alarm_days"],
        include_blocked=bool(data.get("include_blocked", False)),
        filters=Filters(
            text=f["text"],
            tags=tuple(f["tags"]),
            channels=tuple(Channel(c) for c in f["channels"]),
            statuses=tuple(Status(s) for s in f["statuses"]),
            campaign=f["campaign"],
            categories=tuple(f["categories"]),
            regions=tuple(f["regions"]),
        ),
    )


_SELECT = "SELECT id, name, token, spec, path, updated_at FROM feeds"


def list_feeds(db) -> list[Feed]:
    """Every saved feed, by name."""
    return [_row(r) for r in db.execute(_SELECT + " ORDER BY name COLLATE NOCASE").fetchall()]


def get_feed(db, name: str) -> Feed:
    """A feed by name (any case); FeedError when there is none."""
    row = db.execute(_SELECT + " WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    if row is None:
        raise FeedError(f"feed: no feed named {name!r} (see carecal feeds list)")
    return _row(row)


def feed_by_token(db, token: str) -> Feed | None:
    """The feed a server URL names, or None (constant-time comparison of the secret)."""
    if not TOKEN_RE.match(token or ""):
        return None
    match = None
    for row in db.execute(_SELECT).fetchall():
        if secrets.compare_digest(row[2], token):
            match = row
    return _row(match) if match else None


def add_feed(db, feed: Feed, *, who: str | None = None, now: datetime | None = None) -> Feed:
    """Save a new feed with a fresh token (or the one given, for tests)."""
    name = " ".join(feed.name.split())
    if not name:
        raise FeedError("name: a feed needs a name")
    if len(name) > 120:
        raise FeedError("name: keep it under 120 characters")
    feed = replace(
        feed,
        name=name,
        scope=feed.scope.validated(),
        token=feed.token or secrets.token_urlsafe(TOKEN_BYTES),
    )
    feed.spec(
        date(2000, 1, 1)
    ).validated()  # a fixed scope ignores the day; a moving one is checked once
    if not TOKEN_RE.match(feed.token):
        raise FeedError("token: must be 32 URL-safe characters")
    if db.execute("SELECT 1 FROM feeds WHERE name = ? COLLATE NOCASE", [name]).fetchone():
        raise FeedError(f"name: a feed named {name!r} already exists")
    if feed.path:
        check_output(db, feed.path)
        clash = db.execute("SELECT name FROM feeds WHERE path = ?", [feed.path]).fetchone()
        if clash:
            raise FeedError(
                f"output: {feed.path} is already the file of feed {clash[0]!r} (each feed needs its "
                "own file; give another -o FILE.ics)"
            )
    stamp = (now or utcnow()).isoformat()
    with db.atomic():
        db.execute(
            "INSERT INTO feeds (name, token, spec, path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [name, feed.token, _spec_json(feed), feed.path, stamp, stamp],
        )
        log_change(db, "create", "feed", name, json.loads(_spec_json(feed)), who=who, at=now)
    return get_feed(db, name)


def remove_feed(db, name: str, *, who: str | None = None) -> Feed:
    """Delete a saved feed (its URL stops working at once); returns what was removed."""
    feed = get_feed(db, name)
    with db.atomic():
        db.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
        log_change(db, "delete", "feed", feed.name, who=who)
    return feed


def rotate_token(db, name: str, *, who: str | None = None, now: datetime | None = None) -> Feed:
    """Give a feed a new secret URL (the old one stops working), e.g. after it leaked."""
    feed = get_feed(db, name)
    with db.atomic():
        db.execute(
            "UPDATE feeds SET token = ?, updated_at = ? WHERE id = ?",
            [secrets.token_urlsafe(TOKEN_BYTES), (now or utcnow()).isoformat(), feed.id],
        )
        log_change(db, "rotate-token", "feed", feed.name, who=who, at=now)
    return get_feed(db, feed.name)


FORMAT = "carecal-ics-2"
"""Part of every feed's ETag: change it when the export's output changes shape, so caches refresh."""
_NOT_CONTENT = ("post", "feed")
"""Entities whose changes reach a feed another way: posts through `post_versions`, feeds through their own
`updated_at` (another feed's edit never touches this one)."""


@dataclass(frozen=True)
class ContentState:
    """What a feed would show, summed up without building it: its DTSTAMP/Last-Modified and its ETag."""

    stamp: datetime
    etag: str


def content_state(db, feed: Feed, today: date, *, extra: datetime | None = None) -> ContentState:
    """The feed's change time and fingerprint from a few indexed queries (no agenda, no iCalendar).

    The stamp is the newest of: the feed's own edit, the content change of any post in its dates, a post
    leaving those dates, any change to campaigns, tags, observances or settings, `extra` (the curated
    file's time) and, for a relative scope, the day. The ETag hashes the same inputs with each post's
    iCal sequence, so a write elsewhere (another post's dates, another feed, a private note) leaves both.
    """
    start, end = feed.scope.resolve(today)
    versions = post_versions(db, start, end)
    elsewhere, elsewhere_id = last_change(db, skip_entities=_NOT_CONTENT)
    departed, departed_id = last_post_departure(db, start.isoformat(), end.isoformat())
    stamps = [
        feed.updated_at or datetime(2000, 1, 1, tzinfo=UTC),
        extra,
        elsewhere,
        departed,
        *(datetime.fromisoformat(v[2]) for v in versions),
    ]
    if feed.scope.relative:
        stamps.append(datetime.combine(today, time(0), tzinfo=UTC))
    stamp = max(s if s.tzinfo else s.replace(tzinfo=UTC) for s in stamps if s is not None)
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    digest = hashlib.sha256(
        json.dumps(
            [
                FORMAT,
                _spec_json(feed),
                feed.name,
                start.isoformat(),
                end.isoformat(),
                stamp.isoformat(),
                elsewhere_id,
                departed_id,
                [v[:2] for v in versions],
            ]
        ).encode()
    )
    return ContentState(stamp, '"' + digest.hexdigest()[:32] + '"')


def content_stamp(db, feed: Feed, today: date, *, extra: datetime | None = None) -> datetime:
    """When what the feed shows last changed (its DTSTAMP and HTTP Last-Modified): see `content_state`."""
    return content_state(db, feed, today, extra=extra).stamp


def feed_bytes(db, feed: Feed, *, today: date, now: datetime) -> bytes:
    """The feed's iCalendar file as built on `today` (DTSTAMP `now`), blocked copy held back as in every export."""
    return render_export(db, feed.spec(today), now=now, today=today)[0]


def build_feed(db, feed: Feed, *, today: date, now: datetime | None = None) -> ExportResult:
    """Write the feed to its file, stamped (DTSTAMP) with when its content last changed unless `now` is
    given, so rebuilding an unchanged feed writes the same bytes and a synced folder sees no change."""
    if not feed.path:
        raise FeedError(f"feed {feed.name!r}: has no file (add it again with -o FILE.ics)")
    target = check_output(db, feed.path)
    data, report, on_hold = render_export(
        db, feed.spec(today), now=now or content_stamp(db, feed, today), today=today
    )
    make_private_dirs(target.parent)
    write_atomic(target, data)
    return ExportResult(target, data.count(b"BEGIN:VEVENT\r\n"), len(data), report, on_hold)

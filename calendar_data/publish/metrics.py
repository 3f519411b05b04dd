"""Importing post-level analytics and matching each row to the post it measures.

A row matches by its URL first (the links recorded with `posts published`);
else by channel, time and copy: among the posts on that channel planned or
published within `window` of the row's time, the one whose copy is most like
the row's (difflib ratio) wins if the ratio reaches `threshold`. Every row is
stored, matched or not, with how it matched and the score, so a reviewer can
reject a match or assign an unmatched row (`review_rows`, `reject_row`,
`assign_row`). A file is imported whole in one transaction, or not at all.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from calendar_data.errors import PostError
from calendar_data.models import Channel, Filters, Post, Status
from calendar_data.posts import get_post, list_posts
from calendar_data.publish.links import post_for_url, published_links, url_key
from calendar_data.publish.metrics_formats import COUNTS, MetricRow, parse
from calendar_data.storage.changelog import log_change
from calendar_data.storage.connection import utcnow
from calendar_data.storage.settings_table import load_settings

WINDOW = timedelta(hours=36)
"""How far a row's time may be from a post's planned or published time to be a candidate."""
THRESHOLD = 0.6
"""Least copy similarity (difflib ratio, 0..1) for a match by text."""
SENT = (Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED)
_URL = re.compile(r"https?://\S+", re.I)


@dataclass(frozen=True)
class Match:
    """How one row was matched: the post, the method (url, similarity, manual) and the score."""

    post_id: int
    method: str
    score: float | None


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows read, how each matched, and every row that matched nothing."""

    where: str
    format: str
    rows: int
    by_url: int
    by_similarity: int
    unmatched: tuple[MetricRow, ...]
    matches: tuple[tuple[MetricRow, Match], ...] = field(default=())


@dataclass(frozen=True)
class StoredRow:
    """One imported row as review shows it."""

    id: int
    channel: Channel
    post_id: int | None
    post_title: str | None
    method: str | None
    score: float | None
    status: str
    excerpt: str
    published_at: datetime | None
    url: str | None
    impressions: int | None
    engagements: int
    exported_on: date
    source: str

    def to_json(self) -> dict:
        """As `carecal metrics matches --json` prints it."""
        return {
            "id": self.id,
            "channel": self.channel.value,
            "post_id": self.post_id,
            "post_title": self.post_title,
            "method": self.method,
            "score": None if self.score is None else round(self.score, 3),
            "status": self.status,
            "excerpt": self.excerpt,
            "url": self.url,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "impressions": self.impressions,
            "engagements": self.engagements,
            "exported_on": self.exported_on.isoformat(),
            "source": self.source,
        }


def normalise(text: str) -> str:
    """Copy reduced to what matters for similarity: no links, one case, single spaces."""
    return " ".join(_URL.sub(" ", text or "").casefold().split())


def similarity(a: str, b: str) -> float:
    """difflib's ratio of the two copies, normalised (1.0 is identical)."""
    return difflib.SequenceMatcher(None, normalise(a), normalise(b), autojunk=False).ratio()


def import_metrics(
    db,
    path: str | Path,
    *,
    today: date,
    now: datetime | None = None,
    settings=None,
    data: bytes | None = None,
    window: timedelta = WINDOW,
    threshold: float = THRESHOLD,
    who: str | None = None,
) -> ImportResult:
    """Read a metrics file, match its rows and store them all in one transaction.

    Rows without an export date take `today`. A malformed file raises
    MetricsFileError naming file, line and column before anything is written.
    Importing the same rows again updates their numbers; a rejected or manually
    assigned row stays as the reviewer left it.
    """
    settings = settings or load_settings(db)
    where = Path(path).name
    if data is None:
        with open(path, "rb") as handle:
            data = handle.read(20 * 1024 * 1024 + 1)
    fmt, rows = parse(data, where, zone=settings.timezone)
    times = [r.published_at for r in rows if r.published_at]
    span = (min(times) - window, max(times) + window) if times else None
    matcher = _Matcher(db, settings.timezone, window, threshold, span)
    matched = [(row, matcher.match(row)) for row in rows]
    stamp = (now or utcnow()).isoformat()
    with db.atomic():
        for row, match in matched:
            _store(db, fmt, where, row, match, row.exported_on or today, stamp)
        log_change(
            db, "import", "metrics", where, {"rows": len(rows), "format": fmt}, who=who, at=now
        )
    found = [(r, m) for r, m in matched if m is not None]
    return ImportResult(
        where,
        fmt,
        len(rows),
        sum(m.method == "url" for _, m in found),
        sum(m.method == "similarity" for _, m in found),
        tuple(r for r, m in matched if m is None),
        tuple(found),
    )


class _Matcher:
    """Posts and links read once per import; matches rows by URL, then by time and copy."""

    def __init__(self, db, zone: str, window: timedelta, threshold: float, span=None) -> None:
        self.span = span
        self.db, self.zone, self.window, self.threshold = db, ZoneInfo(zone), window, threshold
        self.links = {(link.post_id, link.channel): link for link in published_links(db)}
        self._posts: dict[Channel, list[Post]] | None = None

    def match(self, row: MetricRow) -> Match | None:
        if row.url:
            found = post_for_url(self.db, row.url)
            if found and found[1] is row.channel:
                return Match(found[0], "url", 1.0)
        if row.published_at is None or not row.text:
            return None
        best: tuple[float, float, int] | None = None
        for post in self._candidates(row.channel):
            if post.id is None:
                continue
            link = self.links.get((post.id, row.channel))
            if link and row.url and url_key(link.url) != url_key(row.url):
                continue  # that post went live at another address
            distance = abs((self._when(post, link) - row.published_at).total_seconds())
            if distance > self.window.total_seconds():
                continue
            from calendar_data.publish.gate import channel_copy

            score = similarity(row.text, channel_copy(self.db, post, row.channel))
            if score >= self.threshold and (best is None or (score, -distance) > best[:2]):
                best = (score, -distance, post.id)
        return Match(best[2], "similarity", best[0]) if best else None

    def _candidates(self, channel: Channel) -> list[Post]:
        if self._posts is None:
            self._posts = {}
            start, end = (
                (self.span[0].date() - timedelta(days=7), self.span[1].date() + timedelta(days=7))
                if self.span
                else (None, None)
            )
            for post in list_posts(self.db, start, end, Filters(statuses=SENT)):
                for c in post.channels:
                    self._posts.setdefault(c, []).append(post)
        return self._posts.get(channel, [])

    def _when(self, post: Post, link) -> datetime:
        if link is not None:
            return link.published_at
        return datetime.combine(post.day, post.time or time(12, 0), tzinfo=self.zone).astimezone(
            UTC
        )


def _fingerprint(fmt: str, row: MetricRow, exported_on: date) -> str:
    parts = [
        fmt,
        row.channel.value,
        url_key(row.url) if row.url else "",
        row.published_at.isoformat() if row.published_at else "",
        normalise(row.text),
        exported_on.isoformat(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _store(
    db, fmt: str, where: str, row: MetricRow, match: Match | None, exported_on: date, stamp: str
) -> None:
    values = {
        "fingerprint": _fingerprint(fmt, row, exported_on),
        "source_format": fmt,
        "source_file": where,
        "source_line": row.line,
        "channel": row.channel.value,
        "url": row.url,
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "excerpt": row.excerpt,
        **{name: row.counts[name] for name in COUNTS},
        "exported_on": exported_on.isoformat(),
        "post_id": match.post_id if match else None,
        "match_method": match.method if match else None,
        "match_score": match.score if match else None,
        "status": "matched" if match else "unmatched",
        "imported_at": stamp,
    }
    numbers = ", ".join(
        f"{name} = excluded.{name}" for name in (*COUNTS, "source_file", "source_line")
    )
    keep = ("post_id", "match_method", "match_score", "status")
    take_new = ", ".join(
        f"{k} = CASE WHEN metric_rows.status = 'unmatched' THEN excluded.{k} ELSE metric_rows.{k} END"
        for k in keep
    )
    # Column names come from this module, every value is bound.
    db.execute(
        f"INSERT INTO metric_rows ({', '.join(values)}) VALUES ({', '.join('?' * len(values))}) "  # nosec B608
        f"ON CONFLICT(fingerprint) DO UPDATE SET {numbers}, {take_new}",
        list(values.values()),
    )


_ROW_SELECT = """
SELECT m.id, m.channel, m.post_id, p.title, m.match_method, m.match_score, m.status, m.excerpt, m.published_at,
       m.url, m.impressions, coalesce(m.reactions, 0) + coalesce(m.comments, 0) + coalesce(m.shares, 0)
       + coalesce(m.saves, 0) + coalesce(m.clicks, 0), m.exported_on, m.source_file || ':' || m.source_line
FROM metric_rows m LEFT JOIN posts p ON p.id = m.post_id
"""


def review_rows(db, *, status: str | None = None) -> list[StoredRow]:
    """Imported rows for review (all, or one status: matched, unmatched, rejected), newest import first."""
    sql, params = _ROW_SELECT, []
    if status:
        sql += " WHERE m.status = ?"
        params.append(status)
    rows = db.execute(
        sql + " ORDER BY m.status = 'matched', m.match_score, m.id", params
    ).fetchall()
    return [_to_stored(r) for r in rows]


def _to_stored(r: tuple) -> StoredRow:
    return StoredRow(
        r[0],
        Channel(r[1]),
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        datetime.fromisoformat(r[8]) if r[8] else None,
        r[9],
        r[10],
        r[11],
        date.fromisoformat(r[12]),
        r[13],
    )


def _stored(db, row_id: int) -> StoredRow:
    found = db.execute(_ROW_SELECT + " WHERE m.id = ?", [row_id]).fetchone()
    if found is None:
        raise PostError(
            "id", f"no imported metrics row with id {row_id} (see carecal metrics matches)"
        )
    return _to_stored(found)


def reject_row(db, row_id: int, *, who: str | None = None) -> StoredRow:
    """Mark a match wrong: the row stays on record but counts for no post in reports."""
    before = _stored(db, row_id)
    with db.atomic():
        db.execute("UPDATE metric_rows SET status = 'rejected' WHERE id = ?", [row_id])
        log_change(
            db,
            "reject",
            "metrics",
            row_id,
            {"post_id": before.post_id, "was": before.status},
            who=who,
        )
    return _stored(db, row_id)


def assign_row(db, row_id: int, post_id: int, *, who: str | None = None) -> StoredRow:
    """Match a row to a post by hand (an unmatched or rejected row, or a wrong match)."""
    before = _stored(db, row_id)
    post = get_post(db, post_id)
    if before.channel not in post.channels:
        raise PostError(
            "post",
            f"post {post_id} is not planned for {before.channel} (its channels: "
            f"{', '.join(c.value for c in post.channels) or 'none'})",
        )
    with db.atomic():
        db.execute(
            "UPDATE metric_rows SET post_id = ?, match_method = 'manual', match_score = NULL, "
            "status = 'matched' WHERE id = ?",
            [post_id, row_id],
        )
        log_change(db, "assign", "metrics", row_id, {"post_id": [before.post_id, post_id]}, who=who)
    return _stored(db, row_id)

"""A post as the database holds it: the one query that reads it, and the row it is written as.

Part of the `posts` table's owner (with `posts`, which writes through these). A post is read with
its channels, tags, campaign, consent and per-channel copy in a single query (`SELECT`), so a year
of 10,000 posts lists without one round trip per post; `filter_sql` turns the post filters into
that query's WHERE clauses (indexed: `tests/unit/test_query_plans.py`); `row_values` is a post as
the values of its `posts` row.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

from calendar_data.campaigns import campaign_id
from calendar_data.errors import PostError
from calendar_data.models import Channel, Consent, ContentType, Filters, Post, Status
from calendar_data.storage.columns import dumps, loads_tuple

SELECT = """
SELECT p.id, p.title, p.body, p.post_date, p.post_time, p.status, p.content_type, c.name,
       p.owner, p.observance_id, p.hashtags, p.assets, p.sources, p.features_patient,
       p.private_notes, p.created_at, p.updated_at, p.sequence,
       (SELECT group_concat(channel, ',') FROM post_channels pc WHERE pc.post_id = p.id),
       (SELECT json_group_array(t.name) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
         WHERE pt.post_id = p.id),
       k.form_ref, k.signed_on, k.expires_on, k.channels, k.media, k.recorded_by, p.time_fold,
       (SELECT json_group_array(json_array(v.channel, v.body)) FROM post_copy v WHERE v.post_id = p.id),
       p.duration_minutes, p.ical_sequence, p.content_changed_at
FROM posts p
LEFT JOIN campaigns c ON c.id = p.campaign_id
LEFT JOIN consents k ON k.post_id = p.id
"""

CHANNEL_ORDER = {c: i for i, c in enumerate(Channel)}
"""Channels in the order a post lists them (the enum's)."""
# Members by value: a dict lookup is ~10x cheaper than calling the enum, and a year lists 10,000 posts.
_CHANNELS = {c.value: c for c in Channel}
_STATUSES = {s.value: s for s in Status}
_CONTENT_TYPES = {t.value: t for t in ContentType}


def row_to_post(row: tuple) -> Post:
    """The Post a row of `SELECT` describes."""
    channels = (
        tuple(sorted((_CHANNELS[c] for c in row[18].split(",")), key=CHANNEL_ORDER.__getitem__))
        if row[18]
        else ()
    )
    tags = (
        tuple(sorted(json.loads(row[19]), key=str.casefold)) if row[19] and row[19] != "[]" else ()
    )
    consent = None
    if row[20] is not None:
        consent = Consent(
            form_ref=row[20],
            signed_on=date.fromisoformat(row[21]),
            expires_on=date.fromisoformat(row[22]) if row[22] else None,
            channels=tuple(_CHANNELS[c] for c in loads_tuple(row[23])),
            media=loads_tuple(row[24]),
            recorded_by=row[25],
        )
    return Post(
        id=row[0],
        title=row[1],
        body=row[2],
        day=date.fromisoformat(row[3]),
        time=time.fromisoformat(row[4]).replace(fold=row[26]) if row[4] else None,
        status=_STATUSES[row[5]],
        content_type=_CONTENT_TYPES[row[6]] if row[6] else None,
        campaign=row[7],
        owner=row[8],
        observance_id=row[9],
        hashtags=loads_tuple(row[10]),
        assets=loads_tuple(row[11]),
        sources=loads_tuple(row[12]),
        features_patient=bool(row[13]),
        private_notes=row[14],
        created_at=datetime.fromisoformat(row[15]),
        updated_at=datetime.fromisoformat(row[16]),
        sequence=row[17],
        channels=channels,
        tags=tags,
        consent=consent,
        variants=_variants(row[27]) if row[27] != "[]" else (),
        duration_minutes=row[28],
        ical_sequence=row[29],
        content_changed_at=datetime.fromisoformat(row[30]) if row[30] else None,
    )


def _variants(data: str) -> tuple[tuple[Channel, str], ...]:
    """Per-channel copy from the query's JSON pairs, in channel order."""
    pairs = ((_CHANNELS[c], text) for c, text in json.loads(data))
    return tuple(sorted(pairs, key=lambda pair: CHANNEL_ORDER[pair[0]]))


def filter_sql(start: date | None, end: date | None, filters: Filters) -> tuple[list[str], list]:
    """WHERE clauses (to be joined with AND) and their parameters for posts dated in
    `[start, end]` that pass the post-level filters."""
    where: list[str] = []
    params: list = []
    if start:
        where.append("p.post_date >= ?")
        params.append(start.isoformat())
    if end:
        where.append("p.post_date <= ?")
        params.append(end.isoformat())
    if filters.statuses:
        where.append(f"p.status IN ({', '.join('?' * len(filters.statuses))})")
        params.extend(str(s) for s in filters.statuses)
    if filters.campaign:
        where.append("c.name = ? COLLATE NOCASE")
        params.append(filters.campaign)
    if filters.channels:
        where.append(
            "EXISTS (SELECT 1 FROM post_channels pc WHERE pc.post_id = p.id AND pc.channel IN "  # column names from code, values bound  # nosec B608
            f"({', '.join('?' * len(filters.channels))}))"
        )
        params.extend(str(c) for c in filters.channels)
    for tag in filters.tags:  # every tag must be present
        where.append(
            "EXISTS (SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
            "WHERE pt.post_id = p.id AND t.name = ? COLLATE NOCASE)"
        )
        params.append(tag)
    if filters.text:
        like = f"%{filters.text}%"
        where.append(
            "(p.title LIKE ? OR p.body LIKE ? OR p.hashtags LIKE ? OR EXISTS ("
            "SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
            "WHERE pt.post_id = p.id AND t.name LIKE ?) OR EXISTS ("
            "SELECT 1 FROM post_copy v WHERE v.post_id = p.id AND v.body LIKE ?))"
        )
        params.extend([like] * 5)
    return where, params


def row_values(db, post: Post) -> dict:
    """The post as its `posts` row's column values (stamps and sequences are the writer's)."""
    return {
        "title": post.title,
        "body": post.body,
        "post_date": post.day.isoformat(),
        "post_time": post.time.strftime("%H:%M") if post.time else None,
        "time_fold": post.time.fold if post.time else 0,
        "status": str(post.status),
        "content_type": str(post.content_type) if post.content_type else None,
        "campaign_id": _campaign_id(db, post.campaign),
        "owner": post.owner,
        "observance_id": post.observance_id,
        "hashtags": dumps(post.hashtags),
        "assets": dumps(post.assets),
        "sources": dumps(post.sources),
        "features_patient": int(post.features_patient),
        "private_notes": post.private_notes,
        "duration_minutes": post.duration_minutes,
    }


def _campaign_id(db, name: str | None) -> int | None:
    """The id of the post's campaign; PostError when it names one this calendar lacks."""
    if not name:
        return None
    found = campaign_id(db, name)
    if found is None:
        raise PostError("campaign", f"no campaign named {name!r} (create it first)")
    return found

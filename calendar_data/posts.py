"""Planned posts: save, read, list and delete, each write one logged transaction.

Posts are read with their channels, tags, campaign and consent in a single
query so a year of 10,000 posts lists without one round trip per post.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date, datetime, time

from calendar_data.checks.approval import require_compliance, require_transition
from calendar_data.errors import PostError
from calendar_data.models import Channel, Consent, ContentType, Filters, Post, Status
from calendar_data.storage.changelog import PRIVATE_LOG_KEYS, log_change, redact_changes
from calendar_data.storage.columns import dumps, loads_tuple
from calendar_data.storage.connection import utcnow
from calendar_data.storage.settings_table import load_settings
from calendar_data.tags import TagError, clean_tag, tag_name
from calendar_data.times import gap_problem, is_ambiguous

_SELECT = """
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

UNEXPORTED = frozenset({"private_notes", "assets"})
"""Post fields no export shows: changing only these leaves `ical_sequence` and `content_changed_at`."""
MAX_DURATION_MINUTES = 31 * 1440
"""The longest slot a post may hold (a month-long series shown as one block)."""
_CHANNEL_ORDER = {c: i for i, c in enumerate(Channel)}
# Members by value: a dict lookup is ~10x cheaper than calling the enum, and a year lists 10,000 posts.
_CHANNELS = {c.value: c for c in Channel}
_STATUSES = {s.value: s for s in Status}
_CONTENT_TYPES = {t.value: t for t in ContentType}


def _row_to_post(row: tuple) -> Post:
    channels = (
        tuple(sorted((_CHANNELS[c] for c in row[18].split(",")), key=_CHANNEL_ORDER.__getitem__))
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
    return tuple(sorted(pairs, key=lambda pair: _CHANNEL_ORDER[pair[0]]))


def get_post(db, post_id: int) -> Post:
    """One post by id; raises PostError('id', ...) when there is none."""
    row = db.execute(_SELECT + " WHERE p.id = ?", [post_id]).fetchone()
    if row is None:
        raise PostError("id", f"no post with id {post_id}")
    return _row_to_post(row)


def list_posts(
    db, start: date | None = None, end: date | None = None, filters: Filters = Filters()
) -> list[Post]:
    """Posts dated in `[start, end]` that pass the post-level filters, in date and time order."""
    where, params = _filter_sql(start, end, filters)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY p.post_date, p.post_time IS NOT NULL, p.post_time, p.id"
    return [_row_to_post(row) for row in db.execute(sql, params).fetchall()]


def _filter_sql(start: date | None, end: date | None, filters: Filters) -> tuple[list[str], list]:
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


def validate(db, post: Post, *, timezone: str | None = None) -> Post:
    """The post with tidied values, or PostError naming the first bad field (`timezone`: a bulk save's)."""
    title = post.title.strip() if isinstance(post.title, str) else ""
    if not title:
        raise PostError("title", "a post needs a title")
    if len(title) > 300:
        raise PostError("title", "keep the title under 300 characters")
    if not isinstance(post.day, date) or not 1601 <= post.day.year <= 4500:
        raise PostError("date", "must be a date between 1601 and 4500")
    try:
        tags = tuple(dict.fromkeys(clean_tag(t) for t in post.tags if tag_name(t)))
    except TagError as exc:
        raise PostError("tag", str(exc).removeprefix("tag: ")) from None
    if (
        post.campaign
        and not db.execute(
            "SELECT 1 FROM campaigns WHERE name = ? COLLATE NOCASE", [post.campaign]
        ).fetchone()
    ):
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
    return tuple(sorted(kept.items(), key=lambda pair: _CHANNEL_ORDER[pair[0]]))


class PostChangedElsewhere(PostError):
    """Someone saved the post (another process, the CLI, sync) since this copy of it was read."""

    def __init__(self, post_id: int) -> None:
        super().__init__(
            "post",
            f"post {post_id} was changed elsewhere since you opened it; "
            "reload it, or save your version as a copy",
        )
        self.post_id = post_id


def checking_day(today: date | None, now: datetime | None = None) -> date:
    """The day a save's compliance checks date by: the caller's `today`, else the storage clock's.

    The app and the CLI always pass `today`; the storage clock (`utcnow`) is the one
    default the data layer keeps, for scripts that pass neither.
    """
    return today if today is not None else (now or utcnow()).date()


def preflight(
    db,
    post: Post,
    *,
    today: date | None = None,
    expected_sequence: int | None = None,
    who: str | None = None,
    now: datetime | None = None,
    reason: str | None = None,
) -> Post:
    """Everything a save would check, without saving: the tidied post, or PostError / ComplianceBlocked.

    The editor calls this before it closes, so a refused save keeps the user's input on screen;
    `expected_sequence` (the version it loaded) raises PostChangedElsewhere when someone saved since.
    """
    before = get_post(db, post.id) if post.id is not None else None
    consent = None if before else post.consent
    if (
        before is not None
        and before.id is not None
        and expected_sequence is not None
        and before.sequence != expected_sequence
    ):
        raise PostChangedElsewhere(before.id)
    post = validate(db, replace(post, consent=before.consent) if before else post)
    if before is not None:
        require_transition(db, before, post)
    require_compliance(
        db,
        post,
        before=before,
        today=checking_day(today, now),
        who=who,
        now=now,
        reason=reason,
        consent=consent,
    )
    return post


def _campaign_id(db, name: str | None) -> int | None:
    if not name:
        return None
    return db.execute("SELECT id FROM campaigns WHERE name = ? COLLATE NOCASE", [name]).fetchone()[
        0
    ]


def _columns(db, post: Post) -> dict:
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


def _write_links(db, post_id: int, post: Post) -> None:
    db.execute("DELETE FROM post_channels WHERE post_id = ?", [post_id])
    db.conn.executemany(
        "INSERT INTO post_channels (post_id, channel) VALUES (?, ?)",
        [(post_id, str(c)) for c in dict.fromkeys(post.channels)],
    )
    db.execute("DELETE FROM post_tags WHERE post_id = ?", [post_id])
    for tag in post.tags:
        db.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [tag])
        db.execute(
            "INSERT OR IGNORE INTO post_tags (post_id, tag_id) "
            "SELECT ?, id FROM tags WHERE name = ? COLLATE NOCASE",
            [post_id, tag],
        )
    db.execute("DELETE FROM post_copy WHERE post_id = ?", [post_id])
    db.conn.executemany(
        "INSERT INTO post_copy (post_id, channel, body) VALUES (?, ?, ?)",
        [(post_id, str(c), text) for c, text in post.variants],
    )


def add_post(
    db,
    post: Post,
    *,
    who: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
    consent: Consent | None = None,
    reason: str | None = None,
) -> Post:
    """Insert a new post with its channels and tags; returns it with its id.

    A post added as approved or later must pass the approval gate
    (ComplianceBlocked otherwise); `today` dates the consent check. `consent`
    is for the gate only: the one `consent.add_post_with_consent` saves with
    the post in the same transaction (a consent on `post` itself is ignored).
    """
    post = validate(db, replace(post, consent=None))
    require_compliance(
        db,
        post,
        before=None,
        today=checking_day(today, now),
        who=who,
        now=now,
        reason=reason,
        consent=consent,
    )
    stamp = (now or utcnow()).isoformat()
    with db.atomic():
        columns = _columns(db, post) | {
            "created_at": stamp,
            "updated_at": stamp,
            "sequence": 0,
            "ical_sequence": 0,
            "content_changed_at": stamp,
        }
        cursor = db.execute(
            f"INSERT INTO posts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # column names from code, values bound  # nosec B608
            list(columns.values()),
        )
        post_id = cursor.lastrowid
        _write_links(db, post_id, post)
        log_change(db, "create", "post", post_id, _snapshot(post), who=who, at=now)
    return get_post(db, post_id)


def update_post(
    db,
    post: Post,
    *,
    who: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
    expected_sequence: int | None = None,
    reason: str | None = None,
) -> Post:
    """Save changes to an existing post; bumps `sequence` so calendar clients update their copy.

    A move into approved, scheduled or published runs the blocking compliance
    checks on the post as it would be saved (with the consent on file) and
    raises ComplianceBlocked, leaving the post as it was, when any fails.
    `expected_sequence` is the version an editor loaded: if someone else saved
    the post since (another process, the CLI), the save is refused rather
    than silently overwriting their change. `reason` says why a post is
    marked published before its time (kept in the change log).
    """
    if post.id is None:
        raise PostError("id", "cannot update a post that was never saved")
    post_id = post.id
    before = get_post(db, post_id)
    if expected_sequence is not None and before.sequence != expected_sequence:
        raise PostChangedElsewhere(post.id)
    post = validate(db, replace(post, consent=before.consent))
    require_transition(db, before, post)
    require_compliance(
        db, post, before=before, today=checking_day(today, now), who=who, now=now, reason=reason
    )
    after = _snapshot(post)
    diff: dict[str, object] = {
        k: [v, after[k]] for k, v in _snapshot(before).items() if after[k] != v
    }
    if not diff:
        return before
    stamp = (now or utcnow()).isoformat()
    with db.atomic():
        columns = _columns(db, post) | {"updated_at": stamp, "sequence": before.sequence + 1}
        if set(diff) - UNEXPORTED:  # subscribers re-read an event only when what they see changed
            columns |= {"ical_sequence": before.ical_sequence + 1, "content_changed_at": stamp}
        db.execute(
            f"UPDATE posts SET {', '.join(f'{k} = ?' for k in columns)} WHERE id = ?",  # column names from code, values bound  # nosec B608
            [*columns.values(), post_id],
        )
        _write_links(db, post_id, post)
        action = "status" if set(diff) == {"status"} else "update"
        if reason and " ".join(reason.split()) and "status" in diff:
            diff["reason"] = " ".join(reason.split())[:500]
        log_change(db, action, "post", post_id, diff, who=who, at=now)
    return get_post(db, post_id)


def delete_post(db, post_id: int, *, who: str | None = None, now: datetime | None = None) -> Post:
    """Remove a post (its channels, tags links and consent go with it); returns what was removed.

    Its private notes and consent form reference are redacted from its history in
    the same transaction: a deleted post leaves no private detail in the file.
    """
    post = get_post(db, post_id)
    with db.atomic():
        db.execute("DELETE FROM posts WHERE id = ?", [post_id])
        redact_changes(db, "post", post_id, PRIVATE_LOG_KEYS)
        snapshot = {k: v for k, v in _snapshot(post).items() if k not in PRIVATE_LOG_KEYS}
        log_change(db, "delete", "post", post_id, snapshot, who=who, at=now)
    return post


def _snapshot(post: Post) -> dict:
    """The user-editable fields, JSON-ready, for diffs in the change log."""
    # A shallow walk: `asdict` deep-copies every value, which an import of 10,000 posts pays for.
    data = {f.name: getattr(post, f.name) for f in fields(post)}
    for key in (
        "id",
        "created_at",
        "updated_at",
        "sequence",
        "consent",
        "ical_sequence",
        "content_changed_at",
    ):
        data.pop(key)
    data["day"] = post.day.isoformat()
    data["time"] = (
        (post.time.strftime("%H:%M") + (" (later)" if post.time.fold else ""))
        if post.time
        else None
    )
    data["variants"] = {str(c): text for c, text in post.variants}
    for key, value in data.items():
        if isinstance(value, tuple):
            data[key] = [str(v) for v in value]
        elif value is not None and not isinstance(value, str | bool | int | dict):
            data[key] = str(value)
    return data

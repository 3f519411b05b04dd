"""Planned posts: save, read, list and delete, each write one logged transaction.

Posts are read with their channels, tags, campaign and consent in a single
query (`post_rows`) so a year of 10,000 posts lists without one round trip per
post. Every save validates the post first (`post_validation`), then runs the
workflow step and the approval gate (`checks.approval`) on it.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, datetime

from calendar_data.errors import PostError
from calendar_data.models import Consent, Filters, Post
from calendar_data.post_rows import SELECT, filter_sql, row_to_post, row_values
from calendar_data.post_validation import validate
from calendar_data.storage.changelog import PRIVATE_LOG_KEYS, log_change, redact_changes
from calendar_data.storage.connection import utcnow

UNEXPORTED = frozenset({"private_notes", "assets"})
"""Post fields no export shows: changing only these leaves `ical_sequence` and `content_changed_at`."""


def _gate():
    """The approval gate (`checks.approval`), imported on the first write.

    Start-up time: a read (`carecal posts list`, the app's first paint) never needs the
    checks, whose PHI patterns, phone metadata and evidence lists cost ~80 ms to import.
    """
    from calendar_data.checks import approval

    return approval


def get_post(db, post_id: int) -> Post:
    """One post by id; raises PostError('id', ...) when there is none."""
    row = db.execute(SELECT + " WHERE p.id = ?", [post_id]).fetchone()
    if row is None:
        raise PostError("id", f"no post with id {post_id}")
    return row_to_post(row)


def list_posts(
    db, start: date | None = None, end: date | None = None, filters: Filters = Filters()
) -> list[Post]:
    """Posts dated in `[start, end]` that pass the post-level filters, in date and time order."""
    where, params = filter_sql(start, end, filters)
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY p.post_date, p.post_time IS NOT NULL, p.post_time, p.id"
    return [row_to_post(row) for row in db.execute(sql, params).fetchall()]


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
        _gate().require_transition(db, before, post)
    _gate().require_compliance(
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
    _gate().require_compliance(
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
        columns = row_values(db, post) | {
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
    _gate().require_transition(db, before, post)
    _gate().require_compliance(
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
        columns = row_values(db, post) | {"updated_at": stamp, "sequence": before.sequence + 1}
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

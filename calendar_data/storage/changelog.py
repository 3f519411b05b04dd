"""The change log: every write appends who did what to which entity, inside its transaction."""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from calendar_data.models import ChangeEntry
from calendar_data.settings import current_user
from calendar_data.storage.connection import utcnow


def log_change(
    db: Database,
    action: str,
    entity: str,
    entity_id: object,
    changes: dict | None = None,
    *,
    who: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append to the change log (call inside the write's transaction)."""
    db.execute(
        "INSERT INTO changes (at, who, action, entity, entity_id, changes) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (at or utcnow()).isoformat(),
            who or current_user(),
            action,
            entity,
            str(entity_id),
            json.dumps(changes or {}, default=str, sort_keys=True),
        ],
    )


def change_log(
    db: Database, *, entity: str | None = None, entity_id: object = None, limit: int = 200
) -> list[ChangeEntry]:
    """The newest changes first, optionally for one entity."""
    where, params = [], []
    if entity:
        where.append("entity = ?")
        params.append(entity)
    if entity_id is not None:
        where.append("entity_id = ?")
        params.append(str(entity_id))
    sql = "SELECT at, who, action, entity, entity_id, changes FROM changes"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    rows = db.execute(sql, [*params, limit]).fetchall()
    return [
        ChangeEntry(datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4], json.loads(r[5]))
        for r in rows
    ]


PRIVATE_LOG_KEYS = frozenset({"private_notes", "form_ref"})
"""What the change log forgets about a post when it is deleted (and a consent's reference when it is withdrawn)."""
REDACTED = "[redacted]"
"""What a redacted value reads as in the change log."""


def redact_changes(
    db: Database, entity: str, entity_id: object, keys: frozenset[str] | set[str]
) -> int:
    """Overwrite the values of `keys` in every logged change of one entity; returns the entries changed.

    Withdrawing consent and deleting a post must not leave the form reference or
    the private notes behind in the history (call inside the write's transaction).
    The connection's `secure_delete` is switched on first so SQLite zeroes the old
    bytes instead of leaving them in free pages of the file.
    """
    db.execute("PRAGMA secure_delete = ON")
    rows = db.execute(
        "SELECT id, changes FROM changes WHERE entity = ? AND entity_id = ?",
        [entity, str(entity_id)],
    ).fetchall()
    changed = 0
    for row_id, text in rows:
        data = json.loads(text)
        hit = False
        for key in keys & set(data):
            value = data[key]
            new: object
            if isinstance(value, list):  # a diff: [before, after]
                new = [REDACTED if v else v for v in value]
            else:
                new = REDACTED if value else value
            if new != value:
                data[key], hit = new, True
        if hit:
            db.execute(
                "UPDATE changes SET changes = ? WHERE id = ?",
                [json.dumps(data, default=str, sort_keys=True), row_id],
            )
            changed += 1
    return changed


def created_by(db: Database, entity: str, entity_id: object) -> str | None:
    """Who the change log says created the entity (None when it has no create entry)."""
    row = db.execute(
        "SELECT who FROM changes WHERE entity = ? AND entity_id = ? AND action = 'create' "
        "ORDER BY id LIMIT 1",
        [entity, str(entity_id)],
    ).fetchone()
    return row[0] if row else None


def status_before(db: Database, post_id: object, status: str) -> str | None:
    """The status a post had when it last moved into `status` (e.g. what an archived post was)."""
    rows = db.execute(
        "SELECT changes FROM changes WHERE entity = 'post' AND entity_id = ? "
        "AND action IN ('status', 'update') ORDER BY id DESC",
        [str(post_id)],
    ).fetchall()
    for (text,) in rows:
        move = json.loads(text).get("status")
        if isinstance(move, list) and len(move) == 2 and move[1] == status:
            return move[0]
    return None


def last_change_id(db: Database) -> int:
    """The id of the newest change-log row (0 for an empty log): marks where an action starts."""
    return db.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]


def changes_between(db: Database, after_id: int, upto_id: int) -> list[tuple[int, ChangeEntry]]:
    """The rows with after_id < id <= upto_id, oldest first, each with its id (what undo replays)."""
    rows = db.execute(
        "SELECT id, at, who, action, entity, entity_id, changes FROM changes "
        "WHERE id > ? AND id <= ? ORDER BY id",
        [after_id, upto_id],
    ).fetchall()
    return [
        (r[0], ChangeEntry(datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], json.loads(r[6])))
        for r in rows
    ]


def previous_change(
    db: Database, entity: str, entity_id: object, before_id: int, actions: tuple[str, ...]
) -> ChangeEntry | None:
    """The newest row for one entity older than `before_id` whose action is one of `actions`."""
    marks = ", ".join("?" * len(actions))
    row = db.execute(
        f"SELECT at, who, action, entity, entity_id, changes FROM changes WHERE entity = ? "  # nosec B608
        f"AND entity_id = ? AND id < ? AND action IN ({marks}) ORDER BY id DESC LIMIT 1",
        [entity, str(entity_id), before_id, *actions],
    ).fetchone()
    if row is None:
        return None
    return ChangeEntry(
        datetime.fromisoformat(row[0]), row[1], row[2], row[3], row[4], json.loads(row[5])
    )


def last_change(
    db: Database, *, skip_entities: tuple[str, ...] = ()
) -> tuple[datetime | None, int]:
    """When anything but `skip_entities` last changed, and the newest such entry's id (two changes in
    one second still differ): a cheap "has anything moved" for feeds."""
    marks = ", ".join("?" * len(skip_entities)) or "''"
    row = db.execute(
        f"SELECT max(at), max(id) FROM changes WHERE entity NOT IN ({marks})",  # placeholders only  # nosec B608
        list(skip_entities),
    ).fetchone()
    return (datetime.fromisoformat(row[0]) if row and row[0] else None), (row[1] or 0) if row else 0


_UNDATED_POST_ACTIONS = ("override", "override-removed", "consent-removed")


def last_post_departure(db: Database, start: str, end: str) -> tuple[datetime | None, int]:
    """When a post last left the days `start`..`end` (ISO dates): deleted, or moved to another day; or
    had a compliance override or consent change, which can change what an export shows of it. With the
    newest such entry's id.

    Posts still in the range carry their own change time; this covers the ones no longer there.
    """
    row = db.execute(
        "SELECT max(at), max(id) FROM changes WHERE entity = 'post' AND ("
        " (action = 'delete' AND json_extract(changes, '$.day') BETWEEN ? AND ?)"
        " OR (action IN ('update', 'status') AND json_type(changes, '$.day') = 'array'"
        "     AND json_extract(changes, '$.day[0]') BETWEEN ? AND ?)"
        f" OR action IN ({', '.join('?' * len(_UNDATED_POST_ACTIONS))}))",  # placeholders only  # nosec B608
        [start, end, start, end, *_UNDATED_POST_ACTIONS],
    ).fetchone()
    return (datetime.fromisoformat(row[0]) if row and row[0] else None), (row[1] or 0) if row else 0

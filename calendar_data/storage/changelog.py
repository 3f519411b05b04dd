"""The change log: every write appends who did what to which entity, inside its transaction."""

from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from calendar_data.models import ChangeEntry
from calendar_data.settings import current_user
from calendar_data.storage.connection import utcnow


def log_change(db: Database, action: str, entity: str, entity_id: object,
               changes: dict | None = None, *, who: str | None = None,
               at: datetime | None = None) -> None:
    """Append to the change log (call inside the write's transaction)."""
    db.execute(
        "INSERT INTO changes (at, who, action, entity, entity_id, changes) VALUES (?, ?, ?, ?, ?, ?)",
        [(at or utcnow()).isoformat(), who or current_user(), action, entity, str(entity_id),
         json.dumps(changes or {}, default=str, sort_keys=True)],
    )


def change_log(db: Database, *, entity: str | None = None, entity_id: object = None,
               limit: int = 200) -> list[ChangeEntry]:
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
    return [ChangeEntry(datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]


def last_change(db: Database, *, skip_entities: tuple[str, ...] = ()) -> tuple[datetime | None, int]:
    """When anything but `skip_entities` last changed, and the newest such entry's id (two changes in
    one second still differ): a cheap "has anything moved" for feeds."""
    marks = ", ".join("?" * len(skip_entities)) or "''"
    row = db.execute(f"SELECT max(at), max(id) FROM changes WHERE entity NOT IN ({marks})",  # placeholders only  # nosec B608
                     list(skip_entities)).fetchone()
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
        [start, end, start, end, *_UNDATED_POST_ACTIONS]).fetchone()
    return (datetime.fromisoformat(row[0]) if row and row[0] else None), (row[1] or 0) if row else 0

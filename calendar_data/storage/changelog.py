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


def last_change_id(db: Database) -> int:
    """The id of the newest change-log row (0 for an empty log): marks where an action starts."""
    return db.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]


def changes_between(db: Database, after_id: int, upto_id: int) -> list[tuple[int, ChangeEntry]]:
    """The rows with after_id < id <= upto_id, oldest first, each with its id (what undo replays)."""
    rows = db.execute("SELECT id, at, who, action, entity, entity_id, changes FROM changes "
                      "WHERE id > ? AND id <= ? ORDER BY id", [after_id, upto_id]).fetchall()
    return [(r[0], ChangeEntry(datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], json.loads(r[6])))
            for r in rows]


def previous_change(db: Database, entity: str, entity_id: object, before_id: int,
                    actions: tuple[str, ...]) -> ChangeEntry | None:
    """The newest row for one entity older than `before_id` whose action is one of `actions`."""
    marks = ", ".join("?" * len(actions))
    row = db.execute(f"SELECT at, who, action, entity, entity_id, changes FROM changes WHERE entity = ? "  # nosec B608
                     f"AND entity_id = ? AND id < ? AND action IN ({marks}) ORDER BY id DESC LIMIT 1",
                     [entity, str(entity_id), before_id, *actions]).fetchone()
    if row is None:
        return None
    return ChangeEntry(datetime.fromisoformat(row[0]), row[1], row[2], row[3], row[4], json.loads(row[5]))

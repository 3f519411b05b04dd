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


def last_change_id(db: Database) -> int:
    """The newest change's id (0 for none): moves on every logged write, even two in one second."""
    row = db.execute("SELECT max(id) FROM changes").fetchone()
    return row[0] or 0


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

"""Every observance a team sees: the curated list plus its own, with stars and mutes.

The curated list is read-only (it ships with carecal and is reviewed like code);
a team adds its own observances (a hospital's founding day, a local screening
week) to the database, where they are validated by the same rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from calendar_data.awareness import load_observances
from calendar_data.models import Observance
from calendar_data.observance_entries import ObservanceError, observance_from_mapping
from calendar_data.storage.changelog import log_change
from calendar_data.storage.connection import utcnow


@dataclass(frozen=True)
class Preference:
    """A team's stance on one observance."""

    starred: bool = False
    muted: bool = False


def custom_observances(db) -> tuple[Observance, ...]:
    """The organisation's own observances, from the database."""
    rows = db.execute("SELECT data FROM custom_observances ORDER BY id").fetchall()
    return tuple(observance_from_mapping(json.loads(r[0]), custom=True) for r in rows)


def all_observances(db) -> tuple[Observance, ...]:
    """Curated plus custom observances (ids never clash: custom ones are checked on add)."""
    return load_observances() + custom_observances(db)


def find_observance(db, observance_id: str) -> Observance:
    """One observance by id, curated or custom; ObservanceError when unknown."""
    for observance in all_observances(db):
        if observance.id == observance_id:
            return observance
    raise ObservanceError("no such observance", entry=observance_id, field="id")


def add_custom_observance(db, mapping: dict, *, who: str | None = None) -> Observance:
    """Validate and store one of the organisation's own observances."""
    data = {k: v for k, v in mapping.items() if v not in (None, "", [])} | {
        "hashtags": mapping.get("hashtags") or []
    }
    observance = observance_from_mapping(data, custom=True)
    taken = {o.id for o in all_observances(db)}
    if observance.id in taken:
        raise ObservanceError(
            "id already used by another observance", entry=observance.id, field="id"
        )
    stamp = utcnow().isoformat()
    with db.atomic():
        db.execute(
            "INSERT INTO custom_observances (id, data, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [observance.id, json.dumps(data, default=str), stamp, stamp],
        )
        log_change(db, "create", "observance", observance.id, data, who=who)
    return observance


def imported_observance(db, external_uid: str) -> tuple[str, dict] | None:
    """The id and stored mapping of the observance an earlier iCal import made from `external_uid`."""
    row = db.execute(
        "SELECT id, data FROM custom_observances WHERE external_uid = ?", [external_uid]
    ).fetchone()
    return (row[0], json.loads(row[1])) if row else None


def save_imported_observance(
    db, data: dict, external_uid: str, *, new: bool, who: str | None, now: datetime
) -> None:
    """Store (`new`) or replace an observance read from an iCal event, logged; inside the import's transaction.

    The mapping was validated by the import's plan (`observance_from_mapping`); the
    event's UID is kept so the next import of the same file updates it in place.
    """
    stamp = now.isoformat()
    if new:
        db.execute(
            "INSERT INTO custom_observances (id, data, created_at, updated_at, external_uid) "
            "VALUES (?, ?, ?, ?, ?)",
            [data["id"], json.dumps(data), stamp, stamp, external_uid],
        )
    else:
        db.execute(
            "UPDATE custom_observances SET data = ?, updated_at = ? WHERE id = ?",
            [json.dumps(data), stamp, data["id"]],
        )
    log_change(db, "create" if new else "update", "observance", data["id"], data, who=who, at=now)


def remove_custom_observance(db, observance_id: str, *, who: str | None = None) -> None:
    """Delete one of the organisation's own observances (curated ones can only be muted)."""
    with db.atomic():
        gone = db.execute("DELETE FROM custom_observances WHERE id = ?", [observance_id]).rowcount
        if not gone:
            raise ObservanceError(
                "not one of your own observances (curated ones can be muted)",
                entry=observance_id,
                field="id",
            )
        log_change(db, "delete", "observance", observance_id, who=who)


def preferences(db) -> dict[str, Preference]:
    """Stars and mutes by observance id."""
    rows = db.execute("SELECT observance_id, starred, muted FROM observance_prefs").fetchall()
    return {r[0]: Preference(bool(r[1]), bool(r[2])) for r in rows}


def set_preference(
    db,
    observance_id: str,
    *,
    starred: bool | None = None,
    muted: bool | None = None,
    who: str | None = None,
    now: datetime | None = None,
) -> Preference:
    """Star or mute an observance (either flag left as it was when None)."""
    find_observance(db, observance_id)
    current = preferences(db).get(observance_id, Preference())
    new = Preference(
        current.starred if starred is None else starred, current.muted if muted is None else muted
    )
    with db.atomic():
        db.execute(
            "INSERT OR REPLACE INTO observance_prefs (observance_id, starred, muted) VALUES (?, ?, ?)",
            [observance_id, int(new.starred), int(new.muted)],
        )
        log_change(
            db,
            "preference",
            "observance",
            observance_id,
            {"starred": new.starred, "muted": new.muted},
            who=who,
            at=now,
        )
    return new

"""The team's settings as stored in the calendar (the `settings` table, one JSON value per key)."""

from __future__ import annotations

import json

from sqlite_utils import Database

from calendar_data.settings import Settings
from calendar_data.storage.changelog import log_change


def load_settings(db: Database) -> Settings:
    """The team's settings (defaults for anything never set)."""
    rows = db.execute("SELECT key, value FROM settings").fetchall()
    return Settings.from_json({key: json.loads(value) for key, value in rows})


def save_settings(db: Database, settings: Settings, *, who: str | None = None) -> Settings:
    """Store every setting that differs from before, in one transaction, logged."""
    settings = settings.validated()
    before = load_settings(db).to_json()
    after = settings.to_json()
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changed:
        with db.atomic():
            for key in changed:
                db.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                    [key, json.dumps(after[key])],
                )
            log_change(db, "update", "settings", "team", changed, who=who)
    return settings

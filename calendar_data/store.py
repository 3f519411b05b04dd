"""Opening the calendar database safely, and the change log every write adds to.

The file is created private (mode 0600: it may hold consent references), runs in
WAL mode with a busy timeout so the TUI and a CLI script can share it, and is
backed up before any schema migration touches it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from calendar_data.migrations import STEPS
from calendar_data.models import ChangeEntry
from calendar_data.settings import Settings, current_user

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class StoreError(RuntimeError):
    """The database cannot be used: unreadable, not SQLite, or from a newer carecal."""


def utcnow() -> datetime:
    """Now, in UTC, to the second (what the change log and stamps record)."""
    return datetime.now(UTC).replace(microsecond=0)


def _migrations() -> Migrations:
    migrations = Migrations("carecal")
    for name, step in STEPS:
        migrations(name=name)(step)
    return migrations


def open_db(path: str | os.PathLike, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the calendar at `path`, migrated to the current schema.

    Raises:
        StoreError: the path is a folder, unreadable, not an SQLite file, or newer than us.
    """
    if str(path) == ":memory:":
        db = Database(memory=True)
        _configure(db)
        if migrate:
            _migrate(db, None)
        return db
    target = Path(path)
    _prepare_file(target)
    try:
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn)
        _configure(db)
        if migrate:
            _migrate(db, target)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{target}: cannot use this database ({exc})") from None
    return db


def _prepare_file(target: Path) -> None:
    if target.is_dir():
        raise StoreError(f"{target}: is a folder, not a database file")
    if not target.exists():
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass  # another process created it first
        except OSError as exc:
            raise StoreError(f"{target}: cannot create the database ({exc.strerror})") from None
        return
    try:
        with target.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{target}: cannot read the database ({exc.strerror})") from None
    if head and head != SQLITE_MAGIC:
        raise StoreError(f"{target}: is not an SQLite database")


def _configure(db: Database) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")


def _migrate(db: Database, target: Path | None) -> None:
    migrations = _migrations()
    known = {name for name, _ in STEPS}
    applied = {m.name for m in migrations.applied(db)}
    newer = applied - known
    if newer:
        raise StoreError(f"{target}: written by a newer carecal (schema step {sorted(newer)[-1]}); upgrade carecal")
    pending = migrations.pending(db)
    if not pending:
        return
    if target is not None and db.table_names():
        backup_path = target.with_name(f"{target.name}.{utcnow():%Y%m%dT%H%M%S}.before-{pending[0].name}.bak")
        backup(db, backup_path)
    migrations.apply(db)


def schema_steps(db: Database) -> list[str]:
    """Names of the migration steps applied to `db`, oldest first."""
    return [m.name for m in _migrations().applied(db)]


def backup(db: Database, destination: str | os.PathLike) -> Path:
    """A consistent copy of the database (SQLite's online backup), private like the original."""
    dest = Path(destination)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    with sqlite3.connect(tmp) as copy:
        db.conn.backup(copy)
    copy.close()
    os.chmod(tmp, 0o600)
    shutil.move(tmp, dest)
    return dest


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One transaction for a multi-row write: all of it lands, or none of it."""
    with db.atomic():
        yield db


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
                db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                           [key, json.dumps(after[key])])
            log_change(db, "update", "settings", "team", changed, who=who)
    return settings


def dumps(value: object) -> str:
    """JSON for list-valued columns (stable, compact)."""
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def loads_tuple(text: str | None) -> tuple:
    """A list-valued column back as a tuple."""
    return tuple(json.loads(text)) if text else ()

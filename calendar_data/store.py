"""Opening the calendar database safely, and the change log every write adds to.

The file is created private (mode 0600: it may hold consent references), runs in
WAL mode with a busy timeout so the TUI and a CLI script can share it, and is
backed up before any schema migration touches it.
"""

from __future__ import annotations

import json
import os
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


class DamagedDatabaseError(StoreError):
    """The file is not a usable database (overwritten, truncated, corrupt); it is left untouched."""


DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
"""SQLite result codes that mean the file itself is damaged (not busy, not missing)."""


class CalendarDatabase(Database):
    """sqlite-utils' Database whose write transactions take the write lock at BEGIN.

    A deferred transaction that reads and then writes cannot wait for another
    writer: SQLite refuses its lock upgrade at once ("database is locked") and
    busy_timeout does not retry it. `BEGIN IMMEDIATE` waits its turn instead.
    """

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One write transaction (a savepoint when nested): all of it lands, or none of it."""
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


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
        db = CalendarDatabase(memory=True)
        _configure(db)
        if migrate:
            _migrate(db, None)
        return db
    target = Path(path)
    _prepare_file(target)
    conn = None
    try:
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        db = CalendarDatabase(conn)
        _configure(db)
        if migrate:
            _migrate(db, target)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        damaged = getattr(exc, "sqlite_errorcode", 0) & 0xFF in DAMAGE_CODES
        raise (DamagedDatabaseError if damaged else StoreError)(
            f"{target}: cannot use this database ({exc})") from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise
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
        raise DamagedDatabaseError(f"{target}: is not an SQLite database")
    from calendar_data.backups import latest_backup

    if not head and latest_backup(target):
        raise DamagedDatabaseError(f"{target}: is empty (0 bytes), yet carecal has backups of it")


def _configure(db: Database) -> None:
    db.conn.isolation_level = "IMMEDIATE"  # Python's implicit BEGIN before a write, too
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


def database_file(db: Database) -> Path | None:
    """The file behind `db` (None in memory)."""
    name = db.execute("PRAGMA database_list").fetchone()[2]
    return Path(name) if name else None


def backup(db: Database, destination: str | os.PathLike) -> Path:
    """A consistent, self-contained copy of the database (SQLite's online backup), private (0600).

    Works while other connections read or write. Refuses to write over the database itself, and
    to copy a damaged one (DamagedDatabaseError), so every backup is sound.
    """
    check_integrity(db)
    dest = Path(destination)
    source = database_file(db)
    if source and dest.resolve() in {source.resolve().with_name(source.name + s) for s in ("", "-wal", "-shm")}:
        raise StoreError(f"{dest}: is the calendar itself; choose another backup file")
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        copy = sqlite3.connect(tmp)
        try:
            db.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        finally:
            copy.close()
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def check_integrity(db: Database) -> None:
    """Raise DamagedDatabaseError unless SQLite's quick_check finds the file sound."""
    try:
        found = [row[0] for row in db.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        found = [str(exc)]
    if found != ["ok"]:
        first = " ".join(found[0].replace("*** in database main ***", "").split())[:120]
        raise DamagedDatabaseError(f"{database_file(db) or 'database'}: damaged ({first})")


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction for a multi-row write (BEGIN IMMEDIATE): all of it lands, or none of it."""
    with db.atomic():
        yield db


def data_version(db: Database) -> int:
    """A number that changes whenever anyone commits a change: another process or this connection.

    Poll it (cheap: one pragma) to refresh a screen when the CLI or a second app edits the calendar.
    """
    return db.execute("PRAGMA data_version").fetchone()[0] + db.conn.total_changes


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
    if not text or text == "[]":  # most list columns are empty: skip the JSON parser
        return ()
    return tuple(json.loads(text))

"""`carecal backup` and `carecal restore`, and the app's start-up care of its file: check it, offer a backup, back up daily.

A damaged calendar is reported and never overwritten; on a terminal the app
offers to start from the latest backup (the damaged file is moved aside), and
anywhere else it prints the command that would do it and exits 2.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from tui.cli.context import calendar_path, one_line, open_context_db, restore_hint
from tui.cli.params import context_today, db_option, warn


def _interactive() -> bool:
    """A person at a terminal can answer a question (tests patch this)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _restore(db_path: Path, source: Path) -> None:
    from calendar_data.storage.backups import restore as restore_backup
    from calendar_data.storage.database import open_db

    done = restore_backup(db_path, source)
    db = open_db(db_path)  # an older backup is migrated (and backed up first) here
    posts = db.execute("SELECT count(*) FROM posts").fetchone()[0]
    db.close()
    kept = f"; the previous file is kept as {done.previous}" if done.previous else ""
    click.echo(f"restored {source} into {db_path} ({posts} posts){kept}", err=True)


@click.command()
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Backup file (default: a dated file beside the database).",
)
@click.option(
    "--purge-old",
    is_flag=True,
    help="Delete every earlier backup carecal made beside the calendar (they still hold withdrawn "
    "consent references and deleted posts' notes), compact the calendar, then write a fresh one.",
)
@click.pass_context
def backup(ctx: click.Context, output: Path | None, purge_old: bool) -> None:
    """Write a consistent copy of the calendar database."""
    from calendar_data.storage.backup_files import all_backups, manual_backup_path
    from calendar_data.storage.connection import utcnow
    from calendar_data.storage.copy import backup as backup_db

    db = open_context_db(ctx)
    source = Path(ctx.find_root().meta["db_file"])
    if purge_old:
        old = all_backups(source)
        for path in old:
            path.unlink(missing_ok=True)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")  # rewrite the file: no freed page keeps an erased value
        click.echo(
            f"deleted {len(old)} old backup{'s' if len(old) != 1 else ''} of {source} "
            "(copies written elsewhere with -o are not known to carecal: delete those by hand)",
            err=True,
        )
    target = output or manual_backup_path(source, utcnow())
    click.echo(str(backup_db(db, target)))


@click.command()
@db_option
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-y", "--yes", is_flag=True, help="Restore without asking first.")
@click.pass_context
def restore(ctx: click.Context, source: Path | None, yes: bool) -> None:
    """Replace the calendar with a backup (default: the newest); the current file is kept first."""
    from calendar_data.storage.backup_files import latest_backup

    db_path = calendar_path(ctx)
    if source is None:
        source = latest_backup(db_path)
        if source is None:
            raise click.UsageError(f"no backup of {db_path} found; name one: carecal restore FILE")
    if not yes:
        click.confirm(
            f"replace the calendar {db_path} with {source}? (the current file is kept)", abort=True
        )
    _restore(db_path, source)


def open_app_db(ctx: click.Context):
    """The app's database: checked, offered the latest backup when damaged, backed up once a day."""
    from calendar_data.storage.connection import check_integrity
    from calendar_data.storage.errors import DamagedDatabaseError
    from calendar_data.storage.soundness import check_due, note_sound

    root = ctx.find_root()
    try:
        due = check_due(calendar_path(ctx))  # asked before opening: opening leaves a -wal beside it
        db = open_context_db(ctx, create=True)
        if due:  # quick_check reads the whole file: only when carecal did not close it cleanly last
            check_integrity(db)
            note_sound(calendar_path(ctx))
    except DamagedDatabaseError as exc:
        if "db" in root.meta:
            root.meta.pop("db").close()
        _offer_latest_backup(ctx, exc)
        db = open_context_db(ctx, create=True)
    _daily_backup(ctx, db)
    return db


def close_app_db(ctx: click.Context) -> None:
    """Close the app's database after a clean exit and note the file sound (see storage.soundness)."""
    from calendar_data.storage.soundness import note_sound

    root = ctx.find_root()
    if "db" in root.meta:
        root.meta.pop("db").close()
        note_sound(calendar_path(ctx))


def _offer_latest_backup(ctx: click.Context, problem: Exception) -> None:
    """Report a damaged calendar; restore the latest backup if the person at the terminal says so."""
    from calendar_data.storage.backup_files import latest_backup

    db_path = calendar_path(ctx)
    message = one_line(problem)
    if "carecal restore" not in message and "no backup" not in message:
        message += restore_hint(db_path)
    click.echo(f"error: {message}", err=True)
    latest = latest_backup(db_path)
    if latest is None or not _interactive():
        raise click.exceptions.Exit(2)
    if not click.confirm(f"restore the latest backup {latest}?", default=False, err=True):
        raise click.exceptions.Exit(2)
    _restore(db_path, latest)


def _daily_backup(ctx: click.Context, db) -> None:
    from calendar_data.storage.backups import daily_backup
    from calendar_data.storage.errors import StoreError
    from calendar_data.storage.settings_table import load_settings

    try:
        daily_backup(
            db, calendar_path(ctx), today=context_today(ctx), keep=load_settings(db).backups_kept
        )
    except (OSError, sqlite3.Error, StoreError) as exc:
        warn(f"today's backup was not written ({' '.join(str(exc).split())}); the app opens anyway")

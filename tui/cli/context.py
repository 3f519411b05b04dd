"""One invocation's database and its one error policy: every failure becomes one line on stderr.

Exit codes: 2 for bad input or an unusable file, 1 for a refusal (a blocked approval) or an
unexpected error, 130 for ctrl+c; never a traceback.
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

import click

from calendar_data.errors import ComplianceBlocked
from calendar_data.settings import resolve_db_path
from calendar_data.storage.backup_files import latest_backup
from calendar_data.storage.connection import SCRIPT_BUSY_TIMEOUT_MS, set_busy_timeout
from calendar_data.storage.database import CalendarMissing, open_db
from calendar_data.storage.errors import DAMAGE_CODES, DamagedDatabaseError


class OneLineErrors(click.Group):
    """A click group that turns every error into one line on stderr (the CLI's one error policy)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:  # `carecal posts list | head`: the reader left, nothing to report
            _silence_stdout()
            raise click.exceptions.Exit(0) from None
        except ComplianceBlocked as exc:  # a refusal, not bad input: exit 1 with each reason
            for reason in exc.reasons:
                click.echo(f"error: post {exc.post_id or 'new'}: {one_line(reason)}", err=True)
            raise click.exceptions.Exit(1) from None
        except (
            ValueError,
            LookupError,
            RuntimeError,
            OSError,
            OverflowError,
            sqlite3.Error,
        ) as exc:
            click.echo(f"error: {damage_message(ctx, exc) or one_line(exc)}", err=True)
            raise click.exceptions.Exit(2) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no tracebacks
            click.echo(
                f"error: unexpected {type(exc).__name__}: {one_line(exc)} (please report this)",
                err=True,
            )
            raise click.exceptions.Exit(1) from None


def _silence_stdout() -> None:
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def one_line(exc: BaseException) -> str:
    """The exception's message squeezed onto one line."""
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def open_context_db(
    ctx: click.Context | None = None, *, create: bool = False, memory_if_missing: bool = False
):
    """The database for this invocation, opened once and closed when the command ends.

    Only commands that write may create a missing calendar (`create`); a read-only command on a
    missing file fails with one line and creates nothing, except the observance listings, which
    need no calendar and read the curated list with default settings (`memory_if_missing`).
    """
    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    if "db" not in root.meta:
        path = calendar_path(ctx)
        try:
            db = open_db(path, create=create)
        except CalendarMissing:
            if not memory_if_missing:
                raise
            db = open_db(":memory:")
        except DamagedDatabaseError as exc:
            raise DamagedDatabaseError(f"{exc}{restore_hint(path)}") from None
        set_busy_timeout(db, SCRIPT_BUSY_TIMEOUT_MS)
        for notice in db.notices:
            click.echo(f"note: {notice}", err=True)
        root.meta["db"], root.meta["db_file"] = db, path
        root.call_on_close(db.close)
    return root.meta["db"]


def calendar_db(*, write: bool = False):
    """This invocation's calendar (see `open_context_db`); only a write command may create a missing file."""
    return open_context_db(create=write)


def calendar_path(ctx: click.Context) -> Path:
    """The calendar file this invocation uses (`--db`, $CARECAL_DB, or the default)."""
    root = ctx.find_root()
    return resolve_db_path(root.meta.get("db_path") or root.params.get("db"))


def restore_hint(db_path: Path) -> str:
    """'; restore the latest backup with: carecal restore ...' when there is one, else ''."""
    latest = latest_backup(db_path)
    if latest is None:
        return "; no backup of it was found"
    return (
        f"; the latest backup is {latest}, restore it with: "
        f"carecal restore --db {shlex.quote(str(db_path))} {shlex.quote(str(latest))}"
    )


def damage_message(ctx: click.Context, exc: BaseException) -> str | None:
    """For damage found mid-command (SQLite's "malformed", a failed check): the file, the error, the way back."""
    db_file = ctx.find_root().meta.get("db_file")
    text = " ".join(str(exc).split())
    if isinstance(exc, DamagedDatabaseError):
        found_later = db_file and "carecal restore" not in text and "no backup" not in text
        return text + restore_hint(Path(db_file)) if found_later else text
    if not db_file or getattr(exc, "sqlite_errorcode", 0) & 0xFF not in DAMAGE_CODES:
        return None
    return f"{db_file}: damaged ({text}){restore_hint(Path(db_file))}"

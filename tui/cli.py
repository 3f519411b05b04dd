"""The `carecal` command: opens the app, and scripts every part of the calendar.

The CLI is the TUI's other face: it calls the same calendar_data functions the
screens call. Textual is imported only when the app opens, so listings start
fast. Errors are one line on stderr with exit code 2 (bad input) and never a
traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from calendar_data import __version__
from calendar_data.posts import ComplianceBlocked
from calendar_data.settings import resolve_db_path
from tui.cli_params import DATE, context_today, db_option


class CarecalGroup(click.Group):
    """A click group that turns every error into one line on stderr."""

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
        except (ValueError, LookupError, RuntimeError, OSError, OverflowError, sqlite3.Error) as exc:
            from tui.cli_backup import damage_message

            click.echo(f"error: {damage_message(ctx, exc) or one_line(exc)}", err=True)
            raise click.exceptions.Exit(2) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no tracebacks
            click.echo(f"error: unexpected {type(exc).__name__}: {one_line(exc)} (please report this)", err=True)
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


def open_context_db(ctx: click.Context | None = None):
    """The database for this invocation, opened once and closed when the command ends."""
    from calendar_data.store import DamagedDatabaseError, open_db

    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    if "db" not in root.meta:
        path = resolve_db_path(root.meta.get("db_path") or root.params.get("db"))
        try:
            root.meta["db"] = open_db(path)
        except DamagedDatabaseError as exc:
            from tui.cli_backup import restore_hint

            raise DamagedDatabaseError(f"{exc}{restore_hint(path)}") from None
        root.meta["db_file"] = path
        root.call_on_close(root.meta["db"].close)
    return root.meta["db"]


@click.group(cls=CarecalGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=True, path_type=str), default=None,
              help="Calendar database file (default: $CARECAL_DB or the user data dir).")
@click.option("--today", type=DATE, default=None, hidden=True, help="Pretend today is this date (tests, demos).")
@click.version_option(__version__, prog_name="carecal")
@click.pass_context
def main(ctx: click.Context, db: str | None, today) -> None:
    """carecal: plan hospital social posts around health awareness days.

    Run with no command to open the calendar app.
    """
    if ctx.invoked_subcommand is None:
        launch_app(ctx)


def launch_app(ctx: click.Context) -> None:
    """Open the Textual app on the resolved database."""
    from calendar_data.store import load_settings
    from tui.app import CarecalApp
    from tui.cli_backup import open_app_db

    db = open_app_db(ctx)  # checked; a damaged file offers the latest backup; backed up once a day
    app = CarecalApp(db=db, settings=load_settings(db), today=context_today(ctx),
                     db_path=str(ctx.find_root().meta["db_file"]))
    app.run()


@main.command()
@db_option
@click.option("--start", type=DATE, default=None, help="First day of the demo quarter (default: the 1st of this month).")
@click.option("--force", is_flag=True, help="Add the demo even if the calendar already has posts.")
@click.pass_context
def demo(ctx: click.Context, start, force: bool) -> None:
    """Fill a fresh calendar with a realistic quarter of a hospital's plans."""
    from calendar_data.demo import fill_demo

    db = open_context_db(ctx)
    existing = db.execute("SELECT count(*) FROM posts").fetchone()[0]
    if existing and not force:
        raise click.UsageError(f"the calendar at {ctx.find_root().meta['db_file']} already has {existing} posts; "
                               "use --db NEW.db for a fresh one, or --force")
    today = context_today(ctx)
    summary = fill_demo(db, start or today.replace(day=1), today=today)
    click.echo(f"demo: {summary.posts} posts, {summary.campaigns} campaigns, {summary.tags} tags "
               f"from {summary.start} to {summary.end} in {ctx.find_root().meta['db_file']}")


@main.command()
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backup file (default: a dated file beside the database).")
@click.pass_context
def backup(ctx: click.Context, output: Path | None) -> None:
    """Write a consistent copy of the calendar database."""
    from calendar_data.store import backup as backup_db
    from calendar_data.store import utcnow

    db = open_context_db(ctx)
    source = Path(ctx.find_root().meta["db_file"])
    target = output or source.with_name(f"{source.stem}-{utcnow():%Y%m%dT%H%M%S}.backup.db")
    click.echo(str(backup_db(db, target)))


LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "posts": ("tui.cli_posts", "posts"),
    "upcoming": ("tui.cli_calendar", "upcoming"),
    "observances": ("tui.cli_calendar", "observances"),
    "campaigns": ("tui.cli_calendar", "campaigns"),
    "tags": ("tui.cli_calendar", "tags"),
    "settings": ("tui.cli_calendar", "settings"),
    "restore": ("tui.cli_backup", "restore"),
    "check": ("tui.cli_compliance", "check"),
    "consent": ("tui.cli_compliance", "consent"),
    "override": ("tui.cli_compliance", "override"),
    "export": ("tui.cli_ics", "export"),
    "import": ("tui.cli_ics", "import_"),
    "feeds": ("tui.cli_ics", "feeds"),
    "serve": ("tui.cli_ics", "serve"),
    "sync": ("tui.cli_sync", "sync"),
}
"""Subcommands loaded on first use: a listing imports only its own module (start-up is mostly imports)."""


def _list_commands(self: click.Group, ctx: click.Context) -> list[str]:
    return sorted(set(self.commands) | set(LAZY_COMMANDS))


def _get_command(self: click.Group, ctx: click.Context, name: str) -> click.Command | None:
    if name not in self.commands and name in LAZY_COMMANDS:
        import importlib

        module, attr = LAZY_COMMANDS[name]
        self.add_command(getattr(importlib.import_module(module), attr), name)
    return self.commands.get(name)


CarecalGroup.list_commands = _list_commands
CarecalGroup.get_command = _get_command

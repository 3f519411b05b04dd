"""The `carecal` command: opens the app, and scripts every part of the calendar.

The CLI is the TUI's other face: it calls the same calendar_data functions the
screens call. Textual is imported only when the app opens, so listings start
fast. Errors are one line on stderr with exit code 2 (bad input) and never a
traceback.
"""

from __future__ import annotations

import gc
import importlib

import click

from calendar_data import __version__
from tui.cli.context import OneLineErrors, open_context_db
from tui.cli.params import DATE, context_today, db_option


class CarecalGroup(OneLineErrors):
    """The root group: one-line errors, and subcommands imported on first use (see LAZY_COMMANDS)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return self.commands.get(name)


@click.group(
    cls=CarecalGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    type=click.Path(dir_okay=True, path_type=str),
    default=None,
    help="Calendar database file (default: $CARECAL_DB or the user data dir).",
)
@click.option(
    "--today",
    type=DATE,
    default=None,
    hidden=True,
    help="Pretend today is this date (tests, demos).",
)
@click.option(
    "--read-only",
    "read_only",
    is_flag=True,
    hidden=True,
    help="Open the app refusing every write (what carecal web --read-only serves).",
)
@click.option(
    "--as",
    "acting",
    default=None,
    metavar="NAME",
    help="Your name for approvals and the history (default: config.toml `user`, then your login).",
)
@click.version_option(__version__, prog_name="carecal")
@click.pass_context
def main(ctx: click.Context, db: str | None, today, read_only: bool, acting: str | None) -> None:
    """carecal: plan hospital social posts around health awareness days.

    Run with no command to open the calendar app.
    """
    tune_collector()
    if ctx.invoked_subcommand is None:
        launch_app(ctx, read_only=read_only)
    elif read_only:  # a command that ignored it would write while the person believed it could not
        raise click.UsageError(
            f"--read-only opens the app read-only; it does not apply to "
            f"'carecal {ctx.invoked_subcommand}' (see carecal web --read-only)"
        )


GC_THRESHOLDS = (50_000, 20, 20)
"""Python's defaults (700, 10, 10) ran a full collection every few month switches: ~0.15 s each
over Textual's and carecal's long-lived objects (profiled at 50,000 posts). Reference counting
frees nearly everything here; the collector only has to find the rare cycle, in larger batches."""


def tune_collector() -> None:
    """Collect cycles in larger batches (see GC_THRESHOLDS)."""
    gc.set_threshold(*GC_THRESHOLDS)


def launch_app(ctx: click.Context, *, read_only: bool = False) -> None:
    """Open the Textual app on the resolved database (config.toml `sync_every` sets its sync timer)."""
    from calendar_data.settings import config_dir, user_config
    from calendar_data.storage.connection import utcnow
    from calendar_data.storage.settings_table import load_settings
    from tui.app import make_app
    from tui.cli.backup import close_app_db, open_app_db

    db = open_app_db(
        ctx
    )  # checked when not closed cleanly last; backed up (and so checked) once a day
    app = make_app(
        db,
        load_settings(db),
        context_today(ctx),
        utcnow,
        ctx.find_root().meta["db_file"],
        read_only=read_only,
        sync_every=int(user_config().get("sync_every", 0)),
        config=user_config(),
        state_dir=config_dir(),
    )
    gc.freeze()  # what start-up built (modules, settings, the app) lives as long as the process
    app.run()
    if app.return_code in (None, 0):
        close_app_db(ctx)


@main.command()
@db_option
@click.option(
    "--start",
    type=DATE,
    default=None,
    help="First day of the demo quarter (default: the 1st of this month).",
)
@click.option("--force", is_flag=True, help="Add the demo even if the calendar already has posts.")
@click.pass_context
def demo(ctx: click.Context, start, force: bool) -> None:
    """Fill a fresh calendar with a realistic quarter of a hospital's plans."""
    from calendar_data.demo import fill_demo

    db = open_context_db(ctx, create=True)
    existing = db.execute("SELECT count(*) FROM posts").fetchone()[0]
    if existing and not force:
        raise click.UsageError(
            f"the calendar at {ctx.find_root().meta['db_file']} already has {existing} posts; "
            "use --db NEW.db for a fresh one, or --force"
        )
    today = context_today(ctx)
    summary = fill_demo(db, start or today.replace(day=1), today=today)
    click.echo(
        f"demo: {summary.posts} posts, {summary.campaigns} campaigns, {summary.tags} tags "
        f"from {summary.start} to {summary.end} in {ctx.find_root().meta['db_file']}"
    )


LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "posts": ("tui.cli.posts", "posts"),
    "upcoming": ("tui.cli.observances", "upcoming"),
    "observances": ("tui.cli.observances", "observances"),
    "campaigns": ("tui.cli.campaigns", "campaigns"),
    "tags": ("tui.cli.campaigns", "tags"),
    "settings": ("tui.cli.settings", "settings"),
    "backup": ("tui.cli.backup", "backup"),
    "restore": ("tui.cli.backup", "restore"),
    "check": ("tui.cli.compliance", "check"),
    "consent": ("tui.cli.compliance", "consent"),
    "comments": ("tui.cli.comments", "comments"),
    "override": ("tui.cli.compliance", "override"),
    "export": ("tui.cli.export", "export"),
    "import": ("tui.cli.ics_import", "import_"),
    "feeds": ("tui.cli.feeds", "feeds"),
    "serve": ("tui.cli.feeds", "serve"),
    "hold": ("tui.cli.holds", "hold"),
    "release": ("tui.cli.holds", "release"),
    "metrics": ("tui.cli.metrics", "metrics"),
    "report": ("tui.cli.metrics", "report"),
    "sync": ("tui.cli.sync", "sync"),
    "web": ("tui.cli.web", "web"),
}
"""Subcommands loaded on first use: a listing imports only its own module (start-up is mostly imports)."""

"""`carecal import FILE.ics`: events from Outlook, Google or carecal, as posts or observances.

Every post the file brings in at approved or later passes the approval gate first
(`ical.plan.import_ics`); the command prints what changed, or would change with --dry-run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from calendar_data.ical.plan import IMPORT_AS
from tui.cli.context import open_context_db
from tui.cli.params import DATE, acting_name, context_now, context_today, db_option, warn

IMPORT_AS_CHOICE = click.Choice(list(IMPORT_AS))


@click.command("import")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option(
    "--as",
    "as_",
    type=IMPORT_AS_CHOICE,
    default="posts",
    show_default=True,
    help="Bring the events in as planned posts or as your own observances.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--from",
    "start",
    type=DATE,
    help="Expand repeating events from this day (default: a year ago).",
)
@click.option("--to", "end", type=DATE, help="...up to this day (default: two years ahead).")
@click.option(
    "--by",
    "who",
    metavar="NAME",
    help="Your name for the approval gate and the history "
    "(default: carecal --as, config.toml `user`, your login).",
)
@click.pass_context
def import_(ctx, file, as_, dry_run, start, end, who) -> None:
    """Bring an .ics file (exported from Outlook, Google or carecal) into the calendar.

    A post the file has at approved or later comes in so only if the approval gate
    passes for it now (consent, PHI, evidence, approvers); otherwise as draft, and
    the summary says which and why. --dry-run shows the same verdicts.
    """
    from calendar_data.ical.plan import default_window, import_ics

    today = context_today(ctx)
    window = default_window(today)
    window = (start or window[0], end or window[1])
    data, where = _read_input(file)
    plan = import_ics(
        open_context_db(create=not dry_run, memory_if_missing=dry_run),
        data,
        as_=as_,
        where=where,
        today=today,
        dry_run=dry_run,
        window=window,
        who=acting_name(ctx, who),
        now=context_now(ctx),
    )
    for line in plan.warnings:
        warn(line)
    marks = {"add": "+", "update": "~"}
    for change in plan.changes:
        if change.action in marks:
            detail = f"  ({change.detail})" if change.detail else ""
            gated = (
                f"  [{change.post.status}: not approved]" if change.verdict and change.post else ""
            )
            click.echo(f"{marks[change.action]} {change.label}{detail}{gated}")
    for name in plan.new_campaigns:
        click.echo(f"+ campaign {name}")
    if plan.dropped_line():
        click.echo(plan.dropped_line())
    click.echo(plan.summary() + (" (dry run: nothing written)" if dry_run else ""))


def _read_input(file: str) -> tuple[bytes, str]:
    """The file's bytes (at most one past the size limit: scan() reports it) and the name messages use."""
    from calendar_data.ical.scan import MAX_FILE_BYTES

    if file == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1), "stdin"
    try:
        with open(file, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1), Path(file).name
    except FileNotFoundError:
        raise FileNotFoundError(f"{file}: no such file (check the name and folder)") from None
    except IsADirectoryError:
        raise IsADirectoryError(f"{file}: is a folder, not an .ics file") from None
    except PermissionError:
        raise PermissionError(f"{file}: not allowed to read this file") from None

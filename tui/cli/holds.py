"""`carecal hold` and `carecal release`: pause every approved or scheduled post during an incident.

carecal hold --from 2027-01-10 --to 2027-01-24 --reason "Mass casualty incident" [--except-type crisis-update]
carecal hold list [--json]
carecal release HOLD_ID
"""

from __future__ import annotations

import click

from calendar_data.holds import get_hold, list_holds, place_hold, release_hold
from calendar_data.models import ContentType
from tui.cli.context import open_context_db
from tui.cli.params import CONTENT_TYPE, DATE, acting_name, db_option, emit_json, emit_table, warn


@click.group(invoke_without_command=True)
@db_option
@click.option("--from", "start", type=DATE, help="First day held (inclusive).")
@click.option("--to", "end", type=DATE, help="Last day held (inclusive).")
@click.option("--reason", help="Why posts are held (kept in every held post's history).")
@click.option(
    "--except-type",
    "except_types",
    type=CONTENT_TYPE,
    multiple=True,
    help="A content type that still goes out (repeat; default: crisis-update).",
)
@click.option(
    "--as", "who", help="Your name for the history (default: config.toml `user`, then your login)."
)
@click.pass_context
def hold(ctx, start, end, reason, except_types, who) -> None:
    """Put every approved or scheduled post from --from to --to on hold, in one step.

    Held posts keep their status; exports and feeds show them as cancelled (so
    Outlook takes them off the calendar) until `carecal release HOLD_ID`.
    """
    if ctx.invoked_subcommand is not None:
        if start or end or reason or except_types:
            raise click.UsageError(f"`hold {ctx.invoked_subcommand}` takes no --from/--to/--reason")
        return
    missing = [
        name
        for name, value in (("--from", start), ("--to", end), ("--reason", reason))
        if not value
    ]
    if missing:
        raise click.UsageError(f"give {', '.join(missing)} (or use: carecal hold list)")
    types = tuple(ContentType(t.lower()) for t in except_types) or (ContentType.CRISIS_UPDATE,)
    placed = place_hold(
        open_context_db(create=True),
        start,
        end,
        reason,
        except_types=types,
        who=acting_name(ctx, who),
    )
    click.echo(
        f"hold {placed.id}: {len(placed.post_ids)} post{'s' if len(placed.post_ids) != 1 else ''} "
        f"held from {placed.start} to {placed.end} ({placed.reason}); "
        + (
            f"{', '.join(placed.except_types)} posts still go out"
            if placed.except_types
            else "no type excepted"
        )
    )
    click.echo(f"release it with: carecal release {placed.id}")
    if not placed.post_ids:
        warn(
            "no approved or scheduled posts in that window yet; posts approved into it are held too"
        )


@hold.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--active", is_flag=True, help="Only holds still in force.")
def hold_list(as_json: bool, active: bool) -> None:
    """Every crisis hold, newest first: window, reason, who held and released it, posts held."""
    found = list_holds(open_context_db(memory_if_missing=True), active_only=active)
    if as_json:
        emit_json(h.to_json() for h in found)
        return
    if not found:
        click.echo("no holds", err=True)
        return
    emit_table(
        [
            [
                h.id,
                "ACTIVE" if h.active else f"released {h.released_at:%Y-%m-%d} by {h.released_by}",
                f"{h.start} to {h.end}",
                len(h.post_ids),
                h.held_by,
                h.reason,
            ]
            for h in found
        ],
        ["ID", "STATE", "WINDOW", "POSTS", "BY", "REASON"],
    )


@click.command()
@db_option
@click.argument("hold_id", type=click.IntRange(min=1))
@click.option(
    "--as", "who", help="Your name for the history (default: config.toml `user`, then your login)."
)
@click.pass_context
def release(ctx, hold_id: int, who: str | None) -> None:
    """End a crisis hold: its posts go back on the calendars as they were."""
    db = open_context_db()
    get_hold(db, hold_id)
    released = release_hold(db, hold_id, who=acting_name(ctx, who))
    click.echo(
        f"hold {released.id} released by {released.released_by}: {len(released.post_ids)} "
        f"post{'s' if len(released.post_ids) != 1 else ''} back on the calendar"
    )

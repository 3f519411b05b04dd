"""`carecal export --format sprout ...`, `carecal posts published` and `posts links`: the road to the publisher.

Thin faces over calendar_data.publish: the export dialog and the editor call
the same functions. Bad input is one line and exit 2; a post that breaks a
publisher's rule is listed with exit 1 and nothing is written.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, time

import click

from calendar_data.models import Channel, Filters
from calendar_data.storage.outputs import check_output
from tui.cli.context import calendar_db
from tui.cli.params import CHANNEL, POST_ID, context_today, db_option, emit_json, emit_table, warn
from tui.words import plural


def command_now(ctx: click.Context | None = None) -> datetime:
    """'Now' for this invocation: $CARECAL_NOW (tests), else midnight UTC of a pretended --today, else the clock."""
    fixed = os.environ.get("CARECAL_NOW")
    if fixed:
        moment = datetime.fromisoformat(fixed)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    if (root and root.params.get("today")) or os.environ.get("CARECAL_TODAY"):
        return datetime.combine(context_today(ctx), time(0), tzinfo=UTC)
    from calendar_data.storage.connection import utcnow

    return utcnow()


def export_bulk(
    fmt: str, start, end, filters: Filters, output: str, date_order: str | None
) -> None:
    """`carecal export --format VENDOR`: plan the vendor files, report what is kept back, write or refuse."""
    from calendar_data.publish.bulk import SPROUT_MAX_ROWS, BulkSpec, plan_bulk, write_bulk
    from calendar_data.publish.vendors import vendor_format
    from calendar_data.storage.settings_table import load_settings

    vendor = vendor_format(fmt)  # an undocumented format is refused here, with the reason
    if output == "-":
        raise click.UsageError(
            f"a {vendor.label} export writes one file per channel; give a file name such as "
            "q1.csv, not '-'"
        )
    ctx = click.get_current_context()
    db = calendar_db()
    settings = load_settings(db)
    order = date_order or ("mdy" if settings.country.upper() == "US" else "dmy")
    plan = plan_bulk(
        db,
        BulkSpec(start, end, vendor.name, filters, order),
        now=command_now(ctx),
        today=context_today(ctx),
        settings=settings,
    )
    for skipped in plan.skipped:
        warn(f"post {skipped.post.id} ({skipped.post.title}) left out: {skipped.reason}")
    if plan.breaks:
        for problem in plan.breaks:
            click.echo(f"error: {problem}", err=True)
        click.echo(
            f"error: {len(plan.breaks)} rule break{'s' if len(plan.breaks) != 1 else ''} that "
            f"{vendor.label} would refuse; nothing written",
            err=True,
        )
        raise click.exceptions.Exit(1)
    if not plan.files:
        warn(
            f"no approved or scheduled posts from {start} to {end} to send to {vendor.label}; nothing written"
        )
        return
    check_output(db, output)
    for item, path in zip(plan.files, write_bulk(plan, output), strict=True):
        split = (
            (
                f" (part {item.part} of {item.parts}: {vendor.label} takes at most {SPROUT_MAX_ROWS} "
                "messages per import)"
            )
            if item.parts > 1
            else ""
        )
        click.echo(f"wrote {plural(len(item.rows), 'message')} for {item.channel} to {path}{split}")
    click.echo(
        f"{plural(plan.posts, 'post')} in {plural(len(plan.files), 'file')}; dates {'mm/dd/yyyy' if order == 'mdy' else 'dd/mm/yyyy'}"
        f", times in {settings.timezone}: import each file into its channel's profile in {vendor.label}"
    )


@click.command("published")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--channel", required=True, type=CHANNEL, help="The channel it went live on.")
@click.option("--url", required=True, help="The post's address on that network (http or https).")
@click.option(
    "--at",
    "at",
    default=None,
    help="When it went live: YYYY-MM-DDTHH:MM in the team's time zone, or with an offset (default: now).",
)
@click.option("--as", "who", help="Name recorded in the change log (default: your login).")
@click.option("--json", "as_json", is_flag=True, help="Print the recorded link as JSON.")
def published(post_id, channel, url, at, who, as_json) -> None:
    """Record where and when a post went live on one channel; the post moves to published."""
    from calendar_data.publish.links import parse_when, record_published
    from calendar_data.storage.settings_table import load_settings

    db = calendar_db(write=True)
    when = parse_when(at, load_settings(db).timezone) if at else None
    link = record_published(
        db, post_id, Channel(channel.lower()), url, at=when, now=command_now(), who=who
    )
    if as_json:
        emit_json([link.to_json()])
    else:
        click.echo(
            f"post {link.post_id} published on {link.channel} at {link.published_at:%Y-%m-%d %H:%M} UTC: "
            f"{link.url}"
        )


@click.command("links")
@db_option
@click.argument("post_id", type=POST_ID, required=False)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def links(post_id, as_json) -> None:
    """Where posts went live: post, channel, URL and time."""
    from calendar_data.publish.links import published_links

    found = published_links(calendar_db(), post_id)
    if as_json:
        emit_json(link.to_json() for link in found)
        return
    if not found:
        click.echo(
            "no published links recorded (carecal posts published ID --channel C --url URL)",
            err=True,
        )
    emit_table(
        [
            [str(k.post_id), k.channel.value, f"{k.published_at:%Y-%m-%d %H:%M}Z", k.url]
            for k in found
        ],
        ["POST", "CHANNEL", "PUBLISHED", "URL"],
    )


PUBLISH_COMMANDS = (published, links)
"""Registered under `carecal posts` (tui/cli_posts.py)."""

"""`carecal posts ...`: plan, list, edit and remove posts from a script or a shell."""

from __future__ import annotations

from dataclasses import replace

import click

from calendar_data.comments import comment_to_json, history_with_comments, list_comments
from calendar_data.json_rows import post_row
from calendar_data.models import Channel, Filters, Post, Status
from calendar_data.posts import (
    add_post,
    delete_post,
    get_post,
    list_posts,
    update_post,
)
from calendar_data.storage.connection import transaction
from tui.cli.context import calendar_db
from tui.cli.params import (
    CHANNEL,
    DATE,
    POST_ID,
    STATUS,
    acting_name,
    context_now,
    context_today,
    db_option,
    emit_json,
    emit_table,
    warn,
)
from tui.cli.post_options import edited_fields, new_post, post_options
from tui.cli.publish import PUBLISH_COMMANDS
from tui.history_words import COMMENT_ACTIONS, COMPLIANCE_ACTIONS, describe


@click.group()
def posts() -> None:
    """Plan, list, edit and remove posts."""


def _say_which_instant(db, post: Post) -> None:
    """On a day the clocks go back, say which of the two identical times the post means."""
    from calendar_data.storage.settings_table import load_settings
    from calendar_data.times import describe_ambiguity, is_ambiguous

    if post.time is None:
        return
    timezone = load_settings(db).timezone
    if is_ambiguous(post.day, post.time, timezone):
        warn(describe_ambiguity(post.day, post.time, timezone))


def _check_observance(db, observance_id: str | None) -> None:
    if observance_id:
        from calendar_data.observances import find_observance

        find_observance(db, observance_id)


def _print_post(post: Post, as_json: bool) -> None:
    if as_json:
        emit_json([post_row(post)])
    else:
        click.echo(post.id)


@posts.command("add")
@db_option
@click.option("--title", required=True, help="Short working title.")
@click.option("--date", "day", type=DATE, required=True, help="Planned date, YYYY-MM-DD.")
@post_options
def add(title, day, who, reason, as_json, **options) -> None:
    """Plan a post; prints its id (or, with --json, the post)."""
    post = new_post(title, day, options)
    db = calendar_db(write=True)
    _check_observance(db, post.observance_id)
    ctx = click.get_current_context()
    saved = add_post(
        db,
        post,
        who=acting_name(ctx, who),
        today=context_today(ctx),
        now=context_now(ctx),
        reason=reason,
    )
    _say_which_instant(db, saved)
    _print_post(saved, as_json)


@posts.command("edit")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--title", help="New title.")
@click.option("--date", "day", type=DATE, help="New date.")
@click.option("--no-time", is_flag=True, help="Make it an all-day post.")
@click.option("--untag", "untags", multiple=True, help="Remove a tag (repeat for more).")
@click.option(
    "--clear-channels", is_flag=True, help="Remove every channel before adding --channel ones."
)
@post_options
def edit(post_id, who, reason, as_json, **options) -> None:
    """Change some fields of a post; others stay as they were."""
    db = calendar_db(write=True)
    _check_observance(db, options["observance_id"])
    with transaction(
        db
    ):  # read and save in one transaction: a concurrent edit is never overwritten
        post = get_post(db, post_id)
        ctx = click.get_current_context()
        saved = update_post(
            db,
            replace(post, **edited_fields(post, options)),
            who=acting_name(ctx, who),
            today=context_today(ctx),
            now=context_now(ctx),
            reason=reason,
        )
    _say_which_instant(db, saved)
    _print_post(saved, as_json)


@posts.command("rm")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--as", "who", help="Name recorded in the change log.")
def remove(post_id: int, who: str | None) -> None:
    """Delete a post (its history stays, with its private notes and consent reference erased)."""
    post = delete_post(
        calendar_db(write=True), post_id, who=acting_name(click.get_current_context(), who)
    )
    click.echo(f"deleted post {post.id}: {post.title} ({post.day})")


@posts.command("show")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(post_id: int, as_json: bool) -> None:
    """Everything about one post, with its history."""
    db = calendar_db()
    post = get_post(db, post_id)
    thread = list_comments(db, post_id)
    if as_json:
        emit_json(
            [
                post_row(post, include_private=True)
                | {"comments": [comment_to_json(c) for c in thread]}
            ]
        )
        return
    data = post_row(post, include_private=True)
    variants = data.pop("variants")
    for key, value in data.items():
        if value not in (None, "", [], False):
            click.echo(f"{key:>16}: {', '.join(value) if isinstance(value, list) else value}")
    for channel, text in variants.items():  # the per-channel copy, under the body it replaces
        click.echo(f"{f'copy[{channel}]':>16}: {text}")
    if thread:
        click.echo("        comments:")
        for comment in thread:
            click.echo(
                f"                  #{comment.id} {comment.at:%Y-%m-%d %H:%M} {comment.who}: {comment.text}"
            )
    click.echo("         history:")
    for entry in reversed(history_with_comments(db, post_id, limit=200)):
        click.echo(
            f"                  {entry.at:%Y-%m-%d %H:%M} {entry.who}: {describe_change(entry)}"
        )


def describe_change(entry) -> str:
    """One change-log line in words: 'status draft -> review, title'."""
    if entry.action in ("create", "delete"):
        return "created" if entry.action == "create" else "deleted"
    if (
        entry.action in COMPLIANCE_ACTIONS | COMMENT_ACTIONS
    ):  # "recorded consent PX-7", "comment: ..."
        return describe(entry)
    if entry.action == "published":  # issue 19: a recorded link
        return f"published on {entry.changes.get('channel')}: {entry.changes.get('url')}"
    parts = []
    for field, change in entry.changes.items():
        if (
            isinstance(change, list)
            and len(change) == 2
            and field in ("status", "day", "time", "campaign")
        ):
            parts.append(f"{field} {change[0] or '-'} -> {change[1] or '-'}")
        else:
            parts.append("per-channel copy" if field == "variants" else field)
    return "changed " + ", ".join(parts)


@posts.command("list")
@db_option
@click.option("--from", "start", type=DATE, help="First day (inclusive).")
@click.option("--to", "end", type=DATE, help="Last day (inclusive).")
@click.option(
    "--tag", "tags", multiple=True, help="Only posts with this tag (repeat: all of them)."
)
@click.option(
    "--status",
    "statuses",
    type=STATUS,
    multiple=True,
    help="Only this status (repeat: any of them).",
)
@click.option(
    "--channel", "channels", type=CHANNEL, multiple=True, help="Only this channel (repeat: any)."
)
@click.option("--campaign", help="Only this campaign.")
@click.option("--search", "text", default="", help="Text in the title, copy, hashtags or tags.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(start, end, tags, statuses, channels, campaign, text, as_json) -> None:
    """List posts in date order."""
    if start and end and end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="'--to'")
    filters = Filters(
        text=text,
        tags=tags,
        statuses=tuple(Status(s) for s in statuses),
        channels=tuple(Channel(c.lower()) for c in channels),
        campaign=campaign,
    )
    found = list_posts(calendar_db(), start, end, filters)
    if as_json:
        emit_json(post_row(p) for p in found)
        return
    if not found:
        click.echo("no posts", err=True)
    emit_table(
        [
            [
                str(p.id),
                p.day.isoformat(),
                p.time.strftime("%H:%M") if p.time else "",
                p.status,
                ",".join(p.channels),
                ",".join(p.tags),
                p.title,
            ]
            for p in found
        ],
        ["ID", "DATE", "TIME", "STATUS", "CHANNELS", "TAGS", "TITLE"],
    )


for _command in PUBLISH_COMMANDS:
    posts.add_command(_command)

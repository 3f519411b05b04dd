"""`carecal posts ...`: plan, list, edit and remove posts from a script or a shell."""

from __future__ import annotations

from dataclasses import replace

import click

from calendar_data.models import Channel, ContentType, Filters, Post, Status
from calendar_data.posts import (
    add_post,
    delete_post,
    get_post,
    list_posts,
    post_to_json,
    update_post,
)
from calendar_data.storage.changelog import change_log
from calendar_data.storage.connection import transaction
from tui.cli.context import open_context_db
from tui.cli.params import (
    CHANNEL,
    CONTENT_TYPE,
    DATE,
    STATUS,
    TIME,
    context_today,
    db_option,
    emit_json,
    emit_table,
)
from tui.history_words import COMPLIANCE_ACTIONS, describe

POST_ID = click.IntRange(1, 2**63 - 1)  # SQLite's INTEGER range: a bigger id is refused by name


def _db():
    return open_context_db()


@click.group()
def posts() -> None:
    """Plan, list, edit and remove posts."""


def _post_options(func):
    """The fields shared by `add` and `edit`."""
    options = [
        click.option("--time", "time_", type=TIME, help="Time of day, HH:MM (the team's time zone)."),
        click.option("--body", help="The copy; hashtags in it are picked up."),
        click.option("--channel", "channels", type=CHANNEL, multiple=True, help="A channel (repeat for more)."),
        click.option("--tag", "tags", multiple=True, help="A tag (repeat for more)."),
        click.option("--hashtag", "hashtags", multiple=True, help="An extra hashtag (repeat for more)."),
        click.option("--status", type=STATUS, help="Workflow status (new posts start as idea)."),
        click.option("--campaign", help="Campaign name (must exist: carecal campaigns add)."),
        click.option("--type", "content_type", type=CONTENT_TYPE, help="Content type."),
        click.option("--observance", "observance_id", help="Id of the linked observance."),
        click.option("--owner", help="Who writes it."),
        click.option("--source", "sources", multiple=True, help="Evidence URL (repeat for more)."),
        click.option("--asset", "assets", multiple=True, help="Link to an image or video (repeat for more)."),
        click.option("--features-patient/--no-patient", "features_patient", default=None,
                     help="The post features a patient (needs consent before approval)."),
        click.option("--notes", "private_notes", help="Private notes (never exported)."),
        click.option("--as", "who", help="Name recorded in the change log (default: your login)."),
        click.option("--json", "as_json", is_flag=True, help="Print the post as JSON."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _check_observance(db, observance_id: str | None) -> None:
    if observance_id:
        from calendar_data.observances import find_observance

        find_observance(db, observance_id)


def _print_post(post: Post, as_json: bool) -> None:
    if as_json:
        emit_json([post_to_json(post)])
    else:
        click.echo(post.id)


@posts.command("add")
@db_option
@click.option("--title", required=True, help="Short working title.")
@click.option("--date", "day", type=DATE, required=True, help="Planned date, YYYY-MM-DD.")
@_post_options
def add(title, day, time_, body, channels, tags, hashtags, status, campaign, content_type, observance_id,
        owner, sources, assets, features_patient, private_notes, who, as_json) -> None:
    """Plan a post; prints its id (or, with --json, the post)."""
    db = _db()
    _check_observance(db, observance_id)
    post = Post(
        title=title, day=day, time=time_, body=body or "", status=Status(status or "idea"),
        content_type=ContentType(content_type) if content_type else None,
        channels=tuple(Channel(c.lower()) for c in channels), tags=tags, hashtags=hashtags,
        campaign=campaign, observance_id=observance_id, owner=owner or "", sources=sources,
        assets=assets, features_patient=bool(features_patient), private_notes=private_notes or "",
    )
    _print_post(add_post(db, post, who=who, today=context_today(click.get_current_context())), as_json)


@posts.command("edit")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--title", help="New title.")
@click.option("--date", "day", type=DATE, help="New date.")
@click.option("--no-time", is_flag=True, help="Make it an all-day post.")
@click.option("--untag", "untags", multiple=True, help="Remove a tag (repeat for more).")
@click.option("--clear-channels", is_flag=True, help="Remove every channel before adding --channel ones.")
@_post_options
def edit(post_id, title, day, no_time, untags, clear_channels, time_, body, channels, tags, hashtags, status,
         campaign, content_type, observance_id, owner, sources, assets, features_patient, private_notes, who,
         as_json) -> None:
    """Change some fields of a post; others stay as they were."""
    db = _db()
    _check_observance(db, observance_id)
    with transaction(db):  # read and save in one transaction: a concurrent edit is never overwritten
        post = get_post(db, post_id)
        changes: dict = {}
        for key, value in (("title", title), ("day", day), ("body", body), ("campaign", campaign),
                           ("observance_id", observance_id), ("owner", owner), ("private_notes", private_notes)):
            if value is not None:
                changes[key] = value
        if time_ is not None or no_time:
            changes["time"] = None if no_time else time_
        if status:
            changes["status"] = Status(status)
        if content_type:
            changes["content_type"] = ContentType(content_type)
        if channels or clear_channels:
            base = () if clear_channels else post.channels
            changes["channels"] = tuple(dict.fromkeys((*base, *(Channel(c.lower()) for c in channels))))
        if tags or untags:
            drop = {t.casefold().lstrip("#") for t in untags}
            changes["tags"] = tuple(t for t in (*post.tags, *tags) if t.casefold().lstrip("#") not in drop)
        if hashtags:
            changes["hashtags"] = (*post.hashtags, *hashtags)
        if sources:
            changes["sources"] = (*post.sources, *sources)
        if assets:
            changes["assets"] = (*post.assets, *assets)
        if features_patient is not None:
            changes["features_patient"] = features_patient
        saved = update_post(db, replace(post, **changes), who=who,
                            today=context_today(click.get_current_context()))
    _print_post(saved, as_json)


@posts.command("rm")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--as", "who", help="Name recorded in the change log.")
def remove(post_id: int, who: str | None) -> None:
    """Delete a post (the change log keeps what it said)."""
    post = delete_post(_db(), post_id, who=who)
    click.echo(f"deleted post {post.id}: {post.title} ({post.day})")


@posts.command("show")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(post_id: int, as_json: bool) -> None:
    """Everything about one post, with its history."""
    db = _db()
    post = get_post(db, post_id)
    if as_json:
        emit_json([post_to_json(post, include_private=True)])
        return
    data = post_to_json(post, include_private=True)
    for key, value in data.items():
        if value not in (None, "", [], False):
            click.echo(f"{key:>16}: {', '.join(value) if isinstance(value, list) else value}")
    click.echo("         history:")
    for entry in reversed(change_log(db, entity="post", entity_id=post_id)):
        click.echo(f"                  {entry.at:%Y-%m-%d %H:%M} {entry.who}: {describe_change(entry)}")


def describe_change(entry) -> str:
    """One change-log line in words: 'status draft -> review, title'."""
    if entry.action in ("create", "delete"):
        return "created" if entry.action == "create" else "deleted"
    if entry.action in COMPLIANCE_ACTIONS:  # consent and overrides: "recorded consent PX-7"
        return describe(entry)
    parts = []
    for field, change in entry.changes.items():
        if isinstance(change, list) and len(change) == 2 and field in ("status", "day", "time", "campaign"):
            parts.append(f"{field} {change[0] or '-'} -> {change[1] or '-'}")
        else:
            parts.append(field)
    return "changed " + ", ".join(parts)


@posts.command("list")
@db_option
@click.option("--from", "start", type=DATE, help="First day (inclusive).")
@click.option("--to", "end", type=DATE, help="Last day (inclusive).")
@click.option("--tag", "tags", multiple=True, help="Only posts with this tag (repeat: all of them).")
@click.option("--status", "statuses", type=STATUS, multiple=True, help="Only this status (repeat: any of them).")
@click.option("--channel", "channels", type=CHANNEL, multiple=True, help="Only this channel (repeat: any).")
@click.option("--campaign", help="Only this campaign.")
@click.option("--search", "text", default="", help="Text in the title, copy, hashtags or tags.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(start, end, tags, statuses, channels, campaign, text, as_json) -> None:
    """List posts in date order."""
    if start and end and end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="'--to'")
    filters = Filters(text=text, tags=tags, statuses=tuple(Status(s) for s in statuses),
                      channels=tuple(Channel(c.lower()) for c in channels), campaign=campaign)
    found = list_posts(_db(), start, end, filters)
    if as_json:
        emit_json(post_to_json(p) for p in found)
        return
    if not found:
        click.echo("no posts", err=True)
    emit_table(
        [[str(p.id), p.day.isoformat(), p.time.strftime("%H:%M") if p.time else "", p.status,
          ",".join(p.channels), ",".join(p.tags), p.title] for p in found],
        ["ID", "DATE", "TIME", "STATUS", "CHANNELS", "TAGS", "TITLE"],
    )

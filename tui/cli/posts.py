"""`carecal posts ...`: plan, list, edit and remove posts from a script or a shell."""

from __future__ import annotations

from dataclasses import replace

import click

from calendar_data.comments import comment_to_json, history_with_comments, list_comments
from calendar_data.json_rows import post_row
from calendar_data.models import Channel, ContentType, Filters, Post, Status
from calendar_data.posts import (
    add_post,
    delete_post,
    get_post,
    list_posts,
    update_post,
)
from calendar_data.storage.connection import transaction
from calendar_data.tags import tag_name
from tui.cli.context import open_context_db
from tui.cli.params import (
    CHANNEL,
    CONTENT_TYPE,
    DATE,
    STATUS,
    TIME,
    acting_name,
    context_now,
    context_today,
    db_option,
    emit_json,
    emit_table,
    warn,
)
from tui.cli.publish import PUBLISH_COMMANDS
from tui.history_words import COMMENT_ACTIONS, COMPLIANCE_ACTIONS, describe

POST_ID = click.IntRange(1, 2**63 - 1)  # SQLite's INTEGER range: a bigger id is refused by name


class CopyParam(click.ParamType):
    """`CHANNEL=TEXT`: the post's own copy for one channel (an empty TEXT removes it)."""

    name = "channel=text"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        name, sep, text = str(value).partition("=")
        if not sep:
            self.fail(f"{value!r}: write CHANNEL=TEXT, e.g. x='Short version #Tag'", param, ctx)
        try:
            return Channel(name.strip().lower()), text
        except ValueError:
            self.fail(f"{name.strip()!r} is not a channel ({', '.join(c.value for c in Channel)})", param, ctx)


def _with_copies(channels: tuple[Channel, ...], current: tuple[tuple[Channel, str], ...],
                 copies: tuple[tuple[Channel, str], ...]) -> tuple[tuple[Channel, str], ...]:
    """`current` per-channel copy updated by `--copy` values; each must name one of the post's channels."""
    merged = dict(current)
    for channel, text in copies:
        if text.strip():
            merged[channel] = text
        else:
            merged.pop(channel, None)
    for channel in merged:
        if channel not in channels:
            raise click.BadParameter(f"{channel}: the post does not go out on {channel}; add --channel {channel}"
                                     f"{f', or drop its copy with --copy {channel}=' if current else ''}",
                                     param_hint="'--copy'")
    return tuple(merged.items())


def _db(*, write: bool = False):
    """This invocation's calendar; only a write command may create a missing file."""
    return open_context_db(create=write)


@click.group()
def posts() -> None:
    """Plan, list, edit and remove posts."""


def _post_options(func):
    """The fields shared by `add` and `edit`."""
    options = [
        click.option("--time", "time_", type=TIME, help="Time of day, HH:MM (the team's time zone)."),
        click.option("--later", is_flag=True,
                     help="When --time happens twice (the clocks go back), the later of the two."),
        click.option("--minutes", type=click.IntRange(1, 31 * 1440), default=None,
                     help="How long its calendar slot lasts (exports: DTEND); default a 15-minute block."),
        click.option("--body", help="The copy; hashtags in it are picked up."),
        click.option("--copy", "copies", type=CopyParam(), multiple=True,
                     help="CHANNEL=TEXT: this channel's own copy instead of the body (repeat; empty TEXT removes)."),
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
        click.option("--as", "who", help="Your name, as approvers and the change log know it (default: "
                                        "config.toml `user`, then your login)."),
        click.option("--reason", help="Why the post is marked published before its date and time (kept in "
                                      "its history)."),
        click.option("--json", "as_json", is_flag=True, help="Print the post as JSON."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _fold(at, later: bool):
    """The time with `fold` set for --later (None stays None)."""
    if at is None:
        if later:
            raise click.UsageError("--later needs a --time")
        return None
    return at.replace(fold=1 if later else 0)


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
@_post_options
def add(title, day, time_, later, minutes, body, copies, channels, tags, hashtags, status, campaign, content_type,
        observance_id,
        owner, sources, assets, features_patient, private_notes, who, reason, as_json) -> None:
    """Plan a post; prints its id (or, with --json, the post)."""
    channels = tuple(Channel(c.lower()) for c in channels)
    variants = _with_copies(channels, (), copies)
    db = _db(write=True)
    _check_observance(db, observance_id)
    post = Post(
        title=title, day=day, time=_fold(time_, later), body=body or "", status=Status(status or "idea"),
        content_type=ContentType(content_type) if content_type else None,
        channels=channels, variants=variants, tags=tags, hashtags=hashtags, campaign=campaign,
        observance_id=observance_id, owner=owner or "", sources=sources,
        assets=assets, features_patient=bool(features_patient), private_notes=private_notes or "",
        duration_minutes=minutes,
    )
    ctx = click.get_current_context()
    saved = add_post(db, post, who=acting_name(ctx, who), today=context_today(ctx), now=context_now(ctx),
                     reason=reason)
    _say_which_instant(db, saved)
    _print_post(saved, as_json)


@posts.command("edit")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--title", help="New title.")
@click.option("--date", "day", type=DATE, help="New date.")
@click.option("--no-time", is_flag=True, help="Make it an all-day post.")
@click.option("--untag", "untags", multiple=True, help="Remove a tag (repeat for more).")
@click.option("--clear-channels", is_flag=True, help="Remove every channel before adding --channel ones.")
@_post_options
def edit(post_id, title, day, no_time, untags, clear_channels, time_, later, minutes, body, copies, channels, tags,
         hashtags, status,
         campaign, content_type, observance_id, owner, sources, assets, features_patient, private_notes, who,
         reason, as_json) -> None:
    """Change some fields of a post; others stay as they were."""
    db = _db(write=True)
    _check_observance(db, observance_id)
    with transaction(db):  # read and save in one transaction: a concurrent edit is never overwritten
        post = get_post(db, post_id)
        changes: dict = {}
        for key, value in (("title", title), ("day", day), ("body", body), ("campaign", campaign),
                           ("observance_id", observance_id), ("owner", owner), ("private_notes", private_notes)):
            if value is not None:
                changes[key] = value
        if time_ is not None or no_time or later:
            changes["time"] = None if no_time else _fold(time_ or post.time, later)
        if minutes is not None:
            changes["duration_minutes"] = minutes
        if status:
            changes["status"] = Status(status)
        if content_type:
            changes["content_type"] = ContentType(content_type)
        if channels or clear_channels:
            base = () if clear_channels else post.channels
            changes["channels"] = tuple(dict.fromkeys((*base, *(Channel(c.lower()) for c in channels))))
        if copies or "channels" in changes:
            changes["variants"] = _with_copies(changes.get("channels", post.channels), post.variants, copies)
        if tags or untags:
            drop = {tag_name(t).casefold() for t in untags}
            changes["tags"] = tuple(t for t in (*post.tags, *tags) if tag_name(t).casefold() not in drop)
        if hashtags:
            changes["hashtags"] = (*post.hashtags, *hashtags)
        if sources:
            changes["sources"] = (*post.sources, *sources)
        if assets:
            changes["assets"] = (*post.assets, *assets)
        if features_patient is not None:
            changes["features_patient"] = features_patient
        ctx = click.get_current_context()
        saved = update_post(db, replace(post, **changes), who=acting_name(ctx, who), today=context_today(ctx),
                            now=context_now(ctx), reason=reason)
    _say_which_instant(db, saved)
    _print_post(saved, as_json)


@posts.command("rm")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--as", "who", help="Name recorded in the change log.")
def remove(post_id: int, who: str | None) -> None:
    """Delete a post (its history stays, with its private notes and consent reference erased)."""
    post = delete_post(_db(write=True), post_id, who=acting_name(click.get_current_context(), who))
    click.echo(f"deleted post {post.id}: {post.title} ({post.day})")


@posts.command("show")
@db_option
@click.argument("post_id", type=POST_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(post_id: int, as_json: bool) -> None:
    """Everything about one post, with its history."""
    db = _db()
    post = get_post(db, post_id)
    thread = list_comments(db, post_id)
    if as_json:
        emit_json([post_row(post, include_private=True) | {"comments": [comment_to_json(c) for c in thread]}])
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
            click.echo(f"                  #{comment.id} {comment.at:%Y-%m-%d %H:%M} {comment.who}: {comment.text}")
    click.echo("         history:")
    for entry in reversed(history_with_comments(db, post_id, limit=200)):
        click.echo(f"                  {entry.at:%Y-%m-%d %H:%M} {entry.who}: {describe_change(entry)}")


def describe_change(entry) -> str:
    """One change-log line in words: 'status draft -> review, title'."""
    if entry.action in ("create", "delete"):
        return "created" if entry.action == "create" else "deleted"
    if entry.action in COMPLIANCE_ACTIONS | COMMENT_ACTIONS:  # "recorded consent PX-7", "comment: ..."
        return describe(entry)
    if entry.action == "published":  # issue 19: a recorded link
        return f"published on {entry.changes.get('channel')}: {entry.changes.get('url')}"
    parts = []
    for field, change in entry.changes.items():
        if isinstance(change, list) and len(change) == 2 and field in ("status", "day", "time", "campaign"):
            parts.append(f"{field} {change[0] or '-'} -> {change[1] or '-'}")
        else:
            parts.append("per-channel copy" if field == "variants" else field)
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
        emit_json(post_row(p) for p in found)
        return
    if not found:
        click.echo("no posts", err=True)
    emit_table(
        [[str(p.id), p.day.isoformat(), p.time.strftime("%H:%M") if p.time else "", p.status,
          ",".join(p.channels), ",".join(p.tags), p.title] for p in found],
        ["ID", "DATE", "TIME", "STATUS", "CHANNELS", "TAGS", "TITLE"],
    )


for _command in PUBLISH_COMMANDS:
    posts.add_command(_command)

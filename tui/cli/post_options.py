"""The options `posts add` and `posts edit` share, and how they become a post's fields.

`add` builds a new `Post` from them (`new_post`); `edit` changes only what was given, adds to the
repeatable lists and keeps the rest (`edited_fields`). Both then save through `calendar_data.posts`.
"""

from __future__ import annotations

import click

from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.tags import tag_name
from tui.cli.params import CHANNEL, CONTENT_TYPE, STATUS, TIME

REPLACED = ("title", "day", "body", "campaign", "observance_id", "owner", "private_notes")
"""What `posts edit` sets when given (the rest of the post stays)."""
APPENDED = ("hashtags", "sources", "assets")
"""The repeatable options `posts edit` adds to the post's own list."""


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
            self.fail(
                f"{name.strip()!r} is not a channel ({', '.join(c.value for c in Channel)})",
                param,
                ctx,
            )


def with_copies(
    channels: tuple[Channel, ...],
    current: tuple[tuple[Channel, str], ...],
    copies: tuple[tuple[Channel, str], ...],
) -> tuple[tuple[Channel, str], ...]:
    """`current` per-channel copy updated by `--copy` values; each must name one of the post's channels."""
    merged = dict(current)
    for channel, text in copies:
        if text.strip():
            merged[channel] = text
        else:
            merged.pop(channel, None)
    for channel in merged:
        if channel not in channels:
            raise click.BadParameter(
                f"{channel}: the post does not go out on {channel}; add --channel {channel}"
                f"{f', or drop its copy with --copy {channel}=' if current else ''}",
                param_hint="'--copy'",
            )
    return tuple(merged.items())


POST_OPTIONS = (
    click.option("--time", "time_", type=TIME, help="Time of day, HH:MM (the team's time zone)."),
    click.option(
        "--later",
        is_flag=True,
        help="When --time happens twice (the clocks go back), the later of the two.",
    ),
    click.option(
        "--minutes",
        type=click.IntRange(1, 31 * 1440),
        default=None,
        help="How long its calendar slot lasts (exports: DTEND); default a 15-minute block.",
    ),
    click.option("--body", help="The copy; hashtags in it are picked up."),
    click.option(
        "--copy",
        "copies",
        type=CopyParam(),
        multiple=True,
        help="CHANNEL=TEXT: this channel's own copy instead of the body (repeat; empty TEXT removes).",
    ),
    click.option(
        "--channel",
        "channels",
        type=CHANNEL,
        multiple=True,
        help="A channel (repeat for more).",
    ),
    click.option("--tag", "tags", multiple=True, help="A tag (repeat for more)."),
    click.option(
        "--hashtag", "hashtags", multiple=True, help="An extra hashtag (repeat for more)."
    ),
    click.option("--status", type=STATUS, help="Workflow status (new posts start as idea)."),
    click.option("--campaign", help="Campaign name (must exist: carecal campaigns add)."),
    click.option("--type", "content_type", type=CONTENT_TYPE, help="Content type."),
    click.option("--observance", "observance_id", help="Id of the linked observance."),
    click.option("--owner", help="Who writes it."),
    click.option("--source", "sources", multiple=True, help="Evidence URL (repeat for more)."),
    click.option(
        "--asset", "assets", multiple=True, help="Link to an image or video (repeat for more)."
    ),
    click.option(
        "--features-patient/--no-patient",
        "features_patient",
        default=None,
        help="The post features a patient (needs consent before approval).",
    ),
    click.option("--notes", "private_notes", help="Private notes (never exported)."),
    click.option(
        "--as",
        "who",
        help="Your name, as approvers and the change log know it (default: "
        "config.toml `user`, then your login).",
    ),
    click.option(
        "--reason",
        help="Why the post is marked published before its date and time (kept in its history).",
    ),
    click.option("--json", "as_json", is_flag=True, help="Print the post as JSON."),
)
"""The options `posts add` and `posts edit` share, in the order --help lists them."""


def post_options(func):
    """Add POST_OPTIONS to a command."""
    for option in reversed(POST_OPTIONS):
        func = option(func)
    return func


def fold(at, later: bool):
    """The time with `fold` set for --later (None stays None)."""
    if at is None:
        if later:
            raise click.UsageError("--later needs a --time")
        return None
    return at.replace(fold=1 if later else 0)


def new_post(title: str, day, options: dict) -> Post:
    """The post `posts add` plans from its options (new posts start as idea)."""
    channels = tuple(Channel(c.lower()) for c in options["channels"])
    return Post(
        title=title,
        day=day,
        time=fold(options["time_"], options["later"]),
        body=options["body"] or "",
        status=Status(options["status"] or "idea"),
        content_type=ContentType(options["content_type"]) if options["content_type"] else None,
        channels=channels,
        variants=with_copies(channels, (), options["copies"]),
        tags=options["tags"],
        hashtags=options["hashtags"],
        campaign=options["campaign"],
        observance_id=options["observance_id"],
        owner=options["owner"] or "",
        sources=options["sources"],
        assets=options["assets"],
        features_patient=bool(options["features_patient"]),
        private_notes=options["private_notes"] or "",
        duration_minutes=options["minutes"],
    )


def edited_fields(post: Post, options: dict) -> dict:
    """The fields `posts edit` changes on `post`: given values replace, repeatable lists add."""
    changes = {key: options[key] for key in REPLACED if options[key] is not None}
    changes |= _timing(post, options)
    if options["status"]:
        changes["status"] = Status(options["status"])
    if options["content_type"]:
        changes["content_type"] = ContentType(options["content_type"])
    changes |= _channels_and_copies(post, options)
    if options["tags"] or options["untags"]:
        drop = {tag_name(t).casefold() for t in options["untags"]}
        tags = (*post.tags, *options["tags"])
        changes["tags"] = tuple(t for t in tags if tag_name(t).casefold() not in drop)
    changes |= {key: (*getattr(post, key), *options[key]) for key in APPENDED if options[key]}
    if options["features_patient"] is not None:
        changes["features_patient"] = options["features_patient"]
    return changes


def _timing(post: Post, options: dict) -> dict:
    """--time/--later/--no-time and --minutes as changed fields."""
    changes: dict = {}
    time_, later = options["time_"], options["later"]
    if time_ is not None or options["no_time"] or later:
        changes["time"] = None if options["no_time"] else fold(time_ or post.time, later)
    if options["minutes"] is not None:
        changes["duration_minutes"] = options["minutes"]
    return changes


def _channels_and_copies(post: Post, options: dict) -> dict:
    """--channel/--clear-channels and --copy as changed fields (a copy must name a channel kept)."""
    changes: dict = {}
    if options["channels"] or options["clear_channels"]:
        base = () if options["clear_channels"] else post.channels
        added = (Channel(c.lower()) for c in options["channels"])
        changes["channels"] = tuple(dict.fromkeys((*base, *added)))
    if options["copies"] or "channels" in changes:
        channels = changes.get("channels", post.channels)
        changes["variants"] = with_copies(channels, post.variants, options["copies"])
    return changes

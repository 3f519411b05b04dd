"""The post editor's form: which widget edits which field of a post, in the order they are shown.

Each field is a labelled row followed by its (hidden) error line; `PostEditor.compose` lays
the groups out. Error lines are built hidden, so opening the editor styles them once.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from calendar_data.checks.workflow import FORWARD, next_statuses
from calendar_data.models import ContentType, Post
from calendar_data.tags import tag_name
from tui.screens.editor_context import EditorContext
from tui.widgets.channel_copy import ChannelCopySummary
from tui.widgets.channel_picker import ChannelPicker
from tui.widgets.completing_input import CompletingInput


def complete_tags(value: str, known: tuple[str, ...]) -> str | None:
    """Complete the last comma-separated tag from `known`."""
    head, sep, last = value.rpartition(",")
    stem = tag_name(last).casefold()
    if not stem:
        return None
    for tag in known:
        if tag.casefold().startswith(stem) and tag.casefold() != stem:
            return f"{head}{sep}{' ' if sep else ''}{tag}"
    return None


def heading(post: Post) -> str:
    if post.id is None:
        return f"New post · {post.day:%a %d %b %Y}"
    return f"Edit post #{post.id} · {post.title}"


def errors(*names: str) -> ComposeResult:
    """The error line under a field, hidden until a save finds something wrong with it."""
    for name in names:
        label = Label("", id=f"{name}-error", classes="field-error")
        label.display = False
        yield label


def field(label: str, widget: Widget) -> ComposeResult:
    with Horizontal(classes="field"):
        yield Label(label, classes="field-label")
        yield widget
    yield from errors(widget.id)


def _input(value: str, name: str, placeholder: str, **kwargs) -> Input:
    return Input(value, placeholder=placeholder, id=name, compact=True, **kwargs)


def copy_fields(post: Post) -> ComposeResult:
    """Title, copy (with its per-channel counts), the channels' own copy and the channels."""
    yield from field("Title", _input(post.title, "title", "What is this post about?"))
    body = TextArea(post.body, id="body", soft_wrap=True, show_line_numbers=False)
    yield from field("Copy", body)
    yield Static(id="char-count")
    yield from field("By channel", ChannelCopySummary(post.variants, id="variants"))
    yield from field("Channels", ChannelPicker(post.channels, id="channels"))


def when_fields(post: Post, context: EditorContext) -> ComposeResult:
    """Date and time on one row, then the tags (tab completes from the calendar's tags)."""
    with Horizontal(classes="field"):
        yield Label("Date", classes="field-label")
        yield _input(post.day.isoformat(), "date", "YYYY-MM-DD", classes="short")
        yield Label("Time", classes="field-label inline")
        when = post.time.strftime("%H:%M") if post.time else ""
        yield _input(when, "time", "HH:MM", classes="short")
    yield from errors("date", "time")
    tags = CompletingInput(
        lambda value: complete_tags(value, context.tags),
        value=", ".join(post.tags),
        placeholder="comma-separated; tab completes",
        id="tags",
        compact=True,
    )
    yield from field("Tags", tags)


def status_fields(post: Post) -> ComposeResult:
    """Status (only the steps the workflow allows from here) and content type on one row."""
    statuses = list(FORWARD) if post.id is None else [post.status, *next_statuses(post.status)]
    with Horizontal(classes="field"):
        yield Label("Status", classes="field-label")
        choices = [(str(s), s) for s in statuses]
        yield Select(
            choices,
            value=post.status,
            allow_blank=False,
            id="status",
            compact=True,
            classes="short",
        )
        yield Label("Type", classes="field-label inline")
        kind = post.content_type or Select.NULL
        types = [(str(t), t) for t in ContentType]
        yield Select(types, value=kind, prompt="(any)", id="content-type", compact=True)
    yield from errors("status")
    patient = Checkbox(
        "features a patient (consent needed)",
        post.features_patient,
        id="features-patient",
        compact=True,
    )
    yield from field("Patient", patient)


def planning_fields(post: Post, context: EditorContext) -> ComposeResult:
    """Campaign, hashtags, observance, sources and private notes."""
    campaigns = list(context.campaigns)
    if post.campaign and post.campaign not in campaigns:
        campaigns.append(post.campaign)
    campaign = Select(
        [(c, c) for c in campaigns],
        value=post.campaign or Select.NULL,
        prompt="(none)",
        id="campaign",
        compact=True,
    )
    yield from field("Campaign", campaign)
    yield from field("Hashtags", _input(" ".join(post.hashtags), "hashtags", "#Explicit #Hashtags"))
    observance = Select(
        context.observances,
        value=post.observance_id or Select.NULL,
        prompt="(none)",
        id="observance",
        compact=True,
    )
    yield from field("Observance", observance)
    sources = _input(" ".join(post.sources), "sources", "https://evidence… (space-separated)")
    yield from field("Sources", sources)
    yield from field("Notes", TextArea(post.private_notes, id="notes", soft_wrap=True))

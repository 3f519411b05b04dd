"""The post editor: a modal that returns the edited post (the caller saves it).

Every field is checked before the dialog closes, and the reason shows under the
field; nothing leaves this screen invalid. `#editor-side` is a right-hand column
for panels that follow the draft (the compliance panel): any child with a
`refresh_draft(post)` method is called whenever the form changes.
"""

from __future__ import annotations

from dataclasses import replace

import click
from rich.text import Text
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static, TextArea

from calendar_data.checks.findings import features_patient
from calendar_data.checks.workflow import FORWARD, next_statuses
from calendar_data.errors import PostError
from calendar_data.form_values import channel_counts, parse_day, parse_time, split_list
from calendar_data.models import Channel, ContentType, Post, Status
from calendar_data.posts import PostChangedElsewhere
from calendar_data.tags import split_tags, tag_name
from tui.screens.channel_copy import ChannelCopyScreen
from tui.screens.dialogs import ConfirmScreen, SavesBeforeClosing
from tui.screens.editor_conflict import ResolvesConflicts
from tui.screens.editor_context import EditorContext, editor_context
from tui.screens.editor_keys import COMPLIANCE_KEYS, ComplianceKeys
from tui.screens.field_focus import FieldFocus
from tui.widgets.channel_copy import ChannelCopySummary
from tui.widgets.channel_picker import ChannelPicker
from tui.widgets.completing_input import CompletingInput
from tui.widgets.compliance_panel import CompliancePanel
from tui.widgets.marks import CHANNEL_SHORT
from tui.widgets.published_panel import PublishedPanel

__all__ = ["EditorContext", "PostEditor", "complete_tags", "editor_context"]

_FIELD_FOR_ERROR = {
    "title": "title",
    "date": "date",
    "time": "time",
    "tag": "tags",
    "campaign": "campaign",
    "source": "sources",
    "status": "status",
    "hashtags": "hashtags",
}


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


class PostEditor(
    ComplianceKeys, FieldFocus, ResolvesConflicts, SavesBeforeClosing, ModalScreen[Post | None]
):
    """Title, copy with live counts per channel, channels, date, status, tags, links and notes."""

    HELP_TITLE = "Post editor"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="editor.save"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
        Binding(
            "ctrl+e", "external_editor", "Copy in $EDITOR", priority=True, id="editor.external"
        ),
        Binding("ctrl+t", "channel_copy", "Per-channel copy", id="editor.channel_copy"),
        Binding("ctrl+r", "comments", "Comments", id="editor.comments"),
        *COMPLIANCE_KEYS,
        *FieldFocus.FIELD_BINDINGS,
    ]

    def __init__(self, post: Post, context: EditorContext) -> None:
        super().__init__(classes="dialog")
        self.post = post
        self.context = context
        self._initial: tuple = ()
        self.pending_consent = None
        """A consent recorded for a post not saved yet (F2): saved with it, in one transaction."""

    def compose(self) -> ComposeResult:
        post = self.post
        statuses = list(FORWARD) if post.id is None else [post.status, *next_statuses(post.status)]
        campaigns = list(self.context.campaigns)
        if post.campaign and post.campaign not in campaigns:
            campaigns.append(post.campaign)
        with Vertical(id="editor-box"):
            yield Label(self._heading(), id="editor-title")
            with Horizontal(id="editor-main"):
                with VerticalScroll(id="editor-form"):
                    yield from self._field(
                        "Title",
                        Input(
                            post.title,
                            placeholder="What is this post about?",
                            id="title",
                            compact=True,
                        ),
                    )
                    yield from self._field(
                        "Copy",
                        TextArea(post.body, id="body", soft_wrap=True, show_line_numbers=False),
                    )
                    yield Static(id="char-count")
                    yield from self._field(
                        "By channel", ChannelCopySummary(post.variants, id="variants")
                    )
                    yield from self._field("Channels", ChannelPicker(post.channels, id="channels"))
                    with Horizontal(classes="field"):
                        yield Label("Date", classes="field-label")
                        yield Input(
                            post.day.isoformat(),
                            placeholder="YYYY-MM-DD",
                            id="date",
                            compact=True,
                            classes="short",
                        )
                        yield Label("Time", classes="field-label inline")
                        yield Input(
                            post.time.strftime("%H:%M") if post.time else "",
                            placeholder="HH:MM",
                            id="time",
                            compact=True,
                            classes="short",
                        )
                    yield from self._errors("date", "time")
                    yield from self._field(
                        "Tags",
                        CompletingInput(
                            lambda value: complete_tags(value, self.context.tags),
                            value=", ".join(post.tags),
                            placeholder="comma-separated; tab completes",
                            id="tags",
                            compact=True,
                        ),
                    )
                    with Horizontal(classes="field"):
                        yield Label("Status", classes="field-label")
                        yield Select(
                            [(str(s), s) for s in statuses],
                            value=post.status,
                            allow_blank=False,
                            id="status",
                            compact=True,
                            classes="short",
                        )
                        yield Label("Type", classes="field-label inline")
                        yield Select(
                            [(str(t), t) for t in ContentType],
                            value=post.content_type or Select.NULL,
                            prompt="(any)",
                            id="content-type",
                            compact=True,
                        )
                    yield from self._errors("status")
                    yield from self._field(
                        "Patient",
                        Checkbox(
                            "features a patient (consent needed)",
                            post.features_patient,
                            id="features-patient",
                            compact=True,
                        ),
                    )
                    yield from self._field(
                        "Campaign",
                        Select(
                            [(c, c) for c in campaigns],
                            value=post.campaign or Select.NULL,
                            prompt="(none)",
                            id="campaign",
                            compact=True,
                        ),
                    )
                    yield from self._field(
                        "Hashtags",
                        Input(
                            " ".join(post.hashtags),
                            id="hashtags",
                            compact=True,
                            placeholder="#Explicit #Hashtags",
                        ),
                    )
                    yield from self._field(
                        "Observance",
                        Select(
                            self.context.observances,
                            value=post.observance_id or Select.NULL,
                            prompt="(none)",
                            id="observance",
                            compact=True,
                        ),
                    )
                    yield from self._field(
                        "Sources",
                        Input(
                            " ".join(post.sources),
                            id="sources",
                            compact=True,
                            placeholder="https://evidence… (space-separated)",
                        ),
                    )
                    yield from self._field(
                        "Notes", TextArea(post.private_notes, id="notes", soft_wrap=True)
                    )
                with Vertical(id="editor-side"):
                    if self.context.compliance is not None:
                        yield CompliancePanel(checker=self.context.compliance)
                    if self.post.id is not None and self.context.links is not None:
                        yield PublishedPanel(self.post, loader=self.context.links)
        yield Footer()

    def _heading(self) -> str:
        if self.post.id is None:
            return f"New post · {self.post.day:%a %d %b %Y}"
        return f"Edit post #{self.post.id} · {self.post.title}"

    def _field(self, label: str, widget: Widget) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label")
            yield widget
        yield from self._errors(widget.id)

    def _errors(self, *names: str) -> ComposeResult:
        for name in names:
            yield Label("", id=f"{name}-error", classes="field-error")

    def on_mount(self) -> None:
        for error in self.query(".field-error"):
            error.display = False
        self._initial = self._state()
        self._update_counts()
        self.query_one("#title", Input).focus()

    # --- the draft ----------------------------------------------------------------------------

    def _value(self, selector: str) -> str:
        widget = self.query_one(selector)
        return widget.text if isinstance(widget, TextArea) else widget.value

    def _state(self) -> tuple:
        names = ("#title", "#body", "#date", "#time", "#tags", "#hashtags", "#sources", "#notes")
        selects = tuple(
            self.query_one(s, Select).value
            for s in ("#status", "#content-type", "#campaign", "#observance")
        )
        return (
            tuple(self._value(n) for n in names)
            + selects
            + (self.query_one(ChannelPicker).selected,)
            + (
                self.query_one("#features-patient", Checkbox).value,
                self.query_one(ChannelCopySummary).variants,
            )
        )

    @property
    def dirty(self) -> bool:
        """Whether anything was typed or changed since the editor opened."""
        return self._state() != self._initial

    def draft(self) -> tuple[Post, dict[str, str]]:
        """The post as the form stands, with the problems found per field."""
        errors: dict[str, str] = {}
        if not self._value("#title").strip():
            errors["title"] = "a post needs a title"
        day, when = self.post.day, None
        try:
            day = parse_day(self._value("#date"))
        except ValueError as exc:
            errors["date"] = str(exc)
        try:
            when = parse_time(self._value("#time"))
        except ValueError as exc:
            errors["time"] = str(exc)
        hashtags = split_list(self._value("#hashtags"))
        bad = [h for h in hashtags if not h.lstrip("#").replace("_", "").isalnum()]
        if bad:
            errors["hashtags"] = f"{bad[0]!r} is not a hashtag (letters, digits and _ only)"
        selects = {
            s: self.query_one(f"#{s}", Select).value
            for s in ("status", "content-type", "campaign", "observance")
        }
        post = replace(
            self.post,
            title=self._value("#title").strip(),
            body=self._value("#body"),
            day=day,
            time=when,
            channels=self.query_one(ChannelPicker).selected,
            status=Status(selects["status"]),
            content_type=None
            if selects["content-type"] is Select.NULL
            else ContentType(selects["content-type"]),
            campaign=None if selects["campaign"] is Select.NULL else selects["campaign"],
            observance_id=None if selects["observance"] is Select.NULL else selects["observance"],
            tags=split_tags(self._value("#tags")),
            hashtags=hashtags,
            sources=split_list(self._value("#sources")),
            private_notes=self._value("#notes"),
            features_patient=self.query_one("#features-patient", Checkbox).value,
            consent=self.pending_consent if self.post.id is None else self.post.consent,
            variants=self.query_one(ChannelCopySummary).variants,
        )
        self.changed_elsewhere = False
        if not errors:
            try:
                self.context.check(post)
            except PostChangedElsewhere:
                self.changed_elsewhere = True
            except PostError as exc:
                field = (
                    "variants"
                    if exc.field.startswith("body[")
                    else _FIELD_FOR_ERROR.get(exc.field, "title")
                )
                errors[field] = str(exc).partition(": ")[2] or str(exc)
        return post, errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        for label in self.query(".field-error"):
            name = label.id.removesuffix("-error")
            label.update(f"↳ {errors[name]}" if name in errors else "")
            label.display = name in errors

    def _update_counts(self) -> None:
        body = self._value("#body")
        channels = self.query_one(ChannelPicker).selected
        variants = self.query_one(ChannelCopySummary).variants
        counts = channel_counts(body, split_list(self._value("#hashtags")), channels, variants)
        own = {c for c, _ in variants}
        text = Text()
        if not counts:
            used = len(body.strip())
            text.append(f"{used} characters · choose channels to check their limits", style="dim")
        for index, count in enumerate(counts):
            if index:
                text.append(" · ", style="dim")
            mark = "✎" if count.channel in own else ""  # measured on the channel's own copy
            label = f"{CHANNEL_SHORT[count.channel]}{mark} {count.used}/{count.limit}"
            if count.over:
                text.append(f"{label} ✗ {count.used - count.limit} over", style="bold red")
            else:
                text.append(label, style="green" if count.used else "dim")
        self.query_one("#char-count", Static).update(text)
        self._refresh_side()

    def _refresh_side(self) -> None:
        side = self.query_one("#editor-side")
        panels = [w for w in side.children if hasattr(w, "refresh_draft")]
        if panels:
            post, _ = self.draft()
            for panel in panels:
                panel.refresh_draft(post)

    def on_text_area_changed(self) -> None:
        self._update_counts()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "hashtags":
            self._update_counts()
        elif event.input.id in ("title", "sources"):
            self._refresh_side()
        error = self.query(f"#{event.input.id}-error")
        if error and error.first().display:
            error.first().display = False

    def on_channel_picker_changed(self) -> None:
        self._update_counts()

    def on_select_changed(self, event: Select.Changed) -> None:
        if not self.is_mounted:
            return
        if event.select.id == "content-type" and event.value is not Select.NULL:
            box = self.query_one("#features-patient", Checkbox)
            draft = Post(title="", day=self.post.day, content_type=ContentType(event.value))
            if features_patient(draft) and not box.value:
                box.value = True  # the one rule import and the checks use: a patient story features a patient
        self._refresh_side()

    def on_checkbox_changed(self) -> None:
        self._refresh_side()

    # --- per-channel copy and comments -------------------------------------------------------

    def action_channel_copy(self) -> None:
        """Open the per-channel copy dialog: a tab per ticked channel, and per unticked one that has copy."""
        summary = self.query_one(ChannelCopySummary)
        ticked = self.query_one(ChannelPicker).selected
        unticked = tuple(
            c for c, _ in summary.variants if c not in ticked
        )  # shown so it can be cleared
        if not ticked and not unticked:
            self.notify(
                "Tick the post's channels first; then each can get its own copy.",
                severity="warning",
            )
            return

        def keep(variants: tuple | None) -> None:
            if variants is not None:
                summary.variants = variants
                self.query_one("#variants-error").display = False
                self._update_counts()

        channels = tuple(c for c in Channel if c in ticked or c in unticked)
        self.app.push_screen(
            ChannelCopyScreen(
                channels,
                summary.variants,
                body=self._value("#body"),
                hashtags=split_list(self._value("#hashtags")),
                title=self._value("#title"),
                unticked=unticked,
            ),
            keep,
        )

    def on_channel_copy_summary_edit_requested(
        self, event: ChannelCopySummary.EditRequested
    ) -> None:
        event.stop()
        self.action_channel_copy()

    def action_comments(self) -> None:
        """Open the post's review thread (saved posts only)."""
        if self.context.comments is None:
            return
        self.context.comments(self, self.post)

    # --- closing ------------------------------------------------------------------------------

    def action_external_editor(self) -> None:
        """Edit the copy in $EDITOR (the app steps aside while it runs)."""
        body = self.query_one("#body", TextArea)
        try:
            with self.app.suspend():
                edited = click.edit(body.text, extension=".txt", require_save=True)
        except (SuspendNotSupported, click.ClickException) as exc:
            self.notify(
                str(exc) or "this terminal cannot hand over to an editor",
                title="$EDITOR",
                severity="warning",
            )
            return
        if edited is not None:
            body.text = edited.rstrip("\n")
        body.focus()

    def action_save(self) -> None:
        post, errors = self.draft()
        if self.changed_elsewhere:
            self._resolve_conflict(post)
            return
        self._show_errors(errors)
        if errors:
            first = next(
                label.id.removesuffix("-error")
                for label in self.query(".field-error")
                if label.id.removesuffix("-error") in errors
            )
            self.query_one(f"#{first}").focus()
            self.notify(f"{first}: {errors[first]}", title="Not saved yet", severity="warning")
            return
        self.submit(post)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard your changes to this post?", yes="Discard", no="Keep editing", danger=True
            ),
            answered,
        )

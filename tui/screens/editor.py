"""The post editor: a modal that returns the edited post (the caller saves it).

Every field is checked before the dialog closes, and the reason shows under the
field; nothing leaves this screen invalid. `#editor-side` is a right-hand column
for panels that follow the draft (the compliance panel): any child with a
`refresh_draft(post)` method is called whenever the form changes.

The form's widgets are in `editor_form`, reading them back in `editor_draft`, what the
editor is handed in `editor_context`.
"""

from __future__ import annotations

import gc

import click
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Label, Select, TextArea

from calendar_data.checks.findings import features_patient
from calendar_data.form_values import split_list
from calendar_data.models import Channel, ContentType, Post
from tui.screens.channel_copy import ChannelCopyScreen
from tui.screens.dialogs import ConfirmScreen, SavesBeforeClosing
from tui.screens.editor_conflict import ResolvesConflicts
from tui.screens.editor_context import EditorContext, editor_context
from tui.screens.editor_draft import DraftForm
from tui.screens.editor_form import (
    complete_tags,
    copy_fields,
    heading,
    planning_fields,
    status_fields,
    when_fields,
)
from tui.screens.editor_keys import COMPLIANCE_KEYS, ComplianceKeys
from tui.screens.field_focus import FieldFocus
from tui.screens.sized import breakpoint_classes
from tui.widgets.channel_copy import ChannelCopySummary
from tui.widgets.channel_picker import ChannelPicker
from tui.widgets.compliance_panel import CompliancePanel
from tui.widgets.published_panel import PublishedPanel

__all__ = ["EditorContext", "PostEditor", "complete_tags", "editor_context"]

COLLECT_AFTER_CLOSE_S = 0.1
"""When the closed editor's widgets are collected (see `on_unmount`)."""


class PostEditor(
    DraftForm,
    ComplianceKeys,
    FieldFocus,
    ResolvesConflicts,
    SavesBeforeClosing,
    ModalScreen[Post | None],
):
    """Title, copy with live counts per channel, channels, date, status, tags, links and notes."""

    HELP_TITLE = "Post editor"
    AUTO_FOCUS = "#title"
    """Focused as the screen is shown (a second focus change in `on_mount` would restyle the form)."""
    BINDINGS = [
        # Not a priority binding: it reaches the editor after the keys typed before it, in order
        # (as a priority binding it ran first, and a fast "type, ctrl+s" saved without the typing).
        Binding("ctrl+s", "save", "Save", id="editor.save"),
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
        # built with the breakpoint classes it is about to get: the form is styled once, not twice
        super().__init__(classes=" ".join(("dialog", *breakpoint_classes())))
        self.post = post
        self.context = context
        self._initial: tuple = ()
        self.pending_consent = None
        """A consent recorded for a post not saved yet (F2): saved with it, in one transaction."""

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-box"):
            yield Label(heading(self.post), id="editor-title")
            with Horizontal(id="editor-main"):
                with VerticalScroll(id="editor-form"):
                    yield from copy_fields(self.post)
                    yield from when_fields(self.post, self.context)
                    yield from status_fields(self.post)
                    yield from planning_fields(self.post, self.context)
                with Vertical(id="editor-side"):
                    if self.context.compliance is not None:
                        yield CompliancePanel(checker=self.context.compliance)
                    if self.post.id is not None and self.context.links is not None:
                        yield PublishedPanel(self.post, loader=self.context.links)
        yield Footer()

    def on_mount(self) -> None:
        self._initial = self._state()
        self._update_counts()

    def on_unmount(self) -> None:
        # A closed editor leaves ~20,000 objects in reference cycles (widgets and their styles)
        # that only the collector frees. Left to it (the CLI raises its thresholds), ten opens
        # pile up for one gen-1 pass of ~0.5 s in the middle of a later key; collected just
        # after the dialog closes, each costs a few ms while the user is reading.
        self.app.set_timer(COLLECT_AFTER_CLOSE_S, lambda: gc.collect(1))

    # --- following the form -------------------------------------------------------------------

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
        dialog = ChannelCopyScreen(
            channels,
            summary.variants,
            body=self._value("#body"),
            hashtags=split_list(self._value("#hashtags")),
            title=self._value("#title"),
            unticked=unticked,
        )
        self.app.push_screen(dialog, keep)

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
            reason = str(exc) or "this terminal cannot hand over to an editor"
            self.notify(reason, title="$EDITOR", severity="warning")
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
            names = [label.id.removesuffix("-error") for label in self.query(".field-error")]
            first = next(name for name in names if name in errors)
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

        question = ConfirmScreen(
            "Discard your changes to this post?", yes="Discard", no="Keep editing", danger=True
        )
        self.app.push_screen(question, answered)

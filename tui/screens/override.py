"""The override dialog: a reviewer accepts one PHI finding with a recorded reason."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from calendar_data.checks.findings import Finding
from calendar_data.checks.overrides import MAX_REASON
from tui.screens.dialogs import SavesBeforeClosing


class OverrideScreen(SavesBeforeClosing, ModalScreen[str | None]):
    """Ask why a finding is safe to publish; dismisses with the reason, or None."""

    DEFAULT_CSS = """
    OverrideScreen { align: center middle; }
    OverrideScreen > #override-dialog { width: 72; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2; }
    OverrideScreen #override-what { margin: 1 0; }
    OverrideScreen #override-error { color: $error; height: auto; }
    OverrideScreen #override-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    OverrideScreen #override-buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Record override", id="override.record_override"),
        Binding("escape", "cancel", "Cancel", id="override.cancel"),
    ]

    def __init__(self, finding: Finding, *, reviewer: str = "") -> None:
        super().__init__()
        self.finding = finding
        self.reviewer = reviewer

    def compose(self) -> ComposeResult:
        finding = self.finding
        with Vertical(id="override-dialog"):
            yield Label("[b]Override a PHI finding[/b]")
            what = Text.assemble(
                f"{finding.kind.replace('-', ' ')} ",
                (finding.text, "bold"),
                f" in {finding.field}\n",
                (finding.message, "dim"),
            )
            yield Static(what, id="override-what")
            yield Static(
                "The override is recorded with your name"
                + (f" ({self.reviewer})" if self.reviewer else "")
                + " and applies only while the text reads exactly as above."
            )
            yield Input(
                placeholder="Why is this safe to publish?",
                id="override-reason",
                max_length=MAX_REASON,
            )
            yield Static("", id="override-error")
            with Horizontal(id="override-buttons"):
                yield Button("Record override", variant="warning", id="override-save")
                yield Button("Cancel", id="override-cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#override-reason", Input).focus()

    def action_save(self) -> None:
        reason = " ".join(self.query_one("#override-reason", Input).value.split())
        if not reason:
            self.query_one("#override-error", Static).update(
                "Give a reason: it is kept in the post's history."
            )
            return
        self.submit(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "override-save":
            self.action_save()
        else:
            self.action_cancel()

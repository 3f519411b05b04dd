"""The crisis-hold dialog: from, to, reason; crisis updates still go out unless unticked.

It collects and validates; it dismisses with a `HoldRequest` and the app places the
hold (`calendar_data.holds.place_hold`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label

from calendar_data.models import ContentType


@dataclass(frozen=True)
class HoldRequest:
    """A hold to place."""

    start: date
    end: date
    reason: str
    except_types: tuple[ContentType, ...]


class HoldScreen(ModalScreen[HoldRequest | None]):
    """Ask for the window and the reason of a crisis hold."""

    BINDINGS = [
        Binding("ctrl+s", "accept", "Hold posts", id="hold_dialog.accept"),
        Binding("escape", "cancel", "Cancel", id="hold_dialog.cancel"),
    ]

    def __init__(self, today: date) -> None:
        super().__init__(classes="dialog")
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="hold-box"):
            yield Label(
                "Crisis hold: every approved or scheduled post in the window comes off the calendars",
                classes="dialog-question",
            )
            with Horizontal(classes="field"):
                yield Label("From", classes="field-label")
                yield Input(self.today.isoformat(), id="hold-from", compact=True, classes="short")
                yield Label("To", classes="field-label inline")
                yield Input(
                    (self.today + timedelta(days=6)).isoformat(),
                    id="hold-to",
                    compact=True,
                    classes="short",
                )
            yield Input(placeholder="reason (kept in every held post's history)", id="hold-reason")
            yield Checkbox("crisis updates still go out", True, id="hold-except-crisis")
            yield Label("", id="hold-error", classes="field-error")
            yield Label("ctrl+s hold · esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#hold-error").display = False
        self.query_one("#hold-reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_accept()

    def _problem(self, text: str) -> None:
        error = self.query_one("#hold-error", Label)
        error.update(f"↳ {text}")
        error.display = True

    def action_accept(self) -> None:
        try:
            start = date.fromisoformat(self.query_one("#hold-from", Input).value.strip())
            end = date.fromisoformat(self.query_one("#hold-to", Input).value.strip())
        except ValueError:
            self._problem("dates are YYYY-MM-DD")
            return
        reason = " ".join(self.query_one("#hold-reason", Input).value.split())
        if end < start:
            self._problem(f"to: {end} is before from {start}")
            return
        if not reason:
            self._problem("reason: say why posts are held")
            return
        keep = (
            (ContentType.CRISIS_UPDATE,)
            if self.query_one("#hold-except-crisis", Checkbox).value
            else ()
        )
        self.dismiss(HoldRequest(start, end, reason, keep))

    def action_cancel(self) -> None:
        self.dismiss(None)

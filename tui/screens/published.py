"""The "went live" dialog: on which channel, at which address and when a post was published.

It collects and checks the three values with the data layer's own validators
(`check_url`, `parse_when`) and dismisses with a `WentLive`; the caller records
it with `calendar_data.publish.links.record_published`, which also moves the
post to published through the workflow rules and the approval gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from calendar_data.errors import PostError
from calendar_data.models import Channel, Post
from calendar_data.publish.links import CLOCK_SLACK, PublishedLink, check_url, parse_when


@dataclass(frozen=True)
class WentLive:
    """Where and when a post went live, as the dialog checked it (time aware, UTC)."""

    channel: Channel
    url: str
    at: datetime


class PublishedScreen(ModalScreen[WentLive | None]):
    """Channel, URL and time a post went live; ctrl+s (or enter) records, escape cancels."""

    DEFAULT_CSS = """
    PublishedScreen { align: center middle; }
    PublishedScreen > #published-box { width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 2; }
    PublishedScreen #published-hint { color: $text-muted; margin: 1 0; }
    PublishedScreen .published-row { height: auto; }
    PublishedScreen .published-label { width: 10; padding: 1 0 0 0; color: $text-muted; text-style: bold; }
    PublishedScreen .published-row Input { width: 1fr; }
    PublishedScreen .published-row Select { width: 1fr; }
    PublishedScreen .field-error { padding-left: 10; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Record", id="published.record"),
        Binding("escape", "cancel", "Cancel", id="published.cancel"),
    ]

    def __init__(
        self, post: Post, links: tuple[PublishedLink, ...], *, now: datetime, zone: str
    ) -> None:
        super().__init__(classes="dialog")
        self.post, self.links, self.now, self.zone = post, links, now, zone

    def compose(self) -> ComposeResult:
        recorded = {link.channel for link in self.links}
        first = next((c for c in self.post.channels if c not in recorded), self.post.channels[0])
        local = self.now.astimezone(ZoneInfo(self.zone))
        with Vertical(id="published-box"):
            yield Label(
                f"Where did #{self.post.id} “{self.post.title}” go live?", classes="dialog-question"
            )
            with Horizontal(classes="published-row"):
                yield Label("Channel", classes="published-label")
                yield Select(
                    [(str(c), c) for c in self.post.channels],
                    value=first,
                    allow_blank=False,
                    id="published-channel",
                )
            with Horizontal(classes="published-row"):
                yield Label("URL", classes="published-label")
                yield Input(
                    placeholder="https://… the post's address on that network", id="published-url"
                )
            yield Label("", id="url-error", classes="field-error")
            with Horizontal(classes="published-row"):
                yield Label("Went live", classes="published-label")
                yield Input(
                    f"{local:%Y-%m-%d %H:%M}", placeholder="YYYY-MM-DD HH:MM", id="published-at"
                )
            yield Label("", id="at-error", classes="field-error")
            yield Static(
                f"Time in {self.zone} unless it carries an offset. The post moves to published; "
                "a second link for a channel replaces the first.",
                id="published-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Record (ctrl+s)", id="published-save", variant="primary")
                yield Button("Cancel (esc)", id="published-cancel")

    def on_mount(self) -> None:
        for label in self.query(".field-error"):
            label.display = False
        self.query_one("#published-url", Input).focus()

    def _show(self, field: str, message: str) -> None:
        for name in ("url", "at"):
            label = self.query_one(f"#{name}-error", Label)
            label.update(f"↳ {message}" if name == field else "")
            label.display = name == field
        self.query_one("#published-url" if field == "url" else "#published-at", Input).focus()

    def entry(self) -> WentLive:
        """The form's values checked; PostError naming the field ('url' or 'at') otherwise."""
        url = check_url(self.query_one("#published-url", Input).value)
        at = parse_when(self.query_one("#published-at", Input).value, self.zone)
        if at > self.now + CLOCK_SLACK:
            raise PostError(
                "at",
                f"{at.astimezone(ZoneInfo(self.zone)):%Y-%m-%d %H:%M} is in the future; "
                "record a post once it is live",
            )
        return WentLive(Channel(self.query_one("#published-channel", Select).value), url, at)

    def action_save(self) -> None:
        try:
            entry = self.entry()
        except PostError as exc:
            self._show(exc.field, str(exc).partition(": ")[2])
            return
        self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "published-save":
            self.action_save()
        else:
            self.dismiss(None)

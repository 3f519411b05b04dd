"""The quick-add line (A): type a post in one line, see what it will be, enter saves it."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Input, Label

from calendar_data.models import Channel
from calendar_data.quick_add import QuickAddError, parse_quick_add
from tui.screens.dialogs import PromptScreen
from tui.widgets.marks import channel_initials

EXAMPLE = "Wear Red Day 2027-02-05 09:30 #heart @instagram @x"


class QuickAddScreen(PromptScreen):
    """A PromptScreen whose line is parsed as it is typed; a token it cannot read is named."""

    def __init__(
        self, day: date, *, channels: tuple[Channel, ...], campaigns: tuple[str, ...]
    ) -> None:
        self.day, self.channels, self.campaigns = day, channels, campaigns
        super().__init__(
            "Quick add: title, then any of YYYY-MM-DD  HH:MM  #tag  @channel  !status  +Campaign",
            placeholder=EXAMPLE,
            check=self._problem,
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(".dialog-box").mount(
            Label(self._preview(""), id="quick-preview"), before=self.query_one("#prompt-error")
        )

    def parse(self, text: str):
        """The line as a QuickAdd (raises QuickAddError)."""
        return parse_quick_add(text, day=self.day, channels=self.channels, campaigns=self.campaigns)

    def _problem(self, text: str) -> str | None:
        try:
            self.parse(text)
        except QuickAddError as exc:
            return str(exc)
        return None

    def _preview(self, text: str) -> Text:
        if not text.strip():
            defaults = f"on {self.day:%a %d %b %Y}"
            if self.channels:
                defaults += f", channels {channel_initials(self.channels)} (the last used)"
            return Text(f"An idea {defaults}", style="dim")
        try:
            result = self.parse(text)
        except QuickAddError as exc:
            return Text(str(exc), style="bold red")
        post = result.post
        when = f"{post.day:%a %d %b %Y}" + (f" {post.time:%H:%M}" if post.time else " all day")
        parts = [f"“{post.title}”", when, str(post.status)]
        if post.channels:
            parts.append(channel_initials(post.channels))
        if post.tags:
            parts.append("tags " + ", ".join(post.tags))
        if post.campaign:
            parts.append(post.campaign)
        if result.defaulted:
            parts.append(f"(default {' and '.join(result.defaulted)})")
        return Text("→ " + " · ".join(parts), style="bold")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#quick-preview", Label).update(self._preview(event.value))
        self.query_one("#prompt-error").display = False

"""One line in the post editor saying which channels have their own copy; a click asks to edit them.

The widget holds the per-channel copy of the draft (attributes down) and posts
`EditRequested` when the user wants to change it (messages up); the editor opens the
dialog and sets `variants` with what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from calendar_data.models import Channel
from tui.widgets.marks import CHANNEL_SHORT


class ChannelCopySummary(Widget):
    """Which channels get their own version of the copy (a click, or the editor's ctrl+t, edits them).

    Not a tab stop: the form stays as many keys long as before for a post with one copy.
    """

    DEFAULT_CSS = """
    ChannelCopySummary { height: auto; width: 1fr; color: $text-muted; }
    ChannelCopySummary:hover { text-style: underline; }
    """

    variants: reactive[tuple[tuple[Channel, str], ...]] = reactive((), init=False)
    """(channel, text) for each channel with its own copy, in channel order."""

    @dataclass
    class EditRequested(Message):
        """The user asked to write or change the per-channel copy."""

        summary: ChannelCopySummary

    def __init__(
        self, variants: tuple[tuple[Channel, str], ...] = (), *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.set_reactive(ChannelCopySummary.variants, tuple(variants))

    def render(self) -> Text:
        own = [c for c, text in self.variants if text.strip()]
        if not own:
            return Text("every channel gets the copy above · ctrl+t gives a channel its own")
        names = ", ".join(CHANNEL_SHORT[c] for c in own)
        text = Text()
        text.append(f"✎ own copy for {names}", style="bold")
        text.append(" · ctrl+t edits")
        return text

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self))

    def _on_click(self, event: Click) -> None:
        self.action_edit()

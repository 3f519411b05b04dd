"""The per-channel copy dialog: one tab per channel of the post, each with its own text and count.

An empty tab means that channel gets the post's main copy. The dialog returns the
versions typed (the editor keeps them in its draft; saving the post stores them), or
None when cancelled.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static, TabbedContent, TabPane, TextArea

from calendar_data.form_values import channel_counts
from calendar_data.models import Channel
from tui.screens.dialogs import ConfirmScreen

Variants = tuple[tuple[Channel, str], ...]


class ChannelCopyScreen(ModalScreen[Variants | None]):
    """A tab per channel: write the X version short and the LinkedIn one long."""

    HELP_TITLE = "Per-channel copy"
    DEFAULT_CSS = """
    ChannelCopyScreen { align: center middle; }
    ChannelCopyScreen > #copy-box { width: 100%; max-width: 110; height: auto; max-height: 30;
        border: round $primary; background: $surface; padding: 0 1; }
    ChannelCopyScreen #copy-title { text-style: bold; }
    ChannelCopyScreen #copy-hint { color: $text-muted; }
    ChannelCopyScreen TabbedContent { height: auto; }
    ChannelCopyScreen TextArea { height: 8; }
    ChannelCopyScreen .copy-count { height: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Keep", id="channel_copy.keep"),
        Binding("escape", "cancel", "Cancel", id="channel_copy.cancel"),
        Binding("ctrl+o", "from_main", "Start from main copy", id="channel_copy.from_main"),
    ]

    def __init__(
        self,
        channels: tuple[Channel, ...],
        variants: Variants,
        *,
        body: str = "",
        hashtags: tuple[str, ...] = (),
        title: str = "",
        unticked: tuple[Channel, ...] = (),
    ) -> None:
        """`unticked`: channels no longer ticked that still have copy (their tab says so, to clear it)."""
        super().__init__(classes="dialog")
        self.channels = tuple(channels)
        self.unticked = frozenset(unticked)
        self.start = {c: t for c, t in variants if c in self.channels}
        self.body, self.hashtags, self.heading = body, tuple(hashtags), title

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-box"):
            yield Label(
                f"Copy per channel · {self.heading}" if self.heading else "Copy per channel",
                id="copy-title",
                markup=False,
            )
            yield Static(
                "Leave a tab empty to send the main copy there. ctrl+o starts from the main copy.",
                id="copy-hint",
            )
            with TabbedContent(id="copy-tabs"):
                for channel in self.channels:
                    label = (
                        f"{channel} (not ticked: clear it)"
                        if channel in self.unticked
                        else str(channel)
                    )
                    with TabPane(label, id=f"tab-{channel}"):
                        yield TextArea(
                            self.start.get(channel, ""),
                            id=f"copy-{channel}",
                            soft_wrap=True,
                            placeholder="(empty: gets the main copy)",
                        )
                        yield Static(id=f"count-{channel}", classes="copy-count")
        yield Footer()

    def on_mount(self) -> None:
        for channel in self.channels:
            self._count(channel)
        self._area(self.channels[0]).focus()

    def _area(self, channel: Channel) -> TextArea:
        return self.query_one(f"#copy-{channel}", TextArea)

    @property
    def current(self) -> Channel:
        """The channel whose tab is showing."""
        active = self.query_one("#copy-tabs", TabbedContent).active
        return Channel(active.removeprefix("tab-")) if active else self.channels[0]

    def result(self) -> Variants:
        """The versions as typed, in channel order; empty tabs are left out."""
        found = ((c, self._area(c).text) for c in self.channels)
        return tuple((c, text) for c, text in found if text.strip())

    def _count(self, channel: Channel) -> None:
        text = self._area(channel).text
        count = channel_counts(text if text.strip() else self.body, self.hashtags, (channel,))[0]
        line = Text(f"{count.used:,}/{count.limit:,}", style="bold red" if count.over else "green")
        if count.over:
            line.append(f" ✗ {count.used - count.limit:,} over", style="bold red")
        line.append("  own copy" if text.strip() else "  (the main copy)", style="dim")
        self.query_one(f"#count-{channel}", Static).update(line)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id and event.text_area.id.startswith("copy-"):
            self._count(Channel(event.text_area.id.removeprefix("copy-")))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._area(self.current).focus()

    def action_from_main(self) -> None:
        area = self._area(self.current)
        if not area.text.strip():
            area.load_text(self.body)
            self._count(self.current)
        area.focus()

    def action_save(self) -> None:
        self.dismiss(self.result())

    def action_cancel(self) -> None:
        if dict(self.result()) == {c: t for c, t in self.start.items() if t.strip()}:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard the per-channel copy you typed?",
                yes="Discard",
                no="Keep editing",
                danger=True,
            ),
            answered,
        )

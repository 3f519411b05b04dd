"""Pick a post's channels on one line: ←/→ move, space toggles, a click toggles."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from calendar_data.models import Channel
from tui.widgets.marks import CHANNEL_SHORT

CHANNELS: tuple[Channel, ...] = tuple(Channel)


class ChannelPicker(Widget, can_focus=True):
    """A row of channel toggles (full names when there is room, initials otherwise)."""

    DEFAULT_CSS = """
    ChannelPicker { height: 1; width: 1fr; }
    ChannelPicker > .channel-picker--cursor { text-style: reverse; }
    ChannelPicker > .channel-picker--on { color: $success; text-style: bold; }
    ChannelPicker > .channel-picker--off { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"channel-picker--cursor", "channel-picker--on", "channel-picker--off"}
    BINDINGS = [
        Binding(
            "left", "move(-1)", "Previous channel", show=False, id="channel_picker.previous_channel"
        ),
        Binding("right", "move(1)", "Next channel", show=False, id="channel_picker.next_channel"),
        Binding(
            "space,enter",
            "toggle",
            "Toggle channel",
            show=False,
            id="channel_picker.toggle_channel",
        ),
    ]

    selected: reactive[tuple[Channel, ...]] = reactive((), init=False)
    cursor: reactive[int] = reactive(0)

    @dataclass
    class Changed(Message):
        """The chosen channels changed."""

        picker: ChannelPicker
        channels: tuple[Channel, ...]

    def __init__(self, channels: tuple[Channel, ...] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(ChannelPicker.selected, tuple(c for c in CHANNELS if c in channels))

    def _labels(self) -> list[str]:
        full = sum(len(str(c)) + 4 for c in CHANNELS) <= self.size.width
        return [str(c) if full else CHANNEL_SHORT[c] for c in CHANNELS]

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop", end="")
        for index, (channel, label) in enumerate(zip(CHANNELS, self._labels(), strict=True)):
            on = channel in self.selected
            part = Text(
                f"{'◼' if on else '◻'} {label}",
                style=self.get_component_rich_style(
                    "channel-picker--on" if on else "channel-picker--off"
                ),
            )
            if index == self.cursor and self.has_focus:
                part.stylize(self.get_component_rich_style("channel-picker--cursor"))
            text.append_text(part)
            text.append("  ")
        return text

    def _on_focus(self) -> None:
        self.refresh()

    def _on_blur(self) -> None:
        self.refresh()

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(CHANNELS)

    def action_toggle(self) -> None:
        self.toggle(CHANNELS[self.cursor])

    def toggle(self, channel: Channel) -> None:
        """Add or remove one channel."""
        chosen = set(self.selected) ^ {channel}
        self.selected = tuple(c for c in CHANNELS if c in chosen)
        self.post_message(self.Changed(self, self.selected))

    def on_click(self, event: Click) -> None:
        x = 0
        for index, label in enumerate(self._labels()):
            width = len(label) + 2
            if x <= event.x < x + width:
                self.cursor = index
                self.toggle(CHANNELS[index])
                return
            x += width + 2

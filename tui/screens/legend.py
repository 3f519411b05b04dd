"""The legend (L, and a section of help): what every mark and channel code in the calendar means."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from calendar_data.models import Status
from tui.widgets.marks import (
    ATTENTION_MARK,
    ATTENTION_STYLE,
    CHANNEL_LETTER,
    CHANNEL_SHORT,
    HELD_MARK,
    HELD_STYLE,
    HOLIDAY_MARK,
    HOLIDAY_STYLE,
    PICKED_MARK,
    STAR,
    STATUS_MARKS,
    STATUS_STYLES,
)

OTHER_MARKS: tuple[tuple[str, str, str], ...] = (
    (
        PICKED_MARK,
        "reverse bold",
        "the highlighted post: e, d, M and D act on it (tab / shift+tab picks)",
    ),
    (
        ATTENTION_MARK,
        ATTENTION_STYLE,
        "needs attention: a blocking compliance finding or an open warning",
    ),
    (HELD_MARK, HELD_STYLE, "on a crisis hold: kept off the calendars until the hold is released"),
    ("◆", "", "an awareness day, week or month"),
    (STAR, "", "a starred observance"),
    (HOLIDAY_MARK, HOLIDAY_STYLE, "a public holiday"),
    ("+N more", "italic", "lines that did not fit: open the day (enter) or use the week view (w)"),
)


def legend_table() -> Group:
    """Status marks, the other marks, and channel codes (long and one-letter) as rich tables."""
    marks = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    marks.add_column(no_wrap=True, min_width=3)
    marks.add_column()
    for status in Status:
        marks.add_row(Text(STATUS_MARKS[status], style=STATUS_STYLES[status]), f"{status.value}")
    for mark, style, meaning in OTHER_MARKS:
        marks.add_row(Text(mark, style=style), meaning)
    channels = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    channels.add_column(no_wrap=True)
    channels.add_column(no_wrap=True)
    channels.add_column()
    for channel, short in CHANNEL_SHORT.items():
        channels.add_row(
            Text(short, style="bold"), Text(CHANNEL_LETTER[channel], style="dim"), channel.value
        )
    return Group(
        Text("Marks", style="bold underline"),
        marks,
        Text(""),
        Text("Channels (narrow cells use the one-letter code)", style="bold underline"),
        channels,
    )


class LegendScreen(ModalScreen[None]):
    """The legend as a dialog; escape or L closes it."""

    HELP_TITLE = "Legend"
    BINDINGS = [Binding("escape,L,q", "close", "Close", key_display="esc", id="legend.close")]

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="legend-box"):
            yield Label("What the marks mean", classes="dialog-question")
            with VerticalScroll(id="legend-body"):
                yield Static(legend_table())
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)

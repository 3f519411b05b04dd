"""Floor for month switch and filter typing: a 42-cell grid of Statics updated in place.

Usage: python bare_grid.py YEAR MONTH
pagedown/pageup move a month; any printable key is "typed" into a filter and repaints the grid.
The title reads like carecal's ("March 2027") so the harness waits for the same text.
"""

import calendar
import sys
from datetime import date, timedelta

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.events import Key
from textual.widgets import Static


class BareGrid(App):
    """A title and 6 weeks of day cells; every change updates the existing widgets."""

    CSS = "Grid { grid-size: 7 6; height: 1fr; } Static.cell { height: 100%; border: round $primary; }"
    BINDINGS = [
        Binding("pagedown", "month(1)"),
        Binding("pageup", "month(-1)"),
        Binding("enter", "month(0)"),
    ]

    def __init__(self, year: int, month: int) -> None:
        super().__init__()
        self.year, self.month, self.query_text = year, month, ""

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with Grid():
            for _ in range(42):
                yield Static(classes="cell")

    def on_mount(self) -> None:
        self.repaint()

    def repaint(self) -> None:
        title = f"{calendar.month_name[self.month]} {self.year}"
        self.query_one("#title", Static).update(
            title + (f"  /{self.query_text}" if self.query_text else "")
        )
        first = date(self.year, self.month, 1)
        start = first - timedelta(days=(first.weekday() + 1) % 7)
        for i, cell in enumerate(self.query(".cell").results(Static)):
            day = start + timedelta(days=i)
            cell.update(f"{day.day}" + (f"\n{self.query_text}" if self.query_text else ""))

    def action_month(self, delta: int) -> None:
        index = self.year * 12 + self.month - 1 + delta
        self.year, self.month = divmod(index, 12)
        self.month += 1
        self.repaint()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isprintable() and len(event.character) == 1:
            self.query_text += event.character
            self.repaint()


if __name__ == "__main__":
    BareGrid(int(sys.argv[1]), int(sys.argv[2])).run()

"""The crisis-hold banner: one line on every view while a hold is in force, so nobody misses it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from calendar_data.holds import Hold
from tui.widgets.marks import HELD_MARK


def banner_text(holds: Sequence[Hold]) -> Text:
    """'⏸ CRISIS HOLD #2: 2027-01-10 to 2027-01-24 · Incident · 4 posts held · release: ctrl+p'."""
    text = Text()
    for index, hold in enumerate(holds):
        if index:
            text.append("  |  ")
        text.append(f"{HELD_MARK} CRISIS HOLD #{hold.id}", style="bold")
        text.append(f": {hold.start} to {hold.end} · {hold.reason} · by {hold.held_by}")
    if holds:
        text.append(" · release it from the palette (ctrl+p)", style="italic")
    return text


class HoldBanner(Static):
    """Shown (docked at the top) only while `holds` is not empty."""

    DEFAULT_CSS = """
    HoldBanner { dock: top; height: auto; background: $error; color: $text; padding: 0 1; }
    """

    def show_holds(self, holds: Sequence[Hold]) -> None:
        """Paint the active holds, or hide the banner when there are none."""
        self.display = bool(holds)
        self.update(banner_text(holds))

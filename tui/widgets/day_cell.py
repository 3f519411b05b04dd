"""One day of the month grid: date, observance badges, holidays and posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from calendar_data.models import AgendaItem

STATUS_MARKS = {"idea": "·", "draft": "✎", "review": "?", "approved": "✓", "scheduled": "◷",
                "published": "●", "rejected": "✗", "archived": "▫"}


def channel_initials(item: AgendaItem) -> str:
    """Short channel marks for a post, e.g. 'FB IG X'."""
    marks = {"facebook": "FB", "instagram": "IG", "x": "X", "linkedin": "LI", "youtube": "YT",
             "tiktok": "TT", "pinterest": "PI", "threads": "TH", "bluesky": "BS"}
    return " ".join(marks[str(c)] for c in item.post.channels) if item.post else ""


class DayCell(Static):
    """A day in the grid; shows as many lines as fit, then '+N more'."""

    @dataclass
    class Selected(Message):
        """The user clicked this day."""

        day: date

    def __init__(self, day: date, items: list[AgendaItem], *, in_month: bool, today: bool,
                 selected: bool, max_lines: int = 4) -> None:
        super().__init__()
        self.day = day
        self.items = items
        self.max_lines = max_lines
        self.set_class(not in_month, "other-month")
        self.set_class(today, "today")
        self.set_class(selected, "selected")

    def render(self) -> Text:
        text = Text(str(self.day.day), style="bold")
        lines = [self._line(item) for item in self.items]
        room = max(1, self.size.height - 1) if self.size.height else self.max_lines
        shown = lines if len(lines) <= room else lines[: room - 1]
        for line in shown:
            text.append("\n")
            text.append_text(line)
        if len(shown) < len(lines):
            text.append(f"\n+{len(lines) - len(shown)} more", style="italic")
        return text

    def _line(self, item: AgendaItem) -> Text:
        if item.kind == "holiday":
            return Text(f"★ {item.title}", style="bold magenta")
        if item.kind == "observance":
            continuing = item.start < self.day
            mark = "━ " if item.end > item.start else "◆ "
            return Text(("… " if continuing else mark) + item.title, style="cyan" if not continuing else "dim cyan")
        post = item.post
        return Text(f"{STATUS_MARKS[str(post.status)]} {post.title} {channel_initials(item)}".rstrip())

    def on_click(self) -> None:
        self.post_message(self.Selected(self.day))

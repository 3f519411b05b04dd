"""One day of the month grid: the date, bands, holidays, observance badges and posts.

A cell is created once and re-pointed at a new day when the month changes
(`show`), so paging through months never remounts 42 widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from calendar_data.planning import CellLine
from tui.widgets.marks import (
    HOLIDAY_MARK,
    HOLIDAY_STYLE,
    STAR,
    badge_style,
    fit,
    post_line,
)


class DayCell(Widget):
    """A day in the grid; shows as many lines as fit, then '+N more'."""

    DEFAULT_CSS = """
    DayCell { height: 1fr; width: 1fr; background: $surface; }
    DayCell > .day-cell--other-month { color: $text-disabled; background: $background; }
    DayCell > .day-cell--selected { background: $primary 18%; }
    DayCell > .day-cell--date { background: $boost; color: $text-muted; text-style: bold; }
    DayCell > .day-cell--date-today { background: $accent; color: $text; text-style: bold; }
    DayCell > .day-cell--date-selected { background: $primary; color: $text; text-style: bold; }
    DayCell > .day-cell--more { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {
        "day-cell--date",
        "day-cell--date-today",
        "day-cell--date-selected",
        "day-cell--more",
        "day-cell--other-month",
        "day-cell--selected",
    }

    @dataclass
    class Clicked(Message):
        """The user clicked this day (twice to open it)."""

        day: date
        open: bool = False
        post_id: int | None = None
        """The post under the pointer, if the click was on one."""

    @dataclass
    class DragStarted(Message):
        """The mouse went down on a post: a drag may follow."""

        day: date
        post_id: int

    @dataclass
    class Dropped(Message):
        """The mouse came up over this day (a drag ends here if one started elsewhere)."""

        day: date

    def __init__(self, day: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.day = day
        self.lines: tuple[CellLine, ...] = ()
        self.is_today = False
        self.in_month = True
        self.selected = False
        self.attention: frozenset[int] = frozenset()
        """Ids of posts that need attention (marked ⚠)."""
        self.held: frozenset[int] = frozenset()
        """Ids of posts a crisis hold keeps off the calendars (marked ⏸)."""
        self.picked: int | None = None
        """The highlighted post's id (drawn reversed with ▶ while this is the selected day)."""
        self._row_posts: list[int | None] = []

    def show(
        self,
        day: date,
        lines: tuple[CellLine, ...],
        *,
        in_month: bool,
        today: bool,
        selected: bool,
        attention: frozenset[int] = frozenset(),
        held: frozenset[int] = frozenset(),
    ) -> None:
        """Point the cell at `day` and repaint (flags, not CSS classes: restyling 42 cells is slow)."""
        self.day, self.lines, self.is_today, self.attention = day, lines, today, attention
        self.held = held
        self.in_month, self.selected = in_month, selected
        self.refresh()

    def select(self, selected: bool) -> None:
        """Mark or unmark this as the selected day."""
        if self.selected != selected:
            self.selected = selected
            self.refresh()

    def pick(self, post_id: int | None) -> None:
        """Highlight the post `post_id` (None: no post highlighted)."""
        if self.picked != post_id:
            self.picked = post_id
            self.refresh()

    def post_at(self, y: int) -> int | None:
        """The id of the post drawn on row `y` of the cell, if any (for clicks and drags)."""
        return self._row_posts[y] if 0 <= y < len(self._row_posts) else None

    def _shown_lines(self, room: int) -> tuple[list[CellLine], int]:
        """The lines that fit in `room` rows (the picked post always among them) and how many are hidden."""
        lines = list(self.lines)
        if len(lines) <= room:
            return lines, 0
        shown = lines[: max(0, room - 1)]
        picked = next((line for line in lines if self._is_picked(line)), None)
        if picked is not None and picked not in shown and shown:
            shown[-1] = picked
        return shown, len(lines) - len(shown)

    def _is_picked(self, line: CellLine) -> bool:
        item = line.item
        return bool(self.selected and item and item.kind == "post" and item.post.id == self.picked)

    def render(self) -> Text:
        width, height = max(1, self.size.width), max(1, self.size.height)
        rows = [self._date_line(width)]
        self._row_posts = [None]
        room = height - 1
        shown, hidden = self._shown_lines(room)
        for (
            line
        ) in shown:  # one row each: a post's whole title is the week view's and the day panel's
            rows.append(self._line(line, width))
            self._row_posts.append(
                line.item.post.id if line.item and line.item.kind == "post" else None
            )
        if hidden and room:
            rows.append(
                Text(
                    fit(f" +{hidden} more", width),
                    style=self.get_component_rich_style("day-cell--more"),
                )
            )
        rows += [Text("") for _ in range(height - len(rows))]
        background = (
            "day-cell--selected"
            if self.selected
            else "day-cell--other-month"
            if not self.in_month
            else None
        )
        text = Text("\n", no_wrap=True, overflow="crop", end="").join(rows)
        if background:
            for row in rows:
                row.pad_right(width - row.cell_len)
            text = Text("\n", no_wrap=True, overflow="crop", end="").join(rows)
            text.stylize_before(self.get_component_rich_style(background))
        return text

    def _date_line(self, width: int) -> Text:
        if self.selected:
            component = "day-cell--date-selected"
        elif self.is_today:
            component = "day-cell--date-today"
        else:
            component = "day-cell--date"
        label = f" {self.day.day}"
        if self.day.day == 1:
            label += f" {self.day:%b}"
        if self.is_today:
            label += " today" if width >= len(label) + 7 else ""
        return Text(fit(label, width).ljust(width), style=self.get_component_rich_style(component))

    def _line(self, line: CellLine, width: int) -> Text:
        item = line.item
        if item is not None and item.kind == "post":
            return post_line(
                item.post,
                width,
                attention=item.post.id in self.attention,
                held=item.post.id in self.held,
                picked=self._is_picked(line),
            )
        return self._other_line(line, width)

    def _other_line(self, line: CellLine, width: int) -> Text:
        item = line.item
        if item is None:
            return Text(" " * width)
        if line.band:
            obs = item.occurrence.observance
            label = f" {STAR if item.starred else ''}{obs.name}" if line.label else ""
            return Text(fit(label, width).ljust(width), style=badge_style(obs.category))
        if item.kind == "holiday":
            return Text(fit(f" {HOLIDAY_MARK} {item.title}", width), style=HOLIDAY_STYLE)
        if item.kind == "observance":
            obs = item.occurrence.observance
            line_text = Text(" ")
            line_text.append(
                fit(f"{STAR if item.starred else '◆'} {obs.name}", width - 1),
                style=badge_style(obs.category),
            )
            return line_text
        return Text(" " * width)

    def on_click(self, event) -> None:
        self.post_message(
            self.Clicked(self.day, open=event.chain >= 2, post_id=self.post_at(event.y))
        )

    def on_mouse_down(self, event) -> None:
        post_id = self.post_at(event.y)
        if post_id is not None:
            self.post_message(self.DragStarted(self.day, post_id))

    def on_mouse_up(self, event) -> None:
        self.post_message(self.Dropped(self.day))

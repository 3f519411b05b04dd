"""The month grid: a title line with the month's band, weekday names and 42 day cells."""

from __future__ import annotations

import calendar
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widget import Widget
from textual.widgets import Label

from calendar_data.models import AgendaItem
from calendar_data.planning import MonthLayout
from tui.widgets.day_cell import DayCell
from tui.widgets.marks import STAR, badge_style


class MonthBand(Widget):
    """'November 2026' followed by the month-long observances as coloured badges."""

    DEFAULT_CSS = """
    MonthBand { height: auto; max-height: 2; padding: 0 1; }
    MonthBand > .month-band--title { background: $primary; color: $text; text-style: bold; }
    """
    COMPONENT_CLASSES = {"month-band--title"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.month = date(2000, 1, 1)
        self.band: tuple[AgendaItem, ...] = ()
        self.note = ""

    def show(self, month: date, band: tuple[AgendaItem, ...], note: str = "") -> None:
        """Show `month` and its band; `note` goes after the title (e.g. the filter)."""
        self.month, self.band, self.note = month, band, note
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        width = max(20, width)
        return 1 if len(self._text(width, lines=99).plain) <= width else 2

    def render(self) -> Text:
        return self._text(max(20, self.size.width), lines=max(1, self.size.height))

    def _text(self, width: int, *, lines: int) -> Text:
        """The title and as many badges as fit in `lines` lines, then '+N more'."""
        title = f" {calendar.month_name[self.month.month]} {self.month.year} "
        text = Text()
        text.append(title, style=self.get_component_rich_style("month-band--title"))
        if self.note:
            text.append(f"  {self.note}", style="italic")
        budget = lines * width - 10
        used = len(text.plain)
        for index, item in enumerate(self.band):
            obs = item.occurrence.observance
            badge = f" {STAR if item.starred else ''}{obs.name} "
            line_left = width - used % width
            gap = (
                1 if len(badge) + 1 <= line_left else line_left
            )  # a badge never breaks across lines
            if used + gap + len(badge) > budget:
                text.append(f"  +{len(self.band) - index} more", style="italic")
                break
            text.append(" " * gap)
            text.append(badge, style=badge_style(obs.category))
            used += gap + len(badge)
        return text


class MonthGrid(Vertical, can_focus=True):
    """Weekday names over six weeks of `DayCell`s, updated in place month to month."""

    DEFAULT_CSS = """
    MonthGrid { height: 1fr; }
    MonthGrid > #weekdays { grid-size: 7; grid-gutter: 0 1; height: 1; }
    MonthGrid > #weekdays > Label { width: 1fr; text-style: bold; color: $text-muted; padding: 0 1; }
    MonthGrid > #days { grid-size: 7; grid-gutter: 0 1; height: 1fr; background: $panel; }
    """

    def compose(self) -> ComposeResult:
        yield Grid(*[Label(id=f"weekday-{i}") for i in range(7)], id="weekdays")
        yield Grid(*[DayCell(date(2000, 1, 1), id=f"cell-{i}") for i in range(42)], id="days")

    def on_mount(self) -> None:
        self._cells = list(self.query_one("#days", Grid).query_children(DayCell))
        self._weekdays = [self.query_one(f"#weekday-{i}", Label) for i in range(7)]

    def show(
        self,
        layout: MonthLayout,
        *,
        selected: date,
        today: date,
        first_weekday: int,
        attention: frozenset[int] = frozenset(),
        picked: int | None = None,
        held: frozenset[int] = frozenset(),
    ) -> None:
        """Repaint every cell for `layout` (cells are reused, never remounted); `picked` is highlighted.

        Posts in `attention` are marked ⚠, posts in `held` (kept off the calendars by a crisis hold) ⏸.
        """
        for i, label in enumerate(self._weekdays):
            label.update(calendar.day_abbr[(first_weekday + i) % 7])
        for index, cell in enumerate(self.cells):
            day = layout.days[index]
            shown = index < layout.weeks * 7
            if cell.display != shown:
                cell.display = shown
            cell.picked = picked
            cell.show(
                day,
                layout.cells.get(day, ()),
                in_month=day.month == layout.month.month,
                today=day == today,
                selected=day == selected,
                attention=attention,
                held=held,
            )

    def select(self, day: date) -> None:
        """Move the selection mark without reloading anything."""
        for cell in self.cells:
            cell.select(cell.day == day)

    def pick(self, day: date, post_id: int | None) -> None:
        """Highlight post `post_id` in `day`'s cell."""
        cell = self.cell_for(day)
        if cell is not None:
            cell.pick(post_id)

    def set_attention(self, attention: frozenset[int]) -> None:
        """Mark the posts that need attention, repainting only the cells whose marks change."""
        for cell in self.cells:
            changed = cell.attention ^ attention
            if changed and any(
                line.item and line.item.post and line.item.post.id in changed for line in cell.lines
            ):
                cell.attention = attention
                cell.refresh()
            else:
                cell.attention = attention

    @property
    def cells(self) -> list[DayCell]:
        """The 42 cells, in date order."""
        return self._cells

    def cell_for(self, day: date) -> DayCell | None:
        """The cell showing `day`, if it is on the grid."""
        return next((c for c in self.cells if c.day == day and c.display), None)

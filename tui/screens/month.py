"""The month view: a seven-column grid of days beside the selected day's agenda."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from calendar_data.agenda import agenda, by_day
from calendar_data.models import AgendaItem
from tui.widgets.day_cell import DayCell, channel_initials


def grid_start(day: date, first_weekday: int) -> date:
    """The first day shown for `day`'s month: the start of the week holding the 1st."""
    first = day.replace(day=1)
    return first - timedelta(days=(first.weekday() - first_weekday) % 7)


class MonthScreen(Screen):
    """Home screen: this month's observances, holidays and posts."""

    BINDINGS = [
        Binding("left", "move(-1)", "Day -1", show=False),
        Binding("right", "move(1)", "Day +1", show=False),
        Binding("up", "move(-7)", "Week -1", show=False),
        Binding("down", "move(7)", "Week +1", show=False),
        Binding("pageup", "month(-1)", "Prev month"),
        Binding("pagedown", "month(1)", "Next month"),
        Binding("t", "today", "Today"),
    ]

    selected: reactive[date] = reactive(date(2000, 1, 1), init=False)

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today
        self._items: dict[date, list[AgendaItem]] = {}
        self._loaded: tuple[int, int] | None = None
        self.set_reactive(MonthScreen.selected, today)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="month"):
            yield Label(id="month-title")
            yield Grid(id="grid")
        yield VerticalScroll(Static(id="day-agenda-text"), id="day-agenda")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_month()

    def refresh_month(self) -> None:
        """Reload the grid's six weeks from the data layer and repaint."""
        settings = self.app.settings
        start = grid_start(self.selected, settings.first_weekday)
        end = start + timedelta(days=41)
        items = agenda(self.app.db, start, end, settings=settings)
        self._items = by_day(items, start, end)
        self._loaded = (self.selected.year, self.selected.month)
        self.query_one("#month-title", Label).update(f"{calendar.month_name[self.selected.month]} {self.selected.year}")
        grid = self.query_one("#grid", Grid)
        grid.remove_children()
        names = [calendar.day_abbr[(settings.first_weekday + i) % 7] for i in range(7)]
        cells = [Label(name, classes="weekday") for name in names]
        cells += [
            DayCell(day, self._items.get(day, []), in_month=day.month == self.selected.month,
                    today=day == self.today, selected=day == self.selected)
            for day in (start + timedelta(days=i) for i in range(42))
        ]
        grid.mount_all(cells)
        self.show_day()

    def show_day(self) -> None:
        """Write the selected day's full agenda in the side panel."""
        day = self.selected
        lines = [f"[b]{day:%A %d %B %Y}[/b]", ""]
        for item in self._items.get(day, []):
            if item.kind == "holiday":
                lines.append(f"[magenta]★ {item.title}[/] (public holiday)")
            elif item.kind == "observance":
                obs = item.occurrence.observance
                lines.append(f"[cyan]◆ {obs.name}[/] ({obs.kind}, {item.start:%b %d}–{item.end:%b %d})")
                if obs.hashtags:
                    lines.append("   " + " ".join(obs.hashtags))
            else:
                post = item.post
                when = post.time.strftime("%H:%M") if post.time else "all day"
                lines.append(f"{when} [b]{post.title}[/b] [{post.status}] {channel_initials(item)}")
        if len(lines) == 2:
            lines.append("Nothing planned.")
        self.query_one("#day-agenda-text", Static).update("\n".join(lines))

    def watch_selected(self, old: date, new: date) -> None:
        if (new.year, new.month) != self._loaded:
            self.refresh_month()
            return
        for cell in self.query(DayCell):
            cell.set_class(cell.day == new, "selected")
        self.show_day()

    def action_move(self, days: int) -> None:
        self.selected += timedelta(days=days)

    def action_month(self, delta: int) -> None:
        month = self.selected.month - 1 + delta
        year = self.selected.year + month // 12
        month = month % 12 + 1
        self.selected = self.selected.replace(year=year, month=month,
                                              day=min(self.selected.day, calendar.monthrange(year, month)[1]))

    def action_today(self) -> None:
        self.selected = self.today

    def on_day_cell_selected(self, message: DayCell.Selected) -> None:
        self.selected = message.day

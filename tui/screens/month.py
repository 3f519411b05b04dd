"""The month view (home): a seven-column grid of days beside the selected day's agenda."""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from datetime import date, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from calendar_data.agenda import agenda
from calendar_data.checks.marks import Marks, marks_for, store_marks
from calendar_data.filter_query import describe_filter
from calendar_data.models import Post
from calendar_data.planning import MonthLayout, add_months, grid_start, month_layout
from tui.messages import EditPost, OpenDay, ShowObservance
from tui.screens.base import PlanningScreen
from tui.widgets.day_agenda import DayAgenda
from tui.widgets.day_cell import DayCell
from tui.widgets.filter_bar import FilterBar
from tui.widgets.month_grid import MonthBand, MonthGrid
from tui.widgets.top_bar import TopBar


class MonthScreen(PlanningScreen):
    """Home screen: this month's observances, holidays and posts."""

    HELP_TITLE = "Month view"
    MAIN = "#main"
    BINDINGS = [
        Binding("left", "move(-1)", "Day -1", show=False),
        Binding("right", "move(1)", "Day +1", show=False),
        Binding("up", "move(-7)", "Week -1", show=False),
        Binding("down", "move(7)", "Week +1", show=False),
        Binding("pageup", "month(-1)", "Previous month", show=False),
        Binding("pagedown", "month(1)", "Month", key_display="PgUp/PgDn", tooltip="Next month"),
        Binding("t", "today", "Today"),
        Binding("enter", "open_day", "Day"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.layout_: MonthLayout | None = None
        self._attention: dict[int, bool] = {}
        """Post id -> needs attention, for the current data version."""
        self._attention_version = -1

    def compose(self) -> ComposeResult:
        yield TopBar("month")
        with Horizontal(id="month-body"):
            with Vertical(id="month-main"):
                yield MonthBand(id="month-band")
                yield MonthGrid(id="main")
                yield Static(id="day-summary")
            yield DayAgenda(id="day-agenda")
        yield FilterBar(id="filter-bar")
        yield Footer()

    # --- reading and painting ---------------------------------------------------------------

    def request(self) -> date:
        return self.app.cursor

    def fetch(self, db, month: date) -> MonthLayout:
        start = grid_start(month, self.app.settings.first_weekday)
        items = agenda(db, start, start + timedelta(days=41), filters=self.app.filters,
                       settings=self.app.settings, today=self.app.today)
        return month_layout(items, month, self.app.settings.first_weekday)

    def paint(self, month: date, layout: MonthLayout) -> None:
        self.layout_ = layout
        note = describe_filter(self.app.filters) if self.app.filters.active else ""
        self.query_one(MonthBand).show(layout.month, layout.band, f"filter: {note}" if note else "")
        self.query_one(MonthGrid).show(layout, selected=self.app.cursor, today=self.app.today,
                                       first_weekday=self.app.settings.first_weekday,
                                       attention=self._known_attention())
        self._show_day()
        self._check_attention(layout)

    # --- the needs-attention marks: computed after the grid is painted, cached per data version ---

    def _known_attention(self) -> frozenset[int]:
        if self._attention_version != self.app.data_version:
            self._attention, self._attention_version = {}, self.app.data_version
        return frozenset(post_id for post_id, needs in self._attention.items() if needs)

    def _check_attention(self, layout: MonthLayout) -> None:
        """Run the compliance review on the grid's posts not reviewed yet (in a thread when we can)."""
        self._known_attention()
        posts = list({i.post.id: i.post for items in layout.items.values() for i in items
                      if i.kind == "post" and i.post.id not in self._attention}.values())
        if not posts:
            return
        if self.app.db_path:
            self._attention_in_thread(posts, self.app.data_version)
        else:
            self._attention_ready(posts, self._review(self.app.db, posts), self.app.data_version)

    def _review(self, db, posts: list[Post]) -> Marks:
        """Stored marks where they still hold; the rest computed (and stored by `_attention_ready`)."""
        return marks_for(db, posts, today=self.app.today, settings=self.app.settings)

    @work(thread=True, exclusive=True, group="attention", name="attention", exit_on_error=False)
    def _attention_in_thread(self, posts: list[Post], version: int) -> None:
        found = self.app.read(lambda db: self._review(db, posts))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._attention_ready, posts, found, version)

    def _attention_ready(self, posts: list[Post], found: Marks, version: int) -> None:
        if version != self.app.data_version:
            return  # the posts changed meanwhile; the next paint asks again
        if found.computed and not (self.app.read_only or getattr(self.app.db, "read_only", False)):
            # On the UI thread's connection, the one that writes, so the next switch reads them. Locked
            # or read-only: they are computed again next time, never shown wrong.
            with suppress(sqlite3.Error):
                store_marks(self.app.db, found.computed)
        self._attention.update({p.id: p.id in found.flagged for p in posts})
        self.query_one(MonthGrid).set_attention(self._known_attention())

    def _show_day(self) -> None:
        day = self.app.cursor
        items = self.layout_.items.get(day, []) if self.layout_ else []
        self.query_one(DayAgenda).show(day, items, today=self.app.today, held=self.app.held_post_ids())
        posts = [i for i in items if i.kind == "post"]
        others = len(items) - len(posts)
        summary = Text.assemble((f" {day:%a %d %b}", "bold"))
        summary.append(f" · {len(posts)} post{'s' * (len(posts) != 1)}")
        if others:
            summary.append(f" · {others} observance{'s' * (others != 1)}/holiday{'s' * (others != 1)}")
        summary.append("  ↵ open day", style="dim")
        self.query_one("#day-summary", Static).update(summary)
        self.sync_bindings()

    # --- the cursor ---------------------------------------------------------------------------

    def select(self, day: date) -> None:
        """Move the selected day, loading another month only when it leaves this one."""
        self.app.cursor = day
        if self.layout_ is None or (day.year, day.month) != (self.layout_.month.year, self.layout_.month.month):
            self.reload()
            return
        self.query_one(MonthGrid).select(day)
        self._show_day()

    def action_move(self, days: int) -> None:
        self.select(self.app.cursor + timedelta(days=days))

    def action_month(self, delta: int) -> None:
        self.select(add_months(self.app.cursor, delta))

    def action_today(self) -> None:
        self.select(self.app.today)

    def action_open_day(self) -> None:
        self.post_message(OpenDay(self.app.cursor))

    def on_day_cell_clicked(self, event: DayCell.Clicked) -> None:
        self.select(event.day)
        self.query_one(MonthGrid).focus()
        if event.open:
            self.post_message(OpenDay(event.day))

    def on_day_agenda_post_chosen(self, event: DayAgenda.PostChosen) -> None:
        self.post_message(EditPost(event.post))

    def on_day_agenda_observance_chosen(self, event: DayAgenda.ObservanceChosen) -> None:
        self.post_message(ShowObservance(event.occurrence.observance.id))

    def on_option_list_option_highlighted(self) -> None:
        self.sync_bindings()

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
from calendar_data.post_summaries import count_posts
from tui.messages import EditPost, OpenDay, ShowObservance
from tui.screens.base import PlanningScreen
from tui.screens.selection import PostSelection
from tui.widgets.day_agenda import DayAgenda
from tui.widgets.day_cell import DayCell
from tui.widgets.filter_bar import FilterBar
from tui.widgets.marks import clean
from tui.widgets.month_grid import MonthBand, MonthGrid
from tui.widgets.top_bar import TopBar

ONBOARDING = (
    "Your calendar is empty. Press n to plan a post on the selected day, A to type one in a line, "
    "or run `carecal demo` in a fresh file to see a planned quarter. ? lists every key."
)


class MonthScreen(PostSelection, PlanningScreen):
    """Home screen: this month's observances, holidays and posts."""

    HELP_TITLE = "Month view"
    MAIN = "#main"
    BINDINGS = [
        Binding("left,h", "move(-1)", "Day -1", id="month.left", show=False),
        Binding("right,l", "move(1)", "Day +1", id="month.right", show=False),
        Binding("up,k", "move(-7)", "Week -1", id="month.up", show=False),
        Binding("down,j", "move(7)", "Week +1", id="month.down", show=False),
        Binding("pageup", "month(-1)", "Previous month", id="month.previous", show=False),
        Binding(
            "pagedown",
            "month(1)",
            "Month",
            key_display="PgUp/PgDn",
            tooltip="Next month",
            id="month.next",
        ),
        Binding("t", "today", "Today", id="month.today"),
        Binding("enter", "open_day", "Day", id="month.open_day"),
        *PostSelection.SELECTION_BINDINGS,
    ]
    DYNAMIC_ACTIONS = (*PlanningScreen.DYNAMIC_ACTIONS, *PostSelection.POST_ACTIONS)

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
                yield Static(ONBOARDING, id="onboarding")
                yield MonthBand(id="month-band")
                yield MonthGrid(id="main")
                yield Static(id="day-summary")
            yield DayAgenda(id="day-agenda")
        yield Static(id="move-bar")
        yield FilterBar(id="filter-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(MonthBand).show(self.app.cursor, ())  # the title is up before the first read

    # --- reading and painting ---------------------------------------------------------------

    def request(self) -> date:
        return self.app.cursor

    def threaded(self) -> bool:
        """The first read runs in a worker, after the title is painted: the app shows its first
        frame without waiting for the month (start-up time). Later switches read inline: they
        are quick, and a grid that never shows a stale month reads better."""
        return self.THREADED or (self.layout_ is None and not self._in_flight)

    def fetch(self, db, month: date) -> tuple[MonthLayout, bool]:
        start = grid_start(month, self.app.settings.first_weekday)
        items = agenda(
            db,
            start,
            start + timedelta(days=41),
            filters=self.app.filters,
            settings=self.app.settings,
            today=self.app.today,
        )
        return month_layout(items, month, self.app.settings.first_weekday), count_posts(db) == 0

    def paint(self, month: date, result: tuple[MonthLayout, bool]) -> None:
        layout, empty = result
        self.layout_ = layout
        self.query_one("#onboarding").display = empty
        note = describe_filter(self.app.filters) if self.app.filters.active else ""
        self.query_one(MonthBand).show(layout.month, layout.band, f"filter: {note}" if note else "")
        self.picked_post()
        self.query_one(MonthGrid).show(
            layout,
            selected=self.app.cursor,
            today=self.app.today,
            first_weekday=self.app.settings.first_weekday,
            attention=self._known_attention(),
            picked=self.app.picked_post,
            held=self.app.held_post_ids(),
        )
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
        posts = list(
            {
                i.post.id: i.post
                for items in layout.items.values()
                for i in items
                if i.kind == "post" and i.post.id not in self._attention
            }.values()
        )
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
            with suppress(sqlite3.Error), self.app.bookkeeping_write():
                store_marks(self.app.db, found.computed)
        self._attention.update({p.id: p.id in found.flagged for p in posts})
        self.query_one(MonthGrid).set_attention(self._known_attention())

    def _show_day(self) -> None:
        day = self.app.cursor
        items = self.layout_.items.get(day, []) if self.layout_ else []
        picked = self.picked_post()
        self.query_one(DayAgenda).show(
            day,
            items,
            today=self.app.today,
            picked=picked.id if picked else None,
            held=self.app.held_post_ids(),
        )
        self._show_summary()

    def _show_summary(self) -> None:
        """The one-line summary under the grid (narrow terminals): the day and its highlighted post."""
        day = self.app.cursor
        items = self.layout_.items.get(day, []) if self.layout_ else []
        picked = self.picked_post()
        posts = [i for i in items if i.kind == "post"]
        others = len(items) - len(posts)
        summary = Text.assemble((f" {day:%a %d %b}", "bold"))
        summary.append(f" · {len(posts)} post{'s' * (len(posts) != 1)}")
        if others:
            summary.append(
                f" · {others} observance{'s' * (others != 1)}/holiday{'s' * (others != 1)}"
            )
        if picked is not None:
            when = f"{picked.time:%H:%M} " if picked.time else ""
            summary.append(" · ")
            summary.append(f"▶ {when}{clean(picked.title)}", style="reverse bold")
            summary.append(
                f"  tab next{' of ' + str(len(posts)) if len(posts) > 1 else ''}", style="dim"
            )
        summary.append("  ↵ open day", style="dim")
        self.query_one("#day-summary", Static).update(summary)
        self.sync_bindings()

    # --- the highlighted post (see PostSelection) ---------------------------------------------

    def day_posts(self) -> list[Post]:
        return self.posts_on(self.app.cursor)

    def posts_on(self, day: date) -> list[Post]:
        if self.layout_ is None:
            return []
        return [
            line.item.post
            for line in self.layout_.cells.get(day, ())
            if line.item is not None and line.item.kind == "post"
        ]

    def show_pick(self) -> None:
        self.query_one(MonthGrid).pick(self.app.cursor, self.app.picked_post)
        self._show_day()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.POST_ACTIONS and self.moving is None:
            return self.check_move_keys(action)
        in_move = self.check_move_keys(action)
        return super().check_action(action, parameters) if in_move is None else in_move

    def action_clear_filter(self) -> None:
        if self.moving is not None:
            self.end_move(drop=False)
            return
        super().action_clear_filter()

    # --- the cursor ---------------------------------------------------------------------------

    def select(self, day: date) -> None:
        """Move the selected day, loading another month only when it leaves this one."""
        self.app.cursor = day
        if self.layout_ is None or (day.year, day.month) != (
            self.layout_.month.year,
            self.layout_.month.month,
        ):
            self.reload()
            if self.moving is not None:
                self.show_move_bar()
            return
        self.query_one(MonthGrid).select(day)
        self.picked_post()
        self.query_one(MonthGrid).pick(day, self.app.picked_post)
        self._show_day()
        if self.moving is not None:
            self.show_move_bar()

    def action_move(self, days: int) -> None:
        self.select(self.app.cursor + timedelta(days=days))

    def action_month(self, delta: int) -> None:
        self.select(add_months(self.app.cursor, delta))

    def action_today(self) -> None:
        self.select(self.app.today)

    def action_open_day(self) -> None:
        if self.moving is not None:
            self.end_move(drop=True)
            return
        self.post_message(OpenDay(self.app.cursor))

    def on_day_cell_clicked(self, event: DayCell.Clicked) -> None:
        if event.post_id is not None:
            self.app.picked_post = event.post_id
        self.select(event.day)
        self.query_one(MonthGrid).focus()
        if event.open:
            post = next((p for p in self.day_posts() if p.id == event.post_id), None)
            self.post_message(EditPost(post) if post else OpenDay(event.day))

    def on_day_cell_drag_started(self, event: DayCell.DragStarted) -> None:
        self.drag_started(event.day, event.post_id)

    def on_day_cell_dropped(self, event: DayCell.Dropped) -> None:
        self.dropped_on(event.day)

    def on_day_agenda_post_chosen(self, event: DayAgenda.PostChosen) -> None:
        self.post_message(EditPost(event.post))

    def on_day_agenda_observance_chosen(self, event: DayAgenda.ObservanceChosen) -> None:
        self.post_message(ShowObservance(event.occurrence.observance.id))

    def on_option_list_option_highlighted(self) -> None:
        post = self.query_one(DayAgenda).highlighted_post
        if post is not None and post.id != self.app.picked_post:
            self.app.picked_post = post.id
            self.query_one(MonthGrid).pick(self.app.cursor, post.id)
            self._show_summary()
        self.sync_bindings()

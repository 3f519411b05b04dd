"""The week view (w): seven columns with times and full titles, the week's observances as a band."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Footer, Static

from calendar_data.agenda import agenda
from calendar_data.checks.marks import marks_for
from calendar_data.filter_query import describe_filter
from calendar_data.models import Post
from calendar_data.week import WeekLayout, week_layout, week_start
from tui.messages import EditPost, OpenDay
from tui.screens.base import PlanningScreen
from tui.screens.selection import PostSelection
from tui.widgets.filter_bar import FilterBar
from tui.widgets.marks import STAR, badge_style
from tui.widgets.top_bar import TopBar
from tui.widgets.week_column import WeekColumn


def day_span(first: date, last: date) -> str:
    """'07 Feb', '07–13 Feb' or '28 Feb–06 Mar' (the part of an observance inside the week)."""
    if first == last:
        return f"{first:%d %b}"
    return (
        f"{first:%d}–{last:%d %b}" if first.month == last.month else f"{first:%d %b}–{last:%d %b}"
    )


class WeekGrid(Grid, can_focus=True):
    """The seven columns; holds the focus so the view's keys reach the screen."""


class WeekScreen(PostSelection, PlanningScreen):
    """A week at a time: each day's observances and every post with its time and whole title."""

    HELP_TITLE = "Week view"
    MAIN = "#week-grid"
    BINDINGS = [
        Binding("left,h", "move(-1)", "Day -1", id="week.left", show=False),
        Binding("right,l", "move(1)", "Day +1", id="week.right", show=False),
        Binding(
            "up,k",
            "vertical(-1)",
            "Previous post (a week back while moving)",
            id="week.up",
            show=False,
        ),
        Binding(
            "down,j",
            "vertical(1)",
            "Next post (a week on while moving)",
            id="week.down",
            show=False,
        ),
        Binding("pageup", "move(-7)", "Previous week", id="week.previous", show=False),
        Binding(
            "pagedown",
            "move(7)",
            "Week",
            key_display="PgUp/PgDn",
            tooltip="Next week",
            id="week.next",
        ),
        Binding("t", "today", "Today", id="week.today"),
        Binding("enter", "open_day", "Day", id="week.open_day"),
        *PostSelection.SELECTION_BINDINGS,
    ]
    DYNAMIC_ACTIONS = (*PlanningScreen.DYNAMIC_ACTIONS, *PostSelection.POST_ACTIONS)

    def __init__(self) -> None:
        super().__init__()
        self.layout_: WeekLayout | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("week")
        yield Static(id="week-band")
        with WeekGrid(id="week-grid"):
            for index in range(7):
                yield WeekColumn(id=f"week-day-{index}")
        yield Static(id="move-bar")
        yield FilterBar(id="filter-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(WeekGrid).focus()

    # --- reading and painting ------------------------------------------------------------------

    def request(self) -> date:
        return week_start(self.app.cursor, self.app.settings.first_weekday)

    def fetch(self, db, start: date) -> tuple[WeekLayout, frozenset[int]]:
        items = agenda(
            db,
            start,
            start + timedelta(days=6),
            filters=self.app.filters,
            settings=self.app.settings,
            today=self.app.today,
        )
        layout = week_layout(items, start)
        posts = [p for day in layout.days for p in layout.posts_on(day)]
        # Stored marks where they hold (checks.marks), the rest computed: not every check on every switch.
        attention = (
            marks_for(db, posts, today=self.app.today, settings=self.app.settings).flagged
            if posts
            else frozenset()
        )
        return layout, attention

    def paint(self, start: date, result: tuple[WeekLayout, frozenset[int]]) -> None:
        self.layout_, self._attention = result
        self.picked_post()
        self._paint_band()
        self._paint_columns()

    def _paint_band(self) -> None:
        layout = self.layout_
        end = layout.start + timedelta(days=6)
        title = f" Week of {layout.start:%a %d %b %Y} – {end:%a %d %b} "
        text = Text.assemble((title, "bold reverse"))
        if self.app.filters.active:
            text.append(f"  filter: {describe_filter(self.app.filters)}", style="italic")
        for item in layout.band:
            obs = item.occurrence.observance
            span = day_span(max(item.start, layout.start), min(item.end, end))
            text.append("  ")
            text.append(
                f" {STAR if item.starred else ''}{obs.name} {span} ",
                style=badge_style(obs.category),
            )
        self.query_one("#week-band", Static).update(text)

    def _paint_columns(self) -> None:
        for column, day in zip(self.query(WeekColumn), self.layout_.days, strict=True):
            column.show(
                day,
                self.layout_.items.get(day, ()),
                today=day == self.app.today,
                selected=day == self.app.cursor,
                picked=self.app.picked_post,
                attention=getattr(self, "_attention", frozenset()),
                held=self.app.held_post_ids(),
            )
        self.sync_bindings()
        if self.moving is not None:
            self.show_move_bar()

    # --- the highlighted post (see PostSelection) ---------------------------------------------

    def day_posts(self) -> list[Post]:
        return self.posts_on(self.app.cursor)

    def posts_on(self, day: date) -> list[Post]:
        return self.layout_.posts_on(day) if self.layout_ else []

    def show_pick(self) -> None:
        self._paint_columns()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.POST_ACTIONS and self.moving is None:
            return self.check_move_keys(action)
        in_move = self.check_move_keys(action)
        return super().check_action(action, parameters) if in_move is None else in_move

    # --- the cursor ---------------------------------------------------------------------------

    def select(self, day: date) -> None:
        """Move the selected day, loading another week only when it leaves this one."""
        self.app.cursor = day
        if self.layout_ is None or not self.layout_.start <= day <= self.layout_.start + timedelta(
            days=6
        ):
            self.reload()
            return
        self.picked_post()
        self._paint_columns()

    def action_move(self, days: int) -> None:
        self.select(self.app.cursor + timedelta(days=days))

    def action_vertical(self, step: int) -> None:
        if self.moving is not None:
            self.action_move(7 * step)
        else:
            self.action_next_post(step)

    def action_today(self) -> None:
        self.select(self.app.today)

    def action_open_day(self) -> None:
        if self.moving is not None:
            self.end_move(drop=True)
            return
        self.post_message(OpenDay(self.app.cursor))

    def action_clear_filter(self) -> None:
        if self.moving is not None:
            self.end_move(drop=False)
            return
        super().action_clear_filter()

    # --- the mouse ------------------------------------------------------------------------------

    def on_week_column_clicked(self, event: WeekColumn.Clicked) -> None:
        if event.post_id is not None:
            self.app.picked_post = event.post_id
        self.select(event.day)
        self.query_one(self.MAIN).focus()
        if event.open and event.post_id is not None:
            post = next((p for p in self.day_posts() if p.id == event.post_id), None)
            if post is not None:
                self.post_message(EditPost(post))

    def on_week_column_drag_started(self, event: WeekColumn.DragStarted) -> None:
        self.drag_started(event.day, event.post_id)

    def on_week_column_dropped(self, event: WeekColumn.Dropped) -> None:
        self.dropped_on(event.day)

"""The quarter view: three months at once for planning, with the gaps standing out."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Static

from calendar_data.agenda import agenda
from calendar_data.filter_query import describe_filter
from calendar_data.models import AgendaItem
from calendar_data.planning import QuarterSummary, quarter_summary
from calendar_data.quarters import quarter_bounds, quarter_of, quarter_span, shift_quarter
from tui.messages import EditPost, GoToDay, ShowObservance
from tui.screens.base import PlanningScreen
from tui.widgets.day_agenda import DayAgenda
from tui.widgets.filter_bar import FilterBar
from tui.widgets.quarter_chart import QuarterChart
from tui.widgets.top_bar import TopBar
from tui.words import plural


class QuarterScreen(PlanningScreen):
    """Posts per day and week, campaign bars and the quarter's observances."""

    HELP_TITLE = "Quarter view"
    THREADED = True
    LOADING_TARGET = "#quarter-scroll"
    DAY_PANEL_SHOWN_ON = ("-very-wide",)
    BINDINGS = [
        Binding("left", "move(-7)", "Week -1", show=False, id="quarter.left"),
        Binding("right", "move(7)", "Week +1", show=False, id="quarter.right"),
        Binding("up", "move(-1)", "Day -1", show=False, id="quarter.up"),
        Binding("down", "move(1)", "Day +1", show=False, id="quarter.down"),
        Binding(
            "pageup", "quarter(-1)", "Previous quarter", show=False, id="quarter.previous_quarter"
        ),
        Binding("pagedown", "quarter(1)", "Next quarter", show=False, id="quarter.next_quarter"),
        Binding(
            "left_square_bracket",
            "quarter(-1)",
            "Previous quarter",
            show=False,
            id="quarter.previous_bracket",
        ),
        Binding(
            "right_square_bracket",
            "quarter(1)",
            "Quarter",
            key_display="[ ]",
            tooltip="Next quarter",
            id="quarter.next_bracket",
        ),
        Binding("t", "today", "Today", id="quarter.today"),
        Binding("enter", "open_day", "Month", id="quarter.month"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: QuarterSummary | None = None
        self.day_items: list[AgendaItem] = []

    def compose(self) -> ComposeResult:
        yield TopBar("quarter")
        yield Static(id="quarter-title")
        with Horizontal(id="quarter-body"):
            with VerticalScroll(id="quarter-scroll"):
                yield QuarterChart(id="main")
            with Vertical(id="quarter-side"):
                yield DayAgenda(id="quarter-day")
        yield Static(id="quarter-day-summary")
        yield FilterBar(id="filter-bar")
        yield Footer()

    def request(self) -> tuple[int, int]:
        return quarter_of(self.app.cursor)

    def fetch(self, db, quarter: tuple[int, int]) -> QuarterSummary:
        return quarter_summary(
            db, *quarter, filters=self.app.filters, settings=self.app.settings, today=self.app.today
        )

    def paint(self, quarter: tuple[int, int], summary: QuarterSummary) -> None:
        self.summary = summary
        if not summary.start <= self.app.cursor <= summary.end:
            self.app.cursor = summary.start
        title = Text()
        title.append(f" {summary.label} ", style="bold reverse")
        title.append(
            f"  {summary.start:%d %b} – {summary.end:%d %b %Y} · {plural(summary.total_posts, 'post')} · "
            f"{plural(len(summary.campaigns), 'campaign')} · "
            f"{plural(len(summary.observances), 'observance')}"
        )
        if self.app.filters.active:
            title.append(f" · filter: {describe_filter(self.app.filters)}", style="italic")
        self.query_one("#quarter-title", Static).update(title)
        self.query_one(QuarterChart).show(
            summary,
            cursor=self.app.cursor,
            today=self.app.today,
            first_weekday=self.app.settings.first_weekday,
        )
        self._show_day()

    def _show_day(self) -> None:
        day = self.app.cursor
        try:
            self.day_items = agenda(
                self.app.db,
                day,
                day,
                filters=self.app.filters,
                settings=self.app.settings,
                today=self.app.today,
            )
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            self.day_items = []
        self.query_one(DayAgenda).show(
            day, self.day_items, today=self.app.today, held=self.app.held_post_ids()
        )
        posts = [i.post.title for i in self.day_items if i.kind == "post"]
        summary = Text.assemble((f" {day:%a %d %b %Y}", "bold"))
        summary.append(f" · {len(posts)} post{'s' * (len(posts) != 1)}")
        if posts:
            summary.append(
                f": {posts[0]}" + (f" +{len(posts) - 1}" if len(posts) > 1 else ""), style="dim"
            )
        self.query_one("#quarter-day-summary", Static).update(summary)
        self.sync_bindings()

    def select(self, day: date) -> None:
        """Move the cursor, loading the neighbouring quarter when it leaves this one."""
        self.app.cursor = day
        if self.summary is None or not self.summary.start <= day <= self.summary.end:
            self.reload()
            return
        self.query_one(QuarterChart).move(day)
        self._show_day()

    def action_move(self, days: int) -> None:
        self.select(self.app.cursor + timedelta(days=days))

    def action_quarter(self, delta: int) -> None:
        year, quarter = shift_quarter(*quarter_of(self.app.cursor), delta)
        start, end = quarter_bounds(year, quarter)
        offset = (self.app.cursor - quarter_span(self.app.cursor)[0]).days
        self.select(min(start + timedelta(days=offset), end))

    def action_today(self) -> None:
        self.select(self.app.today)

    def action_open_day(self) -> None:
        self.post_message(GoToDay(self.app.cursor, "month"))

    def on_quarter_chart_clicked(self, event: QuarterChart.Clicked) -> None:
        self.select(event.day)
        self.query_one(QuarterChart).focus()
        if event.open:
            self.post_message(GoToDay(event.day, "month"))

    def on_day_agenda_post_chosen(self, event: DayAgenda.PostChosen) -> None:
        self.post_message(EditPost(event.post))

    def on_day_agenda_observance_chosen(self, event: DayAgenda.ObservanceChosen) -> None:
        self.post_message(ShowObservance(event.occurrence.observance.id))

    def on_option_list_option_highlighted(self) -> None:
        self.sync_bindings()

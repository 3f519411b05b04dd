"""The agenda: the next 30, 60 or 90 days of posts, observances and holidays, grouped by day."""

from __future__ import annotations

from datetime import date, timedelta

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from calendar_data.agenda import agenda
from calendar_data.filter_query import describe_filter
from calendar_data.models import AgendaItem, Post
from calendar_data.planning import is_month_wide
from tui.messages import EditPost, ShowObservance
from tui.screens.base import PlanningScreen
from tui.widgets.day_agenda import agenda_order
from tui.widgets.filter_bar import FilterBar
from tui.widgets.marks import item_summary
from tui.widgets.top_bar import TopBar
from tui.words import plural

RANGES = (30, 60, 90)


class Row(Content):
    """An agenda row that counts its lines when they fit, without wrapping them to find out.

    The OptionList measures every row's height when the rows are added (wrapping each prompt,
    on screen or not): most of applying a filter to the 90-day agenda. A row whose lines all fit
    its width is as many lines as it has; one that does not is measured as before.
    """

    def get_height(self, rules, width: int) -> int:
        room = width - rules.get("line_pad", 0) * 2
        lines = self.plain.split("\n")
        if all(cell_len(line) <= room for line in lines):
            return len(lines)
        return super().get_height(rules, width)

    @classmethod
    def of(cls, text: Text) -> Row:
        content = Content.from_rich_text(text)
        return cls(content.plain, content.spans, content.cell_length)


class AgendaScreen(PlanningScreen):
    """A scrolling list from today; `r` switches between 30, 60 and 90 days."""

    HELP_TITLE = "Agenda"
    THREADED = True
    LOADING_TARGET = "#main"
    BINDINGS = [
        Binding("r", "cycle_range", "30/60/90 days", id="agenda.range"),
        Binding("enter", "open", "Open", show=False, id="agenda.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.days = RANGES[0]
        self.rows: list[tuple[date, AgendaItem | None]] = []

    def compose(self) -> ComposeResult:
        yield TopBar("agenda")
        yield Static(id="agenda-title")
        yield OptionList(id="main")
        yield FilterBar(id="filter-bar")
        yield Footer()

    def request(self) -> tuple[date, date]:
        return self.app.today, self.app.today + timedelta(days=self.days - 1)

    def fetch(self, db, span: tuple[date, date]) -> list[AgendaItem]:
        return agenda(
            db, *span, filters=self.app.filters, settings=self.app.settings, today=self.app.today
        )

    def paint(self, span: tuple[date, date], items: list[AgendaItem]) -> None:
        start, end = span
        grouped: dict[date, list[AgendaItem]] = {}
        for item in items:
            grouped.setdefault(max(item.start, start), []).append(item)
        posts = sum(1 for i in items if i.kind == "post")
        title = Text()
        title.append(f" Next {self.days} days ", style="bold reverse")
        holidays = sum(1 for i in items if i.kind == "holiday")
        title.append(
            f"  {start:%a %d %b} – {end:%a %d %b %Y} · {plural(posts, 'post')} · "
            f"{plural(len(items) - posts - holidays, 'observance')} · {plural(holidays, 'holiday')}"
        )
        if self.app.filters.active:
            title.append(f" · filter: {describe_filter(self.app.filters)}", style="italic")
        self.query_one("#agenda-title", Static).update(title)
        listing = self.query_one("#main", OptionList)
        keep = listing.highlighted
        listing.clear_options()
        self.rows = []
        options: list[Option] = []
        for day in sorted(grouped):
            heading = Text(f"{day:%A %d %B}", style="bold underline")
            if day == self.app.today:
                heading.append("  today", style="bold italic")
            options.append(Option(Row.of(heading), disabled=True))
            self.rows.append((day, None))
            for item in sorted(grouped[day], key=agenda_order):
                text = item_summary(
                    item,
                    brief=item.kind == "observance" and (item.start < day or is_month_wide(item)),
                )
                if item.kind == "observance" and item.start < day:
                    text.append(f"  (since {item.start:%d %b})", style="dim")
                options.append(Option(Row.of(text), disabled=item.kind == "holiday"))
                self.rows.append((day, item))
        if not options:
            options.append(
                Option(
                    Text(
                        "Nothing in this range. Press n to plan a post, or clear the filter.",
                        style="dim italic",
                    ),
                    disabled=True,
                )
            )
        listing.add_options(options)
        enabled = [
            i
            for i, (_, item) in enumerate(self.rows)
            if item is not None and item.kind != "holiday"
        ]
        if enabled:
            listing.highlighted = keep if keep in enabled else enabled[0]
        self.sync_bindings()

    def _row(self) -> tuple[date, AgendaItem | None]:
        listing = self.query_one("#main", OptionList)
        if listing.highlighted is None or listing.highlighted >= len(self.rows):
            return self.app.today, None
        return self.rows[listing.highlighted]

    def target_day(self) -> date:
        return self._row()[0]

    def target_post(self) -> Post | None:
        item = self._row()[1]
        return item.post if item and item.kind == "post" else None

    def action_cycle_range(self) -> None:
        self.days = RANGES[(RANGES.index(self.days) + 1) % len(RANGES)]
        self.reload()

    def action_open(self) -> None:
        item = self._row()[1]
        if item is None:
            return
        if item.kind == "post":
            self.post_message(EditPost(item.post))
        elif item.kind == "observance":
            self.post_message(ShowObservance(item.occurrence.observance.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_highlighted(self) -> None:
        self.sync_bindings()

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        super().on_filter_bar_changed(event)

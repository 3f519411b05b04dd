"""The awareness browser: upcoming hashtag holidays to star, mute, copy and plan posts for."""

from __future__ import annotations

import calendar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Footer, Input, Select, Static

from calendar_data.models import CATEGORIES, REGIONS
from calendar_data.observances import set_preference
from calendar_data.planning import ObservanceRow, observance_rows, plan_post
from tui.messages import GoToDay, NewPost
from tui.screens.awareness_history import ObservanceHistoryPane
from tui.screens.base import CarecalScreen
from tui.widgets.marks import MUTED, STAR, badge_style
from tui.widgets.top_bar import TopBar

ALL_REGIONS = "*"


class AwarenessScreen(ObservanceHistoryPane, CarecalScreen):
    """A table of observances with next date, days until, kind, category, regions and hashtags."""

    HELP_TITLE = "Awareness browser"
    THREADED = True
    LOADING_TARGET = "#observances"
    BINDINGS = [
        Binding("n", "plan_post", "Plan post", id="awareness.plan_post"),
        Binding("s", "star", "Star", id="awareness.star"),
        Binding("u", "mute", "Mute", id="awareness.mute"),
        Binding("y", "copy_hashtags", "Copy hashtags", id="awareness.copy_hashtags"),
        Binding("enter", "show_in_month", "Show in month", id="awareness.show_in_month"),
        Binding("slash", "focus_search", "Search", key_display="/", id="awareness.search"),
        Binding(
            "escape", "leave_search", "Back to table", show=False, id="awareness.back_to_table"
        ),
    ]

    DYNAMIC_ACTIONS = (
        "plan_post",
        "star",
        "mute",
        "copy_hashtags",
        "show_in_month",
        "leave_search",
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ObservanceRow] = []
        self._pending_id: str | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("awareness")
        with Horizontal(id="awareness-filters"):
            yield Input(
                placeholder="search names, hashtags, organisations", id="aw-text", compact=True
            )
            yield Select(
                [(c, c) for c in CATEGORIES], prompt="any category", id="aw-category", compact=True
            )
            yield Select(
                [("every region", ALL_REGIONS), *((r, r) for r in REGIONS)],
                prompt="your regions",
                id="aw-region",
                compact=True,
            )
            yield Select(
                [(calendar.month_name[m], m) for m in range(1, 13)],
                prompt="any month",
                id="aw-month",
                compact=True,
            )
            yield Checkbox(
                "staff weeks",
                id="aw-staff",
                compact=True,
                tooltip="Only staff and service recognition weeks and days (PA Week, Volunteers' Week...)",
            )
        yield DataTable(id="observances", cursor_type="row", zebra_stripes=True)
        yield Static(id="observance-detail")
        yield Footer()

    def on_mount(self) -> None:
        self._columns(self.app.size.width)
        self.query_one(DataTable).focus()

    def _columns(self, width: int) -> None:
        """(Re)build the columns so the name takes what the fixed columns leave (hashtags get the rest)."""
        fixed = (
            ("Next", "next", 18),
            ("Days", "in", 4),
            ("Kind", "kind", 6),
            ("Category", "category", 18),
            ("Regions", "regions", 9),
        )
        name = max(24, min(48, width - 3 - sum(w + 2 for _, _, w in fixed) - 26))
        table = self.query_one(DataTable)
        if getattr(self, "_name_width", None) == name:
            return
        self._name_width = name
        row_index = table.cursor_row
        table.clear(columns=True)
        for label, key, column in (
            (" ", "mark", 1),
            ("Observance", "name", name),
            *fixed,
            ("Hashtags", "hashtags", None),
        ):
            table.add_column(label, key=key, width=column)
        for row in self.rows:
            table.add_row(*self._cells(row), key=row.observance.id)
        if self.rows:
            table.move_cursor(row=min(row_index, len(self.rows) - 1))

    def on_resize(self, event) -> None:
        self._columns(event.size.width)

    # --- reading ------------------------------------------------------------------------------

    def request(self) -> dict:
        value = {
            s: self.query_one(f"#aw-{s}", Select).value for s in ("category", "region", "month")
        }
        return {
            "text": self.query_one("#aw-text", Input).value,
            "staff": self.query_one("#aw-staff", Checkbox).value or self.app.filters.staff,
            **{k: None if v is Select.NULL else v for k, v in value.items()},
        }

    def fetch(self, db, query: dict) -> list[ObservanceRow]:
        return observance_rows(db, self.app.today, settings=self.app.settings, **query)

    def paint(self, query: dict, rows: list[ObservanceRow]) -> None:
        table = self.query_one(DataTable)
        keep = self._pending_id or (self.current.observance.id if self.current else None)
        self._pending_id = None
        self.rows = rows
        table.clear()
        for row in rows:
            table.add_row(*self._cells(row), key=row.observance.id)
        ids = [r.observance.id for r in rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        self.sub_title_count = len(rows)
        self._show_detail()
        self.sync_bindings()

    def _cells(self, row: ObservanceRow) -> list:
        obs, occ = row.observance, row.next
        mark = (
            Text(STAR, style="bold yellow")
            if row.starred
            else Text(MUTED, style="dim")
            if row.muted
            else ""
        )
        name = Text(
            obs.name,
            style="dim strike" if row.muted else "bold" if row.starred else "",
            overflow="ellipsis",
            no_wrap=True,
        )  # a long name ends in "…", not mid-word
        if occ is None:
            when, until = Text("not scheduled", style="dim"), ""
        else:
            when = (
                f"{occ.start:%a %d %b %Y}"
                if occ.start == occ.end
                else f"{occ.start:%d %b}–{occ.end:%d %b %y}"
            )
            until = "now" if row.days_until == 0 else f"{row.days_until}d"
        category = Text(
            f" {obs.category} ", style=badge_style(obs.category), overflow="ellipsis", no_wrap=True
        )
        return [
            mark,
            name,
            when,
            until,
            str(obs.kind),
            category,
            " ".join(obs.regions),
            " ".join(obs.hashtags),
        ]

    @property
    def current(self) -> ObservanceRow | None:
        """The highlighted observance."""
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _show_detail(self) -> None:
        row = self.current
        detail = self.query_one("#observance-detail", Static)
        if row is None:
            detail.update(
                Text(
                    " No observance matches. Clear the search or pick “every region”.", style="dim"
                )
            )
            return
        obs = row.observance
        text = Text.assemble(
            (f" {obs.name}", "bold"), f" · {obs.organisation}", (f"  {obs.source}", "dim")
        )
        if obs.note:
            text.append(f"\n {obs.note}", style="italic")
        if not obs.hashtags_verified:
            text.append("\n hashtags not verified by the organiser", style="yellow")
        text.append("\n").append_text(self.last_time(row))
        text.append(
            f"\n {len(self.rows)} observances · n plan a post · s star · u mute · y copy hashtags",
            style="dim",
        )
        detail.update(text)

    def show_observance(self, observance_id: str) -> None:
        """Highlight one observance (clearing filters that would hide it)."""
        self.query_one("#aw-text", Input).value = ""
        for name in ("category", "month"):
            self.query_one(f"#aw-{name}", Select).clear()
        self.query_one("#aw-region", Select).value = ALL_REGIONS
        self._pending_id = observance_id
        self.reload()

    # --- filters ------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.reload()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.reload()

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()
        self.sync_bindings()

    def action_focus_search(self) -> None:
        self.query_one("#aw-text", Input).focus()

    def action_leave_search(self) -> None:
        self.query_one(DataTable).focus()

    # --- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("plan_post", "star", "mute", "copy_hashtags", "show_in_month"):
            return True if self.current else None
        if action == "leave_search":
            return not self.query_one(DataTable).has_focus
        return True

    def _set(self, **flags: bool) -> None:
        row = self.current
        if row is None:
            return
        if (
            self.app.guard(
                lambda: set_preference(self.app.db, row.observance.id, now=self.app.now(), **flags),
                failure="observance",
            )
            is not None
        ):
            state = next(iter(flags.items()))
            verb = {
                ("starred", True): "Starred",
                ("starred", False): "Unstarred",
                ("muted", True): "Muted",
                ("muted", False): "Unmuted",
            }[state]
            self.notify(row.observance.name, title=verb)

    def action_star(self) -> None:
        if self.current:
            self._set(starred=not self.current.starred)

    def action_mute(self) -> None:
        if self.current:
            self._set(muted=not self.current.muted)

    def action_plan_post(self) -> None:
        row = self.current
        if row is None:
            return
        post = plan_post(row.observance, row.next, self.app.today, self.app.settings)
        self.post_message(NewPost(post.day, template=post))

    def action_copy_hashtags(self) -> None:
        row = self.current
        if row is None:
            return
        if not row.observance.hashtags:
            self.notify("This observance has no hashtags.", severity="warning")
            return
        tags = " ".join(row.observance.hashtags)
        self.app.copy_to_clipboard(tags)
        self.notify(tags, title="Copied to the clipboard")

    def action_show_in_month(self) -> None:
        row = self.current
        if row and row.next:
            self.post_message(
                GoToDay(
                    max(row.next.start, self.app.today) if row.days_until == 0 else row.next.start
                )
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show_in_month()

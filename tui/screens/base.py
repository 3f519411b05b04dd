"""What every carecal screen shares: reloading when data or filters change, and loading in workers.

A screen reads from calendar_data in `fetch` (which may run in a thread with its
own connection) and paints in `paint`. Quick reads run inline so keys feel
instant; screens that read a quarter or more set `THREADED` and show a loading
indicator only when a read takes long enough to notice.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker, WorkerState, get_current_worker

from calendar_data.models import Post
from tui.messages import DeletePost, EditPost, NewPost, OpenDay, QuickAdd, SetFilter
from tui.widgets.day_agenda import DayAgenda
from tui.widgets.filter_bar import FilterBar
from tui.widgets.hold_banner import HoldBanner
from tui.write_path import ReportsWorkerFailures


class CarecalScreen(ReportsWorkerFailures, Screen):
    """A full screen over the calendar that repaints when the data or the filter changes."""

    BINDINGS = [Binding("question_mark", "app.help", "Help", key_display="?", id="screen.help")]
    HELP_TITLE = ""
    """The heading of this screen's bindings in the help screen."""
    THREADED = False
    """Read in a thread worker (with its own connection) instead of inline."""
    LOADING_TARGET = "#main"
    """Selector of the widget that shows the loading indicator."""

    DYNAMIC_ACTIONS: tuple[str, ...] = ()
    """Actions whose availability depends on the cursor (checked by `sync_bindings`)."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: tuple[int, str, date] | None = None
        self._loading_timer: Timer | None = None
        self._binding_state: tuple | None = None
        self._generation = 0
        """Counts reads; only the newest one's result is painted."""
        self._in_flight = 0
        """The generation of the threaded read still out, or 0."""

    def sync_bindings(self) -> None:
        """Refresh the footer only when an action's availability changed: rebuilding it is not free."""
        state = tuple(self.check_action(action, ()) for action in self.DYNAMIC_ACTIONS)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def on_resize(self) -> None:
        for footer in self.query(Footer):
            footer.compact = self.size.width < 110

    def on_screen_resume(self) -> None:
        if self._seen != self._state():
            self.reload()

    def _state(self) -> tuple[int, str, date]:
        return self.app.data_version, self.app.filter_text, self.app.cursor

    def request(self) -> Any:
        """What to read, decided on the UI thread (dates, filters...)."""
        return None

    def fetch(self, db, request: Any) -> Any:
        """Read from calendar_data (may run in a worker thread with its own `db`)."""
        return None

    def paint(self, request: Any, result: Any) -> None:
        """Show what `fetch` returned."""

    def show_holds(self) -> None:
        """The crisis-hold banner: mounted on first need, shown while any hold is active."""
        holds = getattr(self.app, "active_holds", list)()
        found = self.query(HoldBanner)
        if found:
            found.first().show_holds(holds)
        elif holds:
            banner = HoldBanner(id="hold-banner")
            self.mount(banner)
            banner.show_holds(holds)

    def reload(self) -> None:
        """Read again and repaint (inline, or in a worker when THREADED)."""
        self.show_holds()
        self._seen = self._state()
        request = self.request()
        self._generation += 1
        if self.threaded() and self.app.db_path:
            self._in_flight = self._generation
            if self._loading_timer is None:
                self._loading_timer = self.set_timer(0.15, self._show_loading)
            self._fetch_in_thread(request, self._generation)
            return
        try:
            result = self.fetch(self.app.db, request)
        except (ValueError, sqlite3.Error) as exc:
            self.app.report_failure("load", exc)
            return
        self.paint(request, result)

    def threaded(self) -> bool:
        """Whether this read runs in a worker (THREADED; a view may also thread its first read)."""
        return self.THREADED

    def _show_loading(self) -> None:
        # A stopped timer's event may already be queued: show the indicator only if a read is still out.
        self._loading_timer = None
        if self._in_flight:
            for widget in self.query(self.LOADING_TARGET):
                widget.loading = True

    @work(thread=True, exclusive=True, group="load", name="load", exit_on_error=False)
    def _fetch_in_thread(self, request: Any, generation: int) -> None:
        result = self.app.read(lambda db: self.fetch(db, request))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._fetched, request, result, generation)

    def _fetched(self, request: Any, result: Any, generation: int) -> None:
        if generation != self._generation:
            return  # a newer read is on its way; it paints and clears the indicator
        self._stop_loading()
        self.paint(request, result)

    def _stop_loading(self) -> None:
        self._in_flight = 0
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        for widget in self.query(self.LOADING_TARGET):
            widget.loading = False
        # Textual defers `loading` on a widget still mounting (call_later): a cover queued then can
        # land after this stop and spin forever. Clear again once everything queued has run.
        self.call_later(self._clear_stray_cover)

    def _clear_stray_cover(self) -> None:
        if self._in_flight or not self.is_mounted:
            return
        for widget in self.query(self.LOADING_TARGET):
            if widget.is_mounted and not widget.loading:
                widget.set_loading(False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A read that failed in its thread stops the spinner (ReportsWorkerFailures reports it)."""
        if event.state is WorkerState.ERROR:
            self._stop_loading()


class PlanningScreen(CarecalScreen):
    """Month, quarter and agenda: a day under the cursor, the filter bar, posts to act on."""

    BINDINGS = [
        Binding("n", "new_post", "New", id="post.new"),
        Binding("A", "quick_add", "Quick add", id="post.quick_add"),
        Binding("e", "edit_post", "Edit", id="post.edit"),
        Binding("d", "delete_post", "Delete", id="post.delete"),
        Binding("slash", "focus_filter", "Filter", key_display="/", id="filter.focus"),
        Binding("escape", "clear_filter", "Clear filter", id="filter.clear"),
    ]
    MAIN = "#main"
    """Selector of the widget that takes focus back from the filter bar."""
    DYNAMIC_ACTIONS = ("edit_post", "delete_post", "clear_filter")

    def target_day(self) -> date:
        """The day `n` plans on."""
        return self.app.cursor

    DAY_PANEL_SHOWN_ON: tuple[str, ...] = ("-wide", "-very-wide")
    """Breakpoint classes under which the screen's DayAgenda panel is on screen."""

    @property
    def day_panel(self) -> DayAgenda | None:
        """The screen's DayAgenda, if it has one (looked up once: check_action asks often)."""
        if not hasattr(self, "_day_panel"):
            found = self.query(DayAgenda)
            self._day_panel = found.first() if found else None
        return self._day_panel

    def target_post(self) -> Post | None:
        """The post `e` and `d` act on: the day panel's highlighted post, else the day's first."""
        panel = self.day_panel
        if panel is None:
            return None
        return panel.highlighted_post or (panel.posts[0] if panel.posts else None)

    def _must_choose(self, verb: str) -> bool:
        """With the day panel hidden and several posts, open the day to choose one (True if so)."""
        panel = self.day_panel
        if (
            panel
            and len(panel.posts) > 1
            and not any(self.has_class(c) for c in self.DAY_PANEL_SHOWN_ON)
        ):
            key = verb[0]
            self.post_message(
                OpenDay(self.app.cursor, hint=f"Choose the post to {verb}: ↑↓ then {key}")
            )
            return True
        return False

    def reload(self) -> None:
        bar = self.query(FilterBar)
        if bar:
            bar.first().show_filter(self.app.filter_text)
            bar.first().set_vocabulary(*self.app.vocabulary())
        super().reload()
        self.sync_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_post", "delete_post"):
            return True if self.target_post() is not None else None
        if action == "clear_filter":
            return bool(self.app.filter_text)
        return True

    def action_new_post(self) -> None:
        self.post_message(NewPost(self.target_day()))

    def action_quick_add(self) -> None:
        self.post_message(QuickAdd(self.target_day()))

    def action_edit_post(self) -> None:
        if self._must_choose("edit"):
            return
        post = self.target_post()
        if post is not None:
            self.post_message(EditPost(post))

    def action_delete_post(self) -> None:
        if self._must_choose("delete"):
            return
        post = self.target_post()
        if post is not None:
            self.post_message(DeletePost(post))

    def action_focus_filter(self) -> None:
        self.query_one(FilterBar).input.focus()

    def action_clear_filter(self) -> None:
        self.post_message(SetFilter(""))

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        self.post_message(SetFilter(event.text, event.filters))
        self.query_one(self.MAIN).focus()

    def on_filter_bar_left(self, event: FilterBar.Left) -> None:
        self.query_one(self.MAIN).focus()
